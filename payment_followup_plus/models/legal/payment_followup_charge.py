from odoo import api, fields, models


class PaymentFollowupCharge(models.Model):
    """Late-payment interest and compensation charged on one invoice for one
    period, and the charge invoice that carries them. A rerun charges only
    the days after the last period charged, and compensation once."""

    _name = "payment.followup.charge"
    _description = "Late-payment charge"
    _order = "date_to desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    invoice_id = fields.Many2one(
        "account.move", string="Late invoice", required=True, index=True, check_company=True
    )
    move_id = fields.Many2one(
        "account.move",
        string="Charge invoice",
        required=True,
        ondelete="cascade",
        index=True,
        check_company=True,
    )
    currency_id = fields.Many2one("res.currency", required=True)
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("Until", required=True)
    days = fields.Integer()
    detail = fields.Text("Rates and days")
    interest = fields.Monetary()
    compensation = fields.Monetary()
    state = fields.Selection(
        [("charged", "Charged"), ("cancelled", "Cancelled")],
        compute="_compute_state",
        store=True,
    )

    @api.depends("move_id.state")
    def _compute_state(self):
        for charge in self:
            charge.state = "cancelled" if charge.move_id.state == "cancel" else "charged"
