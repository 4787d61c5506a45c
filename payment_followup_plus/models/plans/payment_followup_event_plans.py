from odoo import api, fields, models
from odoo.tools.misc import format_date


class PaymentFollowupEvent(models.Model):
    """History events about a plan or a promise, and the buttons that open
    the plan and promise wizards from an event (a reply, a call)."""

    _inherit = "payment.followup.event"

    plan_id = fields.Many2one(
        "payment.followup.plan", string="Payment plan", index="btree_not_null", ondelete="cascade"
    )
    promise_id = fields.Many2one(
        "payment.followup.promise", index="btree_not_null", ondelete="cascade"
    )
    dispute_id = fields.Many2one(
        "payment.followup.dispute", string="Dispute case", index="btree_not_null"
    )

    @api.model
    def _hands_to_person(self, vals):
        plan = self.env["payment.followup.plan"].browse(vals.get("plan_id"))
        return (
            super()._hands_to_person(vals)
            or bool(vals.get("dispute_id"))
            or (bool(plan) and plan.sudo().state == "to_approve")
        )

    def action_propose_plan(self):
        return self._open_invoice_wizard(
            "payment.followup.plan.wizard", self.env._("Propose a payment plan")
        )

    def action_record_promise(self):
        """The promise wizard; from a reply that states a payment date, filled
        with that date (a person confirms: nothing is recorded by itself)."""
        defaults = {}
        if self.stated_date:
            defaults = {
                "promised_date": fields.Date.to_string(self.stated_date),
                "note": self.env._(
                    "From the customer's reply of %(date)s",
                    date=format_date(self.env, self.date.date()),
                ),
            }
            if self.stated_amount:
                defaults["stated_amount"] = self.stated_amount
                defaults["stated_currency_id"] = self.stated_currency_id.id
        return self._open_invoice_wizard(
            "payment.followup.promise.wizard",
            self.env._("Extend deadline / record promise"),
            **defaults,
        )

    def action_record_delay_reason(self):
        return self._open_invoice_wizard(
            "payment.followup.delay.wizard", self.env._("Record a reason for delay")
        )
