from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.dunning import LadderError, validate_ladder


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
            raise ValidationError(self._ladder_error_message(err)) from err

    def _ladder_error_message(self, err):
        data = err.data
        if err.code == "duplicate_days":
            return self.env._(
                "Policy %(policy)s has two levels at %(days)s days. Each level needs its own number of days.",
                policy=self.name,
                days=data["days"],
            )
        if err.code == "no_action":
            return self.env._(
                "The level at %(days)s days of policy %(policy)s has no action. "
                "Choose at least one: email, printed letter, activity or call to schedule.",
                policy=self.name,
                days=data["days"],
            )
        if err.code == "tier_backwards":
            return self.env._(
                "Tiers cannot go backwards in policy %(policy)s: the level at %(days)s days is tier "
                "%(tier)s but the earlier level at %(previous_days)s days is already tier %(previous_tier)s.",
                policy=self.name,
                **data,
            )
        return self.env._("The level at %(days)s days has an unknown tier.", days=data["days"])

    @api.model
    def _prepare_default_policy_vals(self, company):
        """The default ladder given to each company (override to change it)."""
        level_vals = [
            (-3, "1", "courtesy", {"send_email": True}, self.env._("Courtesy reminder")),
            (3, "1", "friendly", {"send_email": True}, self.env._("Friendly reminder")),
            (15, "1", "firm", {"send_email": True}, self.env._("Firm reminder")),
            (30, "2", "firm", {"send_email": True, "schedule_call": True}, self.env._("Call")),
            (
                45,
                "3",
                "firm",
                {"send_email": True, "send_letter": True, "create_activity": True},
                self.env._("Senior follow-up"),
            ),
            (
                60,
                "4",
                "final",
                {"send_email": True, "send_letter": True, "needs_review": True},
                self.env._("Final notice (legal review)"),
            ),
        ]
        return {
            "name": self.env._("Standard follow-up"),
            "company_id": company.id,
            "level_ids": [
                fields.Command.create(
                    {"name": name, "days": days, "tier": tier, "severity": severity, **actions}
                )
                for days, tier, severity, actions, name in level_vals
            ],
        }
