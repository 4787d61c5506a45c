from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.payment import utils as payment_utils
from odoo.addons.payment.controllers.post_processing import PaymentPostProcessing

from ..engine.portal_input import MAX_ID
from .portal import PAID_KEY, PaymentFollowupCustomerPortal


class PaymentFollowupPayPortal(PaymentFollowupCustomerPortal):
    """Pay chosen invoices, or what a plan asks for now, through Odoo's own
    payment form and providers. The amount is always computed on the server
    from what was chosen; the browser's amount is ignored."""

    def _pfp_what(self, invoice_ids=None, plan_id=None):
        if plan_id:
            return "plan-%s" % plan_id
        ids = invoice_ids if isinstance(invoice_ids, list) else [invoice_ids]
        return "inv-" + "-".join(str(i) for i in ids if i)

    @http.route(
        "/my/payments/pay", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def pfp_pay(self, pid=None, token=None, plan_id=None, **kw):
        partner, token, __, stop = self._pfp_gate(pid, token)
        if stop:
            return stop
        ticked = request.httprequest.args.getlist("invoice_ids")
        what = self._pfp_what(ticked, plan_id)
        shares = None
        try:
            if kw.get("partial"):
                # an amount of the customer's choice: shown shared out before paying
                what = partner.sudo()._followup_portal_partial_target(kw.get("amount"), ticked)
                shares, invoices, amount, currency, company = (
                    partner.sudo()._followup_portal_partial(what)
                )
            else:
                invoices, amount, currency, company = partner.sudo()._followup_portal_payment(what)
        except (UserError, ValidationError) as err:
            form = {"amount": kw.get("amount") or "", "invoice_ids": ticked}
            return self._pfp_render(partner, token, error=err.args[0], section="pay", form=form)
        reference = invoices[:1].name if len(invoices) == 1 else ", ".join(invoices.mapped("name"))
        values = self._prepare_portal_layout_values()
        values.update(
            self._get_common_page_view_values(
                invoices_data={
                    "partner": partner,
                    "company": company,
                    "total_amount": amount,
                    "currency": currency,
                    "amount_residual": amount,
                    "payment_reference": False,
                    "landing_route": self._pfp_page_url(partner, token),
                    "transaction_route": "/my/payments/transaction/%s/%s" % (partner.id, what),
                },
                access_token=token or False,
            )
        )
        values.update(
            page_name="followup_payments",
            amount=amount,
            payment={
                "date": request.env["payment.followup.guardrails"]._partner_today(partner),
                "reference": reference,
                "amount": amount,
            },
            pfp_invoices=invoices,
            pfp_shares=partner.sudo()._followup_share_rows(shares) if shares else None,
            pay_title=request.env._(
                "Pay the installment of plan %(plan)s", plan=invoices.followup_plan_id[:1].name
            )
            if plan_id
            else request.env._(
                "Pay %(amount)s of what you owe",
                amount=currency.format(amount),
            )
            if shares
            else request.env._("Pay your invoices"),
            pfp_url=self._pfp_page_url(partner, token),
        )
        values["html_data"] = self._pfp_html_data()
        return request.render("payment_followup_plus.portal_payments_pay", values)

    @http.route(
        "/my/payments/transaction/<int:partner_id>/<string:what>", type="json", auth="public"
    )
    def pfp_transaction(self, partner_id, what, access_token=None, **kwargs):
        """Create the transaction for what was chosen (Odoo's payment form
        calls this); the customer is checked again, the amount recomputed."""
        if not 0 < partner_id <= MAX_ID:
            raise ValidationError(request.env._("This link has expired. Please sign in."))
        partner, __, state = self._pfp_access(partner_id, access_token)
        if state == "login" or state == "expired":
            raise ValidationError(request.env._("This link has expired. Please sign in."))
        if partner.id != partner_id:
            # a signed-in customer sending another customer's id
            raise ValidationError(
                request.env._("This payment is not one of yours, or no longer exists.")
            )
        shares = None
        if what.startswith("part-"):
            shares, invoices, amount, currency, __ = partner.sudo()._followup_portal_partial(what)
        else:
            invoices, amount, currency, __ = partner.sudo()._followup_portal_payment(what)
        self._validate_transaction_kwargs(kwargs)
        kwargs["amount"] = amount
        user = request.env.user
        payer = user.partner_id if not user._is_public() else partner
        values = self._process_transaction(payer.id, currency.id, invoices.ids, False, **kwargs)
        # the page says once, on landing after it, what became of this payment
        tx_id = request.session.get(PaymentPostProcessing.MONITORED_TX_ID_KEY)
        if shares and tx_id:
            # reconciled exactly as the page showed it
            request.env["payment.transaction"].sudo().browse(tx_id).followup_allocation = [
                [invoice.id, part, amount] for invoice, part, amount in shares
            ]
        if tx_id:
            request.session[PAID_KEY] = [*request.session.get(PAID_KEY, []), tx_id][-5:]
        return values

    @http.route(
        "/my/payments/invoice/<int:invoice_id>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def pfp_invoice_pdf(self, invoice_id, pid=None, token=None, **kw):
        """The invoice PDF, for the customer the page belongs to only."""
        partner, token, __, stop = self._pfp_gate(pid, token)
        if stop:
            return stop
        if not 0 < invoice_id <= MAX_ID:
            raise NotFound()
        invoice = request.env["account.move"].sudo().browse(invoice_id).exists()
        if (
            not invoice
            or invoice.commercial_partner_id != partner
            or invoice.move_type != "out_invoice"
            or invoice.state != "posted"
        ):
            raise NotFound()
        return self._show_report(
            model=invoice, report_type="pdf", report_ref="account.account_invoices", download=True
        )

    # ------------------------------------------------------------------
    # save a payment method, for automatic payment
    # ------------------------------------------------------------------
    @http.route(
        "/my/payments/method",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def pfp_method(self, pid=None, token=None, **kw):
        """Save a card or a bank account with Odoo's payment form (a
        validation: nothing is paid), signed in or with the signed link."""
        partner, token, __, stop = self._pfp_gate(pid, token)
        if stop:
            return stop
        company = partner.sudo()._followup_portal_invoices().company_id[:1] or request.env.company
        report = {}
        providers = (
            request.env["payment.provider"]
            .sudo()
            ._get_compatible_providers(
                company.id,
                partner.id,
                0.0,
                force_tokenization=True,
                is_validation=True,
                report=report,
            )
        )
        methods = (
            request.env["payment.method"]
            .sudo()
            ._get_compatible_payment_methods(
                providers.ids, partner.id, force_tokenization=True, report=report
            )
        )
        values = self._prepare_portal_layout_values()
        values.update(
            page_name="followup_payments",
            mode="validation",
            allow_token_selection=False,
            allow_token_deletion=False,
            reference_prefix=payment_utils.singularize_reference_prefix(prefix="V"),
            partner_id=partner.id,
            providers_sudo=providers,
            payment_methods_sudo=methods,
            tokens_sudo=request.env["payment.token"].sudo(),
            availability_report=report,
            show_tokenize_input_mapping={},
            transaction_route="/my/payments/method/transaction/%s" % partner.id,
            landing_route=self._pfp_page_url(partner, token),
            access_token=token or "",
            pfp_url=self._pfp_page_url(partner, token, "autopay"),
        )
        values["html_data"] = self._pfp_html_data()
        return request.render("payment_followup_plus.portal_payments_method", values)

    @http.route("/my/payments/method/transaction/<int:partner_id>", type="json", auth="public")
    def pfp_method_transaction(self, partner_id, access_token=None, **kwargs):
        """The validation transaction that saves the method, for the page's
        customer only (checked again here)."""
        if not 0 < partner_id <= MAX_ID:
            raise ValidationError(request.env._("This link has expired. Please sign in."))
        partner, token, state = self._pfp_access(partner_id, access_token)
        if state in ("login", "expired"):
            raise ValidationError(request.env._("This link has expired. Please sign in."))
        if partner.id != partner_id:
            raise ValidationError(request.env._("This page is not yours, or no longer exists."))
        self._validate_transaction_kwargs(kwargs)
        kwargs.update(
            amount=None,
            currency_id=None,
            token_id=None,
            tokenization_requested=True,
            is_validation=True,
            landing_route=self._pfp_page_url(partner, token),
            reference_prefix=payment_utils.singularize_reference_prefix(prefix="V"),
        )
        if kwargs.get("flow") == "token":
            raise ValidationError(request.env._("Choose a new card or bank account to save."))
        company = partner.sudo()._followup_portal_invoices().company_id[:1] or request.env.company
        provider = request.env["payment.provider"].sudo().browse(kwargs.get("provider_id"))
        if provider not in partner.sudo()._followup_autopay_providers(company):
            raise ValidationError(request.env._("This payment method cannot be saved here."))
        tx = self._create_transaction(partner_id=partner.id, **kwargs)
        return tx._get_processing_values()
