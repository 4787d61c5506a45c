from odoo import api, fields, models
from odoo.exceptions import UserError

from .payment_followup_level import SEVERITIES, TIERS

CHANNELS = [
    ("email", "Email"),
    ("letter", "Printed letter"),
    ("activity", "Activity"),
    ("call", "Call"),
    ("review", "Review"),
    ("legal", "Legal case"),
    ("reply", "Customer's reply"),
    ("none", "No contact"),
]
STATES = [
    ("to_review", "To review"),
    ("to_print", "To print"),
    ("done", "Done"),
    ("blocked", "Blocked"),
    ("cancelled", "Cancelled"),
]
# what reached the customer, per channel (one event per channel of a
# reminder): prepared (a letter to print, a call or to-do booked), queued (an
# email in the mail queue, perhaps held by the quiet hours), delivered (the
# outgoing server accepted the email; the letter was printed; the call was
# held), failed (refused by the server, an invalid or blacklisted address,
# printing failed) or bounced (the customer's server sent it back)
DELIVERY_STATES = [
    ("prepared", "Prepared"),
    ("queued", "Queued"),
    ("delivered", "Sent"),
    ("failed", "Failed"),
    ("bounced", "Bounced"),
]
TONES = [
    ("direct_formal", "Direct, formal"),
    ("direct_informal", "Direct, informal"),
    ("indirect_formal", "Indirect, formal"),
    ("indirect_informal", "Indirect, informal"),
]


