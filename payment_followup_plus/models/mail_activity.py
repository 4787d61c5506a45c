from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up to-do done by a person delivers the reminder that asked
        for it, when nothing else of that reminder reached the customer."""
        reminders = (
            self.env["payment.followup.reminder"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", "pending")])
        )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if reminders:
            reminders._mark_delivered(on=reminders.env["payment.followup.guardrails"]._now().date())
        return result
