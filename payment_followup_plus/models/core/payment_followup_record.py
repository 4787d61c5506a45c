from odoo import fields, models
from odoo.tools import SQL


class PaymentFollowupRecord(models.Model):
    """A customer's payment record over the last 12 months, per company, from
    SQL (no window function, so a filter on the customers is pushed down into
    each part of the view instead of aggregating every customer): promises kept and
    broken, plans completed and broken (counted by the plans part), invoices paid and
    due, and the average days late (an invoice still open counts as late until
    today; one paid on time as 0). The rating itself is the engine's
    (``engine.record.rate_record``)."""

    _name = "payment.followup.record"
    _description = "Payment record of a customer"
    _auto = False
    _rec_name = "partner_id"
    _depends = {
        "account.move": [
            "move_type",
            "state",
            "payment_state",
            "invoice_date_due",
            "commercial_partner_id",
            "company_id",
        ],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    promises_kept = fields.Integer(readonly=True)
    promises_broken = fields.Integer(readonly=True)
    plans_completed = fields.Integer(readonly=True)
    plans_broken = fields.Integer(readonly=True)
    invoices_paid = fields.Integer(readonly=True)
    invoices_due = fields.Integer(readonly=True)
    avg_days_late = fields.Float(readonly=True, digits=(16, 1))

    @property
    def _table_query(self):
        since = SQL("((now() AT TIME ZONE 'UTC')::date - INTERVAL '12 months')::date")
        today = SQL("(now() AT TIME ZONE 'UTC')::date")
        return SQL(
            """
            SELECT (x.partner_id::bigint << 20) + x.company_id AS id,
                   x.partner_id, x.company_id,
                   SUM(x.kept)::int AS promises_kept,
                   SUM(x.broken)::int AS promises_broken,
                   SUM(x.completed)::int AS plans_completed,
                   SUM(x.plan_broken)::int AS plans_broken,
                   SUM(x.paid)::int AS invoices_paid,
                   SUM(x.due)::int AS invoices_due,
                   ROUND(SUM(x.late_days)::numeric / NULLIF(SUM(x.due), 0), 1)::float
                       AS avg_days_late
              FROM (
                    SELECT m.commercial_partner_id AS partner_id, m.company_id,
                           0 AS kept, 0 AS broken, 0 AS completed, 0 AS plan_broken,
                           (m.payment_state IN ('paid', 'in_payment'))::int AS paid,
                           1 AS due,
                           GREATEST(0, COALESCE(paid.last_date, %(today)s) - m.invoice_date_due)
                               AS late_days
                      FROM account_move m
                 LEFT JOIN LATERAL (
                           SELECT MAX(apr.max_date) AS last_date
                             FROM account_move_line aml
                             JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                            WHERE aml.move_id = m.id
                           ) paid ON m.payment_state IN ('paid', 'in_payment')
                     WHERE m.move_type = 'out_invoice'
                       AND m.state = 'posted'
                       AND m.payment_state != 'reversed'
                       AND m.invoice_date_due >= %(since)s
                       AND m.invoice_date_due <= %(today)s
                   %(agreements)s
                   ) x
          GROUP BY x.partner_id, x.company_id
            """,
            since=since,
            today=today,
            agreements=SQL(" ").join(self._agreement_rows_sql(since)),
        )

    def _agreement_rows_sql(self, since):
        """Hook: ``UNION ALL SELECT partner_id, company_id, kept, broken,
        completed, plan_broken, 0, 0, 0`` parts counting the customer's
        agreements ended since ``since`` (the plans part: promises and plans)."""
        return []