class PaymentFollowupEvent(models.Model):
    _name = "payment.followup.event"
    _description = "Payment follow-up event"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now, index=True)
    level_id = fields.Many2one("payment.followup.level", ondelete="set null", check_company=True)
    tier = fields.Selection(TIERS)
    channel = fields.Selection(CHANNELS, required=True)
    tone = fields.Selection(TONES)
    severity = fields.Selection(SEVERITIES)
    state = fields.Selection(STATES, required=True, default="done", index=True)
    result = fields.Char(translate=False)
    delivery_state = fields.Selection(
        DELIVERY_STATES,
        string="Delivery",
        index="btree_not_null",
        readonly=True,
        help="What reached the customer: only a delivered reminder moves the ladder, starts "
        "the gap and the time to respond, and is referred to in later reminders.",
    )
    failure_reason = fields.Char("Why it failed", readonly=True)
    experiment_arm_id = fields.Many2one(
        related="reminder_id.experiment_arm_id", string="Experiment arm"
    )
    invoice_ids = fields.Many2many(
        "account.move",
        "payment_followup_event_invoice_rel",
        "event_id",
        "move_id",
        string="Invoices",
        check_company=True,
        help="The invoices an event without a reminder is about (a plan, a promise, "
        "a pause...); a reminder's events show the reminder's own invoices.",
    )
    reminder_invoice_ids = fields.Many2many(
        "account.move",
        string="Invoices concerned",
        compute="_compute_reminder_invoice_ids",
        search="_search_reminder_invoice_ids",
        help="The invoices of the reminder it belongs to, or those it is about.",
    )
    amount_overdue = fields.Monetary(
        "Total overdue", currency_field="company_currency_id", aggregator=False
    )
    reminder_id = fields.Many2one(
        "payment.followup.reminder", string="Reminder", index="btree_not_null", ondelete="cascade"
    )
    mail_body = fields.Html("Email as sent", related="mail_message_id.body", sanitize=False)
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    # indexed: when Odoo deletes a sent email or a done activity, the link is
    # cleared without scanning the whole history
    mail_id = fields.Many2one(
        "mail.mail", string="Email", ondelete="set null", index="btree_not_null"
    )
    mail_message_id = fields.Many2one("mail.message", ondelete="set null", index="btree_not_null")
    # the SMS (Odoo deletes sent SMS records: found again by their UUID)
    activity_id = fields.Many2one("mail.activity", ondelete="set null", index="btree_not_null")
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    calendar_event_id = fields.Many2one(
        "calendar.event", string="Meeting", ondelete="set null", index="btree_not_null"
    )
    meeting_start = fields.Datetime(related="calendar_event_id.start", string="Meeting time")
    conversation = fields.Boolean(
        help="A conversation with the customer took place (pauses further call attempts)."
    )
    scheduled_date = fields.Datetime(
        "Sent after", help="Held back by the quiet hours until this moment (UTC)."
    )
    invoice_totals = fields.Char("Total", compute="_compute_invoice_totals")
    delay_reason_id = fields.Many2one(
        "payment.followup.delay.reason", string="Reason for delay", ondelete="restrict"
    )
    note = fields.Text()
    stated_date = fields.Date(
        "Payment date stated", readonly=True, help="The payment date read in the customer's reply."
    )
    stated_amount = fields.Float("Amount stated", readonly=True)
    dispute_closed_on = fields.Date(
        "Dispute settled on",
        readonly=True,
        help="When the dispute case this event opened ended.",
    )
    via_portal = fields.Boolean(
        "By the customer",
        readonly=True,
        help="Done by the customer, via the portal (a proposal, a promise, a reason, a call "
        "booked, a preference changed).",
    )
    handed_to_person = fields.Boolean(
        "Handed to a person",
        readonly=True,
        help="When it was logged, this gave a person something to do (a to-do, a call, a "
        "case, a plan to review): the cockpit's first-contact resolution counts it so.",
    )
    pack_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Documents (PDF)",
        ondelete="set null",
        index="btree_not_null",
        help="The one PDF sent or printed: the letter and the invoices it lists.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "handed_to_person" not in vals:
                vals["handed_to_person"] = self._hands_to_person(vals)
        return super().create(vals_list)

    @api.model
    def _hands_to_person(self, vals):
        """Whether an event logged with ``vals`` gives a person something to
        do (hook: the plans part adds cases and plans to review)."""
        return bool(vals.get("activity_id") or vals.get("calendar_event_id"))

    @api.depends("invoice_ids", "reminder_id.line_ids.move_id")
    def _compute_reminder_invoice_ids(self):
        for event in self:
            event.reminder_invoice_ids = event.reminder_id.line_ids.move_id or event.invoice_ids

    def _search_reminder_invoice_ids(self, operator, value):
        return [
            "|",
            ("invoice_ids", operator, value),
            ("reminder_id.line_ids.move_id", operator, value),
        ]

    @api.depends("invoice_ids.amount_residual", "partner_id.followup_lang", "reminder_id")
    def _compute_invoice_totals(self):
        for event in self:
            # a reminder's own figures, as the customer read them
            source = event.reminder_id.line_ids or event.invoice_ids
            event.invoice_totals = self.env["res.partner"]._followup_format_totals(
                source, event.reminder_id.lang or event.partner_id._followup_lang()
            )

    def action_download_pack(self):
        """The PDF this event sent or printed (readable with the event)."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        if not self.pack_attachment_id:
            raise UserError(self.env._("This follow-up has no PDF."))
        return self.env["payment.followup.pack"]._download_action(self.pack_attachment_id)

    def action_log_conversation(self):
        """The call or meeting took place: no new attempt for a while, and the
        reminder that booked it is delivered."""
        self.env["payment.followup.team"]._check_user()
        self.sudo().write({"conversation": True})
        self.filtered(lambda e: e.channel == "call").sudo().write({"delivery_state": "delivered"})
        self.reminder_id.sudo()._mark_delivered(on=fields.Date.context_today(self))
        return True

    def action_reschedule(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        if not self.calendar_event_id.active:
            raise UserError(self.env._("Only a booked call or meeting can be rescheduled."))
        return self.env["payment.followup.schedule"]._open_wizard(
            self.partner_id, event=self, meeting=self.calendar_event_id
        )

    def action_cancel_meeting(self):
        self.env["payment.followup.team"]._check_user()
        meetings = self.calendar_event_id.filtered("active")
        if not meetings:
            raise UserError(self.env._("There is no booked call or meeting to cancel."))
        told = self.env["payment.followup.calendar"]._cancel(meetings)
        vals_list = []
        for event in self.filtered(lambda e: e.calendar_event_id in meetings):
            emails = ", ".join(told.get(event.calendar_event_id, []))
            vals_list.append(
                self._prepare_event_vals(
                    event.partner_id,
                    event.company_id,
                    event.level_id,
                    "call",
                    "cancelled",
                    event.reminder_invoice_ids,
                    calendar_event_id=event.calendar_event_id.id,
                    reminder_id=event.reminder_id.id,
                    result=self.env._(
                        "Meeting of %(date)s cancelled; the cancellation was sent to %(emails)s",
                        date=event.calendar_event_id.display_time,
                        emails=emails or self.env._("nobody (no email address)"),
                    ),
                )
            )
        self.sudo().create(vals_list)
        return self.env["payment.followup.message"]._notify(
            self.env._("Meeting cancelled"),
            self.env._(
                "The meeting is cancelled and the attendees were told: %(emails)s",
                emails=", ".join(e for emails in told.values() for e in emails)
                or self.env._("nobody (no email address)"),
            ),
            "success",
        )

    def action_schedule_call(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return self.env["payment.followup.schedule"]._open_wizard(self.partner_id, event=self)

    def _open_invoice_wizard(self, model, name, **defaults):
        """One of the plan, promise and delay-reason wizards, on this event."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": self._name,
                "active_ids": self.ids,
                **{f"default_{key}": value for key, value in defaults.items()},
            },
        }
