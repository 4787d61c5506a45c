"""Arbitrary values, generated, sent to every portal route and form: never a
server error, never a traceback in the page, and nothing written when the
request is refused (bounded example counts keep the suite within its time)."""

import json
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from .portal_common import PortalCommon

EXAMPLES = 20
EXAMPLES_PER_ACTION = 6
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
# what careless or hostile people type: any character, digits of every
# script, controls, huge numbers, markup, dates past year 9999, separators
EVIL = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Cc", "Zs", "So"]), max_size=12),
    st.sampled_from(
        [
            "\u0661\u0662",
            "\u00b2",
            "99999999999999999999",
            "-1",
            "0",
            "1,000",
            "1.000,50",
            "1e9",
            "NaN",
            "9999-12-31",
            "0001-01-01",
            "2026-02-30",
            "<b>bold</b><a href='http://evil.example'>x</a><img src=x>",
            "claire@@nowhere",
            "\x00",
            "x" * 5000,
        ]
    ),
)
FIELDS = (
    "invoice_ids",
    "promised_date",
    "amount",
    "note",
    "reason_id",
    "frequency",
    "down_payment",
    "first_due_date",
    "installment_count",
    "installment_amount",
    "extra",
    "mode",
    "plan_id",
    "signer",
    "slot",
    "meeting_id",
    "channel",
    "tz",
    "lang",
    "hour_from",
    "hour_to",
    "weekday_ids",
    "email",
)
ACTIONS = (
    "promise",
    "reason",
    "plan",
    "plan_accept",
    "call",
    "call_cancel",
    "preferences",
    "fresh_link",
)


def not_an_id(value):
    """A generated value that is no record id (so a request is always refused)."""
    return not (value.strip().isascii() and value.strip().isdigit())


@tagged("post_install", "-at_install")
class TestFollowupPortalFuzz(PortalCommon):
    def _safe(self, response):
        self.assertLess(response.status_code, 500, response.text[:300])
        self.assertNotIn("Traceback", response.text)
        self.assertNotIn("PortalInputError", response.text)

    def _unchanged(self, before):
        self.assertEqual(self._counts(), before)

    @SETTINGS
    @given(EVIL, EVIL)
    def test_signed_pages_with_any_token(self, pid, token):
        before = self._counts()
        for url in (
            "/my/payments/%s/%s" % (self.acme.id, quote(token, safe="")),
            "/my/payments/%s/%s" % (quote(pid, safe="") or "0", quote(token, safe="") or "x"),
            "/my/payments/pay?" + urlencode({"pid": pid, "token": token, "invoice_ids": pid}),
            "/my/payments/invoice/%s?%s" % (self.old.id, urlencode({"pid": pid, "token": token})),
            "/payment_followup/opt_out/%s/%s" % (self.acme.id, quote(token, safe="") or "x"),
        ):
            self._safe(self.url_open(url))
        self._unchanged(before)

    @SETTINGS
    @given(EVIL, EVIL, EVIL)
    def test_the_pay_page_with_any_choice(self, invoice_ids, plan_id, other):
        assume(not_an_id(invoice_ids) and not_an_id(plan_id))
        token = self.acme._followup_link_token()
        before = self._counts()
        query = urlencode(
            [
                ("pid", str(self.acme.id)),
                ("token", token),
                ("invoice_ids", invoice_ids),
                ("invoice_ids", other),
                ("plan_id", plan_id),
            ]
        )
        response = self.url_open("/my/payments/pay?" + query)
        self._safe(response)
        # the payment form's own call: refused with a sentence, never a code
        response = self.url_open(
            "/my/payments/transaction/%s/%s" % (self.acme.id, quote("inv-" + invoice_ids, safe="")),
            data=json.dumps(
                {"jsonrpc": "2.0", "method": "call", "params": {"access_token": token}}
            ),
            headers={"Content-Type": "application/json"},
        )
        if "/" in invoice_ids:
            # the web server decodes the slash: no route is that path, so
            # nothing is served and nothing is written
            self.assertEqual(response.status_code, 404)
            self._unchanged(before)
            return
        # JSON-RPC: a refusal is a user error with a sentence (Odoo's protocol
        # carries its own debug field, which the payment form never shows)
        self.assertEqual(response.status_code, 200)
        error = response.json().get("error")
        if error:
            self.assertIn(
                error["data"]["name"],
                ("odoo.exceptions.UserError", "odoo.exceptions.ValidationError"),
            )
            self.assertNotIn("PortalInputError", error["data"]["message"])
            self.assertNotIn("Traceback", error["data"]["message"])
        self._unchanged(before)

    @settings(SETTINGS, max_examples=EXAMPLES_PER_ACTION * len(ACTIONS))
    @given(st.sampled_from(ACTIONS), st.fixed_dictionaries({key: EVIL for key in FIELDS}))
    def test_every_form_with_any_values(self, action, values):
        assume(not_an_id(values["invoice_ids"]) and not_an_id(values["reason_id"]))
        assume(not_an_id(values["plan_id"]) and not_an_id(values["meeting_id"]))
        before = self._counts()
        response = self._post(action, values)
        self._safe(response)
        self._unchanged(before)

    @SETTINGS
    @given(st.sampled_from(ACTIONS), EVIL)
    def test_every_form_with_a_bad_token(self, action, token):
        assume(token != self.acme._followup_link_token())
        page = self._page().text
        before = self._counts()
        response = self.url_open(
            "/my/payments/do/%s" % action,
            data={"csrf_token": self._csrf(page), "pid": str(self.acme.id), "token": token},
        )
        self._safe(response)
        self._unchanged(before)
