from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """After each send attempt (sent, refused, no valid recipient, no
        connection), a follow-up reminder email learns what became of it
        before Odoo may delete the mail (``payment.followup.delivery``)."""
        self.env["payment.followup.delivery"].sudo()._on_mails_processed(self)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
