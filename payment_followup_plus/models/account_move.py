from odoo import api, fields, models

from ..engine.dunning import next_action_date, selection_horizon


class AccountMove(models.Model):
    _inherit = "account.move"

    followup_level_id = fields.Many2one(
        "payment.followup.level",
        string="Follow-up level",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    followup_tier = fields.Integer(compute="_compute_followup_tier", store=True, copy=False)
    followup_last_date = fields.Date("Last reminder", copy=False, readonly=True)
    followup_next_date = fields.Date(
        "Next follow-up", compute="_compute_followup_next_date", store=True, copy=False
    )
    followup_hold_until = fields.Date(
        "Follow-up on hold until",
        copy=False,
        help="No reminder is sent for this invoice until then.",
    )
    followup_hold_reason = fields.Char("Hold reason", copy=False)
    followup_remind = fields.Boolean(
        "Remind when the hold ends",
        copy=False,
        help="When the hold ends, the reminder of the level reached goes out again.",
    )
    followup_plan_id = fields.Many2one(
        "payment.followup.plan",
        string="Payment plan",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="While the plan runs, this invoice is followed up on the plan's dates.",
    )
    followup_event_ids = fields.Many2many(
        "payment.followup.event",
        "payment_followup_event_invoice_rel",
        "move_id",
        "event_id",
        string="Follow-up history",
        copy=False,
    )

    @api.depends("followup_level_id.tier")
    def _compute_followup_tier(self):
        for move in self:
            move.followup_tier = int(move.followup_level_id.tier or 0)

    @api.depends(
        "invoice_date_due",
        "followup_level_id",
        "move_type",
        "company_id",
        "partner_id",
        "followup_plan_id.next_due_date",
    )
    def _compute_followup_next_date(self):
        ladders = {}
        for move in self:
            if move.move_type != "out_invoice" or not move.invoice_date_due:
                move.followup_next_date = False
                continue
            if move.followup_plan_id:
                # under a plan, the invoice is followed up on the plan's dates
                move.followup_next_date = move.followup_plan_id.next_due_date
                continue
            partner = move.commercial_partner_id
            policy = (
                partner._followup_policy(move.company_id)
                if partner
                else move.company_id.followup_policy_id
            )
            if policy not in ladders:
                ladders[policy] = [lvl._to_engine() for lvl in policy.level_ids]
            move.followup_next_date = next_action_date(
                ladders[policy],
                move.invoice_date_due,
                move.followup_level_id.days if move.followup_level_id else None,
            )

    @api.model
    def _followup_open_invoices_domain(self, company):
        return [
            ("company_id", "=", company.id),
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", ("not_paid", "partial")),
            ("amount_residual_signed", ">", company.followup_tolerance),
            ("followup_plan_id", "=", False),
        ]

    @api.model
    def _followup_open_invoices(self, partners, company, today=None):
        """Open customer invoices of ``partners`` in ``company`` that have reached
        the first level of their policy and are not on hold. One search per policy."""
        today = today or fields.Date.context_today(self)
        commercials = partners.commercial_partner_id
        result = self.browse()
        for policy, group in commercials.grouped(lambda p: p._followup_policy(company)).items():
            horizon = selection_horizon([lvl._to_engine() for lvl in policy.level_ids], today)
            if horizon is None:
                continue
            result |= self.search(
                self._followup_open_invoices_domain(company)
                + [
                    ("commercial_partner_id", "in", group.ids),
                    ("invoice_date_due", "<=", horizon),
                    "|",
                    ("followup_hold_until", "=", False),
                    ("followup_hold_until", "<", today),
                ],
                order="invoice_date_due, id",
            )
        return result

    def action_followup_schedule_call(self):
        """Button "Schedule follow-up call" on a customer invoice."""
        self.ensure_one()
        return self.env["payment.followup.schedule"]._open_wizard(
            self.commercial_partner_id, invoices=self
        )

    def _followup_write_level(self, level_id, today):
        """Record the follow-up level reached. Accounting lines are untouched, so
        the invoice/tax line synchronisation is skipped (it reads every move's
        lines one by one)."""
        self.with_context(skip_invoice_sync=True).write(
            {"followup_level_id": level_id, "followup_last_date": today, "followup_remind": False}
        )

    def _followup_hold(self, until, reason=False, remind=False):
        """No reminder for these invoices until ``until`` (``False``: the hold is
        lifted); ``remind``: the reminder of the level reached goes out again when
        the hold ends. Accounting lines are untouched, as above."""
        self.with_context(skip_invoice_sync=True).write(
            {
                "followup_hold_until": until,
                "followup_hold_reason": reason if until else False,
                "followup_remind": remind,
            }
        )
