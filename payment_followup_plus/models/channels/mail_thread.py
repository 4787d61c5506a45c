from odoo import api, models


class MailThread(models.AbstractModel):
    """The mail gateway hears the customer: bounces of reminder emails and
    replies to them (the email adapter's ``_on_bounce``, ``payment.followup.reply``)."""

    _inherit = "mail.thread"

    @api.model
    def _routing_handle_bounce(self, email_message, message_dict):
        super()._routing_handle_bounce(email_message, message_dict)
        bounced = message_dict.get("bounced_message")
        if bounced:
            self.env["payment.followup.channel.email"].sudo()._on_bounce(
                bounced, message_dict.get("body")
            )

    @api.model
    def _message_route_process(self, message, message_dict, routes):
        Reply = self.env["payment.followup.reply"].sudo()
        reminders = Reply._answered_reminders(message_dict, routes)
        # the headers say whether it is an automatic reply (RFC 3834)
        headers = dict(message.items()) if reminders else {}
        thread_id = super()._message_route_process(message, message_dict, routes)
        if reminders:
            Reply._on_reply(reminders, message_dict, headers)
        return thread_id
