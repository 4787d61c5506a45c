from odoo import api, models


class PaymentFollowupChannelLetter(models.AbstractModel):
    """Reminders on paper: a letter waits to be printed (the reminder is
    delivered once it is, see the letter event's print button)."""

    _name = "payment.followup.channel.letter"
    _inherit = "payment.followup.channel"
    _description = "Payment follow-up by printed letter"
    _channel = "letter"
    _sequence = 40
    _level_field = "send_letter"
    _contact = True
    _written = True

    @api.model
    def _perform(self, reminders):
        guardrails = self.env["payment.followup.guardrails"]
        results = []
        for reminder in reminders:
            reason = guardrails._letter_block_reason(reminder.partner_id)
            if reason:
                results.append(self._result(reminder, "blocked", "blocked", reason))
            else:
                results.append(
                    self._result(
                        reminder,
                        "pending",
                        "to_print",
                        self.env._(
                            "Letter ready to print: %(level)s", level=reminder.level_id.name
                        ),
                    )
                )
        return results
