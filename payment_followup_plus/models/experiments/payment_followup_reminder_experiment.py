from odoo import api, fields, models


class PaymentFollowupReminderExperiment(models.Model):
    """A reminder's words chosen by a wording experiment (or adopted by its
    level from one): its arm, the subject and extra paragraph in the
    customer's language, and the social-norm sentence as it was true when
    the reminder was prepared (kept, like its amounts)."""

    _inherit = "payment.followup.reminder"

    experiment_arm_id = fields.Many2one(
        "payment.followup.experiment.arm",
        string="Experiment arm",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
    )
    experiment_id = fields.Many2one(related="experiment_arm_id.experiment_id", string="Experiment")
    social_norm_sentence = fields.Char("Social-norm sentence", readonly=True)
    experiment_paragraph = fields.Text(compute="_compute_experiment_paragraph")

    @api.depends("experiment_arm_id", "level_id", "lang")
    def _compute_experiment_paragraph(self):
        for rem in self:
            arm = rem.experiment_arm_id.with_context(lang=rem.lang or "en_US")
            level = rem.level_id.with_context(lang=rem.lang or "en_US")
            rem.experiment_paragraph = arm.paragraph or level.extra_paragraph or False

    @api.depends("experiment_arm_id", "level_id")
    def _compute_wording(self):
        super()._compute_wording()
        for rem in self:
            arm = rem.experiment_arm_id.with_context(lang=rem.lang or "en_US")
            level = rem.level_id.with_context(lang=rem.lang or "en_US")
            subject = arm.subject or level.subject_override
            if subject:
                rem.subject = subject

    def _choose_words(self):
        super()._choose_words()
        self.env["payment.followup.experiment"]._assign(self)

    def _hold_for_send_window(self, mail_by_reminder):
        super()._hold_for_send_window(mail_by_reminder)
        self.env["payment.followup.experiment"]._hold_for_send_window(
            self.company_id[:1], mail_by_reminder
        )
