from decimal import Decimal

from odoo import api, models
from odoo.tools import SQL

from ..engine.cockpit import Contact, Installment, month_end, months_back, on_time

LOOKBACK_DAYS = 365


class PaymentFollowupCockpit(models.AbstractModel):
    """The facts behind the collections figures, read set-wise in SQL for one
    dashboard's filters (company, responsible, tier, country, invoice
    currency); the figures themselves come from ``engine/cockpit.py``.
    Amounts are in the company's currency."""

    _name = "payment.followup.cockpit"
    _description = "Payment follow-up figures"

    # ------------------------------------------------------------------
    # filters
    # ------------------------------------------------------------------
    @api.model
    def _partner_ids(self, dash):
        """The customers the filters keep, or None when no customer filter is set.
        Responsible: the follow-up responsible, else the salesperson. Tier: the
        highest level reached on the customer's open invoices."""
        if not (dash.responsible_id or dash.country_id or dash.tier):
            return None
        where = [SQL("p.id = p.commercial_partner_id")]
        if dash.responsible_id:
            where.append(
                SQL(
                    "%s = %s",
                    self.env["payment.followup.team"]._responsible_sql("p", "co"),
                    dash.responsible_id.id,
                )
            )
        if dash.country_id:
            where.append(SQL("p.country_id = %s", dash.country_id.id))
        if dash.tier:
            where.append(
                SQL(
                    """p.id IN (SELECT m.commercial_partner_id FROM account_move m
                                 WHERE %s AND m.company_id = %s
                              GROUP BY m.commercial_partner_id
                                HAVING MAX(m.followup_tier) = %s)""",
                    self.env["account.move"]._followup_open_sql("m"),
                    dash.company_id.id,
                    int(dash.tier),
                )
            )
        rows = self.env.execute_query(
            SQL(
                "SELECT p.id FROM res_partner p, res_company co WHERE co.id = %s AND %s",
                dash.company_id.id,
                SQL(" AND ").join(where),
            )
        )
        return [row[0] for row in rows]

    @api.model
    def _move_where(self, dash, partners, alias="m"):
        m = SQL.identifier(alias)
        where = [SQL("%s.company_id = %s", m, dash.company_id.id)]
        if partners is not None:
            where.append(SQL("%s.commercial_partner_id = ANY(%s)", m, partners))
        if dash.currency_id:
            where.append(SQL("%s.currency_id = %s", m, dash.currency_id.id))
        return SQL(" AND ").join(where)

    @api.model
    def _domain(self, dash, partners, currency=True):
        domain = [("company_id", "=", dash.company_id.id)]
        if partners is not None:
            domain.append(("partner_id", "in", partners))
        if currency and dash.currency_id:
            domain.append(("currency_id", "=", dash.currency_id.id))
        return domain

    # ------------------------------------------------------------------
    # facts
    # ------------------------------------------------------------------
    @api.model
    def _open_items(self, dash, partners, today):
        """(days late, amount, count) of the open invoices, per days late."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT %(today)s - m.invoice_date_due, SUM(m.amount_residual_signed), COUNT(*)
                  FROM account_move m
                 WHERE %(open)s AND %(where)s
              GROUP BY 1
                """,
                today=today,
                open=self.env["account.move"]._followup_open_sql("m"),
                where=self._move_where(dash, partners),
            )
        )
        return [(days or 0, Decimal(str(amount)), count) for days, amount, count in rows]

    @api.model
    def _monthly(self, dash, partners, today, count=13):
        """Per month (its first day): credit sales (invoiced) and credit notes,
        receivables at its end (at
        ``today`` for this month) and what of them was not yet due then. Months
        go back ``count + 12`` months, so each has a year of sales behind it
        and an opening balance."""
        months = months_back(today, count + 12)
        first = months[0]
        where = self._move_where(dash, partners)
        # invoiced, and credited, apart (a month of large credit notes does
        # not show as negative sales)
        sales = {
            month: (invoiced, credited)
            for month, invoiced, credited in self.env.execute_query(
                SQL(
                    """
                    SELECT date_trunc('month', m.invoice_date)::date,
                           SUM(CASE WHEN m.move_type = 'out_invoice'
                                    THEN m.amount_total_signed ELSE 0 END),
                           SUM(CASE WHEN m.move_type = 'out_refund'
                                    THEN -m.amount_total_signed ELSE 0 END)
                      FROM account_move m
                     WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state = 'posted'
                       AND m.invoice_date BETWEEN %s AND %s AND %s
                  GROUP BY 1
                    """,
                    first,
                    today,
                    where,
                )
            )
        }
        # receivables: the invoices still open, all cumulated (before
        # ``first``: the opening balance). Invoices only: a credit note not
        # applied yet is money we owe, shown apart (``credits_open``); netted
        # here, it would make a DSO of 1 day beside 54,000 overdue
        invoiced = self._by_month(
            SQL(
                """
                SELECT GREATEST(date_trunc('month', m.invoice_date)::date, %(first)s),
                       SUM(m.amount_total_signed)
                  FROM account_move m
                 WHERE m.move_type = 'out_invoice' AND m.state = 'posted'
                   AND m.invoice_date <= %(today)s AND %(where)s
              GROUP BY 1
                """,
                first=first,
                today=today,
                where=where,
            )
        )
        # an invoice is settled on its debit side (by a payment or a credit note)
        paid = self._by_month(
            SQL(
                """
                SELECT GREATEST(date_trunc('month', pr.max_date)::date, %(first)s),
                       SUM(pr.amount)
                  FROM account_partial_reconcile pr
                  JOIN account_move_line aml ON aml.id = pr.debit_move_id
                  JOIN account_move m ON m.id = aml.move_id
                 WHERE m.state = 'posted' AND aml.display_type = 'payment_term'
                   AND m.move_type = 'out_invoice'
                   AND pr.max_date <= %(today)s AND %(where)s
              GROUP BY 1
                """,
                first=first,
                today=today,
                where=where,
            )
        )
        ends = [min(month_end(month), today) for month in months]
        current = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT e.day,
                           SUM(m.amount_total_signed - COALESCE((
                               SELECT SUM(pr.amount)
                                 FROM account_move_line aml
                                 JOIN account_partial_reconcile pr ON pr.debit_move_id = aml.id
                                WHERE aml.move_id = m.id AND aml.display_type = 'payment_term'
                                  AND pr.max_date <= e.day), 0))
                      FROM unnest(%s::date[]) AS e(day)
                      JOIN account_move m
                        ON m.invoice_date <= e.day AND m.invoice_date_due >= e.day
                     WHERE m.move_type = 'out_invoice' AND m.state = 'posted' AND %s
                  GROUP BY e.day
                    """,
                    ends[-count - 1 :],
                    where,
                )
            )
        )
        result = []
        receivables = Decimal(0)
        for month, end in zip(months, ends, strict=True):
            receivables += invoiced.get(month, 0) - paid.get(month, 0)
            result.append(
                {
                    "month": month,
                    "end": end,
                    "days": (end - month).days + 1,
                    "sales": Decimal(str(sales.get(month, (0, 0))[0] or 0)),
                    "credit_notes": Decimal(str(sales.get(month, (0, 0))[1] or 0)),
                    "receivables": receivables,
                    "current": Decimal(str(current.get(end) or 0)),
                }
            )
        return result

    @api.model
    def _by_month(self, query):
        return {month: Decimal(str(amount or 0)) for month, amount in self.env.execute_query(query)}

    @api.model
    def _promises(self, dash, partners, since):
        groups = (
            self.env["payment.followup.promise"]
            .sudo()
            ._read_group(
                self._domain(dash, partners)
                + [("state", "in", ("kept", "broken")), ("date_done", ">=", since)],
                ["state"],
                ["__count"],
            )
        )
        return dict(groups)

    @api.model
    def _plans(self, dash, partners, since, today):
        """Plans completed and broken since ``since``, and the installments due
        in the period: how many, how many paid on or before their due date."""
        Plan = self.env["payment.followup.plan"].sudo()
        ended = dict(
            Plan._read_group(
                self._domain(dash, partners)
                + [("state", "in", ("completed", "broken")), ("date_done", ">=", since)],
                ["state"],
                ["__count"],
            )
        )
        plans = Plan.search(
            self._domain(dash, partners)
            + [("state", "in", ("active", "completed", "broken"))]
            + [("line_ids.due_date", ">=", since), ("line_ids.due_date", "<=", today)]
        )
        payments = {}
        if plans:
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT pl.id, pr.max_date, SUM(pr.debit_amount_currency)
                      FROM payment_followup_plan pl
                      JOIN payment_followup_plan_invoice_rel r ON r.plan_id = pl.id
                      JOIN account_move_line aml
                        ON aml.move_id = r.move_id AND aml.display_type = 'payment_term'
                      JOIN account_partial_reconcile pr ON pr.debit_move_id = aml.id
                     WHERE pl.id = ANY(%s) AND pr.max_date >= pl.create_date::date
                  GROUP BY pl.id, pr.max_date
                    """,
                    plans.ids,
                )
            )
            for plan_id, day, amount in rows:
                payments.setdefault(plan_id, []).append((day, Decimal(str(amount))))
        due = kept = 0
        for plan in plans:
            installments = [
                Installment(line.due_date, Decimal(str(line.amount))) for line in plan.line_ids
            ]
            plan_due, plan_kept = on_time(installments, payments.get(plan.id, []), today, since)
            due += plan_due
            kept += plan_kept
        return {
            "completed": ended.get("completed", 0),
            "broken": ended.get("broken", 0),
            "due": due,
            "on_time": kept,
        }

    @api.model
    def _disputes(self, dash, partners, since, today):
        """Open dispute cases with their age in days, those closed since
        ``since`` with the days they took, and how many open ones are past
        their deadline."""
        domain = [
            ("company_id", "=", dash.company_id.id),
            "|",
            ("state", "=", "open"),
            ("closed_on", ">=", since),
        ]
        if partners is not None:
            domain.append(("partner_id", "in", partners))
        cases = self.env["payment.followup.dispute"].sudo().search(domain)
        open_cases = cases.filtered(lambda c: c.state == "open")
        open_ages = [(today - c.opened_on).days for c in open_cases]
        settled = [(c.closed_on - c.opened_on).days for c in cases - open_cases]
        late = len(open_cases.filtered(lambda c: c.deadline < today))
        return open_ages, settled, late

    @api.model
    def _contacts(self, dash, partners, since, today):
        """Every reminder that reached the customer since ``since``, with the
        overdue amount it was about and what of it was paid within 7 and 14
        days."""
        currency = (
            SQL("AND ln.currency_id = %s", dash.currency_id.id) if dash.currency_id else SQL()
        )
        customers = SQL("AND e.partner_id = ANY(%s)", partners) if partners is not None else SQL()
        rows = self.env.execute_query(
            SQL(
                """
                WITH contact AS (
                    SELECT e.id, e.level_id, e.channel, e.tone, e.date::date AS day,
                           ln.move_id, ln.amount_company
                      FROM payment_followup_event e
                      JOIN payment_followup_reminder_line ln ON ln.reminder_id = e.reminder_id
                     WHERE e.company_id = %(company)s AND e.state = 'done'
                       AND e.channel IN %(channels)s
                       AND e.date >= %(since)s
                       AND ln.section NOT IN ('due_soon', 'on_its_way')
                       %(customers)s %(currency)s
                )
                SELECT c.id, c.level_id, c.channel, c.tone, c.day,
                       SUM(c.amount_company),
                       SUM(COALESCE(paid.d7, 0)), SUM(COALESCE(paid.d14, 0))
                  FROM contact c
             LEFT JOIN LATERAL (
                    SELECT SUM(pr.amount) FILTER (WHERE pr.max_date <= c.day + 7) AS d7,
                           SUM(pr.amount) AS d14
                      FROM account_move_line aml
                      JOIN account_partial_reconcile pr ON pr.debit_move_id = aml.id
                     WHERE aml.move_id = c.move_id AND aml.display_type = 'payment_term'
                       AND pr.max_date > c.day AND pr.max_date <= c.day + 14
                   ) paid ON TRUE
              GROUP BY c.id, c.level_id, c.channel, c.tone, c.day
                """,
                company=dash.company_id.id,
                since=since,
                customers=customers,
                currency=currency,
                # what a level does for the customer: every channel but a legal case
                channels=self.env["payment.followup.channel"]._codes(exclusive=False),
            )
        )
        return [
            Contact(
                level_id,
                channel,
                tone or "",
                Decimal(str(amount or 0)),
                Decimal(str(paid_7)),
                Decimal(str(paid_14)),
                (today - day).days,
            )
            for _id, level_id, channel, tone, day, amount, paid_7, paid_14 in rows
        ]
