import html
import re
import time
from datetime import timedelta

from odoo import Command

from .common import PaymentFollowupCommon
from .test_followup_http import FollowupHttpCommon


class PortalCommon(PaymentFollowupCommon, FollowupHttpCommon):
    """Two customers, each with a portal user and open invoices; helpers to
    open the payments page and post its forms like a browser does."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"followup_min_notice_hours": 24.0})
        cls.acme = cls._customer("Acme Portal", tz="Europe/Brussels", lang="en_US")
        cls.other = cls._customer("Other Portal", tz="Europe/Brussels", lang="en_US")
        cls.old = cls._invoice(cls.acme, 40, 100.0)
        cls.late = cls._invoice(cls.acme, 10, 250.0)
        cls.foreign = cls._invoice(cls.other, 20, 999.0)
        cls.acme_user = cls._portal_user(cls.acme, "acme_portal")
        cls.other_user = cls._portal_user(cls.other, "other_portal")

    @classmethod
    def _portal_user(cls, partner, login):
        contact = cls.env["res.partner"].create(
            {
                "name": "%s contact" % partner.name,
                "parent_id": partner.id,
                "email": f"{login}@example.com",
            }
        )
        return cls.env["res.users"].create(
            {
                "name": contact.name,
                "login": login,
                "password": login + "-pw-1234",
                "partner_id": contact.id,
                "groups_id": [Command.set([cls.env.ref("base.group_portal").id])],
            }
        )

    @classmethod
    def _demo_provider(cls):
        """Odoo's demo payment provider, in test mode, for the company."""
        demo = cls.env.ref("payment.payment_provider_demo").sudo()
        provider = (
            demo if demo.company_id == cls.company else demo.copy({"company_id": cls.company.id})
        )
        provider.write(
            {
                "state": "test",
                "payment_method_ids": [
                    Command.set([cls.env.ref("payment_demo.payment_method_demo").id])
                ],
            }
        )
        return provider

    def _pending_payment(self, invoices, amount, reference):
        """A payment of ``invoices`` the customer made online that the bank
        has yet to confirm (Odoo's demo provider): money on its way."""
        tx = (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": self._demo_provider().id,
                    "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                    "amount": amount,
                    "currency_id": invoices.currency_id.id,
                    "partner_id": invoices.commercial_partner_id.id,
                    "reference": reference,
                    "invoice_ids": [Command.set(invoices.ids)],
                }
            )
        )
        tx._set_pending()
        return tx

    def _pay_online(self, what, token=None, partner=None, amount=1.0):
        """What Odoo's payment form does once the customer clicks Pay: create
        the transaction (the browser's ``amount`` is ignored); then the demo
        provider confirms it."""
        partner = partner or self.acme
        token = partner._followup_link_token() if token is None else token
        self.make_jsonrpc_request(
            "/my/payments/transaction/%s/%s" % (partner.id, what),
            {
                "access_token": token,
                "provider_id": self.provider.id,
                "payment_method_id": self.env.ref("payment_demo.payment_method_demo").id,
                "token_id": None,
                "amount": amount,
                "flow": "direct",
                "tokenization_requested": False,
                "landing_route": "/my/payments",
                "is_validation": False,
            },
        )
        tx = self.env["payment.transaction"].sudo().search([], order="id desc", limit=1)
        tx._set_done()
        tx._post_process()
        return tx

    def _other_terms(self, plan, reason="Two installments at most."):
        """A manager declines the customer's ``plan`` with other terms: two
        installments of 175.00 in 7 and 37 days, confirmed (proposed to the
        customer). Returns the new plan."""
        action = (
            self.env["payment.followup.plan.decline"]
            .create({"plan_id": plan.id, "reason": reason, "counter": True})
            .action_confirm()
        )
        counter = self.env["payment.followup.plan"].browse(action["res_id"])
        self.assertEqual((counter.state, counter.counter_to_id), ("draft", plan))
        counter.line_ids.unlink()
        counter.write(
            {
                "line_ids": [
                    Command.create(
                        {"number": n, "due_date": self.today + timedelta(days=d), "amount": 175.0}
                    )
                    for n, d in ((1, 7), (2, 37))
                ]
            }
        )
        counter.action_confirm()
        return counter

    def _signed(self, partner=None, now=None):
        partner = partner or self.acme
        return "/my/payments/%s/%s" % (partner.id, partner._followup_link_token(now=now))

    def _page(self, url=None):
        response = self.url_open(url or self._signed())
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response

    def _csrf(self, body):
        match = re.search(r'name="csrf_token" value="([^"]+)"', body)
        self.assertTrue(match, "the page has a form with a CSRF token")
        return match.group(1)

    def _post(self, action, data, partner=None, token=None, files=None, page=None):
        """POST a form of the page (signed link of ``partner``, CSRF token of
        the page); returns the response after redirects."""
        partner = partner or self.acme
        token = partner._followup_link_token() if token is None else token
        body = self._page(page or "/my/payments/%s/%s" % (partner.id, token)).text
        payload = {"csrf_token": self._csrf(body), "pid": str(partner.id), "token": token}
        payload.update(data)
        return self.url_open("/my/payments/do/%s" % action, data=payload, files=files)

    def _plain(self, response):
        """The page's text as the customer reads it (the main part, no
        scripts, no time zone list)."""
        match = re.search(r"<main>(.*)</main>", response.text, re.S)
        body = match.group(1) if match else response.text
        body = re.sub(r"<select[^>]*name=\"tz\".*?</select>", "", body, flags=re.S)
        return html.unescape(self._text(body))

    def _counts(self):
        """How many records the portal could write, to prove nothing was."""
        env = self.env
        env.invalidate_all()
        return {
            model: env[model].sudo().search_count([])
            for model in (
                "payment.followup.promise",
                "payment.followup.plan",
                "payment.followup.event",
                "calendar.event",
                "mail.activity",
                "ir.attachment",
                "payment.transaction",
                "payment.followup.dispute",
            )
        } | {
            "held": env["account.move"].search_count([("followup_hold_until", "!=", False)]),
            "acme": str(
                self.acme.read(
                    ["followup_channel", "tz", "lang", "followup_hour_from", "followup_opt_out"]
                )
            ),
        }

    def _expired_token(self, partner=None):
        """A token signed for ``partner`` that expired yesterday."""
        partner = partner or self.acme
        days = self.company.followup_portal_link_days + 1
        return partner._followup_link_token(now=time.time() - days * 86400)
