from odoo import api, fields, models


class PaymentFollowupChannelSms(models.AbstractModel):
    """A short text to the customer's mobile through Odoo's own SMS service
    (``sms``): posted on the customer as an SMS message (visible in its
    history), queued, sent by Odoo's SMS queue at the customer's allowed hours.
    Its delivery state comes from Odoo's SMS tracking (sent, delivered, or the
    error, e.g. no credits), as the email's from its mail pipeline.

    Everything the SMS channel knows is in this file: who may get one (the
    number, the blocked list), its text, its delivery, its failures in words,
    and what it adds to Odoo's SMS, the reminder and the history. Beside it:
    the level's ``send_sms`` field, its line in the level's form and the SMS
    template (``data/sms_template_data.xml``)."""

    _name = "payment.followup.channel.sms"
    _inherit = "payment.followup.channel"
    _description = "Payment follow-up by SMS"
    _channel = "sms"
    _sequence = 35
    _level_field = "send_sms"
    _contact = True

    @api.model
    def _perform(self, reminders):
        guardrails = self.env["payment.followup.guardrails"]
        template = self.env.ref("payment_followup_plus.sms_template_payment_reminder")
        bodies = template._render_field("body", reminders.ids, compute_lang=True)
        company = reminders.company_id[:1]
        results, queued = [], []
        numbers = {
            reminder: self._number(reminder.partner_id, check_blacklist=False)
            for reminder in reminders
        }
        blacklisted = self._blacklisted([n for n, why in numbers.values() if n])
        for reminder in reminders:
            partner = reminder.partner_id.commercial_partner_id
            number, reason = numbers[reminder]
            if not reason and number in blacklisted:
                reason = self.env._("%(number)s asked not to receive text messages", number=number)
            if reason:
                results.append(self._result(reminder, "blocked", "blocked", reason))
                continue
            recipient = partner.followup_recipient_id
            message = partner.sudo()._message_sms(
                bodies[reminder.id],
                partner_ids=recipient.ids,
                sms_pid_to_number={recipient.id: number},
                put_in_queue=True,
            )
            queued.append((reminder, partner, number, message))
        # the queued SMS of the whole set in one search, held by the quiet hours
        # with one write per moment
        sms_by_message = (
            self.env["sms.sms"]
            .sudo()
            .search([("mail_message_id", "in", [message.id for *__, message in queued])])
            .grouped("mail_message_id")
        )
        self.env["sms.sms"].sudo().concat(*sms_by_message.values()).write(
            {"followup_tracked": True}
        )
        later = {}
        for reminder, partner, number, message in queued:
            sms = sms_by_message.get(message, self.env["sms.sms"])
            moment = guardrails._quiet_until(company, partner)
            if moment:
                later.setdefault(moment, self.env["sms.sms"].sudo())
                later[moment] |= sms
            results.append(
                self._result(
                    reminder,
                    "pending",
                    "done",
                    self.env._("SMS queued for %(number)s", number=number),
                    delivery="queued",
                    sms_uuid=sms[:1].uuid,
                    mail_message_id=message.id,
                )
            )
        for moment, sms in later.items():
            sms.write({"followup_send_after": moment})
        return results

    @api.model
    def _failure_words(self, failure_type):
        """Why an SMS was not sent, as a person says it (Odoo's SMS failure
        type, or none: it was cancelled)."""
        _ = self.env._
        return {
            "sms_credit": _("no SMS credit left on our SMS account"),
            "sms_acc": _("our SMS account is not registered"),
            "sms_server": _("the SMS service could not be reached"),
            "sms_number_missing": _("no mobile number"),
            "sms_number_format": _("the mobile number is not valid"),
            "sms_country_not_supported": _("texts to this country are not possible"),
            "sms_registration_needed": _("texts to this country need a registration first"),
            "sms_blacklist": _("the number is on the blocked list"),
            "sms_optout": _("the customer asked for no texts"),
            "sms_duplicate": _("the same text was sent already"),
        }.get(failure_type) or (
            _("the SMS service refused it") if failure_type else _("it was cancelled")
        )

    @api.model
    def _number(self, partner, check_blacklist=True):
        """(the follow-up contact's mobile in international E.164 format, or
        False; why no SMS may go to it, or False). ``check_blacklist=False``:
        the caller checks the phone blacklist for a whole set
        (``_blacklisted``)."""
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
        if check_blacklist and self._blacklisted([number]):
            return False, self.env._("%(number)s asked not to receive text messages", number=number)
        return number, False

    @api.model
    def _blacklisted(self, numbers):
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
    def _text(self, _, severity, company, total, days, url):
        """The text of a reminder's SMS: short, the amount and the link."""
        if severity == "final":
            return _(
                "%(company)s: final notice, %(total)s overdue. Please pay or contact us within "
                "%(days)s days: %(url)s",
                company=company,
                total=total,
                days=days,
                url=url,
            )
        return _(
            "%(company)s: %(total)s overdue. Pay, or tell us what is going on: %(url)s",
            company=company,
            total=total,
            url=url,
        )

    @api.model
    def _on_processed(self, sms):
        """After Odoo's SMS tracking changed the state of ``sms``: accepted by
        the SMS service or delivered delivers the reminder; an error (no
        credits, a refused number...) or a cancellation fails it, with Odoo's
        reason, and the level's next channel takes over."""
        uuids = [uuid for uuid in sms.mapped("uuid") if uuid]
        delivery = self.env["payment.followup.delivery"].sudo()
        events = uuids and delivery._queued_events([("sms_uuid", "in", uuids)], channel="sms")
        if not events:
            return
        state = {record.uuid: record for record in sms}
        sent = events.filtered(lambda e: state[e.sms_uuid].state in ("pending", "sent"))
        failed = events.filtered(lambda e: state[e.sms_uuid].state in ("error", "canceled"))
        for event in sent:
            event.write(
                {
                    "delivery_state": "delivered",
                    "failure_reason": False,
                    "result": self.env._(
                        "SMS sent to %(number)s", number=state[event.sms_uuid].number
                    ),
                }
            )
        delivery._deliver(sent.reminder_id)
        why = {}  # reminder: why its SMS was not sent, said once for both lines
        for event in failed:
            record = state[event.sms_uuid]
            reason = self._failure_words(record.failure_type if record.state == "error" else None)
            why[event.reminder_id] = reason
            event.write(
                {
                    "delivery_state": "failed",
                    "failure_reason": reason,
                    "result": self.env._(
                        "SMS could not be sent to %(number)s: %(why)s",
                        number=record.number,
                        why=reason,
                    ),
                }
            )
        # the level's next channel only when nothing else may still reach them
        alone = failed.reminder_id.filtered(
            lambda r: (
                not r.event_ids.filtered(
                    lambda e: (
                        e.channel != "sms"
                        and e.delivery_state in ("prepared", "queued", "delivered")
                    )
                )
            )
        )
        for reminder in alone:
            delivery._fall_back(
                reminder,
                why=self.env._("the SMS could not be sent (%(why)s)", why=why[reminder]),
            )


