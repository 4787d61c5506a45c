from odoo import api, fields, models
from odoo.tools.misc import format_datetime

# how much of a reply the reviewer reads quoted in "what changed"
QUOTE = 600


class PaymentFollowupEvent(models.Model):
    """What the history keeps of today's truth: the evidence of a payment on
    its way it reported (once per piece of evidence), and what a reply said
    was paid."""

    _inherit = "payment.followup.event"

    evidence_key = fields.Char(
        index="btree_not_null",
        readonly=True,
        help="The payment evidence this line reported (kind and record), so it is reported once.",
    )
    paid_move_ids = fields.Many2many(
        "account.move",
        "payment_followup_event_paid_move_rel",
        "event_id",
        "move_id",
        string="Invoices it says are paid",
        readonly=True,
    )
    stated_currency_id = fields.Many2one("res.currency", string="Currency stated", readonly=True)

    @api.model
    def _news_domain(self, partner, company, since):
        """The events of the customer that a person must see before acting on
        what was prepared at ``since``: replies, promises, plans, payments,
        payments on their way, disputes and failed deliveries (not the run's
        own "held back" lines)."""
        return [
            # one customer, or several at once (``partner``, ``company``: recordsets)
            ("partner_id", "in", partner.commercial_partner_id.ids),
            ("company_id", "in", company.ids),
            ("date", ">=", since),
            "|",
            ("channel", "!=", "none"),
            "|",
            ("state", "!=", "blocked"),
            ("evidence_key", "!=", False),
        ]

    @api.model
    def _news_text(self, events, env=None):
        """What changed, as the reviewer reads it: one paragraph per event,
        its date, what happened and, for a reply, the customer's words."""
        env = env or self.env
        parts = []
        for event in events.sorted(lambda e: (e.date, e.id)):
            line = "%s · %s" % (
                format_datetime(env, event.date, dt_format="short"),
                event.result or "",
            )
            if event.channel == "reply" and event.note:
                quote = event.note.strip()[:QUOTE]
                # quoted as written, its blank lines kept
                line += "\n" + "\n".join(
                    "> " + row if row.strip() else ">" for row in quote.splitlines()
                )
            parts.append(line)
        return "\n\n".join(parts)
