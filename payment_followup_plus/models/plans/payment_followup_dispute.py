from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..core.account_move import HOLD_OPEN_ENDED

DISPUTE_STATES = [
    ("open", "Under review"),
    ("credited", "Credit note issued"),
    ("rejected", "Rejected"),
    ("resolved", "Resolved otherwise"),
]
SOURCES = [
    ("portal", "Customer's page"),
    ("reply", "Customer's reply"),
    ("collector", "Collector"),
]


class PaymentFollowupDisputeReason(models.Model):
    """What a customer disputes (not received, wrong price…): a list the
    company keeps."""

    _name = "payment.followup.dispute.reason"
    _description = "Reason for a dispute"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: offered in every company.")


class PaymentFollowupDispute(models.Model):
    """A customer disputes (part of) invoices: a case with the disputed
    amount per invoice, a reason, the customer's words and files, an owner, a
    deadline and an outcome. While it is open only the undisputed part of its
    invoices is followed up (the invoices carry the amount under review)."""

    _name = "payment.followup.dispute"
    _description = "Dispute case"
    _inherit = ["mail.thread", "mail.activity.mixin", "payment.followup.number.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        compute="_compute_currency_id",
        store=True,
        readonly=False,
        precompute=True,
    )
    line_ids = fields.One2many("payment.followup.dispute.line", "dispute_id", string="Invoices")
    invoice_ids = fields.Many2many(
        "account.move", compute="_compute_invoice_ids", search="_search_invoice_ids"
    )
    amount_disputed = fields.Monetary(
        "Disputed amount", compute="_compute_amount_disputed", store=True, tracking=True
    )
    reason_id = fields.Many2one(
        "payment.followup.dispute.reason",
        string="What is disputed",
        required=True,
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    description = fields.Text("In the customer's words")
    attachment_ids = fields.Many2many("ir.attachment", string="Documents")
    user_id = fields.Many2one(
        "res.users", string="Owner", tracking=True, default=lambda self: self.env.user
    )
    source = fields.Selection(SOURCES, required=True, default="collector", readonly=True)
    opened_on = fields.Date(
        "Opened on", required=True, readonly=True, default=fields.Date.context_today, index=True
    )
    deadline = fields.Date(
        "Answer by",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: fields.Date.context_today(self)
        + timedelta(days=self.env.company.followup_dispute_days or 30),
    )
    state = fields.Selection(
        DISPUTE_STATES, default="open", required=True, index=True, tracking=True, copy=False
    )
    closed_on = fields.Date("Closed on", readonly=True, copy=False, index=True)
    outcome_note = fields.Text(
        "Explanation to the customer",
        help="Sent to the customer with the outcome (required to reject the dispute).",
    )
    credit_note_ids = fields.Many2many(
        "account.move",
        "payment_followup_dispute_credit_rel",
        "dispute_id",
        "move_id",
        string="Credit notes",
        readonly=True,
        copy=False,
    )
    event_ids = fields.One2many("payment.followup.event", "dispute_id", string="History")
    deadline_flagged = fields.Boolean("Owner told of the deadline", readonly=True, copy=False)
    past_deadline = fields.Boolean("Past its deadline", compute="_compute_past_deadline")

    @api.depends("line_ids.move_id", "company_id")
    def _compute_currency_id(self):
        """The invoices' currency (a case opened on the form gets it from its
        lines), else the company's."""
        for case in self:
            case.currency_id = case.line_ids.move_id.currency_id[:1] or (
                case.currency_id or case.company_id.currency_id
            )

    @api.depends("line_ids.move_id")
    def _compute_invoice_ids(self):
        for case in self:
            case.invoice_ids = case.line_ids.move_id

    def _search_invoice_ids(self, operator, value):
        return [("line_ids.move_id", operator, value)]

    @api.depends("line_ids.amount")
    def _compute_amount_disputed(self):
        for case in self:
            case.amount_disputed = sum(case.line_ids.mapped("amount"))

    @api.depends("deadline", "state")
    def _compute_past_deadline(self):
        today = fields.Date.context_today(self)
        for case in self:
            case.past_deadline = case.state == "open" and case.deadline < today

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "/"
        cases = super().create(vals_list)
        cases._check_disputable()
        cases.line_ids.move_id._followup_sync_disputes()
        # whoever opens it (the portal, a wizard, the form), its owner is told
        for case in cases:
            case._open_todo()
        return cases

    # ------------------------------------------------------------------
    # what may be disputed
    # ------------------------------------------------------------------
    def _check_disputable(self):
        """Refuse what cannot be a case, in words the customer understands
        too: an invoice already under review, one in a payment plan or with
        the legal department (``_followup_not_disputable``)."""
        for case in self:
            moves = case.line_ids.move_id
            if not moves:
                raise ValidationError(self.env._("Choose at least one invoice."))
            others = self.search(
                [("id", "!=", case.id), ("state", "=", "open"), ("invoice_ids", "in", moves.ids)]
            )
            for other in others:
                raise ValidationError(
                    self.env._(
                        "%(invoices)s is already under review in case %(case)s: we will come "
                        "back to you on it.",
                        invoices=", ".join((other.invoice_ids & moves).mapped("name")),
                        case=other.name,
                    )
                )
            refused = moves._followup_not_disputable()
            if refused:
                raise ValidationError(" ".join(refused.values()))

    # ------------------------------------------------------------------
    # opening a case (the collector's form, the portal, a reply)
    # ------------------------------------------------------------------
    @api.model
    def _prepare_case_vals(self, partner, company, amounts, reason, **extra):
        """A case's values: ``amounts`` is {invoice: disputed amount or None
        for its whole open amount}. The amounts are checked (more than zero,
        at most the open amount) by the lines, in the invoices' currency."""
        # each amount is checked by its line (more than zero, at most open)
        lines = [
            Command.create(
                {"move_id": move.id, "amount": move.amount_residual if amount is None else amount}
            )
            for move, amount in amounts.items()
        ]
        moves = self.env["account.move"].union(*amounts)
        if len(moves.currency_id) > 1:
            raise UserError(self.env._("Please choose invoices in one currency at a time."))
        today = fields.Date.context_today(self)
        days = extra.pop("days", None) or company.followup_dispute_days or 30
        return {
            "partner_id": partner.commercial_partner_id.id,
            "company_id": company.id,
            "currency_id": moves.currency_id.id,
            "reason_id": reason.id,
            "line_ids": lines,
            "opened_on": today,
            "deadline": today + timedelta(days=days),
            "user_id": self.env["payment.followup.team"]
            .with_company(company)
            ._responsible(partner)
            .id,
            **extra,
        }

    def _open_todo(self):
        """The owner's to-do to settle the case, due within three days."""
        self.ensure_one()
        team = self.env["payment.followup.team"]
        today = fields.Date.context_today(self)
        return team._todo_activities(
            self,
            lambda case: self.env._(
                "Settle the dispute with %(customer)s (%(invoices)s)",
                customer=case.partner_id.display_name,
                invoices=", ".join(case.invoice_ids.mapped("name")),
            ),
            lambda case: case.user_id or self.env.user,
            min(self.deadline, today + timedelta(days=3)),
            "dispute",
        )

    # ------------------------------------------------------------------
    # the invoices' amounts under review
    # ------------------------------------------------------------------
    def _hold_reason(self):
        self.ensure_one()
        return self.env._("Dispute %(case)s", case=self.name)

    def _lift_holds(self):
        """Release the holds the closed cases put on their invoices."""
        for case in self:
            held = case.invoice_ids.filtered(
                lambda m, c=case: m.followup_hold_until == HOLD_OPEN_ENDED
                and m.followup_hold_reason == c._hold_reason()
            )
            held._followup_hold(False)

    def action_open_invoices(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Invoices"),
            "res_model": "account.move",
            "view_mode": "list,form",
            "domain": [("id", "in", self.invoice_ids.ids)],
        }

    def _deadline_label(self):
        self.ensure_one()
        return format_date(self.env, self.deadline)


class PaymentFollowupDisputeLine(models.Model):
    """One invoice of a dispute case and the amount disputed on it."""

    _name = "payment.followup.dispute.line"
    _description = "Disputed invoice"
    _inherit = "payment.followup.number.mixin"

    dispute_id = fields.Many2one(
        "payment.followup.dispute", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="dispute_id.company_id", store=True)
    move_id = fields.Many2one(
        "account.move", string="Invoice", required=True, index=True, ondelete="restrict"
    )
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount = fields.Monetary("Disputed amount", required=True)
    amount_open = fields.Monetary("Open amount", related="move_id.amount_residual")
    state = fields.Selection(related="dispute_id.state", store=True)

    @api.constrains("amount", "move_id")
    def _check_amount(self):
        for line in self.filtered(lambda ln: ln.state == "open"):
            currency = line.currency_id
            if currency.compare_amounts(line.amount, 0) <= 0:
                raise ValidationError(self.env._("The disputed amount must be more than zero."))
            if currency.compare_amounts(line.amount, line.move_id.amount_residual) > 0:
                raise ValidationError(
                    self.env._(
                        "The disputed amount of %(invoice)s (%(amount)s) is more than its open "
                        "amount, %(open)s.",
                        invoice=line.move_id.name,
                        amount=currency.format(line.amount),
                        open=currency.format(line.move_id.amount_residual),
                    )
                )

    def write(self, vals):
        moves = self.move_id
        result = super().write(vals)
        if {"amount", "move_id"} & set(vals):
            (moves | self.move_id)._followup_sync_disputes()
        return result
