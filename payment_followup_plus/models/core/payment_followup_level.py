from odoo import api, fields, models

from ...engine.types import LevelSpec

TIERS = [
    ("1", "1 - Automated"),
    ("2", "2 - Collector"),
    ("3", "3 - Senior"),
    ("4", "4 - Legal review"),
]
SEVERITIES = [
    ("courtesy", "Courtesy"),
    ("friendly", "Friendly"),
    ("firm", "Firm"),
    ("final", "Final notice"),
]


class PaymentFollowupLevel(models.Model):
    _name = "payment.followup.level"
    _description = "Payment follow-up level"
    _order = "policy_id, days, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    policy_id = fields.Many2one(
        "payment.followup.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True, index=True)
    days = fields.Integer(
        required=True,
        help="Days after the due date when the level applies; negative for a courtesy "
        "reminder before the due date.",
    )
    tier = fields.Selection(TIERS, required=True, default="1")
    severity = fields.Selection(
        SEVERITIES,
        required=True,
        default="friendly",
        help="How firm the wording is; adjusted to each customer's profile and record.",
    )
    # wording adopted from an experiment (empty: the customer's own tone and
    # the standard words)
    tone_override = fields.Selection(selection="_tone_selection", string="Tone for every customer")
    subject_override = fields.Char("Subject instead", translate=True)
    extra_paragraph = fields.Text("Extra paragraph", translate=True)
    social_norm = fields.Boolean(
        "Social-norm sentence",
        help="“Most of our customers (N in 10) settle their invoices within D days”, shown "
        "only when true.",
    )
    send_email = fields.Boolean("Email")
    attach_invoices = fields.Boolean(
        "Attach the invoices",
        help="The email carries one PDF: the reminder letter followed by the invoices it "
        "lists (within the company's email size limit; above it, a link to the customer's "
        "page).",
    )
    attach_statement = fields.Boolean(
        "Attach the statement of account",
        help="The email's PDF also carries the customer's statement of account (open items, "
        "payments, balance and aging), after the letter.",
    )
    send_letter = fields.Boolean("Printed letter")
    send_sms = fields.Boolean(
        "SMS",
        help="A short text to the customer's mobile (in international format) through Odoo's "
        "SMS service, with the link to its payments page.",
    )
    create_activity = fields.Boolean("Activity for the tier owner")
    schedule_call = fields.Boolean("Call to schedule")
    show_charges = fields.Boolean(
        "Show the charges accrued",
        help="The reminder says how much late-payment interest and compensation have "
        "accrued up to its date (only when they can be computed for every overdue invoice).",
    )
    open_legal_case = fields.Boolean(
        "Open a legal case",
        help="Legal tier: the customer's debts go to a legal case for the legal advisor "
        "instead of any message; the letter before action is sent from the case.",
    )
    needs_review = fields.Boolean(
        "Review before sending", help="A person approves the reminder in the review queue first."
    )
    response_days = fields.Integer(
        "Days to respond",
        default=7,
        help="The wording asks for payment within this many days, and no next step comes "
        "before they are over.",
    )
    owner_id = fields.Many2one(
        "res.users",
        string="Tier owner",
        check_company=True,
        help="Receives the activities of this level; the customer's follow-up responsible "
        "when empty.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain=[("model", "=", "payment.followup.reminder")],
        default=lambda self: self.env.ref(
            "payment_followup_plus.mail_template_payment_reminder", raise_if_not_found=False
        ),
    )

    def _to_engine(self):
        self.ensure_one()
        return LevelSpec(
            id=self.id or 0,
            days=self.days,
            tier=int(self.tier),
            severity=self.severity,
            channels=frozenset(
                adapter._channel
                for adapter in self.env["payment.followup.channel"]._registry()
                if self[adapter._level_field]
            ),
            needs_review=self.needs_review,
            response_days=self.response_days,
        )

    @api.model
    def _tone_selection(self):
        # the tones of the history (one list, defined with the events)
        return self.env["payment.followup.event"]._fields["tone"].selection

    @api.constrains(
        "days",
        "tier",
        "severity",
        "response_days",
        "send_email",
        "send_letter",
        "create_activity",
        "open_legal_case",
        "schedule_call",
        "send_sms",
    )
    def _check_policy_ladder(self):
        for policy in self.policy_id:
            policy._check_ladder()
