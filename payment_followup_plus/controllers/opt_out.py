from odoo import http
from odoo.http import request
from odoo.tools import consteq

from ..engine.portal_input import MAX_ID


class PaymentFollowupOptOut(http.Controller):
    """The opt-out link carried by every email reminder.

    GET shows what the customer is about to do; the opt-out itself is a POST
    (CSRF-protected). The token is an HMAC of the customer's id: another
    customer's id, or a wrong token, shows a 404 and changes nothing.
    """

    def _followup_partner(self, partner_id, token):
        # an id PostgreSQL cannot hold, or a token of other characters than
        # the signature's, is simply not found (never a server error)
        if not 0 < partner_id <= MAX_ID or not isinstance(token, str) or not token.isascii():
            raise request.not_found()
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        if (
            not partner
            or partner != partner.commercial_partner_id
            or not consteq(partner._followup_opt_out_token(), token)
        ):
            raise request.not_found()
        return partner

    @http.route(
        "/payment_followup/opt_out/<int:partner_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET", "POST"],
        sitemap=False,
    )
    def followup_opt_out(self, partner_id, token, **kwargs):
        """GET: the confirmation page. POST (CSRF-checked by Odoo): opt out."""
        partner = self._followup_partner(partner_id, token)
        if request.httprequest.method == "POST" and not partner.followup_opt_out:
            partner._followup_record_opt_out()
        # the page speaks the customer's language, not the browser's
        lang = partner._followup_lang()
        if lang and request.env["res.lang"]._lang_get(lang):
            request.update_context(lang=lang)
        return request.render(
            "payment_followup_plus.opt_out_page",
            {"partner": partner, "token": token, "done": partner.followup_opt_out},
        )
