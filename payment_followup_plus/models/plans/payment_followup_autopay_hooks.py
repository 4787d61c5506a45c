from odoo import api, fields, models
from odoo.tools import format_date

from .payment_followup_plan import PaymentFollowupPlan as Plan


class PaymentFollowupAutopayMixin(models.AbstractModel):
    """What a plan or a promise says of its automatic payment: whether it pays
    itself, with what and when next, and the sentence its agreement and
    emails carry. The model declares ``autopay_ids``."""

    _name = "payment.followup.autopay.mixin"
    _description = "Paid automatically"

    autopay_active = fields.Boolean(
        "Paid automatically", compute="_compute_autopay", store=True, index=True
    )
    autopay_summary = fields.Char("Automatic payment", compute="_compute_autopay_words")
    autopay_statement = fields.Char(compute="_compute_autopay_words")

    @api.depends("autopay_ids.state")
    def _compute_autopay(self):
        for record in self:
            record.autopay_active = "active" in record.autopay_ids.mapped("state")

    @api.depends_context("lang")
    @api.depends("autopay_ids.state", "autopay_ids.charge_ids.state")
    def _compute_autopay_words(self):
        for record in self:
            running = record._followup_autopay()
            record.autopay_summary = running.summary if running else False
            record.autopay_statement = running._statement() if running else False

    def _followup_autopay(self):
        """The running automatic payment (or none)."""
        self.ensure_one()
        return self.autopay_ids.filtered(lambda a: a.state == "active")[:1]


class PaymentFollowupPlan(models.Model):
    _name = "payment.followup.plan"
    _inherit = ["payment.followup.plan", "payment.followup.autopay.mixin"]

    autopay_ids = fields.One2many(
        "payment.followup.autopay", "plan_id", string="Automatic payments"
    )

    def _followup_autopay_reference(self):
        return self.name

    def _followup_autopay_lines(self):
        """The installments a running automatic payment takes care of: no
        reminder before them (the customer need not act), none when late while
        a retry waits or the bank has yet to answer."""
        lines = self.env["payment.followup.plan.line"]
        for plan in self.filtered("autopay_active"):
            autopay = plan._followup_autopay()
            if autopay:
                keys = autopay._in_hand()
                lines |= plan.line_ids.filtered(lambda ln, k=keys: "line-%s" % ln.id in k)
        return lines

    def _release_invoices(self):
        # a plan that ends (completed, broken, cancelled) charges no more
        for plan in self.filtered("autopay_active"):
            autopay = plan._followup_autopay()
            if autopay:
                autopay._stop(
                    self.env._("Plan %(plan)s ended.", plan=plan.name),
                    self.env.user.name,
                    tell_customer=False,
                )
        return super()._release_invoices()


class PaymentFollowupPromise(models.Model):
    _name = "payment.followup.promise"
    _inherit = ["payment.followup.promise", "payment.followup.autopay.mixin"]

    autopay_ids = fields.One2many(
        "payment.followup.autopay", "promise_id", string="Automatic payments"
    )

    def _followup_autopay_reference(self):
        return "PROMISE-%s" % self.id

    def _settle(self, today):
        # a promise whose automatic charge waits for its retry or the bank
        # is not broken yet
        waiting = self.filtered(
            lambda p: p._followup_autopay()
            and p._followup_autopay()._in_hand()
            and p._outcome(today) == "broken"
        )
        return super(PaymentFollowupPromise, self - waiting)._settle(today)

    def _release(self, remind):
        for promise in self.filtered(lambda p: p._followup_autopay()):
            promise._followup_autopay()._stop(
                self.env._("The promise ended."), self.env.user.name, tell_customer=False
            )
        return super()._release(remind)


class PaymentFollowupAutopay(models.Model):
    """The words of the automatic payment's emails, and where the customer
    manages it."""

    _inherit = "payment.followup.autopay"

    followup_greeting = fields.Char(compute="_compute_followup_words")
    followup_closing = fields.Char(compute="_compute_followup_words")
    portal_url = fields.Char("Customer page link", compute="_compute_portal_url")
    customer_text = fields.Char(compute="_compute_customer_text")
    consent_line = fields.Char(compute="_compute_customer_text")

    @api.depends_context("lang")
    @api.depends("state", "method_label", "notice_date", "notice_amount", "stop_reason")
    def _compute_customer_text(self):
        """The first sentence of its emails (set up, notice, stopped), and the
        consent as the agreement prints it, in the reader's language."""
        _ = self.env._
        for autopay in self:
            method = autopay.method_label
            if autopay.state == "stopped":
                text = _(
                    "Automatic payment with %(method)s has stopped: %(why)s",
                    method=method,
                    why=autopay.stop_reason or "",
                )
            elif autopay.notice_date:
                text = _(
                    "As agreed, %(amount)s will be debited from %(method)s on %(date)s. Please "
                    "make sure the account can cover it.",
                    amount=autopay.currency_id.format(autopay.notice_amount),
                    method=method,
                    date=format_date(self.env, autopay.notice_date),
                )
            else:
                text = _("Thank you: automatic payment is set up with %(method)s.", method=method)
            autopay.customer_text = text
            autopay.consent_line = _(
                "Agreed by %(who)s on %(when)s (wording version %(version)s):",
                who=autopay.consented_by,
                when=self.env["payment.followup.guardrails"]._local_time_label(
                    autopay.consented_on, autopay.partner_id, autopay.company_id
                )
                if autopay.consented_on
                else "",
                version=autopay.consent_version,
            )

    _compute_followup_words = Plan._compute_followup_words

    def _compute_portal_url(self):
        for autopay in self:
            autopay.portal_url = autopay._payments_page_url()

    def _payments_page_url(self):
        """Where the customer sees it (hook: the portal signs the link)."""
        self.ensure_one()
        return self.partner_id.get_base_url() + "/my/payments#autopay"


class PaymentToken(models.Model):
    _inherit = "payment.token"

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals and not vals["active"]:
            # a removed or expired method stops its automatic payments: both
            # sides are told
            autopays = (
                self.env["payment.followup.autopay"]
                .sudo()
                .search([("token_id", "in", self.ids), ("state", "=", "active")])
            )
            for autopay in autopays:
                why = self.env._(
                    "The payment method %(method)s was removed or expired.",
                    method=autopay.method_label,
                )
                autopay._stop(why, self.env.user.name)
                autopay._tell_staff(why, fields.Date.context_today(self))
        return result


class MailActivity(models.Model):
    _inherit = "mail.activity"

    followup_kind = fields.Selection(
        selection_add=[("autopay", "Automatic payment stopped")],
        ondelete={"autopay": "cascade"},
    )
