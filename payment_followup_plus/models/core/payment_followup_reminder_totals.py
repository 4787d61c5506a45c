from odoo import api, fields, models


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
