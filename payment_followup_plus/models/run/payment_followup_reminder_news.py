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
        """{reminder: what changed since it was prepared}, for all of ``self``
        in three queries (a list's *Approve and send* checks many at once)."""
        Event = self.env["payment.followup.event"].sudo()
        result = dict.fromkeys(self, Event)
        todo = self.filtered(lambda r: r.create_date and r.state in ("to_review", "pending"))
        if not todo:
            return result
        # what came after its own first history line (an id, not a time: a
        # run's batch shares one transaction time)
        first = {
            rem.id: first_id
            for rem, first_id in Event._read_group(
                [("reminder_id", "in", todo.ids)], ["reminder_id"], ["id:min"]
            )
        }
        events = Event.search(
            Event._news_domain(todo.partner_id, todo.company_id, min(todo.mapped("create_date")))
        )
        for rem in todo:
            result[rem] = events.filtered(
                lambda e, rem=rem: e.partner_id == rem.partner_id.commercial_partner_id
                and e.company_id == rem.company_id
                and e.date >= rem.create_date
                and e.reminder_id != rem
                and e.id > first.get(rem.id, 0)
            )
        return result

    @api.depends_context("uid")
    def _compute_news(self):
        Event = self.env["payment.followup.event"]
        news = self._news_events()
        for rem in self:
            events = news[rem]
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
