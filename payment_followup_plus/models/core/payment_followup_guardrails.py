from collections import defaultdict
from datetime import UTC

from babel.dates import format_datetime

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse

from ...engine.guardrails import next_allowed_moment
from ...engine.zones import hour_of_day, local_date, zone


class PaymentFollowupGuardrails(models.AbstractModel):
    """The contact guardrails, in front of every channel: opt-outs, quiet hours
    in the customer's time zone and the contact cap (engine ``guardrails``)."""

    _name = "payment.followup.guardrails"
    _description = "Payment follow-up contact guardrails"

    # ------------------------------------------------------------------
    # time: now, the customer's zone and day
    # ------------------------------------------------------------------
    @api.model
    def _now(self):
        """Now, aware (UTC): the moment the run works for (``followup_now`` in the
        context, e.g. a replay of past days), else the clock (tests move it with
        freeze_time)."""
        moment = self.env.context.get("followup_now")
        if moment:
            return moment
        return fields.Datetime.now().replace(tzinfo=UTC)

    @api.model
    def _partner_tz(self, partner, company=None):
        """The customer's time zone, else the company's, else UTC (never the
        time zone of whoever runs the cron)."""
        company = company or self.env.company
        return self._tz_of(partner.commercial_partner_id.tz or partner.tz, company)

    @api.model
    def _tz_of(self, partner_tz, company):
        """The same rule on a time zone already read (the decision's SQL rows);
        its SQL twin is ``account.move._followup_local_today_sql``."""
        return partner_tz or company.partner_id.tz or "UTC"

    @api.model
    def _partner_today(self, partner, now=None, company=None):
        return local_date(now or self._now(), self._partner_tz(partner, company))

    @api.model
    def _by_partner_today(self, records, today=None):
        """``records`` (with a customer and a company) grouped by their
        customer's today ({day: records}); ``today`` given: all on that day.
        A daily watch decides each customer's dates on the customer's day, not
        the day of whoever runs the cron."""
        if today:
            return {today: records}
        now = self._now()
        return records.grouped(
            lambda rec: self._partner_today(rec.partner_id, now=now, company=rec.company_id)
        )

    @api.model
    def _local_time_label(self, moment, partner, company=None):
        """``moment`` (naive UTC) in the customer's time zone, written in the
        reader's language: weekday, date, time and zone ("Tuesday 8 December
        2026, 09:30 (CET)")."""
        tz = self._partner_tz(partner, company)
        return self._moment_label(moment.replace(tzinfo=UTC).astimezone(zone(tz)))

    @api.model
    def _moment_label(self, local):
        """An aware datetime as people read it, in the reader's language."""
        locale = babel_locale_parse(self.env.lang or "en_US")
        text = format_datetime(local, "EEEE d MMMM y, HH:mm", locale=locale)
        return "%s (%s)" % (text, local.tzname())

    # ------------------------------------------------------------------
    # opt-outs and addresses
    # ------------------------------------------------------------------
    @api.model
    def _block_key(self, partner):
        """What the blocks of ``partner``'s channels depend on: while it stays the
        same, a blocked reminder is not tried again."""
        partner = partner.commercial_partner_id
        recipient = partner.followup_recipient_id
        return "|".join(
            str(value)
            for value in (
                partner.followup_opt_out,
                partner.followup_opt_out_letter,
                partner.followup_opt_out_phone,
                partner.followup_channel,
                recipient.id,
                recipient.email or "",
                recipient.is_blacklisted,
                recipient.followup_email_failing,
            )
        )

    @api.model
    def _quiet_until(self, company, partner):
        """The next moment (naive UTC) the customer may be contacted, or False
        when it is now (the quiet hours in the customer's time zone)."""
        now = self._now()
        moment = next_allowed_moment(
            now,
            self._partner_tz(partner, company),
            hour_of_day(company.followup_quiet_from),
            hour_of_day(company.followup_quiet_until),
        )
        return moment.replace(tzinfo=None) if moment > now else False

    # ------------------------------------------------------------------
    # quiet hours
    # ------------------------------------------------------------------
    @api.model
    def _hold_for_quiet_hours(self, company, mails, partner_by_mail):
        """Mails due outside the customer's allowed hours wait in the mail queue
        (``scheduled_date``) until the next allowed moment. One write per moment.
        ``partner_by_mail``: {mail id: customer}."""
        now = self._now()
        by_moment = defaultdict(list)
        for mail in mails:
            partner = partner_by_mail.get(mail.id)
            moment = next_allowed_moment(
                now,
                self._partner_tz(partner, company) if partner else "UTC",
                hour_of_day(company.followup_quiet_from),
                hour_of_day(company.followup_quiet_until),
            )
            if moment > now:
                by_moment[moment.replace(tzinfo=None)].append(mail.id)
        for moment, mail_ids in by_moment.items():
            self.env["mail.mail"].sudo().browse(mail_ids).write({"scheduled_date": moment})

    @api.model
    def _quiet_hours_reason(self, company, partner, start):
        """Why a call at ``start`` (naive UTC) falls in the customer's quiet
        hours (False when it does not)."""
        aware = start.replace(tzinfo=UTC)
        allowed = next_allowed_moment(
            aware,
            self._partner_tz(partner, company),
            hour_of_day(company.followup_quiet_from),
            hour_of_day(company.followup_quiet_until),
        )
        if allowed > aware:
            return self.env._(
                "%(moment)s is outside the hours the customer may be contacted.",
                moment=self._local_time_label(start, partner, company),
            )
        return False
