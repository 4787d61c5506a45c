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
        amount_residual): two queries for the whole set, none per invoice."""
        if not rows:
            return {}, []
        digits = {
            currency.id: currency.decimal_places
            for currency in self.env["res.currency"].browse({row["currency_id"] for row in rows})
        }
        by_id = {row["id"]: row for row in rows}

        def opened(row):
            return OpenInvoice(
                id=row["id"],
                partner_id=row["commercial_partner_id"],
                number=row["name"] or "",
                payment_reference=row["payment_reference"] or "",
                currency_id=row["currency_id"],
                residual=to_minor(row["amount_residual"], digits[row["currency_id"]]),
            )

        since = company._followup_working_day_before(today, company.followup_evidence_days)
        pending = {"transaction": [], "reply": []}
        for kind, invoice_id, source_id, day in self._followup_pending_evidence(
            tuple(by_id), since
        ):
            inv = opened(by_id[invoice_id])
            pending[kind].append(
                Evidence(invoice_id, kind, source_id, inv.residual, inv.currency_id, day)
            )
        bank_lines = self._followup_bank_lines(company, tuple(digits))
        lines, ambiguities = (
            match_statement_lines(bank_lines, [opened(row) for row in rows])
            if bank_lines
            else ([], [])
        )
        found = merge(pending["transaction"], lines, pending["reply"])
        held = set(found)
        return found, [amb for amb in ambiguities if not held & set(amb.invoice_ids)]

    @api.model
    def _followup_pending_evidence(self, invoice_ids, since):
        """[(kind, invoice id, source id, its day)] in one query: the pending or
        authorized payment transactions of the invoices ("transaction") and
        the customer's replies saying they are paid ("reply"), since
        ``since``, oldest first."""
        self.env["payment.transaction"].flush_model(["state", "invoice_ids"])
        self.env["payment.followup.event"].flush_model(["date"])
        self.flush_model(["followup_paid_reply_ids"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT 'transaction', rel.invoice_id, t.id, t.create_date
                  FROM account_invoice_transaction_rel rel
                  JOIN payment_transaction t ON t.id = rel.transaction_id
                 WHERE rel.invoice_id IN %(invoices)s
                   AND t.state IN ('pending', 'authorized')
                   AND t.create_date >= %(since)s
             UNION ALL
                SELECT 'reply', rel.move_id, e.id, e.date
                  FROM payment_followup_event_paid_move_rel rel
                  JOIN payment_followup_event e ON e.id = rel.event_id
                 WHERE rel.move_id IN %(invoices)s AND e.date >= %(since)s
              ORDER BY 4, 3
                """,
                invoices=invoice_ids,
                since=since,
            )
        )
        return [(kind, move_id, source, moment.date()) for kind, move_id, source, moment in rows]

    @api.model
    def _followup_bank_lines(self, company, currency_ids):
        """The company's unreconciled incoming bank statement lines in the
        invoices' currencies, with the customer their partner or their bank
        account names (``BankLine``)."""
        self.env["account.bank.statement.line"].flush_model()
        self.env["res.partner.bank"].flush_model(["sanitized_acc_number", "partner_id", "active"])
        self.env["res.partner"].flush_model(["commercial_partner_id"])
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
