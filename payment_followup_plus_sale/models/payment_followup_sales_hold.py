from odoo import api, fields, models

from odoo.addons.payment_followup_plus.engine.credit_hold import HOLD, WARNING

STATES = [(WARNING, "Warning"), (HOLD, "On hold")]
REASON_CODES = ("legal", "level", "promise", "plan", "credit_limit")


class PaymentFollowupSalesHold(models.Model):
    """A customer whose new sales wait (hold) or whose salesperson is warned,
    in one company: stored by the daily run and refreshed when an invoice is
    paid, a plan agreed or broken, a promise broken or a legal case closed.
    No row: new sales go through."""

    _name = "payment.followup.sales.hold"
    _description = "Credit hold on new sales"
    _order = "state desc, since, id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(STATES, required=True, index=True)
    reasons = fields.Char("Reason codes", required=True)
    level_id = fields.Many2one("payment.followup.level", string="Level reached")
    overdue = fields.Monetary("Overdue", currency_field="company_currency_id")
    all_companies = fields.Boolean(
        "In every company", help="The policy holds the customer's orders in every company."
    )
    since = fields.Date(required=True, default=fields.Date.context_today)
    reason_text = fields.Char("Why", compute="_compute_texts")
    release_text = fields.Char("What releases it", compute="_compute_texts")
    message = fields.Char(compute="_compute_texts")
    quotation_ids = fields.One2many(
        "sale.order", compute="_compute_quotations", string="Quotations waiting"
    )
    sales_waiting = fields.Monetary(
        "Sales waiting for payment",
        currency_field="company_currency_id",
        compute="_compute_quotations",
        help="The customer's quotations not confirmed yet, in the company's currency.",
    )

    _sql_constraints = [
        (
            "partner_company_unique",
            "UNIQUE(partner_id, company_id)",
            "A customer has one credit hold per company.",
        )
    ]

    @api.depends_context("lang")
    @api.depends("reasons", "level_id", "overdue", "state")
    def _compute_texts(self):
        _ = self.env._
        for hold in self:
            codes = (hold.reasons or "").split(",")
            amount = hold.company_currency_id.format(hold.overdue)
            why = {
                "legal": _("the customer's debts are with our legal department"),
                "level": _(
                    "overdue invoices reached %(level)s", level=hold.level_id.name or _("a level")
                ),
                "promise": _("a promise to pay was broken"),
                "plan": _("a payment plan was broken"),
                "credit_limit": _("the balance is over the credit limit"),
            }
            release = {
                "legal": _("the legal case is closed"),
                "level": _(
                    "the overdue balance (%(amount)s) is settled or a payment plan is agreed",
                    amount=amount,
                ),
                "promise": _(
                    "the overdue balance (%(amount)s) is settled or a payment plan is agreed",
                    amount=amount,
                ),
                "plan": _(
                    "the overdue balance (%(amount)s) is settled or a new plan is agreed",
                    amount=amount,
                ),
                "credit_limit": _("the balance is back under the credit limit"),
            }
            hold.reason_text = "; ".join(why[c] for c in codes if c in why)
            hold.release_text = "; ".join(dict.fromkeys(release[c] for c in codes if c in release))
            args = {
                "customer": hold.partner_id.display_name,
                "why": hold.reason_text,
                "release": hold.release_text,
            }
            if hold.state == HOLD:
                hold.message = _(
                    "Credit hold for %(customer)s: %(why)s. New orders are confirmed once "
                    "%(release)s, or when a manager releases this order.",
                    **args,
                )
            else:
                hold.message = _(
                    "Payment warning for %(customer)s: %(why)s. It clears once %(release)s.",
                    **args,
                )

    def _compute_quotations(self):
        Order = self.env["sale.order"]
        quotes = Order.search(
            [
                ("partner_id", "child_of", self.partner_id.ids),
                ("state", "in", ("draft", "sent")),
                ("company_id", "in", self.company_id.ids),
            ]
        )
        for hold in self:
            mine = quotes.filtered(
                lambda o, h=hold: o.partner_id.commercial_partner_id == h.partner_id
                and o.company_id == h.company_id
            )
            hold.quotation_ids = mine
            hold.sales_waiting = sum(
                o.currency_id._convert(
                    o.amount_total, hold.company_currency_id, hold.company_id, o.date_order
                )
                for o in mine
            )

    @api.model
    def _for_orders(self, orders):
        """{order: its customer's hold row} for ``orders`` (one query): the
        order's company, or any company whose policy holds everywhere."""
        holds = self.sudo().search(
            [
                ("partner_id", "in", orders.partner_id.commercial_partner_id.ids),
                "|",
                ("company_id", "in", orders.company_id.ids),
                ("all_companies", "=", True),
            ]
        )
        result = {}
        for order in orders:
            candidates = holds.filtered(
                lambda h, o=order: h.partner_id == o.partner_id.commercial_partner_id
                and (h.company_id == o.company_id or h.all_companies)
            )
            if candidates:
                result[order] = candidates.sorted(lambda h: (h.state != HOLD, h.id))[0]
        return result

    def action_open_quotations(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Quotations waiting"),
            "res_model": "sale.order",
            "view_mode": "list,form",
            "domain": [("id", "in", self.quotation_ids.ids)],
        }
