from odoo import api, models
from odoo.tools import SQL


class PaymentFollowupChannelEmail(models.AbstractModel):
    """Reminders by email: rendered from the reminder with its mail template,
    queued in Odoo's mail queue as a message in the customer's chatter, held by
    the quiet hours of the customer's time zone."""

    _name = "payment.followup.channel.email"
    _inherit = "payment.followup.channel"
    _description = "Payment follow-up by email"
    _channel = "email"

    @api.model
    def _perform(self, reminders):
        guardrails = self.env["payment.followup.guardrails"]
        # read what the checks need for all reminders at once
        reminders.partner_id.followup_recipient_id.mapped("is_blacklisted")
        results, sendable = [], reminders.browse()
        for reminder in reminders:
            reason = guardrails._email_block_reason(reminder.partner_id)
            if reason:
                results.append(self._result(reminder, "blocked", "blocked", reason))
            else:
                sendable |= reminder
        mails = self._send(sendable)
        for reminder in sendable:
            mail = mails.get(reminder)
            label = self._queued_label(reminder, mail)
            reminder.write({"mail_id": mail.id, "mail_message_id": mail.mail_message_id.id})
            results.append(
                self._result(
                    reminder,
                    "delivered",
                    "done",
                    label,
                    mail_id=mail.id,
                    mail_message_id=mail.mail_message_id.id,
                    scheduled_date=mail.scheduled_date,
                )
            )
        return results

    @api.model
    def _send(self, reminders):
        """{reminder: mail.mail} queued, one template render per template."""
        if not reminders:
            return {}
        default = self.env.ref("payment_followup_plus.mail_template_payment_reminder")
        company = reminders.company_id[:1]
        invoices = reminders.line_ids.move_id
        self._ensure_access_tokens(invoices)
        # what the invoice links need, read for every reminder at once
        invoices.mapped("access_url")
        invoices.mapped("access_token")
        comment = self.env.ref("mail.mt_comment")
        vals_list, order = [], []
        for template, group in reminders.grouped(
            lambda rem: rem.level_id.mail_template_id or default
        ).items():
            rendered = (
                template.with_company(company)
                .sudo()
                ._generate_template(
                    group.ids,
                    ("body_html", "email_cc", "email_from", "partner_to", "reply_to", "subject"),
                )
            )
            for reminder in group:
                values = rendered[reminder.id]
                vals_list.append(
                    {
                        "model": "res.partner",
                        "res_id": reminder.partner_id.id,
                        "subject": values.get("subject"),
                        "body_html": values.get("body_html"),
                        "body": values.get("body_html"),
                        "email_from": values.get("email_from") or company.email_formatted,
                        "reply_to": values.get("reply_to") or False,
                        "email_cc": values.get("email_cc") or False,
                        "recipient_ids": [(4, pid) for pid in values.get("partner_ids") or []],
                        "author_id": (reminder.user_id.partner_id or company.partner_id).id,
                        "message_type": "comment",
                        "subtype_id": comment.id,
                        "auto_delete": False,
                    }
                )
                order.append(reminder)
        mails = self.env["mail.mail"].sudo().create(vals_list)
        by_reminder = dict(zip(order, mails, strict=True))
        self.env["payment.followup.guardrails"]._hold_for_quiet_hours(
            company, mails, {mail.id: rem.partner_id for rem, mail in by_reminder.items()}
        )
        return by_reminder

    @api.model
    def _ensure_access_tokens(self, invoices):
        """Portal tokens for the invoice links, in one statement."""
        missing = invoices.filtered(lambda m: not m.access_token)
        if not missing:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::varchar "
                "WHERE id IN %s AND access_token IS NULL",
                tuple(missing.ids),
            )
        )
        missing.invalidate_recordset(["access_token"])

    @api.model
    def _queued_label(self, reminder, mail):
        recipient = reminder.recipient_id.email or reminder.partner_id.email
        if mail.scheduled_date:
            return self.env._(
                "Queued to %(email)s, held by the quiet hours until %(moment)s",
                email=recipient,
                moment=self.env["payment.followup.guardrails"]._local_time_label(
                    mail.scheduled_date, reminder.partner_id
                ),
            )
        return self.env._("Queued to %(email)s", email=recipient)
