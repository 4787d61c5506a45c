from datetime import date

from odoo import api, fields, models
from odoo.tools import SQL, format_date, sql

from ...engine.dunning import next_action_date

# an invoice the follow-up is about: a posted customer invoice not (fully) paid
OPEN_PAYMENT_STATES = ("not_paid", "partial")
# a hold with no end of its own (a legal case holds its debts until it closes):
# said as the hold's reason, never as a date
HOLD_OPEN_ENDED = date(2999, 12, 31)


class AccountMove(models.Model):
    _inherit = "account.move"

    followup_level_id = fields.Many2one(
        "payment.followup.level",
        string="Follow-up level",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The level of the last reminder delivered for this invoice (sent, printed, "
        "or held as a conversation).",
    )
    followup_tier = fields.Integer(compute="_compute_followup_tier", store=True, copy=False)
    followup_last_date = fields.Date(
        "Last reminder",
        copy=False,
        readonly=True,
        help="When the last reminder for this invoice was delivered.",
    )
    followup_next_date = fields.Date(
        "Next follow-up",
        compute="_compute_followup_next_date",
        store=True,
        copy=False,
        help="When the follow-up next looks at this invoice: its next level, but not "
        "before the end of a hold, a pause or the time the last reminder gave.",
    )
    followup_hold_until = fields.Date(
        "Follow-up on hold until",
        copy=False,
        help="No reminder is sent for this invoice until then.",
    )
    followup_hold_reason = fields.Char("Hold reason", copy=False)
    followup_remind = fields.Boolean(
        "Remind when the hold ends",
        copy=False,
        help="When the hold ends, the reminder of the level reached goes out again.",
    )
    # what a customer disputes in an open case (written by the case): only
    # the rest of the open amount is followed up
    followup_disputed = fields.Monetary(
        "Under dispute",
        currency_field="currency_id",
        copy=False,
        readonly=True,
        help="The part of the open amount under review in an open dispute case: not "
        "demanded while the case runs.",
    )
    followup_disputed_signed = fields.Monetary(
        "Under dispute (company currency)",
        currency_field="company_currency_id",
        copy=False,
        readonly=True,
    )
    followup_dispute_ref = fields.Char("Dispute case", copy=False, readonly=True)
    followup_held_why = fields.Char(
        "Why it waits",
        compute="_compute_followup_held_why",
        help="Why the follow-up leaves this invoice alone for now.",
    )
    followup_hold_open_ended = fields.Boolean(
        "Held with no end date",
        compute="_compute_followup_held_why",
        help="Held with no end date of its own (a legal case): the reason says until when.",
    )
    # expected payment, refreshed daily (payment.followup.expected)
    followup_expected_date = fields.Date("Expected payment", readonly=True, copy=False, index=True)
    followup_expected_basis = fields.Selection(
        [
            ("plan", "Payment plan"),
            ("promise", "Promise"),
            ("promise_doubtful", "Promise, often broken"),
            ("history", "Customer's history"),
            ("due", "Due date"),
        ],
        readonly=True,
        copy=False,
    )
    followup_expected_usual = fields.Integer(readonly=True, copy=False)
    followup_expected_promised = fields.Date(readonly=True, copy=False)
    followup_expected_late = fields.Boolean(readonly=True, copy=False)
    followup_expected_why = fields.Char("Why then", compute="_compute_followup_expected_why")
    followup_event_ids = fields.Many2many(
        "payment.followup.event",
        string="Follow-up history",
        compute="_compute_followup_event_ids",
        help="Every follow-up action about this invoice: its reminders' and the others'.",
    )

    def init(self):
        """A partial index for what the follow-up reads every day: the open
        customer invoices of a company, by customer and due date. Only those
        rows are indexed, and creating it reads the table without rewriting it."""
        super().init()
        sql.create_index(
            self.env.cr,
            "account_move_followup_open_idx",
            self._table,
            ["company_id", "commercial_partner_id", "invoice_date_due"],
            where="move_type = 'out_invoice' AND state = 'posted'"
            " AND payment_state IN ('not_paid', 'partial')",
        )

    # ------------------------------------------------------------------
    # the one definition of an open customer invoice, and of overdue
    # ------------------------------------------------------------------
    @api.model
    def _followup_open_domain(self, company=None):
        """Posted customer invoices not fully paid (as a domain)."""
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("payment_state", "in", OPEN_PAYMENT_STATES),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        return domain

    @api.model
    def _followup_open_sql(self, alias="account_move"):
        """The same condition in SQL, on the ``account_move`` table as ``alias``."""
        table = SQL.identifier(alias)
        return SQL(
            "%(m)s.move_type = 'out_invoice' AND %(m)s.state = 'posted'"
            " AND %(m)s.payment_state IN %(open)s",
            m=table,
            open=OPEN_PAYMENT_STATES,
        )

    def _followup_is_open(self):
        self.ensure_one()
        return (
            self.move_type == "out_invoice"
            and self.state == "posted"
            and self.payment_state in OPEN_PAYMENT_STATES
        )

    def _followup_undisputed(self):
        """The open amount the follow-up demands: what no open dispute case
        covers (invoice currency). SQL twin: ``_followup_undisputed_sql``."""
        self.ensure_one()
        return max(self.amount_residual - self.followup_disputed, 0.0)

    @api.model
    def _followup_undisputed_sql(self, alias, signed=False):
        """The same in SQL (``signed``: in the company's currency)."""
        m = SQL.identifier(alias)
        if signed:
            return SQL(
                "GREATEST(%(m)s.amount_residual_signed"
                " - COALESCE(%(m)s.followup_disputed_signed, 0), 0)",
                m=m,
            )
        return SQL("GREATEST(%(m)s.amount_residual - COALESCE(%(m)s.followup_disputed, 0), 0)", m=m)

    @api.model
    def _followup_local_today_sql(self, partner_alias, company_alias):
        """Today in the customer's time zone (else the company's, else UTC), in SQL.
        An invoice is overdue when its due date is *before* that day."""
        return SQL(
            "(now() AT TIME ZONE COALESCE(NULLIF(%(p)s.tz, ''), NULLIF(%(cp)s.tz, ''), 'UTC'))::date",
            p=SQL.identifier(partner_alias),
            cp=SQL.identifier(company_alias),
        )

    @api.model
    def _followup_arranged(self):
        """Hook: whether each invoice is paid on arranged dates instead of the
        ladder's ({move: bool}; the plans part: an active payment plan). Its
        SQL twin is ``_followup_arranged_sql``."""
        return dict.fromkeys(self, False)

    @api.model
    def _followup_arranged_sql(self, alias):
        """Hook, SQL twin of ``_followup_arranged``: true for such an invoice."""
        return SQL("FALSE")

    def _followup_overdue_sql(self, alias, partner_alias, company_partner_alias):
        """An open invoice due *before* its customer's today, in SQL
        (``partner_alias``: the invoice's commercial partner,
        ``company_partner_alias``: its company's partner)."""
        return SQL(
            "%(open)s AND %(m)s.invoice_date_due < %(today)s",
            open=self._followup_open_sql(alias),
            m=SQL.identifier(alias),
            today=self._followup_local_today_sql(partner_alias, company_partner_alias),
        )

    def _followup_overdue(self, today=None):
        """The invoices of ``self`` that are open and due before their
        customer's today (``today`` given: that day for all)."""
        guardrails = self.env["payment.followup.guardrails"]
        now = guardrails._now()
        return self.filtered(
            lambda m: m._followup_is_open()
            and m.invoice_date_due
            and m.invoice_date_due
            < (today or guardrails._partner_today(m.commercial_partner_id, now, m.company_id))
        )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("followup_level_id.tier")
    def _compute_followup_tier(self):
        for move in self:
            move.followup_tier = int(move.followup_level_id.tier or 0)

    @api.depends(
        "invoice_date_due",
        "followup_level_id",
        "followup_last_date",
        "followup_hold_until",
        "move_type",
        "company_id",
        "partner_id",
        "commercial_partner_id.followup_paused_until",
    )
    def _compute_followup_next_date(self):
        today = fields.Date.context_today(self)
        for company, moves in self.grouped("company_id").items():
            # the customers' policies and ladders, read once for the whole set
            partners = moves.commercial_partner_id.with_company(company)
            policies = {p.id: p.followup_policy_id for p in partners}
            ladders = {}
            for move in moves:
                if move.move_type != "out_invoice" or not move.invoice_date_due:
                    move.followup_next_date = False
                    continue
                partner = move.commercial_partner_id
                policy = policies.get(partner.id) or company.followup_policy_id
                if policy not in ladders:
                    ladders[policy] = policy._engine_levels() if policy else []
                move.followup_next_date = next_action_date(
                    ladders[policy],
                    move.invoice_date_due,
                    move.followup_level_id.id or None,
                    today=today,
                    last_reminded=move.followup_last_date or None,
                    min_gap_days=company.followup_min_gap_days,
                    hold_until=move.followup_hold_until or None,
                    paused_until=partner.followup_paused_until or None,
                )

    def _compute_followup_event_ids(self):
        Event = self.env["payment.followup.event"]
        lines = self.env["payment.followup.reminder.line"].search([("move_id", "in", self.ids)])
        events = Event.search(
            [
                "|",
                ("invoice_ids", "in", self.ids),
                ("reminder_id", "in", lines.reminder_id.ids),
            ]
        )
        for move in self:
            move.followup_event_ids = events.filtered(
                lambda e, m=move: m in e.invoice_ids or m in e.reminder_id.line_ids.move_id
            )

    @api.depends_context("lang")
    @api.depends("followup_hold_until", "followup_hold_reason")
    def _compute_followup_held_why(self):
        today = fields.Date.context_today(self)
        for move in self:
            move.followup_hold_open_ended = move.followup_hold_until == HOLD_OPEN_ENDED
            if move.followup_hold_open_ended:
                move.followup_held_why = move.followup_hold_reason or self.env._("On hold")
            elif move.followup_hold_until and move.followup_hold_until >= today:
                move.followup_held_why = self.env._(
                    "%(reason)s (until %(date)s)",
                    reason=move.followup_hold_reason or self.env._("On hold"),
                    date=format_date(self.env, move.followup_hold_until),
                )
            else:
                move.followup_held_why = False

    @api.depends_context("lang")
    @api.depends(
        "followup_expected_date",
        "followup_expected_basis",
        "followup_expected_usual",
        "followup_expected_promised",
        "followup_expected_late",
    )
    def _compute_followup_expected_why(self):
        """The expected payment day explained in a sentence, e.g. "usually
        pays 12 days late" or "promised for 12/03/2026"."""
        _ = self.env._
        for move in self:
            basis = move.followup_expected_basis
            promised = move.followup_expected_promised and format_date(
                self.env, move.followup_expected_promised
            )
            if basis == "promise":
                why = _("Promised for %(date)s", date=promised)
            elif basis == "promise_doubtful":
                why = _(
                    "Promised for %(date)s, but most promises were broken: its usual %(days)s "
                    "days late added",
                    date=promised,
                    days=move.followup_expected_usual,
                )
            elif basis == "history" and move.followup_expected_usual:
                why = _("Usually pays %(days)s days late", days=move.followup_expected_usual)
            elif basis == "history":
                why = _("Usually pays on time")
            elif basis == "due":
                why = _("No payment history yet: expected on the due date")
            else:
                why = False
            if why and move.followup_expected_late:
                why = _("%(why)s; already later than that, so counted today", why=why)
            move.followup_expected_why = why

    # ------------------------------------------------------------------
    # buttons and helpers
    # ------------------------------------------------------------------
    def action_followup_schedule_call(self):
        """Button "Schedule follow-up call" on a customer invoice."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return self.env["payment.followup.schedule"]._open_wizard(
            self.commercial_partner_id, invoices=self
        )

    def _followup_write_level(self, level_id, today):
        """Record the level of a reminder delivered today. Only follow-up fields
        change: the ORM's own write (computed fields, caches, access) without
        the journal entry's (balance, lock dates, invoice/tax line sync), which
        checks accounting that is untouched here, once per invoice (the mail
        queue delivers reminders one email at a time)."""
        models.Model.write(
            self.with_context(skip_invoice_sync=True, tracking_disable=True),
            {"followup_level_id": level_id, "followup_last_date": today, "followup_remind": False},
        )

    def _followup_hold(self, until, reason=False, remind=False):
        """No reminder for these invoices until ``until`` (``False``: the hold is
        lifted); ``remind``: the reminder of the level reached goes out again when
        the hold ends. Accounting lines are untouched, as above."""
        self.with_context(skip_invoice_sync=True).write(
            {
                "followup_hold_until": until,
                "followup_hold_reason": reason if until else False,
                "followup_remind": remind,
            }
        )
