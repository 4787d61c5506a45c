from odoo import models


class AccountMove(models.Model):
    """A charges invoice is a debt like the others, its compensation (costs)
    and interest kept apart for the allocation of a partial payment."""

    _inherit = "account.move"

    def _followup_debt_parts(self):
        parts = super()._followup_debt_parts()
        charges = (
            self.env["payment.followup.charge"]
            .sudo()
            .search([("move_id", "in", self.ids), ("state", "=", "charged")])
        )
        for move, move_charges in charges.grouped("move_id").items():
            costs = sum(move_charges.mapped("compensation"))
            interest = sum(move_charges.mapped("interest"))
            # what was paid already went to costs first, then interest (§367)
            paid = move.amount_total - move.amount_residual
            open_costs = max(costs - paid, 0.0)
            open_interest = max(interest - max(paid - costs, 0.0), 0.0)
            open_costs = min(open_costs, move.amount_residual)
            open_interest = min(open_interest, move.amount_residual - open_costs)
            parts[move.id] = (
                move.currency_id.round(open_costs),
                move.currency_id.round(open_interest),
            )
        return parts

    def _followup_not_disputable(self):
        """An invoice with the legal department is disputed with it (the
        letter before action says how to answer), not on its own."""
        refused = super()._followup_not_disputable()
        cases = self.env["payment.followup.legal.case"]._open_for(self)
        for case in cases:
            for move in (case.invoice_ids | case.charge_move_ids) & self:
                refused[move] = self.env._(
                    "%(invoice)s is with our legal department (case %(case)s): please answer "
                    "their letter, which says how to dispute it.",
                    invoice=move.name,
                    case=case.name,
                )
        return refused