class PaymentFollowupReminder(models.Model):
    _inherit = "payment.followup.reminder"

    sms_text = fields.Char("SMS", compute="_compute_sms_text")

    @api.depends("overdue_totals", "severity", "lang", "response_days")
    def _compute_sms_text(self):
        Sms = self.env["payment.followup.channel.sms"]
        for rem in self:
            rem.sms_text = Sms._text(
                rem._lang_env()._,
                rem.severity,
                rem.company_id.name,
                rem.overdue_totals or rem.due_soon_totals or "",
                rem.response_days,
                rem.payments_url,
            )


class PaymentFollowupEvent(models.Model):
    _inherit = "payment.followup.event"

    channel = fields.Selection(
        selection_add=[("letter",), ("sms", "SMS")], ondelete={"sms": "cascade"}
    )
    sms_uuid = fields.Char("SMS", index="btree_not_null", readonly=True)


class SmsSms(models.Model):
    """A follow-up SMS waits for the customer's allowed hours in Odoo's SMS
    queue, and tells its reminder what became of it on every state change
    (sent, delivered, error): ``_on_processed`` above."""

    _inherit = "sms.sms"

    followup_send_after = fields.Datetime(
        "Not before", index="btree_not_null", help="The customer's quiet hours end then."
    )
    # set when the follow-up queues it: the SMS of other modules cost nothing
    # here (the default is written, so a new SMS's mark is known without a read)
    followup_tracked = fields.Boolean("Follow-up SMS", default=False, readonly=True)

    @api.model
    def _process_queue(self, ids=None):
        waiting = set(
            self.search(
                [("state", "=", "outgoing"), ("followup_send_after", ">", fields.Datetime.now())]
            ).ids
        )
        if waiting:
            ready = self.search(
                [("state", "=", "outgoing"), ("to_delete", "!=", True)], limit=10000
            ).ids
            allowed = set(ready) - waiting
            ids = [i for i in (ids or ready) if i in allowed]
            if not ids:
                return None
        return super()._process_queue(ids)

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            tracked = self.filtered("followup_tracked")
            if tracked:
                self.env["payment.followup.channel.sms"].sudo()._on_processed(tracked)
        return result
