from odoo import fields, models


class CalendarEvent(models.Model):
    _inherit = "calendar.event"

    followup_tz = fields.Char(
        "Customer's time zone",
        readonly=True,
        help="A follow-up call's invitation, update and cancellation print its time in this "
        "zone (the contact's, else the customer's, else the company's).",
    )

    def _get_mail_tz(self):
        return self.followup_tz or super()._get_mail_tz()

    def get_display_time_tz(self, tz=False):
        # Odoo's "date changed" message asks with the attendee's own zone
        return super().get_display_time_tz(tz=tz or self.followup_tz)


class CalendarAttendee(models.Model):
    _inherit = "calendar.attendee"

    def _compute_mail_tz(self):
        """An attendee without a time zone of their own reads a follow-up call
        in the customer's zone, never in UTC left unnamed."""
        super()._compute_mail_tz()
        for attendee in self:
            attendee.mail_tz = attendee.mail_tz or attendee.event_id.followup_tz
