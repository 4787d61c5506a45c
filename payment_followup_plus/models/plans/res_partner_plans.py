from odoo import api, fields, models


class ResPartner(models.Model):
    """A customer's payment plans: the count on its form and the button to them."""

    _inherit = "res.partner"

    followup_plan_ids = fields.One2many("payment.followup.plan", "partner_id")
    followup_plan_count = fields.Integer(compute="_compute_followup_plan_count")

    @api.depends("followup_plan_ids")
    def _compute_followup_plan_count(self):
        counts = dict(
            self.env["payment.followup.plan"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.followup_plan_count = counts.get(partner.commercial_partner_id, 0)

    def action_followup_plans(self):
        self.env["payment.followup.team"]._check_user()
        # the menu's default filters do not apply to one customer's plans
        return self._followup_action_for_customer(
            "payment_followup_plus.action_payment_followup_plan", context={}
        )
