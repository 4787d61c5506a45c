from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...engine.dunning import LadderError, validate_ladder


class PaymentFollowupPolicy(models.Model):
    _name = "payment.followup.policy"
    _description = "Payment follow-up policy"
    _check_company_auto = True
    _order = "company_id, name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    level_ids = fields.One2many("payment.followup.level", "policy_id", string="Levels", copy=True)
    level_count = fields.Integer(compute="_compute_level_count")
    note = fields.Html(translate=True)

    @api.depends("level_ids")
    def _compute_level_count(self):
        for policy in self:
            policy.level_count = len(policy.level_ids)

    def _engine_levels(self):
        self.ensure_one()
        return [level._to_engine() for level in self.level_ids]

    @api.constrains("level_ids")
    def _check_level_ids(self):
        for policy in self:
            policy._check_ladder()

    def _check_ladder(self):
        self.ensure_one()
        try:
            validate_ladder(self._engine_levels())
        except LadderError as err:
            raise ValidationError(
                self.env["payment.followup.message"]._engine_error(err, policy=self.name)
            ) from err

    @api.model
    def _prepare_default_policy_vals(self, company):
        """The default ladder given to each company (override to change it)."""
        email = {"send_email": True}
        level_vals = [
            (-3, "1", "courtesy", 0, email, self.env._("Courtesy reminder")),
            (3, "1", "friendly", 7, email, self.env._("Friendly reminder")),
            (15, "1", "firm", 7, email, self.env._("Firm reminder")),
            (30, "2", "firm", 7, {**email, "schedule_call": True}, self.env._("Call")),
            (
                45,
                "3",
                "firm",
                7,
                {**email, "send_letter": True, "create_activity": True},
                self.env._("Senior follow-up"),
            ),
            (
                60,
                "4",
                "final",
                10,
                {**email, "send_letter": True, "needs_review": True},
                self.env._("Final notice (legal review)"),
            ),
        ]
        return {
            "name": self.env._("Standard follow-up"),
            "company_id": company.id,
            "level_ids": [
                fields.Command.create(
                    {
                        "name": name,
                        "days": days,
                        "tier": tier,
                        "severity": severity,
                        "response_days": response_days,
                        **actions,
                    }
                )
                for days, tier, severity, response_days, actions, name in level_vals
            ],
        }
