from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.misc import format_date

from ...engine.replies import pause_until


class ResCompany(models.Model):
    """The company's working days, and what "payment on its way" and fresh
    bank statements mean for it."""

    _inherit = "res.company"

    followup_evidence_days = fields.Integer(
        "Wait for a payment on its way (working days)",
        default=5,
        help="A payment started online and not confirmed yet (a wire transfer announced on the "
        "portal), or a reply saying an invoice is paid, keeps the invoice out of the reminders "
        "for these working days. A matching bank statement line keeps it out until it is "
        "reconciled.",
    )
    followup_statement_max_days = fields.Integer(
        "Bank statements fresher than (working days)",
        default=3,
        help="When the newest bank statement line is older than this, reminders past the first "
        "level wait until the statements are imported: a payment may be there. 0: no check. "
        "Companies without a bank journal or without any imported statement are not checked.",
    )

    @api.constrains("followup_evidence_days", "followup_statement_max_days")
    def _check_followup_evidence_days(self):
        if any(min(c.followup_evidence_days, c.followup_statement_max_days) < 0 for c in self):
            raise ValidationError(self.env._("Numbers of days cannot be negative."))

    def _followup_working_calendar(self, until):
        """(working weekdays, public holidays up to ``until``) of the
        company's working calendar (Monday to Friday without one)."""
        self.ensure_one()
        # read once per cursor and day (a run's batches share it)
        key = ("payment_followup_working_calendar", self.id, until)
        if key not in self.env.cr.cache:
            calendar = self.resource_calendar_id
            weekdays = {int(day) for day in calendar.attendance_ids.mapped("dayofweek")} or set(
                range(5)
            )
            holidays = set()
            for leave in calendar.global_leave_ids if calendar else ():
                day = leave.date_from.date()
                while day <= min(leave.date_to.date(), until):
                    holidays.add(day)
                    day += timedelta(days=1)
            self.env.cr.cache[key] = (weekdays, holidays)
        return self.env.cr.cache[key]

    def _followup_working_day_after(self, day, days):
        """The day ``days`` working days after ``day`` (``day`` itself for 0)."""
        weekdays, holidays = self._followup_working_calendar(day + timedelta(days=days * 3 + 14))
        return pause_until(day, days, weekdays, holidays)

    def _followup_working_day_before(self, today, days):
        """The start (a datetime) of the day ``days`` working days before
        ``today``: what happened since then is at most that many working days
        old."""
        self.ensure_one()
        day = today
        weekdays, holidays = self._followup_working_calendar(today)
        left = days
        while left:
            day -= timedelta(days=1)
            if day.weekday() in weekdays and day not in holidays:
                left -= 1
        return datetime.combine(day, time.min)

    def _followup_statements_age(self, today):
        """(stale, the newest statement line's date or None): whether the
        company's bank statements are older than it allows, on ``today``.
        Never stale without a bank journal, without any statement line, or
        with the check off."""
        self.ensure_one()
        if self.followup_statement_max_days <= 0:
            return False, None
        self.env["account.bank.statement.line"].flush_model()
        row = self.env.execute_query(
            SQL(
                """
                SELECT BOOL_OR(j.id IS NOT NULL), MAX(m.date)
                  FROM account_journal j
             LEFT JOIN account_bank_statement_line l ON l.journal_id = j.id
             LEFT JOIN account_move m ON m.id = l.move_id AND m.state = 'posted'
                 WHERE j.company_id = %(company)s AND j.type = 'bank' AND j.active
                """,
                company=self.id,
            )
        )
        has_bank, newest = row[0] if row else (False, None)
        if not has_bank or newest is None:
            # no bank journal, or no statement ever imported: nothing to wait for
            return False, None
        return self._followup_working_day_after(
            newest, self.followup_statement_max_days
        ) < today, newest

    def _followup_statements_warning(self):
        """What the accountant reads when the statements are too old (the
        dashboard, *Run follow-up now*), or False."""
        self.ensure_one()
        today = fields.Date.context_today(self.with_company(self))
        stale, newest = self._followup_statements_age(today)
        if not stale:
            return False
        return self.env._(
            "Bank statements are %(days)s days old (newest line: %(date)s): import them "
            "before reminders go out. Reminders past the first level wait until then.",
            days=(today - newest).days,
            date=format_date(self.env, newest),
        )
