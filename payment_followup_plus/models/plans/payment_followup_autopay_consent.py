from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

from .payment_followup_autopay import CONSENT_VERSION, DIRECT_DEBIT_CODES


class PaymentFollowupAutopayConsent(models.Model):
    """How an automatic payment starts: the wording the customer reads, their
    consent kept as shown; and the method they pay with, which they may
    change."""

    _inherit = "payment.followup.autopay"

    # ------------------------------------------------------------------
    # starting (the customer's consent)
    # ------------------------------------------------------------------
    @api.model
    def _consent_wording(self, target):
        """The consent shown to the customer, in their language; what they
        agree to is stored exactly so, with its version (the method they
        choose is kept beside it)."""
        partner = target.partner_id.commercial_partner_id
        env = self.with_context(lang=partner._followup_lang(self.env.lang)).env
        currency = target.currency_id.with_env(env)
        if target._name == "payment.followup.plan":
            schedule = "; ".join(
                "%s %s"
                % (format_date(env, ln.due_date), currency.format(ln.amount - ln.amount_paid))
                for ln in target.line_ids.sorted(lambda ln: (ln.due_date, ln.number))
                if ln.state != "paid"
            )
            return env._(
                "I authorise %(company)s to charge the saved payment method I choose for each "
                "remaining installment of payment plan %(plan)s on its due date: %(schedule)s. "
                "I can stop this at any time on my payments page; a stop takes effect before "
                "the next charge.",
                company=target.company_id.name,
                plan=target.name,
                schedule=schedule,
            )
        return env._(
            "I authorise %(company)s to charge the saved payment method I choose %(amount)s on "
            "%(date)s, as I promised. I can stop this at any time on my payments page; a stop "
            "takes effect before the charge.",
            company=target.company_id.name,
            amount=currency.format(target.amount),
            date=format_date(env, target.promised_date),
        )

    @api.model
    def _start(self, target, token, who, via, ip=False, user_agent=False, user=False):
        """The customer agreed (``via`` the portal signed in or with a signed
        link): the automatic payment of ``target`` (a plan or a promise) with
        ``token`` starts, the consent kept as shown; the customer gets it by
        email. Refused with a clear message, nothing written, otherwise."""
        _ = self.env._
        partner = target.partner_id.commercial_partner_id
        if target._name == "payment.followup.plan" and target.state != "active":
            raise UserError(_("Automatic payment is for a running plan."))
        if target._name == "payment.followup.promise" and target.state != "open":
            raise UserError(_("Automatic payment is for a running promise."))
        problem = self._token_problem(token, partner, target.company_id, target.currency_id)
        if problem:
            raise UserError(problem)
        link = "plan_id" if target._name == "payment.followup.plan" else "promise_id"
        if self.search_count([(link, "=", target.id), ("state", "=", "active")]):
            raise UserError(_("Automatic payment is already set up for this."))
        guardrails = self.env["payment.followup.guardrails"]
        autopay = self.create(
            {
                "partner_id": partner.id,
                "company_id": target.company_id.id,
                "currency_id": target.currency_id.id,
                link: target.id,
                "token_id": token.id,
                "method_label": self._method_label(token),
                "direct_debit": token.sudo().payment_method_id.code in DIRECT_DEBIT_CODES,
                "consent_text": self._consent_wording(target),
                "consent_version": CONSENT_VERSION,
                "consent_lang": partner._followup_lang(self.env.lang),
                "consent_schedule_key": self._schedule_key_of(target),
                "consented_on": fields.Datetime.now(),
                "consent_day": guardrails._partner_today(partner, company=target.company_id),
                "consent_ip": ip,
                "consent_user_agent": (user_agent or "")[:300] or False,
                "consented_by": who,
                "consent_user_id": user.id if user else False,
                "consent_via": via,
            }
        )
        staff = self.with_context(
            lang=self.env["payment.followup.team"]._staff_lang(target.company_id)
        ).env
        target.with_env(staff)._log(
            staff._(
                "Automatic payment with %(method)s agreed by %(who)s (%(via)s)",
                method=autopay.method_label,
                who=who,
                via=dict(self._fields["consent_via"]._description_selection(staff))[via],
            ),
            via_portal=True,
            user_id=False,
        )
        self.env.ref("payment_followup_plus.mail_template_autopay_started").sudo().send_mail(
            autopay.id
        )
        return autopay

    def _change_token(self, token, who):
        """The customer chose another of their saved methods (checked by the
        caller): the next charges use it; the history says so."""
        self.ensure_one()
        old = self.method_label
        self.write(
            {
                "token_id": token.id,
                "method_label": self._method_label(token),
                "direct_debit": token.sudo().payment_method_id.code in DIRECT_DEBIT_CODES,
            }
        )
        self._target()._log(
            self.env._(
                "Automatic payment moved from %(old)s to %(new)s by %(who)s",
                old=old,
                new=self.method_label,
                who=who,
            )
        )
