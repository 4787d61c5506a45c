from odoo import fields, models

from .payment_followup_mail_outcome import NOTED


class MailMail(models.Model):
    _inherit = "mail.mail"

    followup_reminder = fields.Boolean(
        "Payment reminder", readonly=True, help="A follow-up reminder's email."
    )

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """After each send attempt of a reminder email (sent, refused, no
        valid recipient, no connection, and every later attempt: Odoo's
        *Retry*, the queue's retries), only note what became of it, before
        Odoo may delete the mail; ``send`` records the whole batch at once.
        Odoo passes the failure type of a connection failure only here."""
        reminders = self.filtered("followup_reminder")
        if reminders:
            self.env["payment.followup.mail.outcome"].sudo()._note(
                reminders, failure_type=failure_type, failure_reason=failure_reason
            )
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )

    def send(self, auto_commit=False, raise_exception=False, post_send_callback=None):
        """Odoo's batch of the queue, then, when it sent reminder emails, one
        set-wise step that records what it did to them
        (``payment.followup.mail.outcome``)."""
        result = super().send(
            auto_commit=auto_commit,
            raise_exception=raise_exception,
            post_send_callback=post_send_callback,
        )
        if self.env.cr.cache.pop(NOTED, False):
            self.env["payment.followup.mail.outcome"].sudo()._apply()
        return result
