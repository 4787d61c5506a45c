from odoo import fields, models


class PaymentFollowupLegalCaseLine(models.Model):
    """One debt as the letter before action stated it, on the letter's date:
    what was owed, the interest and the compensation claimed. Kept as sent:
    the letter, the case file and the evidence pack never compute it again."""

    _name = "payment.followup.legal.case.line"
    _description = "Debt stated in a letter before action"
    _order = "case_id, sequence, id"
    _check_company_auto = True

    case_id = fields.Many2one(
        "payment.followup.legal.case", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True, index=True)
    sequence = fields.Integer()
    move_id = fields.Many2one("account.move", string="Invoice", required=True, check_company=True)
    name = fields.Char("Invoice number", required=True)
    due_date = fields.Date("Due on")
    currency_id = fields.Many2one("res.currency", required=True)
    amount_owed = fields.Monetary("Still owed", currency_field="currency_id")
    charges_known = fields.Boolean(
        "Charges stated", help="Interest and compensation could be computed and were claimed."
    )
    interest = fields.Monetary("Interest so far", currency_field="currency_id")
    compensation = fields.Monetary(currency_field="currency_id")
