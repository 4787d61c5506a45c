from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from ..core.account_move import HOLD_OPEN_ENDED

OUTCOME_TEMPLATE = "payment_followup_plus.mail_template_dispute_outcome"


class PaymentFollowupDispute(models.Model):
    """How a dispute case ends (a credit note, rejected with the reason,
    resolved otherwise), what the customer reads about it, and its deadline."""

    _inherit = "payment.followup.dispute"

    followup_greeting = fields.Char(compute="_compute_customer_words")
    followup_closing = fields.Char(compute="_compute_customer_words")
    customer_text = fields.Char(compute="_compute_customer_words")
    portal_url = fields.Char("Customer page link", compute="_compute_portal_url")

    @api.depends_context("lang")
    @api.depends(
        "state",
        "amount_disputed",
        "outcome_note",
        "deadline",
        "credit_note_ids",
        "line_ids.move_id.amount_residual",
    )
    def _compute_customer_words(self):
        """The case as the customer reads it, in the reader's language: its
        state on the payments page, its outcome in the email."""
        _ = self.env._
        Wording = self.env["payment.followup.wording"]
        for case in self:
            partner = case.partner_id.commercial_partner_id
            formality = partner.followup_formality or "formal"
            recipient = partner.followup_recipient_id
            case.followup_greeting = Wording._greeting(
                _, formality, recipient if recipient != partner else partner
            )
            case.followup_closing = Wording._closing(_, formality)
            args = {
                "case": case.name,
                "invoices": ", ".join(case.invoice_ids.mapped("name")),
                "amount": case.currency_id.format(case.amount_disputed),
                "reason": case.reason_id.name or "",
                "why": case.outcome_note or "",
            }
            if case.state == "credited":
                notes = case.credit_note_ids
                text = _(
                    "We have reviewed case %(case)s about %(invoices)s (%(reason)s): you were "
                    "right, and we have issued credit note %(notes)s for %(credited)s; "
                    "%(remaining)s remains open.",
                    notes=", ".join(notes.mapped("name")),
                    credited=case.currency_id.format(sum(notes.mapped("amount_total"))),
                    remaining=case.currency_id.format(
                        sum(case.invoice_ids.mapped("amount_residual"))
                    ),
                    **args,
                )
            elif case.state == "rejected":
                text = _(
                    "We have reviewed case %(case)s about %(invoices)s (%(reason)s) and cannot "
                    "accept it: %(why)s The %(amount)s under review is due again.",
                    **args,
                )
            elif case.state == "resolved":
                text = _(
                    "We have reviewed case %(case)s about %(invoices)s (%(reason)s): %(why)s",
                    **args,
                )
            else:
                text = _(
                    "Case %(case)s: %(amount)s of %(invoices)s under review (%(reason)s). We "
                    "will answer by %(date)s; no reminder asks for this amount meanwhile.",
                    date=format_date(self.env, case.deadline),
                    **args,
                )
            case.customer_text = text

    def _compute_portal_url(self):
        for case in self:
            case.portal_url = case._payments_page_url()

    def _payments_page_url(self):
        """Where the customer sees the case (hook: the portal signs the link)."""
        self.ensure_one()
        return self.partner_id.get_base_url() + "/my/payments#history"

    # ------------------------------------------------------------------
    # outcomes (buttons)
    # ------------------------------------------------------------------
    def _check_open(self):
        self.env["payment.followup.team"]._check_user()
        for case in self:
            if case.state != "open":
                raise UserError(self.env._("Case %(case)s is already closed.", case=case.name))

    def action_credit_note(self):
        """Odoo's credit note form for the case's invoices; posting the credit
        note closes the case (``account.move._post``)."""
        self.ensure_one()
        self._check_open()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Credit note"),
            "res_model": "account.move.reversal",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_ids": self.invoice_ids.ids,
                "default_reason": self.env._(
                    "Dispute %(case)s: %(reason)s", case=self.name, reason=self.reason_id.name
                ),
            },
        }

    def action_reject(self):
        return self._close_with_note(
            "rejected",
            self.env._("Write the explanation the customer will receive before rejecting."),
        )

    def action_resolve(self):
        return self._close_with_note(
            "resolved",
            self.env._("Write what was agreed: the customer receives it with the outcome."),
        )

    def _close_with_note(self, state, missing):
        """An outcome the customer reads with its explanation (required)."""
        self._check_open()
        if any(not (case.outcome_note or "").strip() for case in self):
            raise UserError(missing)
        self._close(state)
        return True

    def _close(self, state, credit_notes=None, tell_customer=True):
        """End the cases: their amounts are followed up again (or were
        credited), the holds lifted, the owner's to-do closed, the history
        told, and the customer gets the outcome in their language."""
        today = fields.Date.context_today(self)
        vals = {"state": state, "closed_on": today}
        if credit_notes:
            vals["credit_note_ids"] = [fields.Command.link(m.id) for m in credit_notes]
        self.sudo().write(vals)
        self._lift_holds()
        self.line_ids.move_id._followup_sync_disputes()
        self.event_ids.sudo().write({"dispute_closed_on": today})
        labels = dict(self._fields["state"]._description_selection(self.env))
        self.env["payment.followup.team"]._close_todos(self, "dispute", labels[state])
        Event = self.env["payment.followup.event"]
        for case in self:
            Event._log_about(
                case,
                self.env._(
                    "Dispute %(case)s closed: %(outcome)s", case=case.name, outcome=labels[state]
                ),
                link="dispute_id",
                note=case.outcome_note or False,
            )
        if tell_customer:
            template = self.env.ref(OUTCOME_TEMPLATE)
            for case in self:
                template.sudo().send_mail(case.id)
        return self

    # ------------------------------------------------------------------
    # the daily run's part
    # ------------------------------------------------------------------
    @api.model
    def _close_paid(self):
        """Open cases none of whose invoices is still open: resolved."""
        cases = self.sudo().search([("state", "=", "open")])
        paid = cases.filtered(lambda c: not any(inv._followup_is_open() for inv in c.invoice_ids))
        for case in paid:
            case.outcome_note = case.outcome_note or self.env._("The invoices are paid.")
        return paid._close("resolved", tell_customer=False)

    @api.model
    def _cron_deadlines(self):
        """Open cases past their deadline: one to-do for the owner, once."""
        today = fields.Date.context_today(self)
        late = self.sudo().search(
            [("state", "=", "open"), ("deadline", "<", today), ("deadline_flagged", "=", False)]
        )
        if late:
            late.deadline_flagged = True
            self.env["payment.followup.team"]._todo_activities(
                late,
                lambda case: self.env._(
                    "Dispute %(case)s is past its deadline (%(date)s): answer the customer",
                    case=case.name,
                    date=format_date(self.env, case.deadline),
                ),
                lambda case: case.user_id or self.env.user,
                today,
                "dispute",
            )
        return late


