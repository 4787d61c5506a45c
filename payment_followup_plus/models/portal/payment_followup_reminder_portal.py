from odoo import models


class PaymentFollowupReminder(models.Model):
    """The portal's part of a reminder: its links open the customer's page
    without a password (a signed link)."""

    _inherit = "payment.followup.reminder"

    def _payments_page_url(self):
        self.ensure_one()
        return self.partner_id._followup_portal_url(self.company_id)


class PaymentFollowupLegalCase(models.Model):
    """The letter before action links to the same signed page."""

    _inherit = "payment.followup.legal.case"

    def _letter_payments_url(self):
        self.ensure_one()
        return self.partner_id._followup_portal_url(self.company_id)
