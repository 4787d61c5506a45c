from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..models.core.mail_activity import KINDS

TODO_KINDS = [
    ("call", "Call booked"),
    ("review", "Reminder to review"),
    ("print", "Letter to print"),
    ("late_installment", "Late installment"),
    *[kind for kind in KINDS if kind[0] != "late_installment"],
]


class PaymentFollowupTodo(models.Model):
    """My follow-ups today: what waits for a person, from SQL: calls booked,
    reminders to review, letters to print, installments late, legal cases to
    move, and every to-do the follow-up gave them; each with the amount at
    risk (the customer's overdue total in the company's currency)."""

    _name = "payment.followup.todo"
    _description = "Follow-up to do"
    _auto = False
    _order = "amount_at_risk desc, date, id"
    _rec_name = "summary"
    _depends = {
        "mail.activity": [
            "followup_kind",
            "followup_partner_id",
            "followup_company_id",
            "active",
            "summary",
            "date_deadline",
            "user_id",
            "res_model",
            "res_id",
        ],
        "payment.followup.reminder": [
            "state",
            "user_id",
            "date",
            "partner_id",
            "company_id",
            "review_reason",
        ],
        "payment.followup.event": ["state", "channel", "calendar_event_id", "partner_id", "date"],
        "calendar.event": ["start", "user_id", "active", "name"],
        "payment.followup.plan.line": ["state", "due_date", "plan_id"],
        "payment.followup.plan": ["state", "user_id", "partner_id", "company_id", "name"],
        "payment.followup.legal.case": [
            "state",
            "response_deadline",
            "user_id",
            "partner_id",
            "company_id",
            "name",
        ],
        "account.move": [
            "move_type",
            "state",
            "payment_state",
            "invoice_date_due",
            "amount_residual_signed",
            "commercial_partner_id",
        ],
        "res.partner": ["followup_responsible_id", "user_id", "tz"],
    }

    kind = fields.Selection(TODO_KINDS, readonly=True)
    summary = fields.Char("What", readonly=True)
    date = fields.Date("When", readonly=True)
    user_id = fields.Many2one("res.users", string="For", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    amount_at_risk = fields.Monetary(
        "Overdue", currency_field="company_currency_id", readonly=True, aggregator="max"
    )
    res_model = fields.Char(readonly=True)
    res_id = fields.Integer(readonly=True)

    @property
    def _table_query(self):
        Move = self.env["account.move"]
        responsible = self.env["payment.followup.team"]._responsible_sql("p", "co")
        return SQL(
            """
            WITH items AS (
                SELECT a.id * 8 AS id, a.followup_kind AS kind, a.summary,
                       a.date_deadline AS date, a.user_id, a.followup_partner_id AS partner_id,
                       a.followup_company_id AS company_id, a.res_model, a.res_id
                  FROM mail_activity a
                 WHERE a.followup_kind IS NOT NULL AND a.active
                UNION ALL
                SELECT r.id * 8 + 1, 'review', COALESCE(r.review_reason, ''), r.date,
                       COALESCE(r.user_id, %(responsible)s), r.partner_id, r.company_id,
                       'payment.followup.reminder', r.id
                  FROM payment_followup_reminder r
                  JOIN res_partner p ON p.id = r.partner_id
                  JOIN res_company co ON co.id = r.company_id
                 WHERE r.state = 'to_review'
                UNION ALL
                SELECT e.id * 8 + 2, 'print', COALESCE(e.result, ''), e.date::date, %(responsible)s,
                       e.partner_id, e.company_id, 'payment.followup.event', e.id
                  FROM payment_followup_event e
                  JOIN res_partner p ON p.id = e.partner_id
                  JOIN res_company co ON co.id = e.company_id
                 WHERE e.state = 'to_print'
                UNION ALL
                SELECT ce.id * 8 + 3, 'call', ce.name,
                       (ce.start AT TIME ZONE 'UTC'
                           AT TIME ZONE COALESCE(NULLIF(up.tz, ''), 'UTC'))::date,
                       ce.user_id, e.partner_id, e.company_id, 'calendar.event', ce.id
                  FROM payment_followup_event e
                  JOIN calendar_event ce ON ce.id = e.calendar_event_id AND ce.active
                  JOIN res_users u ON u.id = ce.user_id
                  JOIN res_partner up ON up.id = u.partner_id
                 WHERE e.channel = 'call' AND e.state != 'cancelled'
                   AND (ce.start AT TIME ZONE 'UTC'
                           AT TIME ZONE COALESCE(NULLIF(up.tz, ''), 'UTC'))::date
                       >= (now() AT TIME ZONE COALESCE(NULLIF(up.tz, ''), 'UTC'))::date
                UNION ALL
                SELECT ln.id * 8 + 4, 'late_installment', pl.name, ln.due_date,
                       COALESCE(pl.user_id, %(responsible)s), pl.partner_id, pl.company_id,
                       'payment.followup.plan', pl.id
                  FROM payment_followup_plan_line ln
                  JOIN payment_followup_plan pl ON pl.id = ln.plan_id
                  JOIN res_partner p ON p.id = pl.partner_id
                  JOIN res_company co ON co.id = pl.company_id
                 WHERE pl.state = 'active' AND ln.state != 'paid' AND ln.due_date < CURRENT_DATE
                UNION ALL
                SELECT lc.id * 8 + 5, 'legal', lc.name,
                       CASE WHEN lc.state = 'letter' THEN lc.response_deadline
                            ELSE lc.create_date::date END,
                       lc.user_id, lc.partner_id, lc.company_id, 'payment.followup.legal.case', lc.id
                  FROM payment_followup_legal_case lc
                 WHERE lc.state = 'review'
                    OR (lc.state = 'letter' AND lc.response_deadline < CURRENT_DATE)
            ),
            overdue AS (
                SELECT m.commercial_partner_id AS partner_id, m.company_id,
                       SUM(m.amount_residual_signed) AS amount
                  FROM account_move m
                  JOIN res_partner op ON op.id = m.commercial_partner_id
                  JOIN res_company oc ON oc.id = m.company_id
                  JOIN res_partner ocp ON ocp.id = oc.partner_id
                 WHERE %(overdue)s
              GROUP BY 1, 2
            )
            SELECT i.id, i.kind, i.summary, i.date, i.user_id, i.partner_id, i.company_id,
                   COALESCE(o.amount, 0) AS amount_at_risk, i.res_model, i.res_id
              FROM items i
         LEFT JOIN overdue o ON o.partner_id = i.partner_id AND o.company_id = i.company_id
            """,
            responsible=responsible,
            # overdue: due before the customer's own today (not the server's)
            overdue=Move._followup_overdue_sql("m", "op", "ocp"),
        )

    def action_open(self):
        """Open what the line is about, to act on it."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        if not self.res_model or self.res_model not in self.env:
            raise UserError(self.env._("This to-do has nothing to open."))
        record = self.env[self.res_model].browse(self.res_id).exists()
        if not record:
            raise UserError(self.env._("This to-do's record no longer exists."))
        record.check_access("read")
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "target": "current",
        }
