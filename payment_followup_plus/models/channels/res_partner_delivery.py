from odoo import api, fields, models


class ResPartner(models.Model):
    """What the follow-up learned by listening: a failing address, a reply."""

    _inherit = "res.partner"

    followup_email_failing = fields.Boolean(
        "Follow-up email failing",
        readonly=True,
        help="A reminder email to this address failed or bounced: no reminder email goes to "
        "it until the address is changed, the flag is cleared or a later email succeeds.",
    )
    followup_email_failure = fields.Char("Why the email failed", readonly=True)
    followup_address_failing = fields.Char(
        "Follow-up address failing",
        compute="_compute_followup_address_failing",
        help="Why reminder emails to the customer's follow-up address fail (empty: they work).",
    )
    followup_replied_on = fields.Datetime(
        "Replied to a reminder on", readonly=True, help="The customer's last answer to a reminder."
    )
    followup_reply_pause_until = fields.Date(
        "Reminders paused after a reply until",
        readonly=True,
        help="The daily run sends no reminder until this day (included); a person may.",
    )

    @api.depends("followup_email_failing", "child_ids.followup_email_failing")
    def _compute_followup_address_failing(self):
        for partner in self:
            recipient = partner.commercial_partner_id.followup_recipient_id
            partner.followup_address_failing = (
                "%s: %s" % (recipient.email, recipient.followup_email_failure or "")
                if recipient.followup_email_failing
                else False
            )

    def write(self, vals):
        # a new address is tried again
        if "email" in vals and "followup_email_failing" not in vals:
            vals = dict(vals, followup_email_failing=False, followup_email_failure=False)
        return super().write(vals)

    def action_followup_email_works(self):
        """Button: the address was checked and works; reminder emails may go."""
        self.env["payment.followup.team"]._check_user()
        recipients = self.commercial_partner_id.followup_recipient_id | self
        recipients.sudo().write({"followup_email_failing": False, "followup_email_failure": False})
        return True
