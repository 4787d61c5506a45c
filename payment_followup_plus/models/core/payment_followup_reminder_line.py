import ast

import babel
import babel.dates
from werkzeug.urls import url_encode

from odoo import api, fields, models
from odoo.tools import float_round
from odoo.tools.misc import posix_to_ldml

from odoo.addons.base.models.res_lang import intersperse

NO_BREAK_SPACE = "\N{NO-BREAK SPACE}"


class _Formats:
    """Amounts and dates as Odoo's ``formatLang`` and ``format_date`` write them
    in one language, with the language's settings read once (not per value)."""

    def __init__(self, env, code):
        data = env["res.lang"]._get_data(code=code) or env["res.lang"]._get_data(code="en_US")
        self.grouping = ast.literal_eval(data.grouping)
        self.thousands_sep = data.thousands_sep or ""
        self.decimal_point = data.decimal_point
        locale = babel.Locale.parse(data.code)
        self.locale = locale
        self.date_format = posix_to_ldml(data.date_format, locale=locale)
        self.dates = {}  # a batch's invoices share few due dates: each written once
        self.symbols = {}  # and few currencies: each sign read once

    def money(self, value, currency):
        digits = currency.decimal_places
        parts = ("%.*f" % (digits, float_round(value, precision_digits=digits))).split(".")
        parts[0] = intersperse(parts[0], self.grouping, self.thousands_sep)[0]
        number = self.decimal_point.join(parts)
        if not currency.symbol:
            return number
        # a symbol another active currency shares gives way to the code
        if currency not in self.symbols:
            self.symbols[currency] = currency._followup_symbol()
        symbol = self.symbols[currency]
        if currency.position == "after":
            return f"{number}{NO_BREAK_SPACE}{symbol}"
        return f"{symbol}{NO_BREAK_SPACE}{number}"

    def date(self, value):
        if value not in self.dates:
            self.dates[value] = babel.dates.format_date(
                value, format=self.date_format, locale=self.locale
            )
        return self.dates[value]


SECTIONS = [
    ("main", "Reminded"),
    ("overdue", "Also overdue"),
    ("due_soon", "Due soon"),
    ("on_its_way", "Payment on its way"),
]


class PaymentFollowupReminderLine(models.Model):
    """One invoice of a reminder, as the reminder states it: the figures are
    kept as they were when the reminder was prepared, so the email, the letter
    and the history say the same thing."""

    _name = "payment.followup.reminder.line"
    _description = "Invoice of a payment reminder"
    _order = "reminder_id, sequence, id"
    # a snapshot written once with its reminder, which keeps who and when
    _log_access = False

    reminder_id = fields.Many2one(
        "payment.followup.reminder", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True)
    section = fields.Selection(SECTIONS, required=True, default="main")
    level_id = fields.Many2one(
        "payment.followup.level",
        string="Level reached",
        help="The level this invoice reaches once the reminder is delivered.",
    )
    previous_level_id = fields.Many2one(
        "payment.followup.level",
        string="Level before",
        help="The invoice's level before this reminder (restored if it bounces).",
    )
    name = fields.Char("Number", required=True)
    payment_reference = fields.Char()
    due_date = fields.Date(required=True)
    days_late = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True)
    amount_residual = fields.Monetary("Open amount", currency_field="currency_id")
    company_currency_id = fields.Many2one(
        related="reminder_id.company_currency_id", string="Company currency"
    )
    amount_company = fields.Monetary(
        "Open amount (company currency)", currency_field="company_currency_id"
    )
    # the part under review in a dispute case when it was prepared: not demanded
    amount_disputed = fields.Monetary("Under dispute", currency_field="currency_id")
    dispute_ref = fields.Char("Dispute case")
    last_reminded = fields.Date("Reminded before on")
    partner_bank_id = fields.Many2one("res.partner.bank", string="Pay to")
    # as the customer reads them, in the reminder's language (computed set-wise,
    # so the documents print plain text instead of formatting line by line)
    amount_text = fields.Char(compute="_compute_texts")
    due_date_text = fields.Char(compute="_compute_texts")
    dispute_text = fields.Char("Dispute", compute="_compute_texts")
    portal_link = fields.Char(compute="_compute_texts")

    @api.depends("amount_residual", "amount_disputed", "due_date", "reminder_id.lang")
    def _compute_texts(self):
        formats = {}
        for line in self:
            lang = line.reminder_id.lang or self.env.lang or "en_US"
            if lang not in formats:
                formats[lang] = _Formats(self.env, lang)
            line.amount_text = formats[lang].money(line.amount_residual, line.currency_id)
            line.due_date_text = formats[lang].date(line.due_date)
            line.dispute_text = False
            if line.currency_id.compare_amounts(line.amount_disputed, 0) > 0:
                line.dispute_text = self.with_context(lang=lang).env._(
                    "of %(total)s; %(disputed)s under review, case %(case)s",
                    total=formats[lang].money(
                        line.amount_residual + line.amount_disputed, line.currency_id
                    ),
                    disputed=formats[lang].money(line.amount_disputed, line.currency_id),
                    case=line.dispute_ref or "",
                )
            move = line.move_id
            line.portal_link = "%s?%s" % (
                move.access_url,
                url_encode({"access_token": move.access_token}) if move.access_token else "",
            )
