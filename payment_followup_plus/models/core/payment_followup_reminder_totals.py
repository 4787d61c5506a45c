from odoo import api, fields, models
from odoo.tools import SQL

from .payment_followup_reminder_line import _Formats

# without an earlier reminder, the payments of this many days are thanked for
RECEIVED_DAYS = 30


class PaymentFollowupReminder(models.Model):
    """A reminder's totals as the customer reads them (in its language)."""

    _inherit = "payment.followup.reminder"

    overdue_totals = fields.Char("Overdue in this reminder", compute="_compute_totals")
    due_soon_totals = fields.Char("Due soon", compute="_compute_totals")
    lang_name = fields.Char(
        "Language", compute="_compute_lang_name", help="The language the customer reads it in."
    )
    others_totals = fields.Char(
        "Also overdue, not in this notice",
        compute="_compute_totals",
        help="A final notice demands only the invoices that reached it; the other overdue "
        "invoices are listed for information.",
    )

    received_sentence = fields.Char(
        "Thanks for a part received",
        compute="_compute_received_sentence",
        help="A payment of part of the invoices it demands, received since the previous "
        "reminder, is thanked for, with what remains.",
    )

    @api.depends("line_ids.move_id", "line_ids.amount_residual", "lang", "previous_date", "date")
    def _compute_received_sentence(self):
        """ "Thank you for your payment of €300.00 on 4 March; €1,200.00
        remains.": payments (and bank transfers) matched with the invoices it
        demands since the previous reminder (else the last 30 days), read for
        the whole set in one query."""
        received = {}
        if self.ids:
            self.env["account.partial.reconcile"].flush_model()
            self.env["payment.followup.reminder.line"].flush_model()
            self.flush_model(["previous_date", "date"])
            rows = self.env.execute_query(
                SQL(
                    """
                    SELECT l.reminder_id, m.currency_id, SUM(p.debit_amount_currency),
                           MAX(p.max_date)
                      FROM payment_followup_reminder_line l
                      JOIN payment_followup_reminder r ON r.id = l.reminder_id
                      JOIN account_move m ON m.id = l.move_id
                      JOIN account_move_line aml
                        ON aml.move_id = m.id AND aml.display_type = 'payment_term'
                      JOIN account_partial_reconcile p ON p.debit_move_id = aml.id
                      JOIN account_move_line cl ON cl.id = p.credit_move_id
                      JOIN account_move cm ON cm.id = cl.move_id
                     WHERE l.reminder_id IN %(ids)s AND l.section != 'on_its_way'
                       AND p.max_date > COALESCE(r.previous_date, r.date - %(days)s)
                       AND p.max_date <= r.date
                       AND (cm.origin_payment_id IS NOT NULL OR cm.statement_line_id IS NOT NULL)
                  GROUP BY 1, 2
                    """,
                    ids=tuple(self.ids),
                    days=RECEIVED_DAYS,
                )
            )
            for reminder_id, currency_id, amount, day in rows:
                received.setdefault(reminder_id, []).append((currency_id, amount, day))
        formats = {}
        for rem in self:
            rows = received.get(rem.id)
            demanded = rem.line_ids.filtered(lambda ln: ln.section != "on_its_way")
            if not rows or not demanded:
                rem.received_sentence = False
                continue
            lang = rem.lang or self.env.lang or "en_US"
            fmt = formats.setdefault(lang, _Formats(self.env, lang))
            env = rem._lang_env()
            parts = []
            for currency_id, amount, day in rows:
                currency = self.env["res.currency"].browse(currency_id)
                remains = sum(
                    demanded.filtered(lambda ln, c=currency: ln.currency_id == c).mapped(
                        "amount_residual"
                    )
                )
                parts.append(
                    env._(
                        "Thank you for your payment of %(amount)s on %(date)s; %(remaining)s "
                        "remains.",
                        amount=fmt.money(amount, currency),
                        date=fmt.date(day),
                        remaining=fmt.money(remains, currency),
                    )
                )
            rem.received_sentence = " ".join(parts)

    @api.depends("line_ids.amount_residual", "line_ids.section", "lang", "severity")
    def _compute_totals(self):
        """A final notice demands only the invoices that went up the ladder to
        it (its main section): its total is theirs, and the other overdue
        invoices are totalled apart, as information."""
        Partner = self.env["res.partner"]
        for rem in self:
            # a payment on its way is thanked for, in no total
            lines = rem.line_ids.filtered(lambda ln: ln.section != "on_its_way")
            overdue = lines.filtered(lambda ln: ln.days_late >= 1)
            soon = lines - overdue
            others = rem._notice_others()
            rem.overdue_totals = (
                Partner._followup_format_totals(overdue - others, rem.lang) or False
            )
            rem.others_totals = Partner._followup_format_totals(others, rem.lang) or False
            rem.due_soon_totals = Partner._followup_format_totals(soon, rem.lang) or False

    def _notice_others(self):
        """The lines a final notice lists only as information: overdue, but
        not in its demand (they are on their own step of the ladder)."""
        self.ensure_one()
        if self.severity != "final":
            return self.env["payment.followup.reminder.line"]
        return self.line_ids.filtered(lambda ln: ln.section == "overdue")

    @api.depends("lang")
    def _compute_lang_name(self):
        # the language's name ("French / Français"), never its code
        names = dict(self.env["res.lang"].get_installed())
        for rem in self:
            rem.lang_name = names.get(rem.lang, rem.lang) if rem.lang else False
