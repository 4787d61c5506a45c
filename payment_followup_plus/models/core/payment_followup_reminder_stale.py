from odoo import api, fields, models


class PaymentFollowupReminder(models.Model):
    """What changed since a reminder was prepared: said before it goes out."""

    _inherit = "payment.followup.reminder"

    stale = fields.Text(compute="_compute_stale", help="What changed since it was prepared.")

    @api.depends(
        "line_ids.move_id.amount_residual",
        "line_ids.move_id.followup_disputed",
        "line_ids.move_id.followup_hold_until",
    )
    def _compute_stale(self):
        """A reminder waiting for review or printing must still be true when
        it goes out."""
        today = fields.Date.context_today(self)
        arranged = self.line_ids.move_id._followup_arranged()
        # money on its way since it was prepared is never demanded on it
        on_its_way = {}
        for moves in self.line_ids.move_id.grouped("company_id").values():
            on_its_way.update(moves._followup_payment_evidence(today)[0])
        for rem in self:
            changes = []
            for line in rem.line_ids:
                move = line.move_id
                if not move._followup_is_open():
                    changes.append(
                        self.env._("%(invoice)s is paid or cancelled", invoice=line.name)
                    )
                elif move.currency_id.compare_amounts(
                    move._followup_undisputed(), line.amount_residual
                ):
                    changes.append(
                        self.env._(
                            "%(invoice)s now has %(amount)s open",
                            invoice=line.name,
                            amount=move.currency_id.format(move._followup_undisputed()),
                        )
                        if move.followup_disputed == line.amount_disputed
                        else self.env._(
                            "%(invoice)s: %(amount)s is now under dispute",
                            invoice=line.name,
                            amount=move.currency_id.format(move.followup_disputed),
                        )
                    )
                elif arranged[move] or (
                    move.followup_hold_until and move.followup_hold_until >= today
                ):
                    changes.append(
                        self.env._(
                            "%(invoice)s is on hold: %(why)s",
                            invoice=line.name,
                            why=move.followup_held_why,
                        )
                    )
                elif line.section != "on_its_way" and move.id in on_its_way:
                    changes.append(
                        self.env._("%(invoice)s: a payment is on its way", invoice=line.name)
                    )
                elif line.section == "due_soon" and line.due_date < today:
                    changes.append(
                        self.env._("%(invoice)s is now overdue, not due soon", invoice=line.name)
                    )
            rem.stale = "\n".join(changes) or False
