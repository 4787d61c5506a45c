from odoo import Command, api, fields, models


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

    @api.model
    def _invoice(self, partner, company, currency, labels, charges, **move_vals):
        """One customer invoice of late-payment charges (the one home of its
        shape, for the charges wizard and the letter before action): a tax-free
        line per ``(label, amount)`` of ``labels``, and the charges it carries
        (``charges``: their values without the invoice, customer, company and
        currency). Created as the caller may (``self``'s environment), not posted."""
        partner = partner.commercial_partner_id
        move = (
            self.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "currency_id": currency.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": label,
                                "quantity": 1,
                                "price_unit": amount,
                                "tax_ids": [Command.clear()],
                            }
                        )
                        for label, amount in labels
                    ],
                    **move_vals,
                }
            )
        )
        self.create(
            [
                dict(
                    vals,
                    partner_id=partner.id,
                    company_id=company.id,
                    currency_id=currency.id,
                    move_id=move.id,
                )
                for vals in charges
            ]
        )
        return move
