from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, format_date


class AccountMove(models.Model):
    """An invoice under a payment plan: followed up on the plan's dates, said
    as such, and not covered by a second plan or a promise."""

    _inherit = "account.move"

    followup_plan_id = fields.Many2one(
        "payment.followup.plan",
        string="Payment plan",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="While the plan runs, this invoice is followed up on the plan's dates.",
    )

    def _followup_arranged(self):
        return {**super()._followup_arranged(), **{m: True for m in self if m.followup_plan_id}}

    @api.model
    def _followup_arranged_sql(self, alias):
        return SQL(
            "(%s OR %s IS NOT NULL)",
            super()._followup_arranged_sql(alias),
            SQL.identifier(alias, "followup_plan_id"),
        )

    @api.depends("followup_plan_id.next_due_date")
    def _compute_followup_next_date(self):
        super()._compute_followup_next_date()
        for move in self:
            if move.followup_plan_id and move.move_type == "out_invoice" and move.invoice_date_due:
                # under a plan, the invoice is followed up on the plan's dates
                move.followup_next_date = move.followup_plan_id.next_due_date

    @api.depends("followup_plan_id")
    def _compute_followup_held_why(self):
        super()._compute_followup_held_why()
        for move in self:
            if move.followup_plan_id and not move.followup_hold_open_ended:
                move.followup_held_why = self.env._(
                    "In payment plan %(plan)s", plan=move.followup_plan_id.name
                )

    @api.depends("followup_plan_id")
    def _compute_followup_expected_why(self):
        super()._compute_followup_expected_why()
        for move in self.filtered(lambda m: m.followup_expected_basis == "plan"):
            why = self.env._(
                "In payment plan %(plan)s: last installment on %(date)s",
                plan=move.followup_plan_id.name or "",
                date=format_date(self.env, move.followup_expected_date),
            )
            if move.followup_expected_late:
                why = self.env._("%(why)s; already later than that, so counted today", why=why)
            move.followup_expected_why = why

    def _followup_check_plannable(self, partner, currency=None, disputed_ok=False):
        """Raise unless these are open invoices of ``partner``, in one company
        and currency, not under an active plan and (unless ``disputed_ok``) not
        under review in a dispute case (for a plan or a promise)."""
        invoices = self
        if not invoices:
            raise ValidationError(self.env._("Select at least one open invoice."))
        if len(invoices.company_id) > 1:
            raise ValidationError(
                self.env._("The invoices belong to several companies: make one plan per company.")
            )
        if len(invoices.commercial_partner_id) > 1 or (
            partner and invoices.commercial_partner_id != partner.commercial_partner_id
        ):
            raise ValidationError(
                self.env._(
                    "All the invoices must be of the same customer (%(customers)s).",
                    customers=", ".join(invoices.commercial_partner_id.mapped("display_name")),
                )
            )
        if len(invoices.currency_id) > 1 or (currency and invoices.currency_id != currency):
            raise ValidationError(
                self.env._("All the invoices must be in the same currency for one plan.")
            )
        closed = invoices.filtered(
            lambda m: (
                m.move_type != "out_invoice"
                or m.state != "posted"
                or m.payment_state not in ("not_paid", "partial")
            )
        )
        if closed:
            raise ValidationError(
                self.env._(
                    "Only open customer invoices can be covered; these are paid, cancelled "
                    "or not posted: %(invoices)s",
                    invoices=", ".join(closed.mapped("display_name")),
                )
            )
        disputed = invoices.browse() if disputed_ok else invoices.filtered("followup_disputed")
        if disputed:
            raise ValidationError(
                self.env._(
                    "%(invoices)s is under review in dispute case %(case)s: a plan or a promise "
                    "for it waits for our answer (the undisputed part can be paid now).",
                    invoices=", ".join(disputed.mapped("display_name")),
                    case=", ".join(dict.fromkeys(disputed.mapped("followup_dispute_ref"))),
                )
            )
        planned = invoices.filtered(lambda m: m.followup_plan_id.state == "active")
        if planned:
            raise ValidationError(
                self.env._(
                    "%(invoices)s already under plan %(plan)s.",
                    invoices=", ".join(planned.mapped("display_name")),
                    plan=planned.followup_plan_id[:1].name,
                )
            )
