from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    followup_sales_hold_ids = fields.One2many(
        "payment.followup.sales.hold", "partner_id", string="Credit holds", readonly=True
    )
    followup_sales_hold_message = fields.Char(
        "Credit hold", compute="_compute_followup_sales_hold_message"
    )

    @api.depends_context("lang", "allowed_company_ids")
    @api.depends("followup_sales_hold_ids.state")
    def _compute_followup_sales_hold_message(self):
        holds = (
            self.env["payment.followup.sales.hold"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", self.commercial_partner_id.ids),
                    "|",
                    ("company_id", "=", self.env.company.id),
                    ("all_companies", "=", True),
                ]
            )
        )
        for partner in self:
            mine = holds.filtered(lambda h, p=partner: h.partner_id == p.commercial_partner_id)
            partner.followup_sales_hold_message = mine[:1].message or False
