from odoo import api, fields, models

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
        for it, when nothing else of that reminder reached the customer (a
        dispute case ends by its outcome, not by its to-do)."""
        reminders = (
            self.env["payment.followup.reminder"]
            .sudo()
            .search([("activity_id", "in", self.ids), ("state", "=", "pending")])
        )
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if reminders:
            reminders._mark_delivered(on=reminders.env["payment.followup.guardrails"]._now().date())
        return result

    def action_notify(self):
        """A to-do that a customer's action on the portal creates (signed in,
        or on a signed link as the public user) tells our person from the
        company: never from the customer, never from an address-less public
        user whose email would fail."""
        user = self.env.user
        if not (user.share or user._is_public()):
            return super().action_notify()
        for activity in self:
            company = activity.user_id.company_id or self.env.company
            super(
                MailActivity, activity.sudo().with_context(followup_from_company=company.id)
            ).action_notify()
        return None


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _message_compute_author(self, author_id=None, email_from=None, raise_on_email=True):
        # a notification of ours to our people, from the company (see
        # ``mail.activity.action_notify``)
        company_id = self.env.context.get("followup_from_company")
        if company_id and author_id is None and email_from is None:
            company = self.env["res.company"].browse(company_id)
            sender = (
                company.email_formatted or self.env["ir.mail_server"]._get_default_from_address()
            )
            return company.partner_id.id, sender
        return super()._message_compute_author(author_id, email_from, raise_on_email)
