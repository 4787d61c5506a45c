from odoo import api, fields, models
from odoo.tools.misc import format_date

from ...engine.types import SkipReason

# held back while a reminder was due: the history says so, once per level
HELD = (
    SkipReason.HARDSHIP,
    SkipReason.PAUSED,
    SkipReason.MIN_GAP,
    SkipReason.CREDITS,
    SkipReason.REPLIED,
    SkipReason.ON_ITS_WAY,
    SkipReason.STALE_STATEMENTS,
)


class PaymentFollowupHeld(models.AbstractModel):
    """Why the run sent nothing to a customer: the label a person reads, and
    the history's blocked event (with a to-do where a person must act)."""

    _name = "payment.followup.held"
    _description = "Payment follow-up: what the run held back, and why"

    @api.model
    def _record(self, batch):
        """One blocked event per customer and level that was due but held back
        (hardship, pause, minimum gap, credits not applied), once per level
        since the last delivered reminder, so the history says why nothing went
        out; customers in hardship or with credits to apply get a to-do."""
        self._record_evidence(batch)
        held = [d for d in batch.decisions if d.skip in HELD and d.level]
        if not held:
            return
        company = batch.company
        Event = self.env["payment.followup.event"].sudo()
        existing = Event._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "blocked"),
                ("channel", "=", "none"),
                ("partner_id", "in", [d.partner_id for d in held]),
            ],
            ["partner_id", "level_id"],
            ["date:max"],
        )
        last_blocked = {(p.id, lvl.id): date for p, lvl, date in existing}
        last_delivered = self._last_delivered(company, [d.partner_id for d in held])
        Partner, Move = self.env["res.partner"], self.env["account.move"]
        vals_list, hardship, credits = [], Partner, Partner
        for decision in held:
            partner = Partner.browse(decision.partner_id)
            if decision.skip == SkipReason.HARDSHIP:
                hardship |= partner
            if decision.skip == SkipReason.CREDITS:
                credits |= partner
            blocked_at = last_blocked.get((partner.id, decision.level.id))
            delivered_at = last_delivered.get(partner.id)
            if blocked_at and (not delivered_at or blocked_at.date() >= delivered_at):
                continue
            level = self.env["payment.followup.level"].browse(decision.level.id)
            moment = self.env["payment.followup.guardrails"]._now()
            vals_list.append(
                {
                    "date": moment.replace(tzinfo=None),
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "level_id": level.id,
                    "tier": level.tier,
                    "channel": "none",
                    "state": "blocked",
                    "result": self._label(decision, partner, batch),
                    "invoice_ids": [fields.Command.set(Move.browse(decision.invoice_ids).ids)],
                }
            )
        Event._create_bulk(vals_list)
        Team = self.env["payment.followup.team"]
        Team._route_hardship(company, hardship)
        Team._route_credits(company, credits)

    @api.model
    def _last_delivered(self, company, partner_ids):
        groups = (
            self.env["payment.followup.reminder"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partner_ids),
                    ("state", "=", "delivered"),
                ],
                ["partner_id"],
                ["delivered_date:max"],
            )
        )
        return {partner.id: date for partner, date in groups}

    @api.model
    def _label(self, decision, partner, batch=None):
        """Why nothing went out to this customer, as a person reads it."""
        _ = self.env._
        waiting = [
            batch.invoices[line.id]["name"]
            for line in decision.invoices
            if batch and line.id in batch.evidence
        ]
        labels = {
            SkipReason.ON_ITS_WAY: lambda: _(
                "Payment on its way for %(invoices)s: nothing demanded while it arrives (the "
                "follow-up resumes at its step if it does not)",
                invoices=", ".join(waiting),
            ),
            SkipReason.STALE_STATEMENTS: lambda: _(
                "Bank statements are not up to date (newest line: %(date)s): reminders past the "
                "first level wait until they are imported, as a payment may be there",
                date=format_date(self.env, batch.statements_newest)
                if batch and batch.statements_newest
                else _("none"),
            ),
            SkipReason.HARDSHIP: lambda: _(
                "Hardship: automated reminders paused, handled by a person"
            ),
            SkipReason.PAUSED: lambda: _(
                "Follow-up paused until %(date)s",
                date=format_date(self.env, partner.followup_paused_until),
            ),
            SkipReason.MIN_GAP: lambda: _(
                "Contacted recently: the next reminder may go out on %(date)s",
                date=format_date(self.env, decision.wait_until),
            ),
            SkipReason.PENDING: lambda: _(
                "An earlier reminder still waits for review, printing or the call"
            ),
            SkipReason.REFUSED: lambda: _(
                "This level was rejected by a person or could not be delivered since the "
                "last reminder"
            ),
            SkipReason.NOTHING_NEW: lambda: _(
                "Nothing new: every invoice already had the reminder its age allows"
            ),
            SkipReason.NO_INVOICE: lambda: _(
                "No overdue invoice (paid, on hold, in a plan or below the tolerance)"
            ),
            SkipReason.REPLIED: lambda: _(
                "The customer replied on %(date)s: automatic reminders wait until %(until)s "
                "while the reply is read (a person may still send)",
                date=format_date(self.env, partner.followup_replied_on.date())
                if partner.followup_replied_on
                else "",
                until=format_date(self.env, partner.followup_reply_pause_until),
            ),
            SkipReason.CREDITS: lambda: _(
                "Credits in the customer's favour are not applied yet: apply them to its "
                "invoices (or send the reminder yourself)"
            ),
        }
        return labels[decision.skip]()

    @api.model
    def _record_evidence(self, batch):
        """Each payment on its way the decision saw is said once: a history
        line on the customer ("not demanded: ...") and a to-do on the invoice
        for the collector to reconcile it; a statement line that fits several
        invoices is a to-do on the customer (nothing is held for it)."""
        listed = {line.id for d in batch.decisions for line in d.invoices}
        evidence = {mid: ev for mid, ev in batch.evidence.items() if mid in listed}
        if not evidence and not batch.ambiguities:
            return
        _ = self.env._
        Event = self.env["payment.followup.event"].sudo()
        Move = self.env["account.move"].sudo()
        keys = {mid: f"{ev.kind}:{ev.source_id}:{mid}" for mid, ev in evidence.items()}
        keys.update({amb: f"ambiguous:{amb.kind}:{amb.source_id}" for amb in batch.ambiguities})
        seen = set(
            Event.search([("evidence_key", "in", list(keys.values()))]).mapped("evidence_key")
        )
        team = self.env["payment.followup.team"]
        moment = self.env["payment.followup.guardrails"]._now().replace(tzinfo=None)
        vals_list, todos = [], []
        for move_id, item in evidence.items():
            if keys[move_id] in seen:
                continue
            move = Move.browse(move_id)
            what = move._followup_evidence_label(item)
            vals_list.append(
                Event._prepare_note_vals(
                    move.commercial_partner_id,
                    batch.company,
                    move,
                    _("%(invoice)s not demanded: %(what)s", invoice=move.name, what=what),
                    state="blocked",
                    evidence_key=keys[move_id],
                    date=moment,
                )
            )
            todos.append(
                team._prepare_todo_vals(
                    move,
                    _(
                        "Possible payment for %(invoice)s: %(what)s. Reconcile it",
                        invoice=move.name,
                        what=what,
                    ),
                    team._responsible(move.commercial_partner_id),
                    batch.today.get(move.commercial_partner_id.id) or moment.date(),
                    "evidence",
                )
            )
        for amb in batch.ambiguities:
            if keys[amb] in seen:
                continue
            moves = Move.browse(amb.invoice_ids)
            partner = moves.commercial_partner_id[:1]
            what = moves[:1]._followup_evidence_label(amb)
            summary = _(
                "%(what)s fits %(invoices)s equally: reconcile it with the right one (all are "
                "still followed up)",
                what=what[:1].upper() + what[1:],
                invoices=", ".join(moves.mapped("name")),
            )
            vals_list.append(
                Event._prepare_note_vals(
                    partner,
                    batch.company,
                    moves,
                    summary,
                    evidence_key=keys[amb],
                    date=moment,
                )
            )
            todos.append(
                team._prepare_todo_vals(
                    partner,
                    summary,
                    team._responsible(partner),
                    batch.today.get(partner.id) or moment.date(),
                    "evidence",
                )
            )
        Event._create_bulk(vals_list)
        for vals in todos:
            vals["followup_company_id"] = batch.company.id
        self.env["mail.activity"].sudo().create(todos)
