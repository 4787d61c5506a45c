from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.cockpit import tier_table

# what a person does for a customer (a note, a call, a to-do, a review, a
# legal step), as opposed to the run's own emails, letters and texts
PERSON_CHANNELS = ("none", "activity", "call", "review", "legal")
# a self-service request is resolved at first contact when no person acted
# for that customer within this time
FIRST_CONTACT_DAYS = 7


class PaymentFollowupDashboardTier(models.Model):
    """The tiers measured, month by month: requests, first-contact
    resolution, time to resolution, disputes. Each figure says in its tooltip
    how it is counted."""

    _name = "payment.followup.dashboard.tier"
    _inherit = "payment.followup.dashboard.line"
    _description = "Collections dashboard: tiers by month"
    _order = "dashboard_id, month"

    month = fields.Date(required=True)
    requests_self = fields.Integer(
        "Self-service",
        help="Customer requests handled by self-service: what customers did on their payments "
        "page (a payment, a promise, a plan, a reason, a call booked, a preference) and the "
        "chats with the payment help bot (all customers: a chat visitor may be anonymous).",
    )
    requests_collector = fields.Integer(
        "Collector",
        help="Customer matters a collector handled: the customers' replies by email and the "
        "calls held.",
    )
    requests_legal = fields.Integer("Legal", help="Legal cases opened.")
    fcr_requests = fields.Integer(
        "Self-service requests", help="The self-service requests of the month."
    )
    fcr_resolved = fields.Integer(
        "Resolved at first contact", help="Self-service requests no person had to act on."
    )
    fcr = fields.Float(
        "First-contact resolution (%)",
        digits=(16, 1),
        aggregator="avg",
        help="Share of the self-service requests resolved without a person having to act: "
        "the request gave nobody a to-do, a call, a dispute case or a plan to review, and no "
        "person acted for that customer in the 7 days after it (a payment, a plan within "
        "terms, a promise, a question the bot answered without handing over). Empty: no "
        "request that month.",
    )
    fcr_measured = fields.Boolean("First-contact share measured")
    median_self = fields.Float(
        "Days to resolution, self-service",
        digits=(16, 1),
        aggregator="avg",
        help="Median days from a self-service request to the payment (or credit note) that "
        "settled the last of its invoices, for the requests of the month settled since.",
    )
    median_collector = fields.Float(
        "Days to resolution, collector",
        digits=(16, 1),
        aggregator="avg",
        help="The same for the replies and calls of the month.",
    )
    median_legal = fields.Float(
        "Days to resolution, legal",
        digits=(16, 1),
        aggregator="avg",
        help="The same for the legal cases opened in the month: from opening to the payment "
        "of the last of their debts.",
    )
    median_self_measured = fields.Boolean("Self-service resolutions measured")
    median_collector_measured = fields.Boolean("Collector resolutions measured")
    median_legal_measured = fields.Boolean("Legal resolutions measured")
    disputes_opened = fields.Integer("Disputes opened", help="Dispute cases opened.")
    disputes_resolved = fields.Integer(
        "Disputes resolved", help="Dispute cases closed (credit note, rejected or resolved)."
    )
    disputes_late = fields.Integer(
        "Disputes past deadline",
        help="Dispute cases whose deadline fell in the month and passed before they were "
        "answered (or that are still unanswered).",
    )


