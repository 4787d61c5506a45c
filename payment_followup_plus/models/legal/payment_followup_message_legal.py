from odoo import api, models


class PaymentFollowupMessage(models.AbstractModel):
    """The legal part of the messages: reference rates named as people know
    them."""

    _inherit = "payment.followup.message"

    @api.model
    def _rate_label(self, kind):
        """A reference rate as people know it ("ECB main refinancing rate"),
        not its code."""
        Rate = self.env["payment.followup.legal.rate"]
        labels = dict(Rate._fields["kind"]._description_selection(self.env))
        return labels.get(kind, super()._rate_label(kind))
