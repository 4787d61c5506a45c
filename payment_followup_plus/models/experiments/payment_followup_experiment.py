from datetime import UTC, time, timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ...engine.experiments import (
    ArmFigures,
    ExperimentError,
    assign,
    sample_size,
    social_norm,
    status,
)
from ...engine.guardrails import next_allowed_moment

STATES = [
    ("draft", "Draft"),
    ("running", "Running"),
    ("stopped", "Stopped"),
    ("adopted", "Winner adopted"),
]
SEND_WINDOWS = {"morning": (time(9, 0), time(12, 0)), "afternoon": (time(14, 0), time(17, 0))}
WINDOW_DAYS = 14
SHORT_WINDOW_DAYS = 7


class PaymentFollowupExperiment(models.Model):
    """A wording experiment on one level: arms that change the words only
    (tone, subject, an extra paragraph, the social-norm sentence, the send
    window), the current wording always the control. Each customer gets one
    arm by a hash of the experiment and the customer; every delivered reminder
    of the level counts once its 14 days are over: paid in full within them,
    or not. Nothing is concluded before every arm reached the planned size."""

    _name = "payment.followup.experiment"
    _description = "Wording experiment"
    _inherit = ["mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    level_id = fields.Many2one(
        "payment.followup.level", required=True, check_company=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="level_id.company_id", store=True, index=True)
    state = fields.Selection(STATES, default="draft", required=True, tracking=True, index=True)
    arm_ids = fields.One2many("payment.followup.experiment.arm", "experiment_id", string="Arms")
    min_effect = fields.Float(
        "Smallest difference worth knowing (points)",
        default=10.0,
        help="The difference in the share paid within 14 days the experiment is sized to "
        "detect (95 % confidence, power 80 %).",
    )
    baseline = fields.Float(
        "Control's expected share paid (%)",
        default=40.0,
        help="The share of the level's reminders paid within 14 days today; taken from the "
        "last 12 months when there is enough history, when the experiment starts.",
    )
    planned_size = fields.Integer(
        "Reminders needed per arm", readonly=True, help="Computed when the experiment starts."
    )
    date_start = fields.Date("Started on", readonly=True)
    date_refreshed = fields.Datetime("Results computed on", readonly=True)
    summary = fields.Char(compute="_compute_summary")

    @api.constrains("arm_ids", "state")
    def _check_arms(self):
        for experiment in self.filtered(lambda e: e.state == "running"):
            if len(experiment.arm_ids) < 2 or len(experiment.arm_ids.filtered("is_control")) != 1:
                raise ValidationError(
                    self.env._("An experiment needs one control and at least one other arm.")
                )

    @api.depends("arm_ids.status", "arm_ids.still_needed", "state")
    def _compute_summary(self):
        labels = dict(self.env["payment.followup.experiment.arm"]._fields["status"].selection)
        for experiment in self:
            arms = experiment.arm_ids.filtered(lambda a: not a.is_control)
            experiment.summary = (
                ", ".join(f"{arm.name}: {labels.get(arm.status, '')}" for arm in arms)
                if experiment.state != "draft"
                else self.env._("Not started")
            )

    # ------------------------------------------------------------------
    # buttons (managers)
    # ------------------------------------------------------------------
    def action_start(self):
        self.env["payment.followup.team"]._check_manager()
        Message = self.env["payment.followup.message"]
        for experiment in self:
            if experiment.state != "draft":
                raise UserError(self.env._("Only a draft experiment can start."))
            if not experiment.arm_ids.filtered("is_control"):
                experiment.arm_ids = [
                    Command.create(
                        {"name": self.env._("Current wording"), "is_control": True, "sequence": 0}
                    )
                ]
            history = experiment._history_baseline()
            baseline = history if history is not None else experiment.baseline / 100
            try:
                planned = sample_size(baseline, experiment.min_effect / 100)
            except ExperimentError as err:
                raise UserError(
                    self.env._(
                        "The expected share (%(base)s %%) and the difference (%(effect)s points) "
                        "cannot be tested: choose a share between 1 and 99 %% that the "
                        "difference keeps within 1 and 99 %%.",
                        base=Message._percent(baseline * 100),
                        effect=Message._percent(experiment.min_effect),
                    )
                ) from err
            experiment.write(
                {
                    "state": "running",
                    "baseline": round(baseline * 100, 1),
                    "planned_size": planned,
                    "date_start": fields.Date.context_today(self),
                }
            )
            experiment._message_log(
                body=self.env._(
                    "Started by %(user)s: %(size)s reminders per arm to detect %(effect)s points "
                    "from %(base)s %%.",
                    user=self.env.user.name,
                    size=planned,
                    effect=Message._percent(experiment.min_effect),
                    base=Message._percent(experiment.baseline),
                )
            )
        return True

    def action_refresh(self):
        """Compute the results now (they are also computed every day)."""
        self.env["payment.followup.team"]._check_user()
        self.sudo()._refresh()
        return True

    def _refresh(self):
        self.arm_ids._store_figures()
        self.date_refreshed = fields.Datetime.now()

    @api.model
    def _cron_refresh_experiments(self):
        self.search([("state", "in", ("running", "stopped"))])._refresh()

    def action_stop(self):
        self.env["payment.followup.team"]._check_manager()
        self.filtered(lambda e: e.state == "running").write({"state": "stopped"})
        return True

    def action_adopt_winner(self):
        """The level's wording becomes the winning arm's (only once the planned
        size is reached and the arm is better than the control)."""
        self.env["payment.followup.team"]._check_manager()
        self.ensure_one()
        self._refresh()
        winners = self.arm_ids.filtered(lambda a: a.status == "better").sorted(
            "difference", reverse=True
        )
        if self.state not in ("running", "stopped") or not winners:
            raise UserError(
                self.env._("No arm is better than the current wording at the planned size yet.")
            )
        winner = winners[0]
        winner._apply_to_level(self.level_id)
        self.state = "adopted"
        self._message_log(
            body=self.env._(
                "%(user)s adopted “%(arm)s” as the wording of %(level)s (%(diff)s points better).",
                user=self.env.user.name,
                arm=winner.name,
                level=self.level_id.name,
                diff=round(winner.difference, 1),
            )
        )
        return True

    # ------------------------------------------------------------------
    # the run: which arm, and what it changes
    # ------------------------------------------------------------------
    @api.model
    def _assign(self, reminders):
        """Give each reminder of a level under a running experiment its
        customer's arm (the hash: the same arm on every run) and apply the
        arm's words. One write per arm. A level's adopted words (a former
        winner) apply to its reminders outside an experiment."""
        for level, group in reminders.grouped("level_id").items():
            if level.tone_override:
                style, formality = level.tone_override.split("_")
                group.write({"tone": level.tone_override, "style": style, "formality": formality})
            if level.social_norm:
                self._store_social_norm(group)
        experiments = self.sudo().search(
            [("state", "=", "running"), ("level_id", "in", reminders.level_id.ids)]
        )
        for experiment in experiments:
            arms = experiment.arm_ids.sorted("sequence")
            weights = [arm.weight for arm in arms]
            todo = reminders.filtered(lambda r, e=experiment: r.level_id == e.level_id)
            by_arm = todo.grouped(
                lambda r, a=arms, w=weights, e=experiment: a[assign(e._key(), r.partner_id.id, w)]
            )
            for arm, group in by_arm.items():
                arm._apply_to_reminders(group)
        return experiments

    @api.model
    def _store_social_norm(self, reminders):
        """The social-norm sentence on each reminder, in its language, as true
        today (none when it is not)."""
        for company, group in reminders.grouped("company_id").items():
            norm = self._social_norm(company)
            for reminder in group:
                reminder.social_norm_sentence = (
                    reminder._lang_env()._(
                        "Most of our customers (%(n)s in 10) settle their invoices within "
                        "%(days)s days.",
                        n=norm.in_ten,
                        days=norm.days,
                    )
                    if norm
                    else False
                )

    @api.model
    def _social_norm(self, company):
        """The engine's social norm from the company's own payments over the
        last 12 months: per customer, the average days from invoice to the
        payment that settled it. Read once per transaction and company."""
        key = ("payment_followup_social_norm", company.id)
        if key not in self.env.cr.cache:
            self.env.flush_all()
            self.env.cr.execute(
                SQL(
                    """
                    SELECT AVG(paid.last_date - m.invoice_date)
                      FROM account_move m
                      JOIN LATERAL (
                           SELECT MAX(apr.max_date) AS last_date
                             FROM account_move_line aml
                             JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                            WHERE aml.move_id = m.id
                           ) paid ON TRUE
                     WHERE m.company_id = %(company)s
                       AND m.move_type = 'out_invoice'
                       AND m.state = 'posted'
                       AND m.payment_state IN ('paid', 'in_payment')
                       AND m.invoice_date >= (now() AT TIME ZONE 'UTC')::date - 365
                       AND paid.last_date IS NOT NULL
                  GROUP BY m.commercial_partner_id
                    """,
                    company=company.id,
                )
            )
            self.env.cr.cache[key] = social_norm([row[0] for row in self.env.cr.fetchall()])
        return self.env.cr.cache[key]

    @api.model
    def _hold_for_send_window(self, company, mail_by_reminder):
        """Emails of an arm with a send window wait for it (morning 9-12,
        afternoon 14-17 in the customer's time zone), after the quiet hours."""
        guardrails = self.env["payment.followup.guardrails"]
        now = guardrails._now()
        by_moment = {}
        for reminder, mail in mail_by_reminder.items():
            window = reminder.experiment_arm_id.send_window
            if not window:
                continue
            start, end = SEND_WINDOWS[window]
            base = max(now, mail.scheduled_date.replace(tzinfo=UTC)) if mail.scheduled_date else now
            moment = next_allowed_moment(
                base, guardrails._partner_tz(reminder.partner_id, company), start, end
            )
            if moment > now:
                by_moment.setdefault(moment.replace(tzinfo=None), []).append(mail.id)
        for moment, mail_ids in by_moment.items():
            self.env["mail.mail"].sudo().browse(mail_ids).write({"scheduled_date": moment})

    def _key(self):
        self.ensure_one()
        return f"payment.followup.experiment:{self.id}"

    # ------------------------------------------------------------------
    # outcomes (set-wise, from what the reminders demanded and the payments)
    # ------------------------------------------------------------------
    def _history_baseline(self):
        """The level's share paid within 14 days over the last 12 months, or
        None with fewer than 30 reminders to say it."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        rows = self._outcomes(
            [("level_id", "=", self.level_id.id)], today - timedelta(days=365), today
        )
        if len(rows) < 30:
            return None
        share = sum(1 for row in rows.values() if row["paid_14"]) / len(rows)
        return min(max(share, 0.01), 0.99)

    def _outcomes(self, reminder_domain, since, today):
        """{reminder id: {arm, owed, paid_7, paid_14, share_14, days}} of the
        delivered reminders matching ``reminder_domain`` since ``since`` whose
        14 days are over: what their overdue lines demanded (in the company's
        currency, as read when prepared), how much of it was reconciled within
        7 and 14 days of the delivery, and the days to the last payment."""
        Reminder = self.env["payment.followup.reminder"].sudo()
        reminders = Reminder.search(
            [
                *reminder_domain,
                ("state", "=", "delivered"),
                ("delivered_date", ">=", since),
                ("delivered_date", "<=", today - timedelta(days=WINDOW_DAYS)),
            ]
        )
        if not reminders:
            return {}
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH demanded AS (
                    SELECT r.id AS reminder_id, r.experiment_arm_id AS arm_id,
                           r.delivered_date AS day, l.move_id, l.amount_company AS owed
                      FROM payment_followup_reminder r
                      JOIN payment_followup_reminder_line l ON l.reminder_id = r.id
                     WHERE r.id IN %(ids)s AND l.days_late >= 1
                ),
                paid AS (
                    SELECT d.reminder_id, d.move_id, d.owed,
                           COALESCE(SUM(p.amount) FILTER (
                               WHERE p.max_date <= d.day + %(short)s), 0) AS paid_7,
                           COALESCE(SUM(p.amount) FILTER (
                               WHERE p.max_date <= d.day + %(long)s), 0) AS paid_14,
                           MAX(p.max_date) AS last_paid
                      FROM demanded d
                      JOIN account_move_line ml ON ml.move_id = d.move_id
                      JOIN account_account a ON a.id = ml.account_id
                                            AND a.account_type = 'asset_receivable'
                 LEFT JOIN account_partial_reconcile p ON p.debit_move_id = ml.id
                                                      AND p.max_date > d.day - 1
                  GROUP BY d.reminder_id, d.move_id, d.owed
                )
                SELECT d.reminder_id, MAX(d.arm_id), SUM(d.owed),
                       SUM(LEAST(p.paid_7, d.owed)), SUM(LEAST(p.paid_14, d.owed)),
                       MAX(p.last_paid) - MIN(d.day)
                  FROM demanded d
                  JOIN paid p ON p.reminder_id = d.reminder_id AND p.move_id = d.move_id
              GROUP BY d.reminder_id
                """,
                ids=tuple(reminders.ids),
                short=SHORT_WINDOW_DAYS,
                long=WINDOW_DAYS,
            )
        )
        result = {}
        for reminder_id, arm_id, owed, paid_7, paid_14, days in self.env.cr.fetchall():
            owed = owed or 0.0
            full = owed * 0.995
            result[reminder_id] = {
                "arm": arm_id,
                "owed": owed,
                "paid_7": bool(owed) and paid_7 >= full,
                "paid_14": bool(owed) and paid_14 >= full,
                "share_14": (paid_14 / owed) if owed else 0.0,
                "days": days,
            }
        return result

    def _figures(self):
        """{arm: (ArmFigures, outcomes)} of this experiment's arms."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        since = self.date_start or today
        rows = self._outcomes([("experiment_arm_id", "in", self.arm_ids.ids)], since, today)
        figures = {}
        for arm in self.arm_ids:
            mine = [row for row in rows.values() if row["arm"] == arm.id]
            figures[arm] = (
                ArmFigures(str(arm.id), len(mine), sum(1 for row in mine if row["paid_14"])),
                mine,
            )
        return figures

    def _comparisons(self):
        """{arm: Comparison} of the arms against the control."""
        self.ensure_one()
        figures = self._figures()
        control = self.arm_ids.filtered("is_control")[:1]
        if not control or not self.planned_size:
            return {}, figures
        others = [arm for arm in self.arm_ids if arm != control]
        compared = status(
            figures[control][0], [figures[arm][0] for arm in others], self.planned_size
        )
        return dict(zip(others, compared, strict=True)), figures
