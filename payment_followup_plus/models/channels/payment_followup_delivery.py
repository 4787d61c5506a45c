from odoo import api, fields, models


class PaymentFollowupDelivery(models.AbstractModel):
    """What every channel's delivery hooks share: the events still waiting for
    an outcome, a reminder delivered on the customer's day, and the level's
    next channel when a channel did not reach the customer. Each channel's
    own hooks are in its adapter (the email's: ``_on_mails_processed``,
    ``_on_bounce``; the SMS's: ``_on_processed``)."""

    _name = "payment.followup.delivery"
    _description = "Payment follow-up: what reached the customer"

    @api.model
    def _queued_events(self, domain, states=("queued",), channel="email"):
        return (
            self.env["payment.followup.event"]
            .sudo()
            .search([("channel", "=", channel), ("delivery_state", "in", states), *domain])
        )

    @api.model
    def _deliver(self, reminders):
        """``reminders`` reached the customer (a channel's message was sent):
        delivered on the customer's day it was sent (never before the day it
        was prepared)."""
        guardrails = self.env["payment.followup.guardrails"]
        pending = reminders.filtered(lambda r: r.state == "pending")
        for day, group in pending.grouped(
            lambda r: max(r.date, guardrails._partner_today(r.partner_id, company=r.company_id))
        ).items():
            group._mark_delivered(on=day)

    @api.model
    def _fall_back(self, reminders, why=None):
        """``why``: what did not reach the customer (the email by default).
        The level's next channel at the same level, without climbing: a
        letter to print (unless the reminder has one already, or the customer
        refuses letters), else a call to-do for the collector."""
        _ = self.env._
        why = why or _("the email did not reach the customer")
        team = self.env["payment.followup.team"]
        Event = self.env["payment.followup.event"].sudo()
        for reminder in reminders.filtered(lambda r: r.state in ("pending", "delivered")):
            if reminder.state == "delivered":
                continue  # another channel reached the customer already
            channels = set(reminder.event_ids.mapped("channel"))
            if "letter" in channels and reminder.event_ids.filtered(
                lambda e: e.channel == "letter" and e.state in ("to_print", "done")
            ):
                continue  # its letter still goes (or went) on paper
            if not self.env["payment.followup.channel.letter"]._block_reason(reminder.partner_id):
                Event.create(
                    reminder._prepare_event_vals(
                        "letter",
                        "to_print",
                        delivery_state="prepared",
                        result=_("Letter ready to print: %(why)s", why=why),
                    )
                )
                continue
            activity = (
                self.env["mail.activity"]
                .sudo()
                .create(
                    team._prepare_todo_vals(
                        reminder.partner_id,
                        _(
                            "Call %(customer)s about the %(level)s: %(why)s",
                            customer=reminder.partner_id.display_name,
                            level=reminder.level_id.name,
                            why=why,
                        ),
                        team._responsible(reminder.partner_id, reminder.level_id),
                        fields.Date.context_today(self),
                        "followup",
                    )
                )
            )
            reminder.activity_id = activity
            Event.create(
                reminder._prepare_event_vals(
                    "activity",
                    "done",
                    delivery_state="prepared",
                    activity_id=activity.id,
                    result=_(
                        "Call to-do for %(user)s: %(why)s", user=activity.user_id.name, why=why
                    ),
                )
            )
