from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


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
        user = self.env["payment.followup.team"]._responsible(partner)
        calendar = self.env["payment.followup.calendar"]
        slots = calendar._call_slots(partner, user, company, ignore=meeting)
        if invoices is None:
            invoices = (
                event.reminder_invoice_ids
                if event
                else self.env["account.move"].search(
                    self.env["account.move"]._followup_open_domain(company)
                    + [("commercial_partner_id", "=", partner.id)]
                )
            )
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
                            "name": calendar._slot_label(slot),
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
        """A typed or moved time is checked like a proposed slot."""
        self.ensure_one()
        if not self.start:
            raise UserError(self.env._("Choose a time for the call."))
        if self.duration <= 0:
            raise UserError(self.env._("The call needs a duration."))
        stop = self.start + timedelta(hours=self.duration)
        self.env["payment.followup.calendar"]._check_start(
            self.partner_id,
            self.user_id,
            self.env.company,
            self.start,
            stop,
            ignore=self.meeting_id,
        )
        return stop

    def action_confirm(self):
        self.ensure_one()
        self.env["payment.followup.team"]._check_user()
        stop = self._check_start()
        calendar = self.env["payment.followup.calendar"]
        source = self.source_event_id
        if self.meeting_id:
            new, told = calendar._move_call(
                self.meeting_id, self.partner_id, self.env.company, self.start, stop, source
            )
            return self.env["payment.followup.message"]._notify(
                self.env._("Call moved"),
                self.env._(
                    "Moved to %(new)s. The new time was sent to %(emails)s.", new=new, emails=told
                ),
                "success",
            )
        meeting = calendar._book_logged_call(
            self.partner_id,
            self.contact_id,
            self.user_id,
            self.env.company,
            self.start,
            stop,
            self.invoice_ids,
            note=self.note,
            source=source,
        )
        return meeting._get_records_action(name=meeting.name, target="current")
