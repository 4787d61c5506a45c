import json

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .payment_followup_level import SEVERITIES, TIERS

CHANNELS = [
    ("email", "Email"),
    ("letter", "Printed letter"),
    ("activity", "Activity"),
    ("call", "Call"),
    ("review", "Review"),
    ("legal", "Legal case"),
    ("none", "No contact"),
]
STATES = [
    ("to_review", "To review"),
    ("to_print", "To print"),
    ("done", "Done"),
    ("blocked", "Blocked"),
    ("cancelled", "Cancelled"),
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
    plan_id = fields.Many2one(
        "payment.followup.plan", string="Payment plan", index="btree_not_null", ondelete="cascade"
    )
    promise_id = fields.Many2one(
        "payment.followup.promise", index="btree_not_null", ondelete="cascade"
    )
    delay_reason_id = fields.Many2one(
        "payment.followup.delay.reason", string="Reason for delay", ondelete="restrict"
    )
    note = fields.Text()
    dispute_closed_on = fields.Date(
        "Dispute settled on",
        readonly=True,
        help="A dispute is settled when its to-do is marked done or none of its invoices is open.",
    )
    via_portal = fields.Boolean(
        "By the customer",
        readonly=True,
        help="Done by the customer, via the portal (a proposal, a promise, a reason, a call "
        "booked, a preference changed).",
    )
    pack_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Documents (PDF)",
        ondelete="set null",
        index="btree_not_null",
        help="The one PDF sent or printed: the letter and the invoices it lists.",
    )

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

    @api.depends("invoice_ids.amount_residual", "partner_id.lang", "reminder_id")
    def _compute_invoice_totals(self):
        for event in self:
            # a reminder's own figures, as the customer read them
            source = event.reminder_id.line_ids or event.invoice_ids
            event.invoice_totals = self.env["res.partner"]._followup_format_totals(
                source, event.partner_id.lang
            )

    def action_print_letter(self):
        """Print the letters of the selected history lines as one PDF (a
        bookmark per letter). The letters waiting to be printed are marked
        printed, and their reminders delivered, only once that PDF exists."""
        self.env["payment.followup.team"]._check_user()
        letters = self.filtered(
            lambda e: e.channel == "letter" and e.reminder_id and e.state != "cancelled"
        )
        if not letters:
            raise UserError(self.env._("Select at least one printed-letter follow-up."))
        to_print = letters.filtered(lambda e: e.state == "to_print")
        # a letter no longer true is never printed: not sent yet, its reminder
        # is prepared again ("Refresh"); already sent by email, only the paper
        # copy is dropped, and the history says why
        untrue = to_print.filtered(lambda e: e.reminder_id.stale)
        sent = untrue.filtered(lambda e: e.reminder_id.state == "delivered")
        self.env["payment.followup.review"]._check_still_true(
            (untrue - sent).reminder_id, self.env._("print")
        )
        for event in sent:
            event.sudo().write(
                {
                    "state": "cancelled",
                    "result": self.env._(
                        "Not printed, no longer true: %(changes)s (the reminder went by email)",
                        changes=event.reminder_id.stale.replace("\n", "; "),
                    ),
                }
            )
        to_print -= sent
        letters -= sent
        if not letters:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "Nothing printed: %(count)s letters are no longer true and were "
                        "dropped (their reminders went by email).",
                        count=len(sent),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        Pack = self.env["payment.followup.pack"]
        attachments = Pack._print_letters(letters.reminder_id, letters)
        to_print.sudo().write(
            {
                "state": "done",
                "result": self.env._(
                    "Printed (one PDF of %(count)s letters)", count=len(letters.reminder_id)
                ),
            }
        )
        to_print.reminder_id.sudo()._mark_delivered(on=fields.Date.context_today(self))
        return Pack._download_action(attachments[:1])

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
        return self.env["payment.followup.send.wizard"]._notify(
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

    def _open_invoice_wizard(self, model, name):
        """One of the plan, promise and delay-reason wizards, on this event."""
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "form",
            "target": "new",
            "context": {"active_model": self._name, "active_ids": self.ids},
        }

    def action_propose_plan(self):
        return self._open_invoice_wizard(
            "payment.followup.plan.wizard", self.env._("Propose a payment plan")
        )

    def action_record_promise(self):
        return self._open_invoice_wizard(
            "payment.followup.promise.wizard", self.env._("Extend deadline / record promise")
        )

    def action_record_delay_reason(self):
        return self._open_invoice_wizard(
            "payment.followup.delay.wizard", self.env._("Record a reason for delay")
        )

    @api.model
    def _prepare_about_vals(self, record, result, state="done", channel="none", **extra):
        """An event about ``record`` (a plan, a promise or a wizard: anything with
        ``partner_id``, ``company_id`` and ``invoice_ids``), at the customer's
        current level."""
        partner = record.partner_id.commercial_partner_id
        company = record.company_id
        return self._prepare_event_vals(
            partner,
            company,
            partner.with_company(company).sudo().followup_level_id,
            channel,
            state,
            record.invoice_ids,
            result=result,
            **extra,
        )

    def _really_sent(self):
        """The reminders that really left: letters printed, emails the mail
        server sent (a queued or failed email is not claimed; a sent email Odoo
        has since deleted is). What a customer reads about our reminders."""
        return self.filtered(
            lambda e: e.state == "done"
            and (
                e.channel == "letter"
                or (
                    e.channel == "email"
                    and e.mail_message_id
                    and (not e.mail_id or e.mail_id.state == "sent")
                )
            )
        )

    @api.model
    def _log_about(self, records, result, link=None, **extra):
        """One event per record of ``records``, created at once. ``result`` is a
        text or a function of the record; ``link`` names the event's field that
        points back at the record (``plan_id``, ``promise_id``)."""
        return self.sudo().create(
            [
                self._prepare_about_vals(
                    record,
                    result(record) if callable(result) else result,
                    **({link: record.id} if link else {}),
                    **extra,
                )
                for record in records
            ]
        )

    @api.model
    def _create_bulk(self, vals_list):
        """Events of a whole batch in one INSERT (they are an append-only log);
        ``invoice_ids`` given as ``[Command.set(ids)]`` like for ``create``."""
        now = fields.Datetime.now()
        rows, links = [], []
        for vals in vals_list:
            row = dict(vals)
            commands = row.pop("invoice_ids", [])
            links.append([i for command in commands for i in command[2]] if commands else [])
            row.setdefault("date", now)
            row.setdefault("user_id", self.env.uid)
            row.setdefault("state", "done")
            row.setdefault("company_id", self.env.company.id)
            rows.append(row)
        events = self.env["payment.followup.bulk"]._insert(
            self._name, rows, many2many={"invoice_ids": links}
        )
        self._link_packs(
            {
                event_id: row["pack_attachment_id"]
                for event_id, row in zip(events.ids, rows, strict=True)
                if row.get("pack_attachment_id")
            }
        )
        return events

    @api.model
    def _link_packs(self, attachment_by_event):
        """{event id: attachment id}: each pack becomes its event's attachment
        (readable by whoever may read the event) and the event's PDF, in two
        statements."""
        if not attachment_by_event:
            return
        pairs = json.dumps({str(ev): att for ev, att in attachment_by_event.items()})
        self.env.cr.execute(
            SQL(
                """
                UPDATE ir_attachment a
                   SET res_model = %(model)s, res_id = v.key::int
                  FROM jsonb_each_text(%(pairs)s::jsonb) AS v(key, value)
                 WHERE a.id = v.value::int
                """,
                model=self._name,
                pairs=pairs,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE payment_followup_event e
                   SET pack_attachment_id = v.value::int
                  FROM jsonb_each_text(%(pairs)s::jsonb) AS v(key, value)
                 WHERE e.id = v.key::int
                """,
                pairs=pairs,
            )
        )
        self.browse(list(attachment_by_event)).invalidate_recordset(["pack_attachment_id"])
        self.env["ir.attachment"].browse(list(attachment_by_event.values())).invalidate_recordset(
            ["res_model", "res_id"]
        )

    @api.model
    def _prepare_event_vals(self, partner, company, level, channel, state, invoices, **extra):
        """Values of one follow-up event (one per action). In a portal request
        (context ``followup_via_portal``) the event says it was the customer."""
        if self.env.context.get("followup_via_portal"):
            extra["via_portal"] = True
            extra["user_id"] = False if self.env.user._is_public() else self.env.user.id
            if extra.get("result"):
                extra["result"] = self.env._(
                    "%(what)s (by the customer, via the portal)", what=extra["result"]
                )
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "level_id": level.id if level else False,
            "tier": level.tier if level else False,
            "channel": channel,
            "state": state,
            "invoice_ids": [fields.Command.set(invoices.ids)],
            **extra,
        }
