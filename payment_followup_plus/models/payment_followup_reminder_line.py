from odoo import fields, models

SECTIONS = [
    ("main", "Reminded"),
    ("overdue", "Also overdue"),
    ("due_soon", "Due soon"),
]


class PaymentFollowupReminderLine(models.Model):
    """One invoice of a reminder, as the reminder states it: the figures are
    kept as they were when the reminder was prepared, so the email, the letter
    and the history say the same thing."""

    _name = "payment.followup.reminder.line"
    _description = "Invoice of a payment reminder"
    _order = "reminder_id, sequence, id"

    reminder_id = fields.Many2one(
        "payment.followup.reminder", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer()
    move_id = fields.Many2one("account.move", string="Invoice", required=True, index=True)
    section = fields.Selection(SECTIONS, required=True, default="main")
    level_id = fields.Many2one(
        "payment.followup.level",
        string="Level reached",
        help="The level this invoice reaches once the reminder is delivered.",
    )
    name = fields.Char("Number", required=True)
    payment_reference = fields.Char()
    due_date = fields.Date(required=True)
    days_late = fields.Integer()
    currency_id = fields.Many2one("res.currency", required=True)
    amount_residual = fields.Monetary("Open amount", currency_field="currency_id")
    company_id = fields.Many2one(related="reminder_id.company_id", store=True, index=True)
    company_currency_id = fields.Many2one(
        related="reminder_id.company_currency_id", string="Company currency"
    )
    amount_company = fields.Monetary(
        "Open amount (company currency)", currency_field="company_currency_id"
    )
    last_reminded = fields.Date("Reminded before on")
    partner_bank_id = fields.Many2one("res.partner.bank", string="Pay to")
