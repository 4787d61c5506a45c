from collections import defaultdict
from datetime import UTC, timedelta

from babel.numbers import format_decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import babel_locale_parse

from ...engine.sentences import clause
from ...engine.slots import SlotError, WorkPeriod, find_slots, slot_problems
from ...engine.zones import ZoneError, hhmm


class PaymentFollowupCalendar(models.AbstractModel):
    """Follow-up calls and meetings on Odoo's calendar: convenient slots (engine
    ``slots``), the check of a time typed by a person, and the booking itself
    (the invitation goes out in the customer's language and time zone)."""

    _name = "payment.followup.calendar"
    _description = "Payment follow-up calls and meetings"

    # ------------------------------------------------------------------
    # slots
    # ------------------------------------------------------------------
    @api.model
    def _slot_params(self, partner, user, company, busy_by_user=None, ignore=None, now=None):
        """What the slot engine needs: time zones, the company's working periods
        and holidays, the customer's window and weekdays, the user's meetings."""
        guardrails = self.env["payment.followup.guardrails"]
        now = now or guardrails._now()
        calendar = company.resource_calendar_id
        partner = partner.commercial_partner_id
        if busy_by_user is None:
            busy_by_user = self._busy_times(user, now, ignore=ignore)
        return {
            "now": now,
            "customer_tz": guardrails._partner_tz(partner, company),
            "company_tz": calendar.tz or company.partner_id.tz or "UTC",
            "work_periods": [
                WorkPeriod(int(att.dayofweek), att.hour_from, att.hour_to)
                for att in calendar.attendance_ids
                if att.day_period != "lunch" and not att.display_type
            ],
            "window": (partner.followup_hour_from, partner.followup_hour_to),
            "weekdays": partner.followup_weekday_ids.mapped("sequence") or range(5),
            "holidays": [
                (leave.date_from.replace(tzinfo=UTC), leave.date_to.replace(tzinfo=UTC))
                for leave in calendar.global_leave_ids
            ],
            "busy": busy_by_user.get(user.id, []),
            "min_notice": timedelta(hours=company.followup_min_notice_hours),
        }

    @api.model
    def _call_slots(self, partner, user, company, count=3, busy_by_user=None, ignore=None):
        """Convenient slots for a call with ``partner`` (engine ``find_slots``)."""
        params = self._slot_params(partner, user, company, busy_by_user, ignore)
        try:
            return find_slots(
                **params,
                duration=timedelta(hours=company.followup_call_duration),
                count=count,
            )
        except (SlotError, ZoneError) as err:
            raise UserError(
                self.env["payment.followup.message"]._engine_error(err, partner=partner)
            ) from err

    @api.model
    def _busy_times(self, users, now, days=35, ignore=None):
        """{user id: [(start, stop)]} of the users' meetings in the coming weeks
        (``ignore``: a meeting being moved)."""
        start = now.replace(tzinfo=None) if now.tzinfo else now
        meetings = (
            self.env["calendar.event"]
            .sudo()
            .search(
                [
                    ("partner_ids", "in", users.partner_id.ids),
                    ("stop", ">", start),
                    ("start", "<", start + timedelta(days=days)),
                    ("id", "not in", ignore.ids if ignore else []),
                ]
            )
        )
        busy = defaultdict(list)
        for meeting in meetings:
            for user in users:
                if user.partner_id in meeting.partner_ids:
                    busy[user.id].append(
                        (meeting.start.replace(tzinfo=UTC), meeting.stop.replace(tzinfo=UTC))
                    )
        return busy

    @api.model
    def _slot_label(self, slot):
        return self.env._(
            "%(customer_time)s for the customer, %(our_time)s for us",
            customer_time="%s (%s)"
            % (slot.customer_start.strftime("%a %d %b %H:%M"), slot.customer_start.tzname()),
            our_time="%s (%s)"
            % (slot.company_start.strftime("%a %d %b %H:%M"), slot.company_start.tzname()),
        )

    @api.model
    def _check_start(self, partner, user, company, start, stop, ignore=None):
        """Refuse a typed or moved time (naive UTC) that a proposed slot could not
        have: the customer's hours and weekdays, our working hours, holidays, the
        responsible's meetings, the notice and the quiet hours. The message
        proposes the nearest convenient times."""
        params = self._slot_params(partner, user, company, ignore=ignore)
        try:
            problems = slot_problems(start.replace(tzinfo=UTC), stop.replace(tzinfo=UTC), **params)
        except (SlotError, ZoneError) as err:
            raise UserError(
                self.env["payment.followup.message"]._engine_error(err, partner=partner)
            ) from err
        quiet = self.env["payment.followup.guardrails"]._quiet_hours_reason(company, partner, start)
        if not problems and not quiet:
            return
        labels = {
            "past": self.env._("it is in the past"),
            "notice": self.env._(
                "it leaves less than %(hours)s hours' notice",
                # "24 hours", "1.5 hours" (in the reader's number format)
                hours=format_decimal(
                    company.followup_min_notice_hours,
                    locale=babel_locale_parse(self.env.lang or "en_US"),
                ),
            ),
            "weekday": self.env._("it is not one of the customer's weekdays"),
            "customer_hours": self.env._(
                "it is outside the customer's hours (%(from)s-%(to)s, %(tz)s)",
                **{
                    "from": hhmm(partner.followup_hour_from),
                    "to": hhmm(partner.followup_hour_to),
                    "tz": params["customer_tz"],
                },
            ),
            "company_hours": self.env._("it is outside our working hours"),
            "holiday": self.env._("it falls on a public holiday"),
            "busy": self.env._("%(user)s has another meeting then", user=user.name),
        }
        reasons = [labels[code] for code in problems] + ([quiet] if quiet else [])
        nearest = self._call_slots(partner, user, company, ignore=ignore)
        raise UserError(
            self.env._(
                "This time does not suit a follow-up call: %(reasons)s.\n"
                "Nearest convenient times: %(slots)s",
                reasons="; ".join(clause(reason) for reason in reasons),
                slots="; ".join(self._slot_label(slot) for slot in nearest)
                or self.env._("none in the coming weeks"),
            )
        )

    # ------------------------------------------------------------------
    # booking, moving, cancelling
    # ------------------------------------------------------------------
    @api.model
    def _prepare_meeting_vals(self, partner, contact, user, company, start, stop, invoices, note):
        """The meeting as the customer reads it: title and text in the contact's
        language, the number we call as its location."""
        lang = contact.lang or partner._followup_lang(self.env.lang)
        _ = self.with_context(lang=lang).env._
        phone = contact.phone or contact.mobile or partner.phone or partner.mobile
        name = _(
            "%(company)s / %(customer)s: call about open invoices",
            company=company.name,
            customer=partner.display_name,
        )
        text = _(
            "We would like to talk with you about these open invoices: %(invoices)s.",
            invoices=", ".join(invoices.mapped("name")) or "-",
        )
        if phone:
            text += "\n" + _("We will call you at %(phone)s.", phone=phone)
        if note:
            text += "\n" + note
        return {
            "name": name,
            "start": start,
            "stop": stop,
            "user_id": user.id,
            # the invitations, updates and cancellations print the time in the
            # customer's zone (the contact's, else the customer's, else ours)
            "followup_tz": contact.tz
            or self.env["payment.followup.guardrails"]._partner_tz(partner, company),
            "partner_ids": [fields.Command.set((contact | user.partner_id).ids)],
            "res_model_id": self.env["ir.model"]._get_id("res.partner"),
            "res_id": partner.id,
            "location": phone or False,
            # plain text (the customer's note included): escaped, lines kept
            "description": self.env["payment.followup.message"]._plain_html(text),
            # our own activity for the responsible, so Odoo adds no second one
            "activity_ids": [
                fields.Command.create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                        "res_id": partner.id,
                        "activity_type_id": self.env.ref("mail.mail_activity_data_meeting").id,
                        "summary": self.env._(
                            "Follow-up call with %(customer)s", customer=partner.display_name
                        ),
                        "user_id": user.id,
                        "date_deadline": start.date(),
                    }
                )
            ],
        }

    @api.model
    def _book_call(self, partner, contact, user, company, start, stop, invoices, note=None):
        """A meeting with the follow-up contact; Odoo sends the invitation (with
        its .ics) in the contact's language and time zone. Without a phone
        number, the meeting gets a video-call link instead."""
        vals = self._prepare_meeting_vals(
            partner, contact, user, company, start, stop, invoices, note
        )
        meeting = self._as_sender(self.env["calendar.event"]).with_company(company).create(vals)
        if not vals["location"]:
            meeting._set_discuss_videocall_location()
            _ = self.with_context(lang=contact.lang or partner._followup_lang(self.env.lang)).env._
            meeting.description += "\n" + _(
                "Join the video call: %(url)s", url=meeting.videocall_location
            )
        # Odoo copies the meeting's title and text (the customer's language)
        # onto its activity: the responsible's to-do is in ours
        meeting.activity_ids.sudo().write(
            {
                "summary": self.env._(
                    "Follow-up call with %(customer)s", customer=partner.display_name
                ),
                "note": self.env["payment.followup.message"]._plain_html(
                    "\n".join(
                        filter(
                            None,
                            [
                                self.env._(
                                    "Invoices: %(invoices)s",
                                    invoices=", ".join(invoices.mapped("name")) or "-",
                                ),
                                note,
                            ],
                        )
                    )
                ),
            }
        )
        return meeting

    @api.model
    def _book_logged_call(
        self, partner, contact, user, company, start, stop, invoices, note=None, source=None
    ):
        """Book a call by hand (a person or the customer) and say in the history
        when and who was invited (``source``: the event it follows up)."""
        meeting = self._book_call(partner, contact, user, company, start, stop, invoices, note)
        self._log_call(
            partner,
            company,
            meeting,
            invoices,
            source,
            self.env._(
                "Call booked: %(when)s; the invitation was sent to %(email)s",
                when=self._local_label(meeting, partner),
                email=contact.email or self.env._("nobody (no email address)"),
            ),
            activity_id=meeting.activity_ids[:1].id,
        )
        return meeting

    @api.model
    def _move_call(self, meeting, partner, company, start, stop, source=None):
        """Move a booked call (Odoo tells the attendees the new time with its
        "date changed" message); returns (new time label, who was told)."""
        old = self._local_label(meeting, partner)
        self._as_sender(meeting).write({"start": start, "stop": stop})
        new = self._local_label(meeting, partner)
        told = ", ".join(
            meeting.attendee_ids.partner_id.filtered(
                lambda p: p != meeting.user_id.partner_id and p.email
            ).mapped("email")
        ) or self.env._("nobody (no email address)")
        self._log_call(
            partner,
            company,
            meeting,
            self.env["account.move"],
            source,
            self.env._(
                "Rescheduled from %(old)s to %(new)s; the new time was sent to %(emails)s",
                old=old,
                new=new,
                emails=told,
            ),
        )
        return new, told

    @api.model
    def _as_sender(self, records):
        """``records`` in superuser mode, telling every attendee. Odoo never
        emails the current user's own invitation: when the customer books or
        moves the call themselves (signed in on the portal), they are the
        current user and would not get theirs."""
        return records.sudo().with_context(mail_notify_author=self.env.user.share)

    @api.model
    def _log_call(self, partner, company, meeting, invoices, source, result, state="done", **extra):
        Event = self.env["payment.followup.event"].sudo()
        source = source or Event
        return Event.create(
            Event._prepare_event_vals(
                partner,
                company,
                source.level_id,
                "call",
                state,
                invoices,
                calendar_event_id=meeting.id,
                reminder_id=source.reminder_id.id,
                result=result,
                **extra,
            )
        )

    @api.model
    def _local_label(self, meeting, partner):
        """The meeting's time as the customer reads it."""
        guardrails = self.env["payment.followup.guardrails"]
        return guardrails._local_time_label(meeting.start, partner)

    @api.model
    def _cancel(self, meetings):
        """Archive the meetings and tell the attendees (customer side) in their
        language; returns {meeting: [emails told]}."""
        template = self.env.ref("payment_followup_plus.mail_template_call_cancelled")
        told = {}
        for meeting in meetings:
            attendees = meeting.attendee_ids.filtered(
                lambda att, m=meeting: att.partner_id != m.user_id.partner_id
                and att.partner_id.email
            )
            if attendees:
                template.sudo().send_mail_batch(attendees.ids)
            told[meeting] = attendees.partner_id.mapped("email")
        # the responsible's "call booked" to-do goes with the call (the
        # history keeps the cancellation); no contact took place
        meetings.sudo().activity_ids.unlink()
        meetings.sudo().action_archive()
        return told
