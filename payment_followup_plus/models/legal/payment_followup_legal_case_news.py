from odoo import api, fields, models


class PaymentFollowupLegalCase(models.Model):
    """What the customer did since the case was opened (a reply, a promise,
    a payment on its way...): the legal advisor reads it on the case, as the
    reviewer does on a reminder."""

    _inherit = "payment.followup.legal.case"

    news = fields.Text(
        "What changed since it was opened",
        compute="_compute_news",
        help="Replies, promises, plans, payments (received or on their way), disputes and "
        "failed deliveries since the case was opened.",
    )

    @api.depends_context("uid")
    def _compute_news(self):
        Event = self.env["payment.followup.event"].sudo()
        for case in self:
            events = (
                Event.search(
                    Event._news_domain(case.partner_id, case.company_id, case.create_date)
                    + [("channel", "!=", "legal")]
                )
                if case.create_date
                else Event
            )
            case.news = Event._news_text(events) or False
