from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """After each send attempt (sent, refused, no valid recipient, no
        connection, and every later attempt of the same mail: Odoo's *Retry*,
        the queue's retries), a follow-up reminder email learns what became of
        it before Odoo may delete the mail (``payment.followup.delivery``).
        Odoo passes the failure type of a connection failure only here."""
        self.env["payment.followup.delivery"].sudo()._on_mails_processed(
            self, failure_type=failure_type, failure_reason=failure_reason
        )
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
