from odoo import api, fields, models
from odoo.exceptions import UserError


class PaymentFollowupInvoiceMixin(models.AbstractModel):
    """What the plan, promise and delay-reason wizards share: one customer, some
    of its open invoices, and where the wizard was opened from (a customer,
    selected invoices or a follow-up event). Invoices on hold are offered too,
    with why they wait: a plan may replace a promise, a dispute may concern a
    promised invoice."""

    _name = "payment.followup.invoice.mixin"
    _description = "Follow-up wizard on a customer's open invoices"
    _inherit = ["payment.followup.number.mixin"]

    partner_id = fields.Many2one("res.partner", string="Customer", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        domain="[('commercial_partner_id', '=', partner_id), ('company_id', '=', company_id),"
        " ('move_type', '=', 'out_invoice'), ('state', '=', 'posted'),"
        " ('payment_state', 'in', ('not_paid', 'partial'))]",
    )
    event_id = fields.Many2one("payment.followup.event", string="From follow-up", readonly=True)
    currency_id = fields.Many2one("res.currency", compute="_compute_amount_owed")
    amount_owed = fields.Monetary("Still owed", compute="_compute_amount_owed")
    held_note = fields.Char(compute="_compute_amount_owed")

    # an invoice under an active plan cannot be chosen again (see _check_invoices)
    _offer_planned = False
    # an invoice under review in a dispute case is not planned nor promised
    _offer_disputed = False

    @api.depends("invoice_ids", "company_id")
    def _compute_amount_owed(self):
        for wizard in self:
            invoices = wizard.invoice_ids
            wizard.currency_id = invoices.currency_id[:1] or wizard.company_id.currency_id
            wizard.amount_owed = sum(invoices.mapped("amount_residual"))
            held = invoices.filtered("followup_held_why")
            wizard.held_note = (
                self.env._(
                    "Some invoices wait: %(list)s",
                    list="; ".join(f"{m.name}: {m.followup_held_why}" for m in held),
                )
                if held
                else False
            )

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        model = self.env.context.get("active_model")
        ids = self.env.context.get("active_ids") or []
        if model not in ("account.move", "res.partner", "payment.followup.event") or not ids:
            return vals
        self.env["payment.followup.team"]._check_user()
        Move = self.env["account.move"]
        records = self.env[model].browse(ids)
        event = records if model == "payment.followup.event" else self.env[model]
        if model == "account.move":
            invoices, partners = records, records.commercial_partner_id
        elif model == "payment.followup.event":
            invoices, partners = records.reminder_invoice_ids, records.partner_id
        else:
            partners = records.commercial_partner_id
            if len(partners) > 1:
                raise UserError(self.env._("Select one customer at a time."))
            # every overdue invoice, on hold or not: the wizard says why one waits
            invoices = Move.search(
                Move._followup_open_domain(self.env.company)
                + [("commercial_partner_id", "=", partners.id)],
                order="invoice_date_due, id",
            )._followup_overdue()
        if len(partners) > 1:
            raise UserError(
                self.env._(
                    "The selection holds several customers (%(customers)s): one customer at "
                    "a time.",
                    customers=", ".join(partners.mapped("display_name")),
                )
            )
        vals["partner_id"] = partners.id
        if len(invoices.company_id) > 1:
            raise UserError(self.env._("The invoices belong to several companies: one at a time."))
        offered = invoices.filtered(
            lambda m: m._followup_is_open()
            and (self._offer_planned or m.followup_plan_id.state != "active")
        )
        vals["invoice_ids"] = [fields.Command.set(offered.ids)]
        vals["company_id"] = (invoices.company_id or self.env.company).id
        if len(event) == 1:
            vals["event_id"] = event.id
        return vals

    def _check_invoices(self):
        """Refuse invoices that are not open invoices of this customer, of one
        company and currency, or that are under an active plan."""
        self.ensure_one()
        self.invoice_ids._followup_check_plannable(
            self.partner_id, disputed_ok=self._offer_disputed
        )
        if self.invoice_ids.company_id != self.company_id:
            raise UserError(self.env._("The invoices belong to another company."))
