from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ...engine.money import to_minor
from ...engine.numbers import NumberError, parse_steps
from ...engine.plans import Guidelines


class ResCompany(models.Model):
    _inherit = "res.company"

    followup_policy_id = fields.Many2one(
        "payment.followup.policy",
        string="Default follow-up policy",
        domain="[('company_id', '=', id)]",
    )
    followup_min_gap_days = fields.Integer(
        "Minimum days between two contacts",
        default=5,
        help="A customer contacted less than this many days ago waits for the next run.",
    )
    followup_user_id = fields.Many2one(
        "res.users",
        string="Default follow-up responsible",
        help="Receives the follow-up tasks of customers who have no follow-up responsible "
        "or salesperson.",
    )
    followup_start_at_age = fields.Boolean(
        "Start at the level the age reaches",
        help="For a migration from another tool: the first reminder of a customer is at the "
        "level the age of its debt reaches (never a final notice), and its wording refers to "
        "no earlier reminder. Off: every customer starts at the first level.",
    )
    followup_tolerance = fields.Monetary(
        "Residual tolerance",
        currency_field="currency_id",
        default=1.0,
        help="Invoices whose open amount is at most this amount are not reminded.",
    )

    followup_min_notice_hours = fields.Float(
        "Minimum notice for calls (hours)",
        default=24.0,
        help="Follow-up calls and meetings are booked more than this many hours ahead.",
    )
    followup_call_duration = fields.Float("Call duration (hours)", default=0.5)
    followup_quiet_from = fields.Float(
        "Contacts allowed from", default=8.0, help="Customer's local time."
    )
    followup_quiet_until = fields.Float(
        "Contacts allowed until", default=21.0, help="Customer's local time."
    )
    followup_max_call_attempts = fields.Integer("Call attempts allowed", default=7)
    followup_call_window_days = fields.Integer("Within (days)", default=7)
    followup_after_conversation_days = fields.Integer(
        "No new attempt after a conversation for (days)", default=7
    )
    followup_reply_pause_days = fields.Integer(
        "Pause after a reply (working days)",
        default=5,
        help="A customer who answers a reminder gets no automatic reminder for these working "
        "days, while the collector reads the reply (a person may still send).",
    )

    # document packs (reminders with their invoices, letters printed at once)
    followup_email_max_mb = fields.Float(
        "Largest email attachment (MB)",
        default=5.0,
        help="A reminder whose invoices make a bigger file is sent with a link to the "
        "customer's page instead, and the history says so.",
    )
    followup_pack_lossy = fields.Boolean(
        "Shrink large images in documents",
        help="Photos sharper than the resolution below at their printed size are re-encoded "
        "(never below a quality floor, never making a file bigger). Off: documents are merged "
        "and compressed without any change to how they look.",
    )
    followup_pack_max_dpi = fields.Integer("Image resolution kept (dpi)", default=200)

    # installment plans and promises
    followup_plan_max_months = fields.Integer(
        "Longest plan (months)",
        default=12,
        help="A plan whose last installment falls later needs a follow-up manager. 0: no limit.",
    )
    followup_plan_min_installment_pct = fields.Float(
        "Smallest installment (% of the debt)", default=5.0
    )
    followup_plan_min_down_payment_pct = fields.Float(
        "Smallest down payment (% of the debt)", default=0.0
    )
    followup_plan_max_amount = fields.Monetary(
        "Largest amount under a plan",
        currency_field="currency_id",
        help="0: no limit. Larger plans need a follow-up manager.",
    )
    followup_plan_steps = fields.Char(
        '"Pay a bit more" steps',
        default="10, 15",
        help="Amounts added to each installment to show how much sooner a plan ends.",
    )
    followup_plan_remind_days = fields.Integer("Remind before an installment (days)", default=3)
    followup_plan_grace_days = fields.Integer(
        "Grace period before a plan is broken (days)", default=7
    )
    followup_promise_max_days = fields.Integer(
        "Latest promise date (days ahead)",
        default=30,
        help="A promise to pay further ahead is refused: offer a payment plan instead. 0: no limit.",
    )
    followup_autopay_retry_days = fields.Integer(
        "Retry a declined automatic payment after (days)",
        default=3,
        help="A declined charge is tried once more after this many days; then the customer is "
        "asked to pay by hand.",
    )
    followup_autopay_notice_days = fields.Integer(
        "Direct debit notice (days before)",
        default=2,
        help="Direct debits: the customer is told this many days before each charge.",
    )
    followup_allocation_rule = fields.Selection(
        [
            ("auto", "By the company's country (Germany: §366/§367 BGB)"),
            ("oldest", "The invoices the customer ticks, else the oldest due first"),
            ("bgb", "§366/§367 BGB: costs, interest, principal; the due, least secured, oldest"),
        ],
        string="A partial payment pays",
        default="auto",
        required=True,
        help="How an amount of the customer's choice is shared among their open invoices.",
    )
    followup_partial_min_pct = fields.Float(
        "Smallest partial payment (% of the overdue total)",
        default=10.0,
        help="A customer may pay an amount of their choice from this share of what is overdue.",
    )
    followup_partial_min_amount = fields.Monetary(
        "Smallest partial payment (fixed amount)",
        currency_field="currency_id",
        help="When set, the smallest amount a customer may pay (in the invoices' currency at "
        "today's rate) instead of the percentage.",
    )
    followup_dispute_days = fields.Integer(
        "Answer a dispute within (days)",
        default=30,
        help="A dispute case's deadline: past it, its owner gets a to-do and the cockpit counts "
        "it.",
    )
    # the customer's side (portal)
    followup_portal_link_days = fields.Integer(
        "Reminder links valid for (days)",
        default=30,
        help="The buttons of a reminder open the customer's page without a password for this "
        "many days; then the customer signs in or asks for a fresh link.",
    )
    followup_portal_daily_limit = fields.Integer(
        "Customer requests per day",
        default=3,
        help="How many plan proposals, promises, reasons and call bookings one customer may "
        "send through the portal in 24 hours.",
    )
    followup_portal_max_upload_mb = fields.Float("Largest file a customer sends (MB)", default=5.0)

    @api.constrains(
        "followup_plan_max_months",
        "followup_plan_min_installment_pct",
        "followup_plan_min_down_payment_pct",
        "followup_plan_max_amount",
        "followup_plan_steps",
        "followup_plan_remind_days",
        "followup_plan_grace_days",
        "followup_promise_max_days",
        "followup_autopay_retry_days",
        "followup_autopay_notice_days",
        "followup_dispute_days",
        "followup_email_max_mb",
        "followup_pack_max_dpi",
        "followup_portal_link_days",
        "followup_portal_daily_limit",
        "followup_portal_max_upload_mb",
    )
    def _check_followup_plan_guidelines(self):
        for company in self:
            if (
                min(
                    company.followup_plan_max_months,
                    company.followup_plan_remind_days,
                    company.followup_plan_grace_days,
                    company.followup_promise_max_days,
                    company.followup_autopay_retry_days,
                    company.followup_autopay_notice_days,
                    company.followup_dispute_days,
                )
                < 0
            ):
                raise ValidationError(self.env._("Numbers of days and months cannot be negative."))
            for pct in (
                company.followup_plan_min_installment_pct,
                company.followup_plan_min_down_payment_pct,
            ):
                if not 0 <= pct <= 100:
                    raise ValidationError(self.env._("A percentage must be between 0 and 100."))
            if company.followup_email_max_mb <= 0:
                raise ValidationError(
                    self.env._("The largest email attachment must be more than 0 MB.")
                )
            if company.followup_pack_max_dpi < 72:
                raise ValidationError(
                    self.env._("The image resolution kept must be at least 72 dpi.")
                )
            if (
                company.followup_portal_link_days < 1
                or company.followup_portal_daily_limit < 1
                or company.followup_portal_max_upload_mb <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "Reminder links need at least one day, customers at least one request "
                        "a day, and files a size above 0 MB."
                    )
                )
            if company.followup_plan_max_amount < 0:
                raise ValidationError(self.env._("The largest plan amount cannot be negative."))
            company._followup_plan_steps()

    def _followup_plan_steps(self):
        """The "pay a bit more" steps, in the company currency's units."""
        self.ensure_one()
        try:
            return parse_steps(self.followup_plan_steps)
        except NumberError as err:
            raise ValidationError(
                self.env._(
                    'The "pay a bit more" steps must be positive amounts separated by '
                    'commas, e.g. "10, 15" (got %(value)s).',
                    value=err.data["value"],
                )
            ) from err

    def _followup_guidelines(self, currency):
        """The plan guidelines as the engine wants them (amounts in minor units)."""
        self.ensure_one()
        max_amount = self.currency_id._convert(
            self.followup_plan_max_amount, currency, self, fields.Date.context_today(self)
        )
        return Guidelines(
            max_months=self.followup_plan_max_months,
            min_installment_pct=self.followup_plan_min_installment_pct,
            min_down_payment_pct=self.followup_plan_min_down_payment_pct,
            max_amount=to_minor(max_amount, currency.decimal_places),
        )

    @api.constrains(
        "followup_min_notice_hours",
        "followup_call_duration",
        "followup_quiet_from",
        "followup_quiet_until",
        "followup_max_call_attempts",
        "followup_call_window_days",
        "followup_after_conversation_days",
        "followup_min_gap_days",
        "followup_reply_pause_days",
    )
    def _check_followup_guardrails(self):
        for company in self:
            if company.followup_min_notice_hours < 0:
                raise ValidationError(self.env._("The minimum notice cannot be negative."))
            if company.followup_call_duration <= 0:
                raise ValidationError(self.env._("A call needs a duration."))
            if not 0 <= company.followup_quiet_from < company.followup_quiet_until <= 24:
                raise ValidationError(
                    self.env._("The allowed contact hours must end after they start, within a day.")
                )
            if company.followup_max_call_attempts < 1 or company.followup_call_window_days < 1:
                raise ValidationError(
                    self.env._("The call cap needs at least one attempt and one day.")
                )
            if (
                min(
                    company.followup_after_conversation_days,
                    company.followup_min_gap_days,
                    company.followup_reply_pause_days,
                )
                < 0
            ):
                raise ValidationError(self.env._("Numbers of days cannot be negative."))

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._pfp_ensure_default_policy()
        return companies

    @api.model
    def _pfp_ensure_default_policies(self):
        """Every company gets its default follow-up policy (at install, before
        any demo data needs it)."""
        self.sudo().search([])._pfp_ensure_default_policy()

    def _pfp_ensure_default_policy(self):
        Policy = self.env["payment.followup.policy"].sudo()
        for company in self.filtered(lambda c: not c.followup_policy_id):
            policy = Policy.create(Policy._prepare_default_policy_vals(company))
            company.sudo().followup_policy_id = policy

    def _followup_allocation_rule(self):
        """The engine's rule for a partial payment: Germany's civil code for a
        German company unless it chose otherwise."""
        self.ensure_one()
        if self.followup_allocation_rule == "auto":
            return "bgb" if self.country_id.code == "DE" else "oldest"
        return self.followup_allocation_rule

    @api.constrains("followup_partial_min_pct", "followup_partial_min_amount")
    def _check_followup_partial_min(self):
        for company in self:
            if not 0 <= company.followup_partial_min_pct <= 100:
                raise ValidationError(self.env._("A percentage must be between 0 and 100."))
            if company.followup_partial_min_amount < 0:
                raise ValidationError(
                    self.env._("The smallest partial payment cannot be negative.")
                )
