from odoo import api, fields, models


class PaymentFollowupChannelLegal(models.AbstractModel):
    """A level of the legal tier opens a legal case instead of contacting the
    customer itself: the legal advisor reviews it and sends the letter before
    action."""

    _name = "payment.followup.channel.legal"
    _inherit = "payment.followup.channel"
    _description = "Payment follow-up: open a legal case"
    _channel = "legal"
    _sequence = 10
    _level_field = "open_legal_case"
    _exclusive = True

    @api.model
    def _perform(self, reminders):
        Case = self.env["payment.followup.legal.case"].sudo()
        # the debts: the invoices that went up the ladder to this level (its
        # main section); the others stay on their own step of the ladder
        debts = {
            reminder: reminder.line_ids.filtered(lambda ln: ln.section == "main").move_id
            for reminder in reminders
        }
        cases = Case.create(
            [
                {
                    "partner_id": reminder.partner_id.id,
                    "company_id": reminder.company_id.id,
                    "currency_id": debts[reminder].currency_id[:1].id
                    or reminder.company_id.currency_id.id,
                    "invoice_ids": [fields.Command.set(debts[reminder].ids)],
                    "amount_at_opening": sum(debts[reminder].mapped("amount_residual")),
                    "reminder_id": reminder.id,
                    "user_id": reminder.level_id.owner_id.id,
                }
                for reminder in reminders
            ]
        )
        return [
            self._result(
                reminder,
                "pending",
                "done",
                self.env._("Legal case %(case)s opened for the legal advisor", case=case.name),
            )
            for reminder, case in zip(reminders, cases, strict=True)
        ]
