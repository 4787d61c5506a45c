from odoo import api, fields, models


class PaymentFollowupDispute(models.AbstractModel):
    """A dispute is a reason for delay whose effect is *dispute*: its
    invoices are held and a person gets a to-do. It is settled when that
    to-do is marked done, or when none of its invoices is still open."""

    _name = "payment.followup.dispute"
    _description = "Payment follow-up disputes"

    @api.model
    def _open_domain(self):
        return [("delay_reason_id.effect", "=", "dispute"), ("dispute_closed_on", "=", False)]

    @api.model
    def _close(self, events):
        events.sudo().write({"dispute_closed_on": fields.Date.context_today(self)})
        return events

    @api.model
    def _close_for_activities(self, activities):
        if not activities:
            return self.env["payment.followup.event"]
        events = (
            self.env["payment.followup.event"]
            .sudo()
            .search(self._open_domain() + [("activity_id", "in", activities.ids)])
        )
        return self._close(events)

    @api.model
    def _close_paid(self):
        """Open disputes none of whose invoices is still open."""
        events = self.env["payment.followup.event"].sudo().search(self._open_domain())
        return self._close(
            events.filtered(
                lambda e: e.invoice_ids
                and not any(inv._followup_is_open() for inv in e.invoice_ids)
            )
        )
