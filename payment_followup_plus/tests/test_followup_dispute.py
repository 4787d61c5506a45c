from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .portal_common import PortalCommon


@tagged("post_install", "-at_install")
class TestFollowupDispute(PortalCommon):
    """A dispute is a case with an amount: only the undisputed part is
    followed up while it runs; a credit note, a rejection or another outcome
    ends it and the customer is told."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.big = cls._invoice(cls.acme, 20, 1000.0)
        cls.price = cls.env.ref("payment_followup_plus.dispute_reason_price")

    def _open(self, invoice, amount=None, **vals):
        Dispute = self.env["payment.followup.dispute"]
        return Dispute.create(
            Dispute._prepare_case_vals(
                self.acme, self.company, {invoice: amount}, self.price, **vals
            )
        )

    def test_a_partial_dispute_leaves_only_the_rest_demanded(self):
        case = self._open(self.big, 200.0, description="Unit price was 8, not 10")
        self.assertTrue(case.name.startswith("DSP/"))
        self.assertEqual(
            (self.big.followup_disputed, self.big.followup_dispute_ref), (200.0, case.name)
        )
        self.assertFalse(self.big.followup_hold_until, "the rest is still followed up")
        self._run()
        reminder = self._reminders(self.acme)
        line = reminder.line_ids.filtered(lambda ln: ln.move_id == self.big)
        self.assertEqual((line.amount_residual, line.amount_disputed), (800.0, 200.0))
        email = self._text(self._mails(self.acme).body_html)
        self.assertIn(
            "$ 800.00 of $ 1,000.00; $ 200.00 under review, case %s" % case.name,
            email.replace("\xa0", " "),
        )
        self.assertNotIn("1,350.00", email, "the disputed part is not in the total")
        # the other invoices say nothing of a dispute (no stray figure)
        self.assertEqual(set((reminder.line_ids - line).mapped("dispute_text")), {False})
        self.assertEqual(email.count("under review"), 1)
        self.assertNotIn(" 0.0 ", email)
        # the list of customers counts what is demanded
        row = self.env["payment.followup.customer"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(row.amount_overdue, 1150.0)  # 100 + 250 + 800
        # paying the ticked invoice online asks for the undisputed part only
        invoices, amount, *__ = self.acme._followup_portal_payment("inv-%s" % self.big.id)
        self.assertEqual((invoices, amount), (self.big, 800.0))
        # the customer's page says it, the invoice stays payable
        page = self._plain(self._page()).replace("\xa0", " ")
        self.assertIn("$ 200.00 under review (case %s)" % case.name, page)
        self.assertIn("Case %s: $ 200.00 of %s under review" % (case.name, self.big.name), page)

    def test_a_credit_note_closes_the_case_and_pays_the_invoice(self):
        case = self._open(self.big, 200.0)
        action = case.action_credit_note()
        reversal = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"journal_id": self.big.journal_id.id})
        )
        refund = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertIn(case.name, refund.ref)
        # the accountant credits what was wrong: 200 of the 1,000
        refund.invoice_line_ids.write({"quantity": 1, "price_unit": 200.0, "tax_ids": False})
        self.assertEqual(case.state, "open", "a draft changes nothing")
        refund.action_post()
        self.assertEqual((case.state, case.credit_note_ids), ("credited", refund))
        self.assertEqual(self.big.amount_residual, 800.0, "reconciled with the invoice")
        self.assertEqual(
            (self.big.followup_disputed, self.big._followup_undisputed()), (0.0, 800.0)
        )
        mail = self.env["mail.mail"].search([("model", "=", case._name), ("res_id", "=", case.id)])
        self.assertIn(
            "issued credit note %s for $ 200.00; $ 800.00 remains open" % refund.name,
            self._text(mail.body_html).replace("\xa0", " "),
        )
        self.assertEqual(mail.recipient_ids, self.acme.followup_recipient_id)
        events = self.env["payment.followup.event"].search([("dispute_id", "=", case.id)])
        self.assertIn("Credit note issued", " ".join(events.mapped("result")))

    def test_rejected_with_the_reason_in_the_customers_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        self.acme.lang = "fr_FR"
        case = self._open(self.big)  # the whole invoice by default
        self.assertEqual(case.amount_disputed, 1000.0)
        self.assertEqual(self.big.followup_hold_reason, "Dispute %s" % case.name)
        with self.assertRaisesRegex(UserError, "explanation"):
            case.action_reject()
        case.outcome_note = "Le bon de livraison signé montre 10 unités."
        case.action_reject()
        self.assertEqual(case.state, "rejected")
        self.assertFalse(self.big.followup_hold_until, "followed up again")
        self.assertEqual(self.big._followup_undisputed(), 1000.0)
        mail = self.env["mail.mail"].search([("model", "=", case._name), ("res_id", "=", case.id)])
        body = self._text(mail.body_html)
        self.assertIn("Le bon de livraison signé montre 10 unités.", body)
        self.assertIn("ne pouvons pas", body)
        with self.assertRaisesRegex(UserError, "already closed"):
            case.action_resolve()

    def test_what_cannot_be_disputed_is_refused_and_nothing_written(self):
        case = self._open(self.big, 200.0)
        cases = self.env["payment.followup.dispute"].search_count([])
        for amount, message in (
            (1000.01, "more than its open amount"),
            (0.0, "more than zero"),
            (-5.0, "more than zero"),
        ):
            with self.subTest(amount=amount), self.assertRaisesRegex(ValidationError, message):
                with self.env.cr.savepoint():
                    self._open(self.late, amount)
        with self.assertRaisesRegex(ValidationError, "already under review in case %s" % case.name):
            with self.env.cr.savepoint():
                self._open(self.big, 50.0)
        legal = self.env["payment.followup.legal.case"].create(
            {
                "partner_id": self.acme.id,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "invoice_ids": [fields.Command.set(self.old.ids)],
            }
        )
        with self.assertRaisesRegex(ValidationError, "legal department \\(case %s\\)" % legal.name):
            with self.env.cr.savepoint():
                self._open(self.old)
        self.assertEqual(self.env["payment.followup.dispute"].search_count([]), cases)
        self.assertFalse(self.late.followup_disputed)

    def test_the_customer_disputes_part_of_an_invoice_on_the_page(self):
        dispute = self.env.ref("payment_followup_plus.delay_reason_dispute")
        form = {
            "reason_id": str(dispute.id),
            "invoice_ids": [str(self.big.id)],
            "dispute_reason_id": str(self.price.id),
            "note": "Price list says 8",
        }
        before = self._counts()
        for amount, message in (
            ("2000", "more than its open amount"),
            ("-3", "negative"),
            ("two hundred", "is not an amount"),
        ):
            with self.subTest(amount=amount):
                page = self._plain(self._post("reason", dict(form, disputed_amount=amount)))
                self.assertIn(message, page.lower() if message != "negative" else page)
                self.assertEqual(self._counts(), before, "nothing half-written")
        two = dict(form, invoice_ids=[str(self.big.id), str(self.late.id)], disputed_amount="5")
        self.assertIn("one invoice at a time", self._plain(self._post("reason", two)))
        company_b = self.env["res.company"].create({"name": "Dispute B"})
        other = self.env["payment.followup.dispute.reason"].create(
            {"name": "Elsewhere", "company_id": company_b.id}
        )
        page = self._plain(self._post("reason", dict(form, dispute_reason_id=str(other.id))))
        self.assertNotIn("Thank you. Case", page)
        self.assertEqual(self._counts(), before)
        answer = self._plain(self._post("reason", dict(form, disputed_amount="200")))
        case = self.env["payment.followup.dispute"].search([("partner_id", "=", self.acme.id)])
        self.assertIn("Thank you. Case %s" % case.name, answer)
        self.assertEqual(
            (case.amount_disputed, case.reason_id, case.source, case.description),
            (200.0, self.price, "portal", "Price list says 8"),
        )
        # the same dispute sent twice: said, not a second case
        again = self._plain(self._post("reason", dict(form, disputed_amount="200")))
        self.assertIn("already under review in case %s" % case.name, again)
        self.assertEqual(
            self.env["payment.followup.dispute"].search_count([("partner_id", "=", self.acme.id)]),
            1,
        )

    def test_an_invoice_under_review_is_not_planned_or_promised(self):
        case = self._open(self.big, 200.0)
        page = self._page().text
        self.assertNotIn('id="plan_%s"' % self.big.id, page, "not offered in a plan")
        self.assertNotIn('id="promise_%s"' % self.big.id, page, "nor in a promise")
        self.assertIn('id="reason_%s"' % self.big.id, page)
        with self.assertRaisesRegex(ValidationError, "under review in dispute case %s" % case.name):
            self._plan(self.big, installment_count=2)

    def test_the_demanded_amount_and_its_sql_twin_agree(self):
        self._open(self.big, 200.0)
        self._open(self.late)  # in full
        moves = self.big | self.late | self.old
        Move = self.env["account.move"]
        query = SQL(
            "SELECT m.id, %s FROM account_move m WHERE m.id = ANY(%s)",
            Move._followup_undisputed_sql("m"),
            moves.ids,
        )

        def both():
            self.env.flush_all()
            self.env.cr.execute(query)
            in_sql = {move_id: float(amount) for move_id, amount in self.env.cr.fetchall()}
            self.assertEqual(in_sql, {m.id: m._followup_undisputed() for m in moves})
            return in_sql

        self.assertEqual(both(), {self.big.id: 800.0, self.late.id: 0.0, self.old.id: 100.0})
        # paid beyond the undisputed part: nothing demanded, never less than nothing
        self._pay(self.big, 900.0)
        self.assertEqual(both()[self.big.id], 0.0)

    def test_a_collector_opens_a_case_on_its_form(self):
        with Form(self.env["payment.followup.dispute"]) as form:
            form.partner_id = self.acme
            form.reason_id = self.price
            with form.line_ids.new() as line:
                line.move_id = self.big
                line.amount = 150.0
        case = form.record
        self.assertEqual(case.currency_id, self.big.currency_id)
        self.assertEqual(case.deadline, self.today + timedelta(days=30))
        self.assertEqual(case.user_id, self.env.user)
        self.assertEqual(self.big.followup_disputed, 150.0)
        todo = case.activity_ids.filtered(lambda a: a.followup_kind == "dispute")
        self.assertEqual(len(todo), 1, "its owner is told once")
        # without an invoice: said, nothing written
        with self.assertRaisesRegex(ValidationError, "at least one invoice"):
            with self.env.cr.savepoint(), Form(self.env["payment.followup.dispute"]) as empty:
                empty.partner_id = self.acme
                empty.reason_id = self.price
