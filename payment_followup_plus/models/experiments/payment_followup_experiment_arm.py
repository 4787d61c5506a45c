from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..core.payment_followup_event import TONES

WINDOWS = [("morning", "Morning (9:00-12:00)"), ("afternoon", "Afternoon (14:00-17:00)")]
STATUSES = [
    ("collecting", "Collecting"),
    ("no_difference", "No clear difference"),
    ("better", "Better"),
    ("worse", "Worse"),
    ("control", "Control"),
]


class PaymentFollowupExperimentArm(models.Model):
    """One arm of a wording experiment: what it changes in the words (never
    the amounts, invoices, deadlines or threats), and what it gathered."""

    _name = "payment.followup.experiment.arm"
    _description = "Wording experiment arm"
    _order = "experiment_id, sequence, id"

    experiment_id = fields.Many2one(
        "payment.followup.experiment", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="experiment_id.company_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    is_control = fields.Boolean("Control", help="The current wording, unchanged.")
    weight = fields.Integer("Share", default=1, help="Customers are drawn in proportion.")
    tone = fields.Selection(TONES, string="Tone instead")
    subject = fields.Char("Subject instead", translate=True)
    paragraph = fields.Text(
        "Extra paragraph",
        translate=True,
        help="Shown in the email and in the printed letter: words that are true on both.",
    )
    social_norm = fields.Boolean(
        "Social-norm sentence",
        help="“Most of our customers (N in 10) settle their invoices within D days”, from the "
        "company's own payments over the last 12 months, shown only when it is true.",
    )
    send_window = fields.Selection(WINDOWS, help="When the email leaves, in the customer's time.")

    # what it gathered (computed from the reminders and the payments)
    reminders = fields.Integer("Reminders counted", readonly=True)
    paid = fields.Integer("Paid within 14 days", readonly=True)
    # shares are averaged when grouped (a sum of two arms' 60 % and 50 % is no
    # 110 %); an arm with nothing counted shows empty cells, not zeros (views)
    rate = fields.Float("Paid within 14 days (%)", readonly=True, digits=(16, 1), aggregator="avg")
    rate_7 = fields.Float("Paid within 7 days (%)", readonly=True, digits=(16, 1), aggregator="avg")
    amount_share = fields.Float(
        "Share of the amount paid in 14 days (%)", readonly=True, digits=(16, 1), aggregator="avg"
    )
    avg_days = fields.Float("Days to payment", readonly=True, digits=(16, 1), aggregator="avg")
    difference = fields.Float(
        "Difference (points)", readonly=True, digits=(16, 1), aggregator="avg"
    )
    low = fields.Float("95 % from", readonly=True, digits=(16, 1), aggregator="avg")
    high = fields.Float("95 % to", readonly=True, digits=(16, 1), aggregator="avg")
    status = fields.Selection(STATUSES, readonly=True, default="collecting")
    still_needed = fields.Integer("Reminders still needed", readonly=True)

    @api.constrains("weight")
    def _check_weight(self):
        for arm in self:
            if arm.weight < 1:
                raise ValidationError(self.env._("Each arm needs a share of at least 1."))

    def write(self, vals):
        wording = {"tone", "subject", "paragraph", "social_norm", "send_window", "weight"}
        if wording & set(vals) and any(arm.experiment_id.state == "running" for arm in self):
            raise UserError(self.env._("A running experiment's arms cannot change: stop it first."))
        return super().write(vals)

    def _store_figures(self):
        """Compute what each arm gathered and keep it (the experiment's
        *Refresh* and the daily cockpit run): the list and graph read it at once."""
        for experiment in self.experiment_id:
            comparisons, figures = experiment._comparisons()
            for arm in self.filtered(lambda a, e=experiment: a.experiment_id == e):
                counted, rows = figures.get(arm, (None, []))
                n = counted.reminders if counted else 0
                paid = counted.paid if counted else 0
                owed = sum(r["owed"] for r in rows)
                days = [r["days"] for r in rows if r["days"] is not None]
                vals = {
                    "reminders": n,
                    "paid": paid,
                    "rate": 100.0 * paid / n if n else 0.0,
                    "rate_7": 100.0 * sum(1 for r in rows if r["paid_7"]) / n if n else 0.0,
                    "amount_share": (
                        100.0 * sum(r["share_14"] * r["owed"] for r in rows) / owed if owed else 0.0
                    ),
                    "avg_days": sum(days) / len(days) if days else 0.0,
                }
                comparison = comparisons.get(arm)
                if arm.is_control or not comparison:
                    vals.update(
                        status="control" if arm.is_control else "collecting",
                        difference=0.0,
                        low=0.0,
                        high=0.0,
                        still_needed=max(experiment.planned_size - n, 0),
                    )
                else:
                    vals.update(
                        status=str(comparison.status),
                        still_needed=max(experiment.planned_size - n, 0),
                        difference=100 * (comparison.difference or 0.0),
                        low=100 * (comparison.low or 0.0),
                        high=100 * (comparison.high or 0.0),
                    )
                super(PaymentFollowupExperimentArm, arm).write(vals)

    # ------------------------------------------------------------------
    # what an arm changes
    # ------------------------------------------------------------------
    def _apply_to_reminders(self, reminders):
        """This arm's words on ``reminders`` (one write; the social-norm figure
        is stored on each reminder, like its amounts)."""
        self.ensure_one()
        vals = {"experiment_arm_id": self.id}
        if self.tone:
            style, formality = self.tone.split("_")
            vals.update(tone=self.tone, style=style, formality=formality)
        reminders.write(vals)
        if self.social_norm:
            self.env["payment.followup.experiment"]._store_social_norm(reminders)

    def _apply_to_level(self, level):
        """Adopt this arm: the level's wording becomes the arm's, in every
        installed language."""
        self.ensure_one()
        level.write({"tone_override": self.tone or False, "social_norm": self.social_norm})
        for lang, __ in self.env["res.lang"].get_installed():
            arm = self.with_context(lang=lang)
            level.with_context(lang=lang).write(
                {
                    "subject_override": arm.subject or False,
                    "extra_paragraph": arm.paragraph or False,
                }
            )
