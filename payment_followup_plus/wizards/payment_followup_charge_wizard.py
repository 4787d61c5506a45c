from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date, formatLang

from ..engine.money import to_major


class PaymentFollowupChargeWizard(models.TransientModel):
    """Late-payment charges on a customer: the statement of interest and
    compensation per invoice (which rates, how many days) comes first; a
    confirmation makes a draft invoice that a person checks and posts."""

    _name = "payment.followup.charge.wizard"
    _description = "Late-payment charges"

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, default=lambda self: self.env.company
    )
    date = fields.Date(
        "Calculated up to", required=True, default=lambda self: fields.Date.context_today(self)
    )
    line_ids = fields.One2many(
        "payment.followup.charge.wizard.line",
        "wizard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=True,
    )
    jurisdiction = fields.Char("Rules", compute="_compute_line_ids", store=True)

    @api.model
    def default_get(self, fields_list):
        vals = super().default_get(fields_list)
        if self.env.context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(self.env.context.get("active_id"))
            vals["partner_id"] = partner.commercial_partner_id.id
        return vals

    def _late_invoices(self):
        Move = self.env["account.move"]
        return Move.search(
            Move._followup_open_domain(self.company_id)
            + [
                ("commercial_partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("invoice_date_due", "<", self.date),
            ],
            order="invoice_date_due, id",
        )

    def _disputed(self, invoices):
        """The invoices with an amount under review in an open dispute case:
        never charged while it runs."""
        return invoices.filtered(lambda m: m.followup_disputed)

    @api.depends("partner_id", "company_id", "date")
    def _compute_line_ids(self):
        Legal = self.env["payment.followup.legal"]
        for wizard in self:
            commands = [fields.Command.clear()]
            wizard.jurisdiction = False
            if wizard.partner_id and wizard.date:
                if wizard.date > fields.Date.context_today(wizard):
                    raise UserError(
                        self.env._(
                            "Charges are calculated up to today at the latest: interest for "
                            "days to come is not owed yet."
                        )
                    )
                invoices = wizard._late_invoices()
                rates = self.env["payment.followup.legal.rate"]._engine_rates(wizard.company_id)
                disputed = wizard._disputed(invoices)
                charged = Legal._charged_until(invoices)
                reminded = Legal._consumer_starts(invoices, wizard.date)
                labels = dict(
                    self.env["res.partner"]
                    ._fields["followup_jurisdiction"]
                    ._description_selection(self.env)
                )
                wizard.jurisdiction = labels.get(
                    Legal._jurisdiction(wizard.partner_id, wizard.company_id)
                )
                for invoice in invoices:
                    commands.append(
                        fields.Command.create(
                            wizard._prepare_line_vals(invoice, disputed, charged, rates, reminded)
                        )
                    )
            wizard.line_ids = commands

    def _prepare_line_vals(self, invoice, disputed, charged, rates=None, reminded=None):
        vals = {"invoice_id": invoice.id, "currency_id": invoice.currency_id.id}
        if invoice in disputed:
            return dict(vals, skip=self.env._("Under dispute: not charged"))
        Legal = self.env["payment.followup.legal"]
        start = Legal._next_start(charged, invoice)
        if start and start > self.date:
            return dict(vals, skip=self.env._("Already charged up to this date"))
        notes = []
        if reminded is None:
            reminded = Legal._consumer_starts(invoice, self.date)
        if Legal._waits_for_reminder(invoice):
            start_at = reminded.get(invoice.id)
            if not start_at or start_at > self.date:
                return dict(vals, skip=self.env._("Not reminded yet: a consumer owes no interest"))
            notes.append(
                self.env._(
                    "Interest from the day after our reminder of %(date)s",
                    date=format_date(self.env, start_at - timedelta(days=1)),
                )
            )
        comp_done = charged.get(invoice.id, (None, False))[1]
        result, fixed = Legal._compute(invoice, self.date, start, not comp_done, rates, reminded)
        currency = invoice.currency_id
        for p in result.periods:
            args = {
                "start": format_date(self.env, p.start),
                "end": format_date(self.env, p.end),
                "days": p.days,
                "rate": formatLang(self.env, float(p.rate), digits=2),
                "amount": currency.format(to_major(p.principal, currency.decimal_places)),
            }
            if p.days == 1:
                notes.append(self.env._("%(start)s: 1 day at %(rate)s%% on %(amount)s", **args))
            else:
                notes.append(
                    self.env._(
                        "%(start)s to %(end)s: %(days)s days at %(rate)s%% on %(amount)s", **args
                    )
                )
        detail = "\n".join(notes)
        return dict(
            vals,
            date_from=result.periods[0].start if result.periods else start,
            days=sum(p.days for p in result.periods),
            detail=detail,
            interest=to_major(result.amount, currency.decimal_places),
            compensation=fixed,
        )

    def action_confirm(self):
        """A draft invoice per currency, one line per invoice's interest and one
        per compensation; nothing is posted."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        # the figures of now, not of when the form opened, and the words in the
        # customer's language: they are printed on its invoice
        lang = self.partner_id._followup_lang(self.env.lang)
        customer = self.with_context(lang=lang)
        customer._compute_line_ids()
        lines = customer.line_ids.filtered(
            lambda ln: not ln.skip
            and not (
                ln.currency_id.is_zero(ln.interest) and ln.currency_id.is_zero(ln.compensation)
            )
        )
        if not lines:
            raise UserError(self.env._("There is nothing to charge up to this date."))
        moves = self.env["account.move"]
        for currency in lines.currency_id:
            moves |= customer._create_charge_invoice(
                lines.filtered(lambda ln, c=currency: ln.currency_id == c)
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "view_mode": "list,form" if len(moves) > 1 else "form",
            "res_id": moves.id if len(moves) == 1 else False,
            "domain": [("id", "in", moves.ids)],
            "name": self.env._("Late-payment charges"),
        }

    def _create_charge_invoice(self, lines):
        partner = self.partner_id.commercial_partner_id
        invoice_lines = []
        for line in lines:
            name = line.invoice_id.name
            if not line.currency_id.is_zero(line.interest):
                detail = (line.detail or "").strip()
                if "\n" not in detail:
                    # one rate: its line already says the days (the period once)
                    label = self.env._(
                        "Late-payment interest on %(invoice)s: %(detail)s",
                        invoice=name,
                        detail=detail,
                    )
                else:
                    label = "%s\n%s" % (
                        self.env._(
                            "Late-payment interest on %(invoice)s, %(start)s to %(end)s",
                            invoice=name,
                            start=format_date(self.env, line.date_from),
                            end=format_date(self.env, self.date),
                        ),
                        detail,
                    )
                invoice_lines.append((label, line.interest))
            if not line.currency_id.is_zero(line.compensation):
                invoice_lines.append(
                    (
                        self.env._(
                            "Fixed compensation for the late payment of %(invoice)s", invoice=name
                        ),
                        line.compensation,
                    )
                )
        move = self.env["payment.followup.charge"]._invoice(
            partner,
            self.company_id,
            lines.currency_id,
            invoice_lines,
            [
                {
                    "invoice_id": line.invoice_id.id,
                    "date_from": line.date_from,
                    "date_to": self.date,
                    "days": line.days,
                    "detail": line.detail,
                    "interest": line.interest,
                    "compensation": line.compensation,
                }
                for line in lines
            ],
            invoice_origin=", ".join(lines.invoice_id.mapped("name")),
            ref=self.env._("Late-payment charges"),
        )
        return move


class PaymentFollowupChargeWizardLine(models.TransientModel):
    _name = "payment.followup.charge.wizard.line"
    _description = "Late-payment charges: one invoice"

    wizard_id = fields.Many2one("payment.followup.charge.wizard", required=True, ondelete="cascade")
    invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date_from = fields.Date("From", readonly=True)
    days = fields.Integer("Late days", readonly=True)
    detail = fields.Text("Rates and days", readonly=True)
    interest = fields.Monetary(readonly=True)
    compensation = fields.Monetary(readonly=True)
    skip = fields.Char("Not charged", readonly=True)
