from collections import defaultdict
from datetime import UTC, timedelta

from babel.dates import format_datetime

from odoo import api, fields, models
from odoo.tools.misc import babel_locale_parse

from ...engine.guardrails import call_attempt_allowed, next_allowed_moment
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
    def _email_block_reason(self, partner):
        """Why no email may go to this customer (False when one may)."""
        partner = partner.commercial_partner_id
        recipient = partner.followup_recipient_id
        if partner.followup_opt_out:
            return self.env._("Opted out of electronic reminders")
        if not recipient.email:
            return self.env._("No email address for %(contact)s", contact=recipient.display_name)
        if recipient.is_blacklisted:
            return self.env._("%(email)s is blacklisted", email=recipient.email)
        if recipient.followup_email_failing:
            return self.env._(
                "An earlier email to %(email)s failed (%(why)s): check the address",
                email=recipient.email,
                why=recipient.followup_email_failure or "",
            )
        return False

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
    def _sms_number(self, partner, check_blacklist=True):
        """(the follow-up contact's mobile in international E.164 format, or
        False; why no SMS may go to it, or False). ``check_blacklist=False``:
        the caller checks the phone blacklist for a whole set
        (``_sms_blacklisted``)."""
        partner = partner.commercial_partner_id
        recipient = partner.followup_recipient_id
        if partner.followup_opt_out:
            return False, self.env._("Opted out of electronic reminders")
        raw = recipient.mobile or recipient.phone or partner.mobile or partner.phone
        if not raw:
            return False, self.env._(
                "No mobile number for %(contact)s", contact=recipient.display_name
            )
        number = recipient._phone_format(
            number=raw, country=recipient.country_id or partner.country_id, force_format="E164"
        )
        if not number:
            return False, self.env._(
                "%(number)s is not a mobile number in international format (+32 470 12 34 56)",
                number=raw,
            )
        if check_blacklist and self._sms_blacklisted([number]):
            return False, self.env._("%(number)s asked not to receive text messages", number=number)
        return number, False

    @api.model
    def _sms_blacklisted(self, numbers):
        """The numbers of ``numbers`` (E.164) on Odoo's phone blacklist, in one
        query."""
        if not numbers:
            return set()
        rows = (
            self.env["phone.blacklist"]
            .sudo()
            .search_read([("number", "in", list(numbers)), ("active", "=", True)], ["number"])
        )
        return {row["number"] for row in rows}

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

    @api.model
    def _letter_block_reason(self, partner):
        if partner.commercial_partner_id.followup_opt_out_letter:
            return self.env._("No printed letters for this customer")
        return False

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

    # ------------------------------------------------------------------
    # the call cap
    # ------------------------------------------------------------------
    @api.model
    def _calls_blocked(self, company, partners):
        """{customer: reason} for the calls the guardrails forbid now (opt-out,
        cap, a recent conversation). One query for the whole set."""
        if not partners:
            return {}
        now = self._now()
        window = timedelta(days=company.followup_call_window_days)
        quiet = timedelta(days=company.followup_after_conversation_days)
        since = (now - max(window, quiet)).replace(tzinfo=None)
        Event = self.env["payment.followup.event"].sudo()
        base = [
            ("company_id", "=", company.id),
            ("partner_id", "in", partners.ids),
            ("date", ">", since),
        ]
        # contacts across channels count towards the cap: what was delivered,
        # and every call attempt booked
        attempts = dict(
            Event._read_group(
                base
                # the channels that reach the customer (the registry says which)
                + [("channel", "in", self.env["payment.followup.channel"]._codes(contact=True))]
                + ["|", ("channel", "=", "call"), *Event._delivered_domain()]
                + [("state", "=", "done")],
                ["partner_id"],
                ["date:array_agg"],
            )
        )
        talks = dict(
            Event._read_group(
                base + [("conversation", "=", True)], ["partner_id"], ["date:array_agg"]
            )
        )
        blocked = {}
        for partner in partners:
            if partner.followup_opt_out_phone:
                blocked[partner] = self.env._("No follow-up calls for this customer")
                continue
            decision = call_attempt_allowed(
                now,
                [d.replace(tzinfo=UTC) for d in attempts.get(partner, [])],
                [d.replace(tzinfo=UTC) for d in talks.get(partner, [])],
                max_attempts=company.followup_max_call_attempts,
                window=window,
                quiet_after_conversation=quiet,
            )
            if decision.allowed:
                continue
            label = self._local_time_label(decision.next_allowed.replace(tzinfo=None), partner)
            blocked[partner] = (
                self.env._("Call cap reached; next attempt allowed from %(moment)s", moment=label)
                if decision.reason == "cap"
                else self.env._(
                    "A conversation took place recently; next attempt allowed from %(moment)s",
                    moment=label,
                )
            )
        return blocked
