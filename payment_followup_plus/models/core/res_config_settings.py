from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    followup_policy_id = fields.Many2one(
        related="company_id.followup_policy_id", readonly=False, string="Default follow-up policy"
    )
    followup_user_id = fields.Many2one(related="company_id.followup_user_id", readonly=False)
    followup_min_gap_days = fields.Integer(
        related="company_id.followup_min_gap_days", readonly=False
    )
    followup_tolerance = fields.Monetary(related="company_id.followup_tolerance", readonly=False)
    followup_start_at_age = fields.Boolean(
        related="company_id.followup_start_at_age", readonly=False
    )
    followup_min_notice_hours = fields.Float(
        related="company_id.followup_min_notice_hours", readonly=False
    )
    followup_call_duration = fields.Float(
        related="company_id.followup_call_duration", readonly=False
    )
    followup_quiet_from = fields.Float(related="company_id.followup_quiet_from", readonly=False)
    followup_quiet_until = fields.Float(related="company_id.followup_quiet_until", readonly=False)
    followup_max_call_attempts = fields.Integer(
        related="company_id.followup_max_call_attempts", readonly=False
    )
    followup_call_window_days = fields.Integer(
        related="company_id.followup_call_window_days", readonly=False
    )
    followup_after_conversation_days = fields.Integer(
        related="company_id.followup_after_conversation_days", readonly=False
    )
    followup_reply_pause_days = fields.Integer(
        related="company_id.followup_reply_pause_days", readonly=False
    )
    followup_evidence_days = fields.Integer(
        related="company_id.followup_evidence_days", readonly=False
    )
    followup_statement_max_days = fields.Integer(
        related="company_id.followup_statement_max_days", readonly=False
    )
    followup_plan_max_months = fields.Integer(
        related="company_id.followup_plan_max_months", readonly=False
    )
    followup_plan_min_installment_pct = fields.Float(
        related="company_id.followup_plan_min_installment_pct", readonly=False
    )
    followup_plan_min_down_payment_pct = fields.Float(
        related="company_id.followup_plan_min_down_payment_pct", readonly=False
    )
    followup_plan_max_amount = fields.Monetary(
        related="company_id.followup_plan_max_amount", readonly=False
    )
    followup_plan_steps = fields.Char(related="company_id.followup_plan_steps", readonly=False)
    followup_plan_remind_days = fields.Integer(
        related="company_id.followup_plan_remind_days", readonly=False
    )
    followup_plan_grace_days = fields.Integer(
        related="company_id.followup_plan_grace_days", readonly=False
    )
    followup_promise_max_days = fields.Integer(
        related="company_id.followup_promise_max_days", readonly=False
    )
    followup_autopay_retry_days = fields.Integer(
        related="company_id.followup_autopay_retry_days", readonly=False
    )
    followup_autopay_notice_days = fields.Integer(
        related="company_id.followup_autopay_notice_days", readonly=False
    )
    followup_allocation_rule = fields.Selection(
        related="company_id.followup_allocation_rule", readonly=False
    )
    followup_partial_min_pct = fields.Float(
        related="company_id.followup_partial_min_pct", readonly=False
    )
    followup_partial_min_amount = fields.Monetary(
        related="company_id.followup_partial_min_amount", readonly=False
    )
    followup_dispute_days = fields.Integer(
        related="company_id.followup_dispute_days", readonly=False
    )
    followup_email_max_mb = fields.Float(related="company_id.followup_email_max_mb", readonly=False)
    followup_portal_link_days = fields.Integer(
        related="company_id.followup_portal_link_days", readonly=False
    )
    followup_portal_daily_limit = fields.Integer(
        related="company_id.followup_portal_daily_limit", readonly=False
    )
    followup_portal_max_upload_mb = fields.Float(
        related="company_id.followup_portal_max_upload_mb", readonly=False
    )
    followup_pack_lossy = fields.Boolean(related="company_id.followup_pack_lossy", readonly=False)
    followup_pack_max_dpi = fields.Integer(
        related="company_id.followup_pack_max_dpi", readonly=False
    )
