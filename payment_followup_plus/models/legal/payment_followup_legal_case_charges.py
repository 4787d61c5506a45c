from datetime import timedelta

from odoo import Command, fields, models
from odoo.tools import format_date

from .payment_followup_legal_case import HOLD_UNTIL


class PaymentFollowupLegalCase(models.Model):
    """The charges a letter before action claims, invoiced when it is sent:
    what the letter demands is then what the customer can pay, on the page
    the letter names."""

    _inherit = "payment.followup.legal.case"

    charge_move_ids = fields.Many2many(
        "account.move",
        "payment_followup_legal_case_charge_rel",
        "case_id",
        "move_id",
        string="Charges invoiced",
        readonly=True,
        copy=False,
        check_company=True,
        help="The interest and compensation the letter before action claims, invoiced on its "
        "date (one invoice per currency).",
    )

    def _all_moves(self):
        """The debts of the case and the charges its letter invoiced."""
        return self.invoice_ids | self.charge_move_ids

    def _invoice_letter_charges(self):
        """One posted invoice per currency of the interest and compensation
        the letter states (its kept lines, so both say the same amounts), due
        on the letter's date and held with the case; each line names the
        invoice it is charged on. A later charge run starts after the letter."""
        self.ensure_one()
        lines = self.letter_line_ids.filtered(
            lambda ln: ln.charges_known
            and not (
                ln.currency_id.is_zero(ln.interest) and ln.currency_id.is_zero(ln.compensation)
            )
        )
        if not lines:
            return self.env["account.move"]
        env = self.with_context(lang=self.partner_id._followup_lang(self.env.lang)).env
        _ = env._
        Charge = self.env["payment.followup.charge"].sudo()
        moves = self.env["account.move"]
        for currency in lines.currency_id:
            mine = lines.filtered(lambda ln, c=currency: ln.currency_id == c)
            labels = []
            for ln in mine:
                if not currency.is_zero(ln.interest):
                    labels.append(
                        (
                            _(
                                "Late-payment interest on %(invoice)s up to %(date)s",
                                invoice=ln.name,
                                date=format_date(env, self.letter_date),
                            ),
                            ln.interest,
                        )
                    )
                if not currency.is_zero(ln.compensation):
                    labels.append(
                        (
                            _(
                                "Fixed compensation for the late payment of %(invoice)s",
                                invoice=ln.name,
                            ),
                            ln.compensation,
                        )
                    )
            move = Charge._invoice(
                self.partner_id,
                self.company_id,
                currency,
                labels,
                [
                    {
                        "invoice_id": ln.move_id.id,
                        "date_from": ln.due_date + timedelta(days=1),
                        "date_to": self.letter_date,
                        "days": (self.letter_date - ln.due_date).days,
                        "detail": _("Claimed in the letter before action %(case)s", case=self.name),
                        "interest": ln.interest,
                        "compensation": ln.compensation,
                    }
                    for ln in mine
                ],
                invoice_date=self.letter_date,
                invoice_date_due=self.letter_date,
                invoice_payment_term_id=False,
                invoice_origin=self.name,
                ref=_("Late-payment charges, letter before action %(case)s", case=self.name),
            )
            move.action_post()
            moves |= move
        self.sudo().charge_move_ids = [Command.link(move.id) for move in moves]
        moves._followup_hold(HOLD_UNTIL, self.env._("Legal case %(case)s", case=self.name))
        return moves
