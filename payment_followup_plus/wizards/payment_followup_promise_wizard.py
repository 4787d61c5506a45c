from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.installments import InstallmentError
from ..engine.plans import check_promise


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

    @api.depends("invoice_ids")
    def _compute_amount(self):
        for wizard in self:
            wizard.amount = sum(wizard.invoice_ids.mapped("amount_residual"))

    def _validate(self):
        self.ensure_one()
        self._check_invoices()
        try:
            check_promise(
                self.promised_date,
                self._minor(self.amount),
                self._minor(self.amount_owed),
                fields.Date.context_today(self),
                self.company_id.followup_promise_max_days,
            )
        except InstallmentError as err:
            raise UserError(
                self.env["payment.followup.plan"]._engine_error_message(err, self.currency_id)
            ) from err

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
        self._validate()
        promise = self.env["payment.followup.promise"].create(self._prepare_promise_vals())
        label = dict(self._fields["kind"]._description_selection(self.env))[self.kind]
        self.invoice_ids._followup_hold(
            self.promised_date,
            self.env._(
                "%(kind)s: %(amount)s by %(date)s",
                kind=label,
                amount=self.currency_id.format(self.amount),
                date=self.promised_date,
            ),
        )
        promise._log(
            self.env._(
                "%(kind)s: %(amount)s by %(date)s%(by)s; follow-up waits until then",
                kind=label,
                amount=self.currency_id.format(self.amount),
                date=self.promised_date,
                by=self.env._(" (%(who)s)", who=self.promised_by_id.name)
                if self.promised_by_id
                else "",
            ),
            note=self.note,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": promise._name,
            "res_id": promise.id,
            "view_mode": "form",
            "target": "current",
        }