class AccountMove(models.Model):
    """The amounts of an invoice under review in dispute cases, and the
    credit note that settles one."""

    _inherit = "account.move"

    def _followup_sync_disputes(self):
        """Write on each invoice what its open cases dispute (never more than
        its open amount), in its and the company's currency, with the cases'
        numbers; an invoice disputed in full is held while a case runs."""
        rows = (
            self.env["payment.followup.dispute.line"]
            .sudo()
            ._read_group(
                [("move_id", "in", self.ids), ("state", "=", "open")],
                ["move_id"],
                ["amount:sum", "dispute_id:recordset"],
            )
        )
        per_move = {move: (amount, cases) for move, amount, cases in rows}
        for move in self:
            amount, cases = per_move.get(move, (0.0, self.env["payment.followup.dispute"]))
            open_amount = max(move.amount_residual, 0.0)
            amount = min(amount, open_amount)
            ratio = (
                move.amount_residual_signed / move.amount_residual if move.amount_residual else 0
            )
            models.Model.write(
                move.with_context(skip_invoice_sync=True, tracking_disable=True),
                {
                    "followup_disputed": amount,
                    "followup_disputed_signed": move.company_currency_id.round(amount * ratio),
                    "followup_dispute_ref": ", ".join(cases.mapped("name")) or False,
                },
            )
            if (
                cases
                and not move.currency_id.compare_amounts(amount, open_amount)
                and not move.followup_hold_until
            ):
                move._followup_hold(HOLD_OPEN_ENDED, cases[:1]._hold_reason())

    def _followup_not_disputable(self):
        """{invoice: why it cannot be disputed here} (hook: the legal part adds
        its cases): an invoice in a running payment plan."""
        return {
            move: self.env._(
                "%(invoice)s is in payment plan %(plan)s: write to us about it and we will adjust "
                "the plan.",
                invoice=move.name,
                plan=move.followup_plan_id.name,
            )
            for move in self
            if move.followup_plan_id.state == "active"
        }

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        refunds = posted.filtered(lambda m: m.move_type == "out_refund" and m.reversed_entry_id)
        if refunds:
            refunds._followup_settle_disputes()
        return posted

    def _followup_settle_disputes(self):
        """A credit note posted for an invoice under an open case pays it
        (reconciled) and closes the case as credited."""
        Dispute = self.env["payment.followup.dispute"].sudo()
        cases = Dispute.search(
            [("state", "=", "open"), ("invoice_ids", "in", self.reversed_entry_id.ids)]
        )
        for refund in self:
            invoice = refund.reversed_entry_id
            lines = (refund.line_ids | invoice.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
            if len(lines.move_id) == 2:
                lines.reconcile()
        for case in cases:
            notes = self.filtered(lambda r, c=case: r.reversed_entry_id in c.invoice_ids)
            case._close("credited", credit_notes=notes)
