import json
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupPortalSafety(PortalCommon):
    """Another customer's ids and tokens, expired or forged links, missing CSRF
    tokens and bad input: refused with a clear message or a 404, never a 500,
    and nothing written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.paid = cls._invoice(cls.acme, 5, 80.0)
        cls._pay(cls.paid)

    def _day(self, days):
        return fields.Date.to_string(self.today + timedelta(days=days))

    def _refused(self, action, data, message, files=None, partner=None, token=None):
        """Post ``data`` and check the page says ``message``, keeps what was
        typed and that nothing was written."""
        before = self._counts()
        response = self._post(action, data, files=files, partner=partner, token=token)
        self.assertEqual(response.status_code, 200, (action, data))
        text = self._plain(response)
        self.assertIn(message, text, (action, data))
        self.assertEqual(self._counts(), before, (action, data))
        return response

    def test_bad_input_is_refused_with_a_message_and_nothing_written(self):
        old, late = str(self.old.id), str(self.late.id)
        promise = {"invoice_ids": [old], "promised_date": self._day(7), "amount": "100"}
        plan = {
            "invoice_ids": [old, late],
            "frequency": "monthly",
            "mode": "count",
            "installment_count": "2",
            "first_due_date": self._day(7),
        }
        dispute = str(self.env.ref("payment_followup_plus.delay_reason_dispute").id)
        forgot = str(self.env.ref("payment_followup_plus.delay_reason_forgot").id)
        prefs = {
            "channel": "email",
            "tz": "Europe/Brussels",
            "lang": "en_US",
            "hour_from": "09:30",
            "hour_to": "11:30",
            "weekday_ids": ["1", "2"],
        }
        cases = [
            # promise: amounts
            ("promise", dict(promise, amount=""), "Please enter an amount."),
            ("promise", dict(promise, amount="ten"), "“ten” is not an amount."),
            ("promise", dict(promise, amount="1.2.3"), "Please write the amount as 1,234.56"),
            # an English "1,5" is neither 1.5 nor 15: never guessed
            ("promise", dict(promise, amount="1,5"), "could be read in two ways"),
            ("promise", dict(promise, amount="\u0661\u0660"), "is not an amount"),
            ("promise", dict(promise, amount="NaN"), "is not an amount"),
            ("promise", dict(promise, amount="-5"), "The amount cannot be negative."),
            ("promise", dict(promise, amount="0"), "The amount must be more than zero."),
            ("promise", dict(promise, amount="12.345"), "too many decimals: at most 2"),
            ("promise", dict(promise, amount="100.01"), "more than what is owed ($ 100.00)"),
            # promise: dates
            ("promise", dict(promise, promised_date=""), "Please choose a date."),
            ("promise", dict(promise, promised_date="2026-02-30"), "is not a date"),
            ("promise", dict(promise, promised_date="next week"), "is not a date"),
            ("promise", dict(promise, promised_date=self._day(-3)), "Please choose a date from"),
            ("promise", dict(promise, promised_date=self._day(400)), "Please choose a date up to"),
            ("promise", dict(promise, promised_date="9999-12-31"), "Please choose a date up to"),
            # promise: invoices
            ("promise", dict(promise, invoice_ids=[]), "Please choose at least one invoice."),
            ("promise", dict(promise, invoice_ids=["abc"]), "not open to you"),
            ("promise", dict(promise, invoice_ids=[str(self.foreign.id)]), "not open to you"),
            ("promise", dict(promise, invoice_ids=[str(self.paid.id)]), "not open to you"),
            ("promise", dict(promise, invoice_ids=[old, "999999"]), "not open to you"),
            ("promise", dict(promise, note="x" * 2001), "under 2000 characters"),
            # plan
            ("plan", dict(plan, frequency="daily"), "how often you would pay"),
            ("plan", dict(plan, installment_count="0"), "between 1 and 60"),
            ("plan", dict(plan, installment_count="abc"), "is not a whole number"),
            ("plan", dict(plan, installment_count="2.5"), "is not a whole number"),
            ("plan", dict(plan, installment_count="999"), "between 1 and 60"),
            ("plan", dict(plan, mode="amount", installment_amount="-1"), "cannot be negative"),
            ("plan", dict(plan, mode="amount", installment_amount="abc"), "is not an amount"),
            ("plan", dict(plan, first_due_date=self._day(-1)), "Please choose a date from"),
            # a schedule that would run past year 9999 is refused before it is computed
            ("plan", dict(plan, first_due_date="9999-12-01"), "Please choose a date up to"),
            (
                "plan",
                dict(plan, mode="amount", installment_amount="0.01"),
                "at most 60 are possible",
            ),
            ("plan", dict(plan, first_due_date=""), "Please choose a date."),
            ("plan", dict(plan, down_payment="x"), "is not an amount"),
            ("plan", dict(plan, extra="-10"), "cannot be negative"),
            ("plan", dict(plan, down_payment="350"), "covers the whole debt"),
            ("plan", dict(plan, down_payment="350.01"), "more than what is owed"),
            ("plan", dict(plan, invoice_ids=[str(self.foreign.id)]), "not open to you"),
            # reasons
            ("reason", {"reason_id": forgot, "invoice_ids": [old]}, "not open to you"),
            ("reason", {"reason_id": "abc", "invoice_ids": [old]}, "not open to you"),
            ("reason", {"reason_id": dispute, "invoice_ids": []}, "at least one invoice"),
            # preferences
            ("preferences", dict(prefs, channel="fax"), "how you want to receive reminders"),
            ("preferences", dict(prefs, tz="Mars/Olympus_Mons"), "your time zone in the list"),
            ("preferences", dict(prefs, lang="xx_XX"), "a language in the list"),
            ("preferences", dict(prefs, hour_from="25:00"), "is not a time of day"),
            ("preferences", dict(prefs, hour_from="9h"), "is not a time of day"),
            ("preferences", dict(prefs, hour_from="12:00", hour_to="10:00"), "must end after"),
            ("preferences", dict(prefs, weekday_ids=[]), "at least one day"),
            ("preferences", dict(prefs, weekday_ids=["abc"]), "not open to you"),
            ("preferences", dict(prefs, email="not-an-email"), "is not a valid email address"),
            ("preferences", dict(prefs, email="claire@@nowhere"), "is not a valid email address"),
            ("preferences", dict(prefs, email="a@b.c, d@e.fr"), "is not a valid email address"),
            # calls
            ("call", {"slot": "tomorrow at ten"}, "one of the times offered"),
            ("call", {"slot": "2030-01-01 02:00:00"}, "no longer free"),
            ("call_cancel", {"meeting_id": "12345678"}, "not open to you"),
            # accepting a plan
            ("plan_accept", {"plan_id": "abc", "signer": "Ann", "agree": "1"}, "not open to you"),
        ]
        self.assertGreaterEqual(len(cases), 30)
        for action, data, message in cases:
            with self.subTest(action=action, data=data):
                response = self._refused(action, data, message)
                # what the customer typed is still there
                for key in ("amount", "installment_count", "down_payment", "promised_date"):
                    value = data.get(key)
                    if value and action in ("promise", "plan") and len(value) < 50:
                        self.assertIn('value="%s"' % value, response.text)

    def test_bad_files_are_refused(self):
        dispute = str(self.env.ref("payment_followup_plus.delay_reason_dispute").id)
        data = {"reason_id": dispute, "invoice_ids": [str(self.old.id)], "note": "see file"}
        self._refused(
            "reason",
            data,
            "is not a PDF, PNG or JPEG file",
            files={"attachment": ("invoice.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")},
        )
        # an empty file is said, not dropped without a word
        self._refused(
            "reason",
            data,
            "The file empty.pdf is empty.",
            files={"attachment": ("empty.pdf", b"", "application/pdf")},
        )
        self.company.followup_portal_max_upload_mb = 0.001
        self._refused(
            "reason",
            data,
            "is larger than",
            files={"attachment": ("big.pdf", b"%PDF-1.4" + b"0" * 4096, "application/pdf")},
        )

    def test_another_customers_records_are_refused(self):
        # a plan and a call of the other customer
        plan = self._plan(self.foreign, agree=False, installment_count=2)
        slot = self.other._followup_call_slots()[0]
        self._post("call", {"slot": slot.start.strftime("%Y-%m-%d %H:%M:%S")}, partner=self.other)
        meeting = self.other._followup_booked_calls()
        self.assertEqual(len(meeting), 1)
        self._refused(
            "plan_accept", {"plan_id": str(plan.id), "signer": "X", "agree": "1"}, "not open to you"
        )
        self._refused("call_cancel", {"meeting_id": str(meeting.id)}, "not open to you")
        self.assertTrue(meeting.active)
        self.assertEqual(plan.state, "proposed")
        # the other customer's invoice PDF, through this customer's link
        token = self.acme._followup_link_token()
        pdf = self.url_open(
            "/my/payments/invoice/%s?pid=%s&token=%s" % (self.foreign.id, self.acme.id, token)
        )
        self.assertEqual(pdf.status_code, 404)
        # paying the other customer's invoice
        page = self._plain(
            self._page(
                "/my/payments/pay?pid=%s&token=%s&invoice_ids=%s"
                % (self.acme.id, token, self.foreign.id)
            )
        )
        self.assertIn("not open to you", page)

    def test_tokens_of_another_customer_forged_or_missing(self):
        acme_token = self.acme._followup_link_token()
        other_token = self.other._followup_link_token()
        expires = acme_token.split("-")[0]
        before = self._counts()
        for url in (
            "/my/payments/%s/%s" % (self.acme.id, other_token),  # another customer's token
            "/my/payments/%s/%s" % (self.other.id, acme_token),
            "/my/payments/%s/%s-%s" % (self.acme.id, expires, "0" * 64),  # forged
            "/my/payments/%s/%s-%s" % (self.acme.id, int(expires) + 9999, acme_token[11:]),
            "/my/payments/%s/not-a-token" % self.acme.id,
            "/my/payments/%s/%s" % (self.acme_user.partner_id.id, acme_token),  # a contact
            "/my/payments/999999/%s" % acme_token,
        ):
            with self.subTest(url=url):
                self.assertEqual(self.url_open(url).status_code, 404)
        # a POST with another customer's token is a 404 too, and writes nothing
        page = self._page()
        response = self.url_open(
            "/my/payments/do/promise",
            data={
                "csrf_token": self._csrf(page.text),
                "pid": str(self.acme.id),
                "token": other_token,
                "invoice_ids": [str(self.old.id)],
                "promised_date": self._day(5),
                "amount": "10",
            },
        )
        self.assertEqual(response.status_code, 404)
        # no token and not signed in: to the login page, nothing shown
        response = self.url_open("/my/payments", allow_redirects=False)
        self.assertEqual(response.status_code, 303)
        self.assertIn("/web/login", response.headers["Location"])
        self.assertEqual(self._counts(), before)

    def test_expired_token_shows_nothing_and_writes_nothing(self):
        token = self._expired_token()
        before = self._counts()
        response = self._post(
            "promise",
            {"invoice_ids": [str(self.old.id)], "promised_date": self._day(5), "amount": "10"},
            token=token,
        )
        self.assertIn("This link has expired", self._plain(response))
        self.assertNotIn(self.old.name, self._plain(response))
        self.assertEqual(self._counts(), before)

    def test_csrf_is_required_and_get_changes_nothing(self):
        token = self.acme._followup_link_token()
        before = self._counts()
        self._page()  # a session
        response = self.url_open(
            "/my/payments/do/promise",
            data={
                "pid": str(self.acme.id),
                "token": token,
                "invoice_ids": [str(self.old.id)],
                "promised_date": self._day(5),
                "amount": "10",
            },
        )
        self.assertEqual(response.status_code, 400)
        # a GET on the action URL is not even routed
        get = self.url_open(
            "/my/payments/do/promise?pid=%s&token=%s&invoice_ids=%s&promised_date=%s&amount=10"
            % (self.acme.id, token, self.old.id, self._day(5))
        )
        self.assertIn(get.status_code, (404, 405))
        # opening the page, the pay page and an invoice writes nothing
        self._page()
        self._page(
            "/my/payments/pay?pid=%s&token=%s&invoice_ids=%s" % (self.acme.id, token, self.old.id)
        )
        self.url_open(
            "/my/payments/invoice/%s?pid=%s&token=%s" % (self.old.id, self.acme.id, token)
        )
        self.assertEqual(self._counts(), before)

    def test_portal_user_only_acts_for_their_own_customer(self):
        self.authenticate("other_portal", "other_portal-pw-1234")
        page = self._plain(self._page("/my/payments"))
        self.assertIn(self.foreign.name, page)
        self.assertNotIn(self.old.name, page)
        # signed in as the other customer, with no token: ids of Acme are refused
        body = self._page("/my/payments").text
        before = self._counts()
        response = self.url_open(
            "/my/payments/do/promise",
            data={
                "csrf_token": self._csrf(body),
                "pid": str(self.acme.id),
                "token": "",
                "invoice_ids": [str(self.old.id)],
                "promised_date": self._day(5),
                "amount": "10",
            },
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("not open to you", self._plain(response))
        self.assertEqual(self._counts(), before)

    def test_amounts_are_read_in_the_customers_number_format(self):
        big = self._invoice(self.acme, 12, 5000.0)
        promise = {"invoice_ids": [str(big.id)], "promised_date": self._day(7)}
        # the page shows "1,000.00" to an English customer: "1,000" is a thousand
        self._post("promise", dict(promise, amount="1,000"))
        first = self.env["payment.followup.promise"].search([("invoice_ids", "in", big.ids)])
        self.assertEqual((first.state, first.amount), ("open", 1000.0))
        # in French, "1 000,50 €"; a new promise replaces the running one
        self.env["res.lang"]._activate_lang("fr_FR")
        self.acme.lang = "fr_FR"
        self._post("promise", dict(promise, amount="1\u202f000,50 €"))
        promises = self.env["payment.followup.promise"].search(
            [("invoice_ids", "in", big.ids)], order="id"
        )
        self.assertEqual(promises.mapped("state"), ["cancelled", "open"])
        self.assertEqual(promises[-1].amount, 1000.5)

    def test_customer_text_is_plain_text_for_the_company(self):
        dispute = str(self.env.ref("payment_followup_plus.delay_reason_dispute").id)
        note = 'Wrong price <a href="https://phish.example/login">see here</a>\n<b>now</b><img src="https://track.example/p.gif">'
        self._post(
            "reason", {"reason_id": dispute, "invoice_ids": [str(self.old.id)], "note": note}
        )
        todo = self.env["mail.activity"].search(
            [("followup_kind", "=", "dispute"), ("followup_partner_id", "=", self.acme.id)]
        )
        self.assertNotIn("<a ", str(todo.note))
        self.assertNotIn("<img", str(todo.note))
        self.assertIn("&lt;a href=", str(todo.note))
        self.assertIn("see here", str(todo.note))

    def test_one_open_call_and_the_calls_note_stays_text(self):
        slots = self.acme._followup_call_slots()
        first, second = (s.start.strftime("%Y-%m-%d %H:%M:%S") for s in slots[:2])
        self._post("call", {"slot": first, "note": "<a href='https://x.example'>call me</a>"})
        meeting = self.acme._followup_booked_calls()
        self.assertEqual(len(meeting), 1)
        self.assertNotIn("<a ", str(meeting.description))
        self.assertIn("&lt;a href=", str(meeting.description))
        self._refused("call", {"slot": second}, "You already have a call booked")

    def test_a_signed_in_customer_is_told_what_is_not_theirs(self):
        self.authenticate("acme_portal", "acme_portal-pw-1234")
        response = self.url_open(
            "/my/payments/transaction/%s/inv-%s" % (self.other.id, self.foreign.id),
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": {}}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200)
        # what the payment form shows: the error's message (its "debug" part
        # is Odoo's JSON-RPC traceback, which the form never displays)
        message = response.json()["error"]["data"]["message"]
        self.assertIn("not one of yours", message)
        self.assertNotIn("expired", message)
