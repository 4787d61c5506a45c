from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# what a customer can always tell us, whatever the day's count of requests:
# a disputed invoice, an invoice never received
NEVER_LIMITED = ("dispute", "resend")


class ResPartner(models.Model):
    """How many requests a customer may make on the portal in a day
    (``res.company.followup_portal_daily_limit``), and the serialisation of one
    customer's requests. Telling us of a disputed invoice or of an invoice
    never received is never refused."""

    _inherit = "res.partner"

    def _followup_portal_serialize(self):
        """Write the customer's row (nothing changes): concurrent requests of
        the same customer conflict on it (see ``_followup_portal_check_limit``)."""
        partner = self
        self.env.cr.execute(
            SQL(
                "UPDATE res_partner SET write_date = write_date WHERE id = %s",
                partner.commercial_partner_id.id,
            )
        )

    def _followup_portal_limit_reached(self, company):
        """Whether ``partner`` used up today's requests (the page then offers
        only what is never refused: a dispute, an invoice not received)."""
        partner = self
        return partner._followup_portal_requests_today() >= company.followup_portal_daily_limit

    def _followup_portal_requests_today(self):
        partner = self
        Event = self.env["payment.followup.event"].sudo()
        since = fields.Datetime.now() - timedelta(days=1)
        events = Event.search(
            [
                ("partner_id", "=", partner.id),
                ("via_portal", "=", True),
                ("date", ">=", since),
                "|",
                "|",
                "|",
                ("promise_id", "!=", False),
                ("plan_id", "!=", False),
                ("delay_reason_id", "!=", False),
                ("calendar_event_id", "!=", False),
            ]
        )
        # a dispute or an invoice not received is a complaint, not a request:
        # it never uses up the day's requests
        reasons = events.filtered(
            lambda e: e.delay_reason_id and e.delay_reason_id.effect not in NEVER_LIMITED
        )
        return (
            len(events.promise_id)
            + len(events.plan_id)
            + len(reasons)
            + len(events.calendar_event_id)
        )

    def _followup_portal_check_limit(self, company):
        """A few requests a day at most (proposals, promises, reasons, calls).
        A request is counted once, however many history lines it wrote (a plan
        agreed at once logs its proposal and its start).

        Requests of one customer are serialised on its row: the write below
        makes a concurrent request of the same customer wait, then fail with a
        serialization error that Odoo retries, so the count is always of what
        was committed (two requests at once cannot both take the last place)."""
        partner = self
        partner._followup_portal_serialize()
        count = partner._followup_portal_requests_today()
        if count >= company.followup_portal_daily_limit:
            raise UserError(
                self.env._(
                    "You have reached the limit of requests for today (%(count)s). We will "
                    "come back to you; you can send a new one tomorrow, or call us.",
                    count=count,
                )
            )