class PaymentFollowupCockpit(models.AbstractModel):
    _inherit = "payment.followup.cockpit"

    @api.model
    def _tiers(self, dash, partners, months, today):
        """The rows of the tiers page (``engine.cockpit.tier_table``): one
        query per figure, on the history."""
        since = months[0]
        args = {
            "company": dash.company_id.id,
            "since": since,
            "today": today,
            "root": self.env.ref("base.user_root").id,
            "person": PERSON_CHANNELS,
            "days": FIRST_CONTACT_DAYS,
            "chats": self._chat_sql(partners, since),
            "customers": self._customers_sql("e", partners),
            "debtors": self._customers_sql("lc", partners),
            "disputers": self._customers_sql("d", partners),
        }
        return tier_table(
            months,
            self._rows(self._requests_sql(args)),
            self._rows(self._first_contact_sql(args)),
            self._rows(self._medians_sql(args)),
            self._rows(self._disputes_sql(args)),
        )

    @api.model
    def _tier_vals(self, rows):
        """The rows as the dashboard stores them: an unmeasured share or
        median is 0 with its "measured" flag off (shown empty)."""
        vals_list = []
        for row in rows:
            vals = dict(row, fcr=float(row["fcr"] or 0), fcr_measured=row["fcr"] is not None)
            for key in [k for k in row if k.startswith("median_")]:
                vals[key] = row[key] or 0.0
                vals[f"{key}_measured"] = row[key] is not None
            vals_list.append(vals)
        return vals_list

    def _rows(self, query):
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    @api.model
    def _customers_sql(self, alias, partners):
        if partners is None:
            return SQL()
        return SQL("AND %s = ANY(%s)", SQL.identifier(alias, "partner_id"), partners)

    @api.model
    def _chat_sql(self, partners, since):
        """The payment help chats (their start, and whether the bot kept
        them), or none when the dashboard is filtered by customer."""
        channel = self.env.ref(
            "payment_followup_plus.livechat_channel_payment_help", raise_if_not_found=False
        )
        bot = self.env.ref("payment_followup_plus.chatbot_payment_help", raise_if_not_found=False)
        if partners is not None or not channel or not bot:
            return SQL("SELECT NULL::timestamp AS at, FALSE AS kept WHERE FALSE")
        return SQL(
            """SELECT c.create_date AS at, c.livechat_operator_id = %(bot)s AS kept
                 FROM discuss_channel c
                WHERE c.livechat_channel_id = %(channel)s AND c.create_date >= %(since)s""",
            bot=bot.sudo().operator_partner_id.id,
            channel=channel.id,
            since=since,
        )

    @api.model
    def _requests_sql(self, a):
        return SQL(
            """
            SELECT date_trunc('month', r.at)::date, r.tier, COUNT(*)
              FROM (
                    SELECT e.date AS at, 'self' AS tier
                      FROM payment_followup_event e
                     WHERE e.company_id = %(company)s AND e.via_portal AND e.date >= %(since)s
                           %(customers)s
                 UNION ALL
                    SELECT chat.at, 'self' FROM (%(chats)s) chat
                 UNION ALL
                    SELECT e.date, 'collector'
                      FROM payment_followup_event e
                     WHERE e.company_id = %(company)s AND NOT COALESCE(e.via_portal, FALSE)
                       AND e.channel IN ('reply', 'call') AND e.state = 'done'
                       AND e.date >= %(since)s %(customers)s
                 UNION ALL
                    SELECT lc.create_date, 'legal'
                      FROM payment_followup_legal_case lc
                     WHERE lc.company_id = %(company)s AND lc.create_date >= %(since)s
                           %(debtors)s
                   ) r
          GROUP BY 1, 2
            """,
            **a,
        )

    @api.model
    def _first_contact_sql(self, a):
        return SQL(
            """
            SELECT date_trunc('month', r.at)::date, COUNT(*), COUNT(*) FILTER (WHERE r.kept)
              FROM (
                    SELECT e.date AS at,
                           NOT COALESCE(e.handed_to_person, FALSE) AND NOT EXISTS (
                               SELECT 1
                                 FROM payment_followup_event f
                                 JOIN res_users u ON u.id = f.user_id
                                WHERE f.partner_id = e.partner_id
                                  AND f.company_id = e.company_id
                                  AND f.date > e.date
                                  AND f.date <= e.date + make_interval(days => %(days)s)
                                  AND NOT COALESCE(f.via_portal, FALSE)
                                  AND f.channel IN %(person)s
                                  AND NOT u.share AND u.id <> %(root)s
                           ) AS kept
                      FROM payment_followup_event e
                     WHERE e.company_id = %(company)s AND e.via_portal AND e.date >= %(since)s
                           %(customers)s
                 UNION ALL
                    SELECT chat.at, chat.kept FROM (%(chats)s) chat
                   ) r
          GROUP BY 1
            """,
            **a,
        )

    @api.model
    def _medians_sql(self, a):
        """Median days from a request to the payment of the last of its
        invoices, for the requests whose invoices are all settled."""
        return SQL(
            """
            WITH requests AS (
                SELECT e.id AS key, e.date AS at, rel.move_id,
                       CASE WHEN e.via_portal THEN 'self' ELSE 'collector' END AS tier
                  FROM payment_followup_event e
                  JOIN payment_followup_event_invoice_rel rel ON rel.event_id = e.id
                 WHERE e.company_id = %(company)s AND e.date >= %(since)s %(customers)s
                   AND (e.via_portal
                        OR (e.channel IN ('reply', 'call') AND e.state = 'done'))
             UNION ALL
                SELECT -lc.id, lc.create_date, rel.move_id, 'legal'
                  FROM payment_followup_legal_case lc
                  JOIN payment_followup_legal_case_invoice_rel rel ON rel.case_id = lc.id
                 WHERE lc.company_id = %(company)s AND lc.create_date >= %(since)s %(debtors)s
            ),
            settled AS (
                SELECT r.key, r.tier, r.at,
                       BOOL_AND(m.payment_state IN ('paid', 'in_payment', 'reversed')) AS done,
                       MAX(pr.max_date) AS last_paid
                  FROM requests r
                  JOIN account_move m ON m.id = r.move_id
                  LEFT JOIN account_move_line l
                         ON l.move_id = m.id AND l.display_type = 'payment_term'
                  LEFT JOIN account_partial_reconcile pr ON pr.debit_move_id = l.id
              GROUP BY r.key, r.tier, r.at
            )
            SELECT date_trunc('month', s.at)::date, s.tier,
                   percentile_cont(0.5) WITHIN GROUP (
                       ORDER BY GREATEST(s.last_paid - s.at::date, 0)
                   )
              FROM settled s
             WHERE s.done AND s.last_paid IS NOT NULL
          GROUP BY 1, 2
            """,
            **a,
        )

    @api.model
    def _disputes_sql(self, a):
        return SQL(
            """
            SELECT date_trunc('month', x.day)::date, x.figure, COUNT(*)
              FROM (
                    SELECT d.opened_on AS day, 'opened' AS figure
                      FROM payment_followup_dispute d
                     WHERE d.company_id = %(company)s AND d.opened_on >= %(since)s %(disputers)s
                 UNION ALL
                    SELECT d.closed_on, 'resolved'
                      FROM payment_followup_dispute d
                     WHERE d.company_id = %(company)s AND d.closed_on >= %(since)s %(disputers)s
                 UNION ALL
                    SELECT d.deadline, 'late'
                      FROM payment_followup_dispute d
                     WHERE d.company_id = %(company)s AND d.deadline >= %(since)s
                       AND d.deadline < %(today)s
                       AND (d.closed_on IS NULL OR d.closed_on > d.deadline) %(disputers)s
                   ) x
          GROUP BY 1, 2
            """,
            **a,
        )
