from odoo import fields, models

KINDS = [
    ("followup", "Reminder to act on"),
    ("broken_promise", "Broken promise"),
    ("late_installment", "Late installment"),
    ("broken_plan", "Broken plan"),
    ("dispute", "Dispute waiting"),
    ("hardship", "Customer in hardship"),
    ("approval", "Plan to approve"),
    ("legal", "Legal case to move"),
    ("credits", "Credits to apply"),
    ("email_failed", "Email failed"),
    ("reply", "Customer replied"),
    ("evidence", "Payment on its way"),
    ("outage", "Our mail server failing"),
]


class MailActivity(models.Model):
    _inherit = "mail.activity"

    # what a follow-up to-do is about, for "My follow-ups today"
    followup_kind = fields.Selection(KINDS, readonly=True, index="btree_not_null")
    followup_partner_id = fields.Many2one("res.partner", readonly=True)
    followup_company_id = fields.Many2one("res.company", readonly=True)

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up to-do done by a person delivers the reminder that asked
        for it, when nothing else of that reminder reached the customer; a
        dispute's to-do done settles the dispute."""
        reminders = (
            self.env["payment.followup.reminder"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", "pending")])
        )
        self.env["payment.followup.dispute"]._close_for_activities(self)
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if reminders:
            reminders._mark_delivered(on=reminders.env["payment.followup.guardrails"]._now().date())
        return result
