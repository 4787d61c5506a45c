from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ...engine.evidence import BankLine, Evidence, OpenInvoice, match_statement_lines, merge
from ...engine.money import to_minor


class AccountMove(models.Model):
    """Payment on its way: the one home of the rule (see ``engine.evidence``).

    An open invoice is *on its way* when a payment transaction of it is pending
    or authorized (for the company's working days to wait), when an unreconciled
    bank statement line matches it, or when the customer replied that it was
    paid (for the same days). The decision reads it set-wise before every
    demand; the invoice is then thanked for, not demanded, and does not climb.
    """

    _inherit = "account.move"

    followup_paid_reply_ids = fields.Many2many(
        "payment.followup.event",
        "payment_followup_event_paid_move_rel",
        "move_id",
        "event_id",
        string="Replies saying it is paid",
        copy=False,
        readonly=True,
    )

    def _followup_payment_evidence(self, today):
        """(evidence {invoice id: ``Evidence``}, ambiguities) for the open
        invoices of ``self`` (one company), on the company's day ``today``."""
        invoices = self.filtered(lambda m: m._followup_is_open())
        rows = [
            {
                "id": move.id,
                "commercial_partner_id": move.commercial_partner_id.id,
                "name": move.name,
                "payment_reference": move.payment_reference,
                "currency_id": move.currency_id.id,
                "amount_residual": move.amount_residual,
            }
            for move in invoices
        ]
        return self._followup_evidence_of_rows(invoices.company_id[:1], rows, today)

    @api.model
    def _followup_evidence_of_rows(self, company, rows, today):
        """The same for open invoices already read (the decision's rows: id,
        commercial_partner_id, name, payment_reference, currency_id,
        amount_residual): three queries for the whole set, none per invoice."""
        if not rows:
            return {}, []
        digits = {
            currency.id: currency.decimal_places
            for currency in self.env["res.currency"].browse({row["currency_id"] for row in rows})
        }
        opened = [
            OpenInvoice(
                id=row["id"],
                partner_id=row["commercial_partner_id"],
                number=row["name"] or "",
                payment_reference=row["payment_reference"] or "",
                currency_id=row["currency_id"],
                residual=to_minor(row["amount_residual"], digits[row["currency_id"]]),
            )
            for row in rows
        ]
        ids = tuple(inv.id for inv in opened)
        since = company._followup_working_day_before(today, company.followup_evidence_days)
        residual = {inv.id: inv.residual for inv in opened}
        currency = {inv.id: inv.currency_id for inv in opened}
        transactions = [
            Evidence(
                invoice_id,
                "transaction",
                tx_id,
                residual[invoice_id],
                currency[invoice_id],
                day,
            )
            for invoice_id, tx_id, day in self._followup_pending_transactions(ids, since)
        ]
        lines, ambiguities = match_statement_lines(
            self._followup_bank_lines(company, tuple(digits)), opened
        )
        replies = [
            Evidence(invoice_id, "reply", event_id, residual[invoice_id], currency[invoice_id], day)
            for invoice_id, event_id, day in self._followup_paid_replies(ids, since)
        ]
        found = merge(transactions, lines, replies)
        held = set(found)
        return found, [amb for amb in ambiguities if not held & set(amb.invoice_ids)]

    @api.model
    def _followup_pending_transactions(self, invoice_ids, since):
        """[(invoice id, transaction id, its day)]: the pending or authorized
        payment transactions of ``invoices`` created on ``since`` or later."""
        self.env["payment.transaction"].flush_model(["state", "invoice_ids"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.invoice_id, t.id, t.create_date
                  FROM account_invoice_transaction_rel rel
                  JOIN payment_transaction t ON t.id = rel.transaction_id
                 WHERE rel.invoice_id IN %(invoices)s
                   AND t.state IN ('pending', 'authorized')
                   AND t.create_date >= %(since)s
              ORDER BY t.create_date, t.id
                """,
                invoices=invoice_ids,
                since=since,
            )
        )
        return [(invoice_id, tx_id, created.date()) for invoice_id, tx_id, created in rows]

    @api.model
    def _followup_bank_lines(self, company, currency_ids):
        """The company's unreconciled incoming bank statement lines in the
        invoices' currencies, with the customer their partner or their bank
        account names (``BankLine``)."""
        self.env["account.bank.statement.line"].flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT l.id, m.date, CONCAT_WS(' ', l.payment_ref, m.ref),
                       COALESCE(p.commercial_partner_id, (
                           SELECT MIN(bp.commercial_partner_id)
                             FROM res_partner_bank b
                             JOIN res_partner bp ON bp.id = b.partner_id
                            WHERE b.active
                              AND b.sanitized_acc_number = UPPER(
                                  REGEXP_REPLACE(l.account_number, '[^[:alnum:]]+', '', 'g'))
                       )),
                       COALESCE(l.foreign_currency_id, l.currency_id),
                       CASE WHEN l.foreign_currency_id IS NOT NULL
                            THEN l.amount_currency ELSE l.amount END,
                       cur.decimal_places
                  FROM account_bank_statement_line l
                  JOIN account_move m ON m.id = l.move_id
                  JOIN res_currency cur ON cur.id = COALESCE(l.foreign_currency_id, l.currency_id)
             LEFT JOIN res_partner p ON p.id = l.partner_id
                 WHERE l.company_id = %(company)s
                   AND NOT l.is_reconciled
                   AND m.state = 'posted'
                   AND COALESCE(l.foreign_currency_id, l.currency_id) IN %(currencies)s
                   AND (CASE WHEN l.foreign_currency_id IS NOT NULL
                             THEN l.amount_currency ELSE l.amount END) > 0
                """,
                company=company.id,
                currencies=currency_ids,
            )
        )
        return [
            BankLine(line_id, day, label or "", partner_id, currency_id, to_minor(amount, digits))
            for line_id, day, label, partner_id, currency_id, amount, digits in rows
        ]

    @api.model
    def _followup_paid_replies(self, invoice_ids, since):
        """[(invoice id, reply event id, its day)]: the customer's replies
        saying these invoices are paid, received on ``since`` or later."""
        self.env["payment.followup.event"].flush_model(["date"])
        self.flush_model(["followup_paid_reply_ids"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT rel.move_id, e.id, e.date
                  FROM payment_followup_event_paid_move_rel rel
                  JOIN payment_followup_event e ON e.id = rel.event_id
                 WHERE rel.move_id IN %(invoices)s AND e.date >= %(since)s
              ORDER BY e.date, e.id
                """,
                invoices=invoice_ids,
                since=since,
            )
        )
        return [(move_id, event_id, moment.date()) for move_id, event_id, moment in rows]

    def _followup_evidence_label(self, evidence, env=None):
        """What a person reads of one piece of evidence: "a payment of €X
        started online on 4 Dec 2026 (not confirmed yet)"..."""
        self.ensure_one()
        env = env or self.env
        _ = env._
        currency = self.env["res.currency"].browse(evidence.currency_id)
        amount = currency.format(evidence.amount / 10**currency.decimal_places)
        day = format_date(env, evidence.day)
        if evidence.kind == "transaction":
            return _(
                "a payment of %(amount)s started online on %(date)s (not confirmed yet)",
                amount=amount,
                date=day,
            )
        if evidence.kind == "statement":
            return _(
                "a bank statement line of %(amount)s on %(date)s, not reconciled yet",
                amount=amount,
                date=day,
            )
        return _("the customer's reply of %(date)s saying it is paid", date=day)
