from datetime import timedelta

from odoo import api, fields, models


class PaymentFollowupPromiseWizard(models.TransientModel):
    """Extend a deadline or record a promise to pay: follow-up waits until the
    date, then checks that the money came in."""

    _name = "payment.followup.promise.wizard"
    _inherit = "payment.followup.invoice.mixin"
    _description = "Extend deadline / record promise"

    kind = fields.Selection(
        [("promise", "Promise to pay"), ("extension", "Extended deadline")],
        default="promise",
        required=True,
    )
    promised_date = fields.Date(
        "Pay by",
        required=True,
        default=lambda self: fields.Date.context_today(self) + timedelta(days=7),
    )
    amount = fields.Monetary(compute="_compute_amount", store=True, readonly=False)
    promised_by_id = fields.Many2one(
        "res.partner",
        string="Promised by",
        domain="[('commercial_partner_id', '=', partner_id)]",
    )
    note = fields.Text()

    # an amount the customer's reply stated, in its currency (the wizard
    # opened from the reply)
    stated_amount = fields.Float(readonly=True)
    stated_currency_id = fields.Many2one("res.currency", readonly=True)

    @api.model
    def default_get(self, fields_list):
        """From a reply that states an amount: only the invoices that amount
        covers, oldest first (all when it covers the whole debt)."""
        vals = super().default_get(fields_list)
        stated = self.env.context.get("default_stated_amount")
        commands = vals.get("invoice_ids")
        if stated and commands:
            invoices = self.env["account.move"].browse(commands[0][2])
            currency = self.env["res.currency"].browse(
                self.env.context.get("default_stated_currency_id")
            )
            if not currency or invoices.currency_id == currency:
                covered, total = self.env["account.move"], 0.0
                for move in invoices.sorted(lambda m: (m.invoice_date_due, m.id)):
                    if total >= stated:
                        break
                    covered |= move
                    total += move.amount_residual
                vals["invoice_ids"] = [fields.Command.set(covered.ids)]
        return vals

    @api.depends("invoice_ids")
    def _compute_amount(self):
        for wizard in self:
            owed = sum(wizard.invoice_ids.mapped("amount_residual"))
            stated = wizard.stated_amount
            same = not wizard.stated_currency_id or wizard.stated_currency_id == wizard.currency_id
            wizard.amount = stated if stated and same and stated <= owed else owed

    def _validate(self):
        self.ensure_one()
        self._check_invoices()
        self.env["payment.followup.promise"]._check_terms(
            self.partner_id,
            self.company_id,
            self.currency_id,
            self.promised_date,
            self.amount,
            self.amount_owed,
        )

    def _prepare_promise_vals(self):
        self.ensure_one()
        return {
            "partner_id": self.partner_id.commercial_partner_id.id,
            "company_id": self.company_id.id,
            "currency_id": self.currency_id.id,
            "invoice_ids": [fields.Command.set(self.invoice_ids.ids)],
            "kind": self.kind,
            "promised_date": self.promised_date,
            "amount": self.amount,
            "amount_owed": self.amount_owed,
            "promised_by_id": self.promised_by_id.id,
            "note": self.note,
        }

    def action_confirm(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        self._validate()
        promise = self._apply()
        return {
            "type": "ir.actions.act_window",
            "res_model": promise._name,
            "res_id": promise.id,
            "view_mode": "form",
            "target": "current",
        }

    def _apply(self):
        """Record the promise (validated) and hold its invoices until the date;
        also used by the customer's page. A running promise on any of these
        invoices is replaced by this one (one running promise per invoice)."""
        earlier = self.env["payment.followup.promise"].search(
            [("state", "=", "open"), ("invoice_ids", "in", self.invoice_ids.ids)]
        )
        if earlier:
            earlier.write({"state": "cancelled", "date_done": fields.Date.context_today(self)})
            earlier._log(self.env._("Replaced by a new promise"))
        promise = self.env["payment.followup.promise"].create(self._prepare_promise_vals())
        promise._hold_invoices()
        promise._log(
            self.env._(
                "%(promise)s%(by)s; follow-up waits until then",
                promise=promise._hold_reason(),
                by=self.env._(" (%(who)s)", who=self.promised_by_id.name)
                if self.promised_by_id
                else "",
            ),
            note=self.note,
        )
        self.env["payment.followup.expected"].sudo()._refresh_for(promise.invoice_ids)
        return promise
