from odoo import api, models
from odoo.tools import format_date


class ResPartner(models.Model):
    """What the payments page says of the customer's legal cases."""

    _inherit = "res.partner"

    @api.model
    def _followup_portal_legal_cases(self, invoices):
        """The open legal cases of these invoices (debts or charges)."""
        return self.env["payment.followup.legal.case"]._open_for(invoices)

    @api.model
    def _followup_portal_legal_headlines(self, cases, invoices, lang):
        """What the customer reads about each legal case: what is with our
        legal department, for how much (the letter's debts and charges still
        open), and by when to answer."""
        Partner = self.env["res.partner"]
        lines = []
        for case in cases:
            moves = case._all_moves() & invoices
            args = {"case": case.name, "amount": Partner._followup_format_totals(moves, lang)}
            if case.state == "letter" and case.response_deadline:
                lines.append(
                    self.env._(
                        "With our legal department (%(case)s): %(amount)s, answer by %(date)s",
                        date=format_date(self.env, case.response_deadline),
                        **args,
                    )
                )
            else:
                lines.append(self.env._("With our legal department (%(case)s): %(amount)s", **args))
        return lines
