from odoo import models


class PaymentFollowupPlan(models.Model):
    """The portal's part of a payment plan: its emails link to the plans on
    the customer's page without a password (a signed link)."""

    _inherit = "payment.followup.plan"

    def _plans_page_url(self):
        self.ensure_one()
        return self.partner_id._followup_portal_url(self.company_id, anchor="plans")


class PaymentFollowupAutopay(models.Model):
    """An automatic payment's emails link to its part of the customer's page
    without a password (a signed link)."""

    _inherit = "payment.followup.autopay"

    def _payments_page_url(self):
        self.ensure_one()
        return self.partner_id._followup_portal_url(self.company_id, anchor="autopay")


class PaymentFollowupDispute(models.Model):
    """A dispute case's email links to the customer's page without a
    password (a signed link)."""

    _inherit = "payment.followup.dispute"

    def _payments_page_url(self):
        self.ensure_one()
        return self.partner_id._followup_portal_url(self.company_id, anchor="history")
