from odoo import api, fields, models
from odoo.exceptions import UserError


class PaymentFollowupReminder(models.Model):
    """What changed for the customer since a reminder was prepared: the
    reviewer sees it above *Approve and send*, and approving needs an
    explicit "I have read it" when the customer said something since."""

    _inherit = "payment.followup.reminder"

    news = fields.Text(
        "What changed since it was prepared",
        compute="_compute_news",
        help="Replies, promises, plans, payments (received or on their way), disputes and "
        "failed deliveries since the reminder was prepared.",
    )
    news_read_upto = fields.Datetime(
        "Read up to", readonly=True, copy=False, help="What changed was read up to then."
    )
    news_read_by_id = fields.Many2one("res.users", "Read by", readonly=True, copy=False)
    news_unread = fields.Boolean(compute="_compute_news")

    def _news_events(self):
        self.ensure_one()
        Event = self.env["payment.followup.event"].sudo()
        if not self.create_date:
            return Event
        # what came after its own first history line (an id, not a time: a
        # run's batch shares one transaction time)
        first = Event.search([("reminder_id", "=", self.id)], order="id", limit=1).id or 0
        return Event.search(
            Event._news_domain(self.partner_id, self.company_id, self.create_date)
            + [("reminder_id", "!=", self.id), ("id", ">", first)]
        )

    @api.depends_context("uid")
    def _compute_news(self):
        Event = self.env["payment.followup.event"]
        for rem in self:
            events = rem._news_events() if rem.state in ("to_review", "pending") else Event
            rem.news = Event._news_text(events) or False
            read = rem.news_read_upto
            rem.news_unread = bool(events.filtered(lambda e, read=read: not read or e.date > read))

    def action_read_news(self):
        """Button "I have read what changed": the reviewer read the events
        shown; approving is then allowed (until something new happens)."""
        self.env["payment.followup.team"]._check_user()
        self.check_access("write")
        self.sudo().write(
            {"news_read_upto": fields.Datetime.now(), "news_read_by_id": self.env.user.id}
        )
        return True

    def _check_news_read(self):
        """Refuse to approve what the customer answered since, unread."""
        unread = self.filtered("news_unread")
        if unread:
            raise UserError(
                self.env._(
                    "Since %(reminder)s was prepared, the customer's situation changed:\n\n"
                    "%(news)s\n\nOpen it, read what changed and confirm with “I have read what "
                    "changed” before you approve it.",
                    reminder=unread[0].display_name,
                    news=unread[0].news,
                )
            )
