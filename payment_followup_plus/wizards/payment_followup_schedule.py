from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.slots import SlotError


class PaymentFollowupSchedule(models.TransientModel):
    _name = "payment.followup.schedule"
    _description = "Schedule a follow-up call or meeting"
    _inherit = ["payment.followup.number.mixin"]

    partner_id = fields.Many2one("res.partner", string="Customer", required=True, readonly=True)
    contact_id = fields.Many2one("res.partner", string="Attendee", required=True)
    user_id = fields.Many2one("res.users", string="Responsible", required=True)
    invoice_ids = fields.Many2many("account.move", string="Invoices")
    source_event_id = fields.Many2one("payment.followup.event", readonly=True)
    meeting_id = fields.Many2one("calendar.event", string="Meeting to move", readonly=True)
    slot_ids = fields.One2many("payment.followup.schedule.slot", "wizard_id", readonly=True)
    slot_id = fields.Many2one(
        "payment.followup.schedule.slot", string="Proposed time", domain="[('wizard_id', '=', id)]"
    )
    start = fields.Datetime(compute="_compute_start", store=True, readonly=False)
    duration = fields.Float(
        default=lambda self: self.env.company.followup_call_duration, required=True
    )
    customer_tz = fields.Selection(related="partner_id.tz", string="Customer's time zone")
    note = fields.Text()

    @api.depends("slot_id")
    def _compute_start(self):
        for wizard in self:
            if wizard.slot_id:
                wizard.start = wizard.slot_id.start

    @api.model
    def _open_wizard(self, partner, event=None, meeting=None, invoices=None):
        """Create the wizard with its proposed slots, and open it."""
        partner = partner.commercial_partner_id
        company = self.env.company
        user = partner.followup_responsible_id or self.env.user
        Run = self.env["payment.followup.run"]
        try:
            now = fields.Datetime.now()
            busy = Run._busy_times(user, now, ignore=meeting)
            slots = Run._call_slots(partner, user, company, now, busy_by_user=busy)
        except SlotError as err:
            raise UserError(Run._slot_error_message(err, partner)) from err
        if invoices is None:
            invoices = event.invoice_ids if event else partner.followup_overdue_invoice_ids
        wizard = self.create(
            {
                "partner_id": partner.id,
                "contact_id": partner.followup_recipient_id.id,
                "user_id": user.id,
                "invoice_ids": [fields.Command.set(invoices.ids)],
                "source_event_id": event.id if event else False,
                "meeting_id": meeting.id if meeting else False,
                "slot_ids": [
                    fields.Command.create(
                        {
                            "start": slot.start.replace(tzinfo=None),
                            "name": Run._slot_label(slot, partner, company),
                        }
                    )
                    for slot in slots
                ],
            }
        )
        wizard.slot_id = wizard.slot_ids[:1]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reschedule follow-up call")
            if meeting
            else self.env._("Schedule follow-up call"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _check_start(self):
        self.ensure_one()
        if not self.start:
            raise UserError(self.env._("Choose a time for the call."))
        if self.duration <= 0:
            raise UserError(self.env._("The call needs a duration."))
        if self.start <= fields.Datetime.now():
            raise UserError(self.env._("The call must be in the future."))

    def action_confirm(self):
        self.ensure_one()
        self._check_start()
        stop = self.start + timedelta(hours=self.duration)
        if self.meeting_id:
            return self._reschedule(stop)
        Run = self.env["payment.followup.run"]
        meeting, _activity, _event = Run._book_call(
            self.partner_id,
            self.contact_id,
            self.user_id,
            self.env.company,
            self.start,
            stop,
            self.invoice_ids,
            level=self.source_event_id.level_id,
            note=self.note,
        )
        return meeting._get_records_action(name=meeting.name, target="current")

    def _reschedule(self, stop):
        meeting = self.meeting_id
        old = meeting.display_time
        meeting.write({"start": self.start, "stop": stop})
        Event = self.env["payment.followup.event"]
        source = self.source_event_id
        Event.create(
            Event._prepare_event_vals(
                self.partner_id,
                self.env.company,
                source.level_id,
                "call",
                "done",
                self.invoice_ids,
                calendar_event_id=meeting.id,
                result=self.env._(
                    "Rescheduled from %(old)s to %(new)s", old=old, new=meeting.display_time
                ),
            )
        )
        return {"type": "ir.actions.act_window_close"}
