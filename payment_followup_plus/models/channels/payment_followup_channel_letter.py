from odoo import api, fields, models
from odoo.exceptions import UserError

from ...engine.sentences import clause


class PaymentFollowupChannelLetter(models.AbstractModel):
    """Reminders on paper: a letter waits to be printed; the reminder is
    delivered once it is (the print buttons of the history and of the
    reminder, below)."""

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
        results = []
        for reminder in reminders:
            reason = self._block_reason(reminder.partner_id)
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

    @api.model
    def _block_reason(self, partner):
        if partner.commercial_partner_id.followup_opt_out_letter:
            return self.env._("No printed letters for this customer")
        return False


class PaymentFollowupEvent(models.Model):
    _inherit = "payment.followup.event"

    def action_print_letter(self):
        """Print the letters of the selected history lines as one PDF (a
        bookmark per letter). The letters waiting to be printed are marked
        printed, and their reminders delivered, only once that PDF exists."""
        self.env["payment.followup.team"]._check_user()
        letters = self.filtered(
            lambda e: e.channel == "letter" and e.reminder_id and e.state != "cancelled"
        )
        if not letters:
            raise UserError(self.env._("Select at least one printed-letter follow-up."))
        to_print = letters.filtered(lambda e: e.state == "to_print")
        # a letter no longer true is never printed: not sent yet, its reminder
        # is prepared again ("Refresh"); already sent by email, only the paper
        # copy is dropped, and the history says why
        untrue = to_print.filtered(lambda e: e.reminder_id.stale)
        sent = untrue.filtered(lambda e: e.reminder_id.state == "delivered")
        (untrue - sent).reminder_id._check_still_true(self.env._("print"))
        for event in sent:
            event.sudo().write(
                {
                    "state": "cancelled",
                    "result": self.env._(
                        "Not printed, no longer true: %(changes)s (the reminder went by email)",
                        changes=event.reminder_id.stale.replace("\n", "; "),
                    ),
                }
            )
        to_print -= sent
        letters -= sent
        if not letters:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "Nothing printed: the letters ticked are no longer true and were "
                        "dropped (%(count)s; their reminders went by email).",
                        count=len(sent),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        Pack = self.env["payment.followup.pack"]
        # a letter bears the day it is printed (its days to respond count from
        # then); a reprint keeps that day
        today = fields.Date.context_today(self)
        to_print.reminder_id.filtered(lambda r: not r.letter_date).sudo().letter_date = today
        attachments = Pack._print_letters(letters.reminder_id, letters)
        to_print.sudo().write(
            {
                "state": "done",
                "delivery_state": "delivered",
                "result": self.env._(
                    "Printed (one PDF of %(count)s letters)", count=len(letters.reminder_id)
                )
                if len(letters.reminder_id) > 1
                else self.env._("Printed"),
            }
        )
        to_print.reminder_id.sudo()._mark_delivered(on=today)
        download = Pack._download_action(attachments[:1])
        if not sent:
            return download
        # some were dropped: say which, offer the PDF, and show the list as it is now
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": self.env._(
                    "Printed %(printed)s letter(s): %%s. Dropped, no longer true (their "
                    "reminders went by email): %(dropped)s.",
                    printed=len(letters.reminder_id),
                    dropped=clause(", ".join(sent.partner_id.mapped("display_name"))),
                ),
                "links": [{"label": self.env._("download the PDF"), "url": download["url"]}],
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }


class PaymentFollowupReminder(models.Model):
    _inherit = "payment.followup.reminder"

    def action_print_letter(self):
        """Print the letters of these reminders. A letter waiting to be printed
        is printed as the history's *Print letters* does it: dated, marked
        printed and its reminder delivered; without one (an email reminder),
        a copy on paper changes nothing."""
        self.env["payment.followup.team"]._check_user()
        letters = (
            self.env["payment.followup.event"]
            .sudo()
            .search(
                [
                    ("reminder_id", "in", self.ids),
                    ("channel", "=", "letter"),
                    ("state", "in", ("to_print", "done")),
                ]
            )
        )
        if "to_print" in letters.mapped("state"):
            return letters.sudo(False).action_print_letter()
        Pack = self.env["payment.followup.pack"]
        return Pack._download_action(Pack._print_letters(self))
