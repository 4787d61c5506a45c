from odoo import api, models


class PaymentFollowupChannelSms(models.AbstractModel):
    """A short text to the customer's mobile through Odoo's own SMS service
    (``sms``): posted on the customer as an SMS message (visible in its
    history), queued, sent by Odoo's SMS queue at the customer's allowed hours.
    Its delivery state comes from Odoo's SMS tracking (sent, delivered, or the
    error, e.g. no credits), as the email's from its mail pipeline."""

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
            reminder: guardrails._sms_number(reminder.partner_id, check_blacklist=False)
            for reminder in reminders
        }
        blacklisted = guardrails._sms_blacklisted([n for n, why in numbers.values() if n])
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
