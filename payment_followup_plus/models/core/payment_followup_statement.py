from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from odoo import api, fields, models

from ...engine.cockpit import aging

PAYMENTS_DAYS = 90


class ReportPaymentFollowupStatement(models.AbstractModel):
    """Statement of account of a customer in the current company: open
    invoices and credit notes, payments received in the last 90 days, the
    balance and its aging, per currency."""

    _name = "report.payment_followup_plus.report_statement"
    _description = "Statement of account"

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids).commercial_partner_id
        company = self.env.company
        return {
            "doc_ids": partners.ids,
            "doc_model": "res.partner",
            "docs": partners,
            "company": company,
            "statements": {p.id: self._statement(p, company) for p in partners},
        }

    @api.model
    def _statement(self, partner, company):
        today = fields.Date.context_today(self)
        items = self.env["account.move"].search(
            [
                ("commercial_partner_id", "=", partner.id),
                ("company_id", "=", company.id),
                ("move_type", "in", ("out_invoice", "out_refund")),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
            ],
            order="invoice_date_due, name",
        )
        payments = self.env["account.move.line"].search(
            [
                ("partner_id", "child_of", partner.id),
                ("company_id", "=", company.id),
                ("account_type", "=", "asset_receivable"),
                ("parent_state", "=", "posted"),
                ("move_id.move_type", "=", "entry"),
                "|",
                ("move_id.origin_payment_id", "!=", False),
                ("move_id.statement_line_id", "!=", False),
                ("credit", ">", 0),
                ("date", ">=", today - timedelta(days=PAYMENTS_DAYS)),
            ],
            order="date desc, id desc",
        )
        by_currency = defaultdict(list)
        for move in items:
            sign = -1 if move.move_type == "out_refund" else 1
            days = (today - move.invoice_date_due).days if move.invoice_date_due else 0
            by_currency[move.currency_id].append((days, Decimal(str(sign * move.amount_residual))))
        currencies = []
        for currency, rows in by_currency.items():
            buckets = {b.bucket: float(b.amount) for b in aging(rows)}
            currencies.append(
                {
                    "currency": currency,
                    "balance": float(sum((amount for _d, amount in rows), Decimal(0))),
                    "buckets": buckets,
                }
            )
        return {
            "today": today,
            "items": [
                {
                    "move": move,
                    "sign": -1 if move.move_type == "out_refund" else 1,
                    # a credit note is owed to the customer: never "late"
                    "days_late": max((today - move.invoice_date_due).days, 0)
                    if move.invoice_date_due and move.move_type == "out_invoice"
                    else 0,
                }
                for move in items
            ],
            "payments": payments,
            "payments_since": today - timedelta(days=PAYMENTS_DAYS),
            "currencies": currencies,
        }
