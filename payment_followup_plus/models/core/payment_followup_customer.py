from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .payment_followup_level import TIERS


class PaymentFollowupCustomer(models.Model):
    """Customers to follow up: one row per customer and company, from SQL."""

    _name = "payment.followup.customer"
    _description = "Customer to follow up"
    _auto = False
    _order = "amount_overdue desc"
    _rec_name = "partner_id"
    _depends = {
        "account.move": [
            "move_type",
            "state",
            "payment_state",
            "invoice_date_due",
            "commercial_partner_id",
            "company_id",
            "amount_residual_signed",
            "followup_disputed_signed",
            "followup_level_id",
            "followup_tier",
            "followup_next_date",
            "followup_last_date",
            "followup_hold_until",
        ],
        "res.partner": [
            "followup_responsible_id",
            "user_id",
            "followup_hardship",
            "followup_opt_out",
            "followup_paused_until",
            "tz",
        ],
        "account.move.line": [
            "amount_residual",
            "reconciled",
            "parent_state",
            "partner_id",
            "account_id",
        ],
        "res.company": ["followup_tolerance", "followup_user_id"],
        "payment.followup.level": ["days"],
    }

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    amount_overdue = fields.Monetary("Total overdue", readonly=True)
    amount_credit = fields.Monetary(
        "Open credits",
        readonly=True,
        help="Credits in the customer's favour not applied to its invoices yet (credit "
        "notes, payments not matched): the daily run sends no demand while there are any.",
    )
    invoice_count = fields.Integer("Overdue invoices", readonly=True)
    email_failing = fields.Char(
        "Email failing", related="partner_id.followup_address_failing", readonly=True
    )
    reply_pause_until = fields.Date(
        "Replied: paused until", related="partner_id.followup_reply_pause_until", readonly=True
    )
    oldest_due_date = fields.Date(readonly=True)
    level_id = fields.Many2one("payment.followup.level", readonly=True)
    tier = fields.Selection(TIERS, readonly=True)
    next_action_date = fields.Date("Next action", readonly=True)
    last_followup_date = fields.Date("Last reminder", readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    hardship = fields.Boolean(readonly=True)
    opt_out = fields.Boolean("Opted out", readonly=True)
    paused_until = fields.Date(readonly=True)

    @property
    def _table_query(self):
        """Customers with overdue invoices: the same invoices, the same rule and
        the same amounts as their reminder (posted, open, not in a plan, not on
        hold, above the tolerance, due *before* the customer's own today)."""
        Move = self.env["account.move"]
        today = Move._followup_local_today_sql("p", "cp")
        return SQL(
            """
            WITH credits AS (
                SELECT cp2.commercial_partner_id AS partner_id, l.company_id,
                       -SUM(l.amount_residual) AS amount
                  FROM account_move_line l
                  JOIN res_partner cp2 ON cp2.id = l.partner_id
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable'
                   AND NOT l.reconciled
                   AND l.amount_residual < 0
              GROUP BY cp2.commercial_partner_id, l.company_id
            )
            SELECT MIN(m.id) AS id,
                   m.commercial_partner_id AS partner_id,
                   m.company_id,
                   c.currency_id,
                   SUM(%(due)s) AS amount_overdue,
                   COALESCE(MAX(cr.amount), 0) AS amount_credit,
                   COUNT(*) AS invoice_count,
                   MIN(m.invoice_date_due) AS oldest_due_date,
                   (ARRAY_AGG(l.id ORDER BY l.days DESC) FILTER (WHERE l.id IS NOT NULL))[1]
                       AS level_id,
                   MAX(m.followup_tier)::varchar AS tier,
                   MIN(m.followup_next_date) AS next_action_date,
                   MAX(m.followup_last_date) AS last_followup_date,
                   %(responsible)s AS user_id,
                   COALESCE(p.followup_hardship, FALSE) AS hardship,
                   COALESCE(p.followup_opt_out, FALSE) AS opt_out,
                   p.followup_paused_until AS paused_until
              FROM account_move m
              JOIN res_company c ON c.id = m.company_id
              JOIN res_partner cp ON cp.id = c.partner_id
              JOIN res_partner p ON p.id = m.commercial_partner_id
         LEFT JOIN payment_followup_level l ON l.id = m.followup_level_id
         LEFT JOIN credits cr
                ON cr.partner_id = m.commercial_partner_id AND cr.company_id = m.company_id
             WHERE %(overdue)s
               AND NOT %(arranged)s
               AND %(due)s > COALESCE(c.followup_tolerance, 0)
               AND (m.followup_hold_until IS NULL OR m.followup_hold_until < %(today)s)
          GROUP BY m.commercial_partner_id, m.company_id, c.currency_id,
                   p.followup_responsible_id, p.user_id, c.followup_user_id,
                   p.followup_hardship, p.followup_opt_out, p.followup_paused_until
            """,
            overdue=Move._followup_overdue_sql("m", "p", "cp"),
            due=Move._followup_undisputed_sql("m", signed=True),
            arranged=Move._followup_arranged_sql("m"),
            responsible=self.env["payment.followup.team"]._responsible_sql("p", "c"),
            today=today,
        )

    def action_open_partner(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return self.partner_id._get_records_action(name=self.partner_id.display_name)

    def _partners_for_action(self):
        if not self:
            raise UserError(self.env._("Select at least one customer."))
        return self.partner_id

    def action_send_reminder_now(self):
        return self._partners_for_action().action_followup_send_now()

    def action_escalate(self):
        return self._partners_for_action().action_followup_escalate()
