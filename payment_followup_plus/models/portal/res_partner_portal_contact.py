from datetime import timedelta

import pytz

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize

from ...engine.portal_input import parse_datetime, parse_email, parse_hours, parse_ids
from ...engine.zones import hhmm
from ..core.res_partner import FOLLOWUP_CHANNELS

OPT_OUTS = (
    ("opt_out_email", "followup_opt_out"),
    ("opt_out_phone", "followup_opt_out_phone"),
    ("opt_out_letter", "followup_opt_out_letter"),
)
SLOTS_OFFERED = 6


class ResPartner(models.Model):
    """How and when the customer wants to hear from us, set by the customer on
    the payments page: preferences, a follow-up call to book, move or cancel.
    The partner (``self``) is the commercial partner the controller checked,
    ``form`` what the browser sent."""

    _inherit = "res.partner"

    # ------------------------------------------------------------------
    # preferences
    # ------------------------------------------------------------------
    def _followup_portal_preferences(self, form):
        partner = self
        channel = form.get("channel")
        if channel not in dict(FOLLOWUP_CHANNELS):
            raise UserError(self.env._("Please choose how you want to receive reminders."))
        tz = form.get("tz")
        if tz not in pytz.all_timezones_set:
            raise UserError(self.env._("Please choose your time zone in the list."))
        lang = form.get("lang")
        if lang not in dict(self.env["res.lang"].get_installed()):
            raise UserError(self.env._("Please choose a language in the list."))
        hour_from, hour_to = self._followup_portal_input(
            parse_hours, form.get("hour_from"), form.get("hour_to")
        )
        weekdays = self.env["payment.followup.weekday"].sudo().search([])
        weekday_ids = self._followup_portal_input(
            parse_ids, form.get("weekday_ids") or [], set(weekdays.ids), required=False
        )
        if not weekday_ids:
            raise UserError(self.env._("Please choose at least one day when we may call you."))
        email = form.get("email") if isinstance(form.get("email"), str) else ""
        if email.strip():
            # one plain address (claire@@nowhere, a display name or a list are refused)
            email = self._followup_portal_input(parse_email, email)
        vals = {
            "followup_channel": channel,
            "tz": tz,
            "lang": lang,
            "followup_hour_from": hour_from,
            "followup_hour_to": hour_to,
            "followup_weekday_ids": [fields.Command.set(weekday_ids)],
        }
        for key, field in OPT_OUTS:
            vals[field] = bool(form.get(key))
        # the history line is read by our people: in the company's language
        staff = partner._followup_portal_staff()
        changes = staff._followup_portal_changes(vals)
        partner.sudo().write(vals)
        contact = partner.followup_recipient_id
        if email and email_normalize(email) != email_normalize(contact.email or ""):
            changes.append(staff._followup_set_contact_email(email))
        if not changes:
            return self.env._("Nothing changed.")
        partner._followup_portal_log(
            staff.env._("Preferences changed: %(what)s", what="; ".join(changes))
        )
        return self.env._("Thank you, your preferences are saved. They apply from tomorrow.")

    def _followup_portal_changes(self, vals):
        """What the customer changed, as labels with the new value."""
        partner = self
        changes = []
        for name, value in vals.items():
            field = partner._fields[name]
            old = partner[name]
            if field.type == "many2many":
                new = self.env[field.comodel_name].sudo().browse(value[0][2])
                if new != old:
                    changes.append(
                        "%s: %s"
                        % (field.get_description(self.env)["string"], ", ".join(new.mapped("name")))
                    )
                continue
            if old == value or (field.type == "float" and abs((old or 0) - value) < 1e-6):
                continue
            if field.type == "selection":
                shown = dict(field._description_selection(self.env)).get(value, value)
            elif field.type == "boolean":
                shown = self.env._("yes") if value else self.env._("no")
            elif field.type == "float":
                shown = hhmm(value)
            else:
                shown = value
            changes.append("%s: %s" % (field.get_description(self.env)["string"], shown))
        return changes

    def _followup_set_contact_email(self, email):
        """Reminders go to this address from now on: an existing contact of the
        customer with it, else a new invoicing contact."""
        partner = self
        email = email_normalize(email)
        Partner = self.env["res.partner"].sudo()
        contact = Partner.search(
            [("commercial_partner_id", "=", partner.id), ("email_normalized", "=", email)],
            limit=1,
        )
        if not contact:
            contact = Partner.create(
                {
                    "parent_id": partner.id,
                    "type": "invoice",
                    "name": self.env._("Accounts payable"),
                    "email": email,
                    "lang": partner.lang,
                }
            )
        partner.sudo().followup_contact_id = contact if contact != partner else False
        return self.env._("Reminders sent to: %(email)s", email=email)

    # ------------------------------------------------------------------
    # calls
    # ------------------------------------------------------------------
    def _followup_call_slots(self):
        """The times offered for a call: in the customer's hours and our
        working hours, with enough notice, never at night for the customer."""
        partner = self.sudo()
        company = partner._followup_portal_company()
        user = partner._followup_portal_responsible(company)
        calendar = self.env["payment.followup.calendar"].sudo().with_company(company)
        try:
            return calendar._call_slots(partner, user, company, count=SLOTS_OFFERED)
        except UserError:
            # the calendar's reason is written for our people ("the customer's
            # preferred hours"): the customer reads what they can do about it
            raise UserError(
                self.env._(
                    "No time suits both your calling hours (%(start)s to %(end)s, %(tz)s) and "
                    'our working hours. You can change your calling hours under "How we '
                    'contact you", or tell us what is going on and we will reply.',
                    start=hhmm(partner.followup_hour_from),
                    end=hhmm(partner.followup_hour_to),
                    tz=self.env["payment.followup.guardrails"]._partner_tz(partner, company),
                )
            ) from None

    def _followup_portal_staff(self, company=None):
        """The customer, in the language our people read (history, to-dos);
        ``company``: the customer's, when the caller has it already."""
        partner = self
        company = company or partner._followup_portal_company()
        return self.with_context(lang=self.env["payment.followup.team"]._staff_lang(company))

    def _followup_portal_company(self):
        partner = self
        invoices = partner._followup_portal_invoices()
        return invoices.company_id[:1] or partner.company_id or self.env.company

    def _followup_book_call(self, form):
        """Book the chosen slot, or move a booked call (``meeting_id``) to it."""
        partner = self
        if partner.followup_opt_out_phone:
            raise UserError(
                self.env._(
                    "You asked us not to call you. Change your preferences below first if "
                    "you would like a call."
                )
            )
        start = self._followup_portal_input(parse_datetime, form.get("slot"))
        slots = {slot.start.replace(tzinfo=None): slot for slot in partner._followup_call_slots()}
        if start not in slots:
            raise UserError(
                self.env._("This time is no longer free. Please choose one of the times shown.")
            )
        company = partner._followup_portal_company()
        stop = slots[start].end.replace(tzinfo=None)
        calendar = (
            self.env["payment.followup.calendar"]
            .sudo()
            .with_company(company)
            .with_context(
                followup_via_portal=True, lang=partner._followup_portal_staff(company).env.lang
            )
        )
        # what the customer reads: in the page's language
        label = calendar.with_context(lang=self.env.lang)._local_label
        if form.get("meeting_id"):
            meeting = partner._followup_portal_meeting(form)
            calendar._move_call(meeting, partner, company, start, stop)
            return self.env._("Your call is moved to %(when)s.", when=label(meeting, partner))
        partner._followup_portal_check_limit(company)  # also serialises
        booked = partner._followup_booked_calls()
        if booked:
            raise UserError(
                self.env._(
                    "You already have a call booked (%(when)s): move or cancel it instead.",
                    when=label(booked[:1], partner),
                )
            )
        invoices = partner._followup_portal_invoices()
        meeting = calendar._book_logged_call(
            partner,
            partner.followup_recipient_id,
            partner._followup_portal_responsible(company),
            company,
            start,
            stop,
            invoices.filtered(lambda m: m.company_id == company),
            note=self._followup_portal_text(form, "note") or None,
        )
        when = label(meeting, partner)
        email = partner.followup_recipient_id.email
        if not email:
            return self.env._("Your call is booked for %(when)s.", when=when)
        return self.env._(
            "Your call is booked for %(when)s. The invitation is on its way to %(email)s.",
            when=when,
            email=email,
        )

    def _followup_portal_meeting(self, form):
        partner = self
        calls = partner._followup_booked_calls()
        ids = self._followup_portal_input(parse_ids, [form.get("meeting_id")], set(calls.ids))
        return calls.browse(ids)

    def _followup_cancel_call(self, form):
        partner = self
        meeting = partner._followup_portal_meeting(form)
        company = partner._followup_portal_company()
        staff = partner._followup_portal_staff(company).env
        calendar = (
            self.env["payment.followup.calendar"]
            .sudo()
            .with_company(company)
            .with_context(followup_via_portal=True, lang=staff.lang)
        )
        when = calendar._local_label(meeting, partner)
        calendar._cancel(meeting)
        calendar._log_call(
            partner,
            company,
            meeting,
            self.env["account.move"],
            None,
            staff._("Call of %(when)s cancelled", when=when),
            state="cancelled",
        )
        when = calendar.with_context(lang=self.env.lang)._local_label(meeting, partner)
        return self.env._("Your call of %(when)s is cancelled.", when=when)

    # ------------------------------------------------------------------
    # links
    # ------------------------------------------------------------------
    def _followup_send_fresh_link(self):
        """Email a new link to the follow-up contact (an expired one was used)."""
        partner = self
        contact = partner.followup_recipient_id
        if not contact.email:
            raise UserError(
                self.env._("We have no email address for you. Please sign in or call us.")
            )
        company = partner._followup_portal_company()
        sent = (
            self.env["payment.followup.event"]
            .sudo()
            .search_count(
                [
                    ("partner_id", "=", partner.id),
                    ("via_portal", "=", True),
                    ("channel", "=", "none"),
                    ("date", ">=", fields.Datetime.now() - timedelta(days=1)),
                ]
            )
        )
        if sent >= company.followup_portal_daily_limit:
            raise UserError(
                self.env._(
                    "We have already sent you several links today. Please use the last one, "
                    "sign in, or call us."
                )
            )
        template = self.env.ref("payment_followup_plus.mail_template_portal_link")
        template.sudo().with_context(followup_link=partner._followup_portal_url(company)).send_mail(
            partner.id, email_values={"email_to": contact.email_formatted}
        )
        staff = partner._followup_portal_staff(company).env
        partner._followup_portal_log(staff._("A fresh link to the payments page was sent"))
        return contact.email

    def _followup_portal_log(self, result):
        partner = self
        company = partner._followup_portal_company()
        Event = self.env["payment.followup.event"].sudo().with_context(followup_via_portal=True)
        return Event.create(
            Event._prepare_event_vals(
                partner, company, False, "none", "done", self.env["account.move"], result=result
            )
        )
