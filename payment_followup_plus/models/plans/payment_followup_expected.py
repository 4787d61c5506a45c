from odoo import api, fields, models
from odoo.tools import SQL

from ...engine.forecast import History, expected_payment


class PaymentFollowupExpected(models.AbstractModel):
    """Odoo's side of the expected payment days (``engine/forecast.py``): the
    facts of each open invoice read set-wise, the days written back in one
    statement per batch."""

    _name = "payment.followup.expected"
    _description = "Expected payment of open invoices"

    @api.model
    def _facts(self, company, move_ids=None, missing=False):
        """(invoice id, customer id, due date, active plan's last installment,
        earliest open promise) of the company's open invoices (those of
        ``move_ids``; ``missing``: those without an expected day yet)."""
        Move = self.env["account.move"]
        self.env.flush_all()  # the facts are read in SQL
        only = SQL("AND m.id = ANY(%s)", list(move_ids)) if move_ids is not None else SQL()
        if missing:
            only = SQL("%s AND m.followup_expected_date IS NULL", only)
        return self.env.execute_query(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, m.invoice_date_due,
                       CASE WHEN pl.state = 'active' THEN pl.last_due_date END,
                       (SELECT MIN(pr.promised_date)
                          FROM payment_followup_promise_invoice_rel r
                          JOIN payment_followup_promise pr ON pr.id = r.promise_id
                         WHERE r.move_id = m.id AND pr.state = 'open')
                  FROM account_move m
             LEFT JOIN payment_followup_plan pl ON pl.id = m.followup_plan_id
                 WHERE %(open)s AND m.company_id = %(company)s %(only)s
                """,
                open=Move._followup_open_sql("m"),
                company=company.id,
                only=only,
            )
        )

    @api.model
    def _refresh(self, company, moves=None, missing=False, batch_size=5000):
        """Expected payment of the company's open invoices (or of ``moves``, or
        with ``missing`` of those that have none yet), from each customer's
        payment record of the last 12 months."""
        today = fields.Date.context_today(self.with_company(company))
        facts = self._facts(company, moves.ids if moves is not None else None, missing)
        if not facts:
            return 0
        partners = self.env["res.partner"].browse({row[1] for row in facts})
        records = partners._followup_payment_records(company)
        histories = {
            pid: History(
                paid=rec.invoices,
                avg_days_late=rec.avg_days_late,
                promises_kept=rec.promises_kept,
                promises_broken=rec.promises_broken,
            )
            for pid, rec in records.items()
        }
        blank = History()
        for start in range(0, len(facts), batch_size):
            rows = []
            for move_id, partner_id, due, plan_end, promised in facts[start : start + batch_size]:
                exp = expected_payment(
                    due or today,
                    today,
                    histories.get(partner_id, blank),
                    promised=promised,
                    plan_end=plan_end,
                )
                rows.append((move_id, exp.day, exp.basis, exp.usual_days_late, promised, exp.late))
            self._write(rows)
        return len(facts)

    @api.model
    def _refresh_for(self, moves):
        """At once for ``moves`` whose plan or promise just changed (the daily
        run refreshes the rest)."""
        for company, company_moves in moves.grouped("company_id").items():
            self._refresh(company, company_moves)

    @api.model
    def _write(self, rows):
        if not rows:
            return
        ids, days, bases, usual, promised, late = (list(col) for col in zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """
                UPDATE account_move m
                   SET followup_expected_date = v.day,
                       followup_expected_basis = v.basis,
                       followup_expected_usual = v.usual,
                       followup_expected_promised = v.promised,
                       followup_expected_late = v.late
                  FROM unnest(%s::int[], %s::date[], %s::varchar[], %s::int[], %s::date[],
                              %s::bool[]) AS v(id, day, basis, usual, promised, late)
                 WHERE m.id = v.id
                """,
                ids,
                days,
                bases,
                usual,
                promised,
                late,
            )
        )
        # the stored days and what is computed from them ("Why then")
        self.env["account.move"].invalidate_model()
