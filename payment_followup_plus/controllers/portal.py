import pytz
from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount

from ..engine.portal_input import PortalInputError, parse_ids
from ..engine.zones import hhmm

# form fields that carry several values
MULTI = ("invoice_ids", "weekday_ids")
# POST actions: (the customer's method, section of the form, section showing the result)
ACTIONS = {
    "promise": ("_followup_portal_promise", "promise", "plans"),
    "reason": ("_followup_portal_reason", "reason", "reason"),
    "plan": ("_followup_portal_propose_plan", "plan", "plans"),
    "plan_accept": ("_followup_portal_accept_plan", "plans", "plans"),
    "call": ("_followup_book_call", "call", "call"),
    "call_cancel": ("_followup_cancel_call", "call", "call"),
    "preferences": ("_followup_portal_preferences", "preferences", "preferences"),
    "autopay": ("_followup_portal_autopay", "autopay", "autopay"),
    "autopay_stop": ("_followup_portal_autopay_stop", "autopay", "autopay"),
    "autopay_change": ("_followup_portal_autopay_change", "autopay", "autopay"),
}
SESSION_KEY = "payment_followup_message"
# the online payments made from the page, said once on landing after them
PAID_KEY = "payment_followup_paid_tx"


class PaymentFollowupCustomerPortal(PortalAccount):
    """The customer's "Payments due" page and what it lets them do.

    Who may act: a signed-in portal user for their own commercial partner, or
    anyone holding a signed link of a reminder (``/my/payments/<id>/<token>``),
    for that customer only and until the link expires. Every POST is CSRF
    checked by Odoo and re-checks the customer; a GET never writes.
    """

    # ------------------------------------------------------------------
    # who is asking
    # ------------------------------------------------------------------
    def _pfp_access(self, partner_id, token):
        """(commercial partner, token to carry, "ok" | "expired"); a bad
        token or another customer's id is a 404."""
        if token:
            try:
                (pid,) = parse_ids([partner_id if isinstance(partner_id, str) else str(partner_id)])
            except (PortalInputError, ValueError):
                raise NotFound() from None
            partner = request.env["res.partner"].sudo().browse(pid).exists()
            if not partner or partner != partner.commercial_partner_id:
                raise NotFound()
            state = partner.sudo()._followup_check_link_token(token)
            if state == "bad":
                raise NotFound()
            return partner, token, state
        user = request.env.user
        if user._is_public():
            return None, "", "login"
        return user.partner_id.commercial_partner_id.sudo(), "", "ok"

    def _pfp_gate(self, partner_id, token):
        """(partner, token, state, the page to show instead): the login page
        without a link or a session, the expired-link page for an old link
        (in the customer's language), None when the customer may go on."""
        partner, token, state = self._pfp_access(partner_id, token)
        if state == "login":
            return partner, token, state, self._pfp_login()
        self._pfp_lang(partner, token)
        # the customer as the page reads it: in the language just chosen
        partner = partner.with_env(request.env).sudo()
        if state == "expired":
            return partner, token, state, self._pfp_expired(partner, token)
        return partner, token, state, None

    def _pfp_lang(self, partner, token):
        """A signed link speaks the customer's language, not the browser's;
        returns that language (or None)."""
        lang = partner._followup_lang()
        if token and lang and request.env["res.lang"]._lang_get(lang):
            request.update_context(lang=lang)
            return lang
        return None

    def _pfp_page_url(self, partner, token, anchor=None):
        url = "/my/payments/%s/%s" % (partner.id, token) if token else "/my/payments"
        return url + ("#%s" % anchor if anchor else "")

    def _pfp_login(self):
        return request.redirect("/web/login?redirect=/my/payments")

    def _pfp_slot_label(self, slot):
        """A call time as the customer reads it: weekday, date, time, zone."""
        return request.env["payment.followup.guardrails"]._moment_label(slot.customer_start)

    def _pfp_html_data(self):
        """The <html> attributes of the pages the addon renders: the language
        the page is written in (a screen reader reads it in the right voice),
        and its direction."""
        code = request.env.lang or "en_US"
        lang = request.env["res.lang"]._lang_get(code)
        data = {"lang": code.replace("_", "-")}
        if lang and lang.direction == "rtl":
            data["dir"] = "rtl"
        return data

    def _pfp_form(self):
        form = request.httprequest.form
        return {key: form.getlist(key) if key in MULTI else form.get(key) for key in form}

    # ------------------------------------------------------------------
    # the page
    # ------------------------------------------------------------------
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "followup_due_count" in counters:
            partner = request.env.user.partner_id.commercial_partner_id
            values["followup_due_count"] = len(partner.sudo()._followup_portal_invoices())
        return values

    def _pfp_render(self, partner, token, **extra):
        Portal = request.env["res.partner"].sudo()
        values = self._prepare_portal_layout_values()
        paid = request.session.get(PAID_KEY) or []
        values.update(partner.sudo()._followup_portal_values(paid))
        if paid:
            ended = request.env["payment.transaction"].sudo().browse(paid).exists()
            ended = ended.filtered(lambda tx: tx.state in ("done", "cancel", "error"))
            request.session[PAID_KEY] = [tx_id for tx_id in paid if tx_id not in ended.ids]
        values.update(
            page_name="followup_payments",
            # the browser tab, in the reader's language (not "Odoo")
            title=request.env._("Payments due"),
            pfp_partner=partner,
            pfp_token=token,
            pfp_url=self._pfp_page_url(partner, token),
            pfp_message=request.session.pop(SESSION_KEY, None),
            form=extra.pop("form", {}),
            slots=[],
            slots_error=False,
            reminder_title=Portal._followup_portal_reminder_title,
            local_time=lambda moment: request.env["payment.followup.guardrails"]._local_time_label(
                moment, partner
            ),
            slot_label=self._pfp_slot_label,
            timezones=pytz.common_timezones,
            hhmm=hhmm,
            # the invoices table's labels, on a phone beside each value
            pfp_labels={
                "invoice": request.env._("Invoice"),
                "due": request.env._("Due date"),
                "late": request.env._("Days late"),
                "open": request.env._("Open amount"),
                "status": request.env._("Status"),
            },
            error=False,
            section=False,
            preview=False,
        )
        if not partner.followup_opt_out_phone:
            try:
                values["slots"] = partner.sudo()._followup_call_slots()
            except UserError as err:
                values["slots_error"] = err.args[0]
        if values["slots"]:
            first = values["slots"][0]
            values["call_hint"] = request.env._(
                "Times in your time zone (%(tz)s). A call takes about %(minutes)s minutes.",
                tz=first.customer_start.tzname(),
                minutes=int((first.end - first.start).total_seconds() // 60),
            )
        values["preview_review"] = lambda wizard: request.env._(
            "This plan is outside our usual terms (%(why)s): a person will review it before "
            "it starts.",
            why=wizard.approval_reason,
        )
        channel = request.env.ref(
            "payment_followup_plus.livechat_channel_payment_help", raise_if_not_found=False
        )
        values["livechat_info"] = channel and channel.sudo().get_livechat_info()
        values.update(extra)
        values["pfp_sections"] = self._pfp_sections(values)
        values["html_data"] = self._pfp_html_data()
        return request.render("payment_followup_plus.portal_payments_page", values)

    def _pfp_sections(self, values):
        """The sections the page shows: a confirmation is shown in the section
        the page opens at (where the customer sees what changed), at the top
        when that section is not on the page."""
        rows, open_forms = values.get("rows"), not values.get("limit_reached")
        shown = {
            "plans": values.get("plans") or values.get("promises"),
            "plan": values.get("plannable") and open_forms,
            "promise": values.get("plannable") and open_forms,
            "reason": rows and values.get("reasons"),
            "autopay": values.get("autopays") or values.get("autopay_offers"),
            "call": True,
            "preferences": True,
        }
        return {section for section, visible in shown.items() if visible}

    @http.route(
        "/my/payments", type="http", auth="public", methods=["GET"], website=True, sitemap=False
    )
    def pfp_page(self, **kw):
        partner, token, __, stop = self._pfp_gate(None, None)
        return stop or self._pfp_render(partner, token)

    @http.route(
        "/my/payments/<int:partner_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def pfp_page_signed(self, partner_id, token, **kw):
        partner, token, __, stop = self._pfp_gate(partner_id, token)
        if stop:
            return stop
        lang = self._pfp_lang(partner, token)
        response = self._pfp_render(partner, token)
        if lang and request.env.user._is_public():
            # the next pages (payment, chat) follow, as for any visitor's
            # choice; and Odoo's own scripts on this page (the chat's "Today
            # at …", its buttons) take the visitor's session language
            # (on the future response: it goes after Odoo's own, which would
            # otherwise set the browser's language back)
            request.future_response.set_cookie("frontend_lang", lang)
            if request.session.context.get("lang") != lang:
                request.session.context = dict(request.session.context, lang=lang)
        return response

    def _pfp_expired(self, partner, token, sent_to=None, error=None):
        return request.render(
            "payment_followup_plus.portal_link_expired",
            {
                "partner": partner,
                "token": token,
                "sent_to": sent_to,
                "error": error,
                "html_data": self._pfp_html_data(),
            },
        )

    # ------------------------------------------------------------------
    # what the customer does
    # ------------------------------------------------------------------
    @http.route(
        "/my/payments/do/<string:action>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def pfp_do(self, action, pid=None, token=None, **kw):
        partner, token, state, stop = self._pfp_gate(pid, token)
        if state == "expired" and action == "fresh_link":
            return self._pfp_fresh_link(partner, token)
        if stop:
            return stop
        form = self._pfp_form()
        if action == "plan" and form.get("preview"):
            return self._pfp_preview(partner, token, form)
        if action not in ACTIONS:
            raise NotFound()
        method, section, result_section = ACTIONS[action]
        handler = getattr(partner.sudo(), method)
        args = [form]
        if action == "reason":
            upload = request.httprequest.files.get("attachment")
            args.append((upload.filename, upload.read()) if upload and upload.filename else None)
        if action in ("plan", "plan_accept", "autopay"):
            args.append(request.httprequest.remote_addr)
        if action == "autopay":
            args.append(request.httprequest.user_agent.string)
        try:
            with request.env.cr.savepoint():
                result = handler(*args)
        except (UserError, ValidationError) as err:
            return self._pfp_render(partner, token, form=form, error=err.args[0], section=section)
        except (AccessError, MissingError):
            raise NotFound() from None
        message = result[1] if isinstance(result, tuple) else result
        request.session[SESSION_KEY] = {"text": message, "section": result_section}
        return request.redirect(self._pfp_page_url(partner, token, result_section))

    def _pfp_preview(self, partner, token, form):
        """Show the schedule of a proposed plan; nothing is written."""
        try:
            preview = partner.sudo()._followup_portal_plan_preview(form)
        except (UserError, ValidationError) as err:
            return self._pfp_render(partner, token, form=form, error=err.args[0], section="plan")
        return self._pfp_render(partner, token, form=form, preview=preview, section="plan")

    def _pfp_fresh_link(self, partner, token):
        try:
            with request.env.cr.savepoint():
                sent_to = partner.sudo()._followup_send_fresh_link()
        except UserError as err:
            return self._pfp_expired(partner, token, error=err.args[0])
        return self._pfp_expired(partner, token, sent_to=sent_to)
