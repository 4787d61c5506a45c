import hashlib

from odoo import models
from odoo.exceptions import UserError

from ...engine.portal_input import parse_ids

TARGETS = {"plan": "payment.followup.plan", "promise": "payment.followup.promise"}


class ResPartner(models.Model):
    """Automatic payment on the customer's page: offered for a running plan or
    promise when the company has a provider that saves payment methods; set
    up with the customer's consent, stopped by the customer at any time."""

    _inherit = "res.partner"

    def _followup_autopay_providers(self, company, currency=None):
        """The company's providers that can save a payment method (and pay in
        ``currency``)."""
        providers = (
            self.env["payment.provider"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("enabled", "test")),
                    ("allow_tokenization", "=", True),
                ]
            )
        )
        if currency:
            providers = providers.filtered(
                lambda p: not p.available_currency_ids or currency in p.available_currency_ids
            )
        return providers

    def _followup_autopay_tokens(self, company, currency):
        """The customer's saved methods that can pay ``company`` in ``currency``."""
        partner = self.commercial_partner_id
        Autopay = self.env["payment.followup.autopay"]
        tokens = (
            self.env["payment.token"]
            .sudo()
            .search([("partner_id", "child_of", partner.id), ("company_id", "=", company.id)])
        )
        return tokens.filtered(lambda t: not Autopay._token_problem(t, partner, company, currency))

    def _followup_portal_autopay_values(self, plans, promises):
        """What the page shows: the running automatic payments, and for each
        running plan or promise without one the consent offered (the wording,
        the methods to choose from)."""
        partner = self.commercial_partner_id
        Autopay = self.env["payment.followup.autopay"].sudo()
        running = Autopay.search([("partner_id", "=", partner.id), ("state", "=", "active")])
        # a customer's plans and promises share one or two companies and
        # currencies: providers and saved methods are looked up once for each
        providers, tokens = {}, {}

        def usable(company, currency):
            key = (company, currency)
            if key not in providers:
                providers[key] = self._followup_autopay_providers(company, currency)
                tokens[key] = self._followup_autopay_tokens(company, currency)
            return providers[key], tokens[key]

        offers = []
        for target in [*plans.filtered(lambda p: p.state == "active"), *promises]:
            offered, saved = usable(target.company_id, target.currency_id)
            if target.autopay_active or not offered:
                continue
            wording = Autopay._consent_wording(target)
            is_plan = target._name == TARGETS["plan"]
            offers.append(
                {
                    "key": "%s-%s" % ("plan" if is_plan else "promise", target.id),
                    "target": target,
                    "title": self.env._("Pay plan %(plan)s automatically", plan=target.name)
                    if is_plan
                    else self.env._("Pay your promise automatically"),
                    "wording": wording,
                    "wording_key": self._followup_autopay_wording_key(wording),
                    "tokens": saved,
                }
            )
        other_tokens = {
            autopay.id: usable(autopay.company_id, autopay.currency_id)[1] - autopay.token_id
            for autopay in running
        }
        return {"autopays": running, "autopay_offers": offers, "autopay_tokens": other_tokens}

    def _followup_autopay_wording_key(self, wording):
        """A short fingerprint of the wording shown, sent back with the form:
        what is stored is what the customer read."""
        return hashlib.sha256(wording.encode()).hexdigest()[:16]

    def _followup_portal_autopay_target(self, value):
        """The customer's running plan or promise named by the form ("plan-12")."""
        partner = self.commercial_partner_id
        kind, __, rest = (value or "").partition("-")
        if kind not in TARGETS:
            raise UserError(self.env._("Choose what to pay automatically."))
        Model = self.env[TARGETS[kind]].sudo()
        state = "active" if kind == "plan" else "open"
        mine = Model.search([("partner_id", "=", partner.id), ("state", "=", state)])
        ids = self._followup_portal_input(parse_ids, [rest], set(mine.ids))
        return Model.browse(ids)

    def _followup_portal_autopay(self, form, ip=None, user_agent=None):
        """The customer agrees to automatic payment (typing their name and
        ticking the consent): refused with a clear message otherwise."""
        partner = self.commercial_partner_id
        target = self._followup_portal_autopay_target(form.get("target"))
        tokens = self._followup_autopay_tokens(target.company_id, target.currency_id)
        chosen = form.get("payment_token_id")
        token_ids = self._followup_portal_input(parse_ids, [chosen], None) if chosen else []
        token = self.env["payment.token"].sudo().browse(token_ids).exists()
        if not token or token not in tokens:
            problem = token and self.env["payment.followup.autopay"]._token_problem(
                token, partner, target.company_id, target.currency_id
            )
            raise UserError(problem or self.env._("Choose one of your saved payment methods."))
        signer = (form.get("signer") or "").strip()
        if not signer or len(signer) > 128:
            raise UserError(self.env._("Please type your full name to agree."))
        if not form.get("consent"):
            raise UserError(self.env._("Please tick the box to agree to automatic payment."))
        wording = self.env["payment.followup.autopay"].sudo()._consent_wording(target)
        if form.get("wording_key") != self._followup_autopay_wording_key(wording):
            raise UserError(
                self.env._(
                    "The terms changed since you opened this page (a payment arrived, or the "
                    "plan changed): please read them again below."
                )
            )
        user = self.env.user
        signed_in = not user._is_public() and user.partner_id.commercial_partner_id == partner
        autopay = (
            self.env["payment.followup.autopay"]
            .sudo()
            ._start(
                target,
                token,
                signer,
                "signed_in" if signed_in else "signed_link",
                ip=ip,
                user_agent=user_agent,
                user=user if signed_in else False,
            )
        )
        return self.env._(
            "Automatic payment is set up with %(method)s. We sent you what you agreed to by "
            "email.",
            method=autopay.method_label,
        )

    def _followup_portal_autopay_stop(self, form):
        """The customer stops an automatic payment: no further charge."""
        partner = self.commercial_partner_id
        Autopay = self.env["payment.followup.autopay"].sudo()
        mine = Autopay.search([("partner_id", "=", partner.id), ("state", "=", "active")])
        ids = self._followup_portal_input(parse_ids, [form.get("autopay_id")], set(mine.ids))
        autopay = Autopay.browse(ids)
        staff = self.with_context(
            lang=self.env["payment.followup.team"]._staff_lang(autopay.company_id)
        ).env
        autopay.with_env(staff).with_context(followup_via_portal=True)._stop(
            staff._("Stopped by the customer on their payments page."),
            self._followup_portal_who().name,
            tell_customer=False,
        )
        return self.env._(
            "Automatic payment with %(method)s is stopped: nothing more will be charged.",
            method=autopay.method_label,
        )

    def _followup_portal_autopay_change(self, form):
        """The customer pays with another of their saved methods from now on
        (the consent stays; the change is logged)."""
        partner = self.commercial_partner_id
        Autopay = self.env["payment.followup.autopay"].sudo()
        mine = Autopay.search([("partner_id", "=", partner.id), ("state", "=", "active")])
        ids = self._followup_portal_input(parse_ids, [form.get("autopay_id")], set(mine.ids))
        autopay = Autopay.browse(ids)
        tokens = self._followup_autopay_tokens(autopay.company_id, autopay.currency_id)
        chosen = form.get("payment_token_id")
        token_ids = self._followup_portal_input(parse_ids, [chosen], None) if chosen else []
        token = self.env["payment.token"].sudo().browse(token_ids).exists()
        if not token or token not in tokens:
            raise UserError(self.env._("Choose one of your saved payment methods."))
        staff = self.with_context(
            lang=self.env["payment.followup.team"]._staff_lang(autopay.company_id)
        ).env
        autopay.with_env(staff).with_context(followup_via_portal=True)._change_token(
            token, self._followup_portal_who().name
        )
        return self.env._(
            "From now on, automatic payment uses %(method)s.", method=autopay.method_label
        )
