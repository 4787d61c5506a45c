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
                    "result": self._label(decision, partner),
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
    def _label(self, decision, partner):
        """Why nothing went out to this customer, as a person reads it."""
        _ = self.env._
        labels = {
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
