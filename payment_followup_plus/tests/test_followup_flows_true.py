from datetime import date

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..engine.statutory import StatutoryError
from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupFlowsTrue(PaymentFollowupCommon):
    """Back-office screens say what their figures are (issue #22)."""

    def test_the_dashboards_overdue_and_the_lists_total_say_what_they_count(self):
        Dashboard = self.env["payment.followup.dashboard"]
        overdue = Dashboard._fields["overdue"]
        self.assertEqual(overdue._description_string(self.env), "Overdue, all customers")
        self.assertIn("including those in a payment plan, promised or on hold", overdue.help)
        self.assertIn("Customers to follow up", overdue.help)
        arch = self.env.ref("payment_followup_plus.payment_followup_customer_view_list").arch
        self.assertIn(
            'sum="Overdue to follow up (customers in a plan or with a promise are not listed)"',
            arch,
        )

    def _preview(self, partner, **vals):
        wizard = self.env["payment.followup.send.wizard"].create(
            {"partner_ids": [Command.set(partner.ids)], "mode": "send_now", **vals}
        )
        return self._text(wizard.preview_html)

    def test_a_preview_locks_nothing_and_says_the_true_reason(self):
        partner = self._customer("Preview Customer")
        self._invoice(partner, 20, 100.0)
        with self._recorded_sql() as statements:
            text = self._preview(partner)
        self.assertTrue(statements)
        self.assertFalse([q for q in statements if "FOR UPDATE" in q.upper()])
        self.assertNotIn("another follow-up run", text)
        self.assertIn("1 invoice(s)", text)
        # with the rules overridden too
        text = self._preview(partner, override=True)
        self.assertNotIn("another follow-up run", text)
        self.assertIn("1 invoice(s)", text)

    def test_escalate_with_the_rules_overridden_says_what_confirm_does(self):
        """The preview and the result come from one decision: a final notice
        waiting for review is never doubled by an override; a legal level says
        it opens a case (nothing is delivered)."""
        self.env["payment.followup.level"].create(
            {
                "policy_id": self.policy.id,
                "name": "Legal case",
                "days": 90,
                "tier": "4",
                "severity": "final",
                "open_legal_case": True,
            }
        )
        partner = self._customer("Escalated Customer")
        debt = self._invoice(partner, 95, 1000.0)
        self._delivered(debt, self.levels[45], days_ago=20)
        self._run()
        [waiting] = self._reminders(partner).filtered(lambda r: r.state == "to_review")
        vals = {"mode": "escalate", "override": True, "override_reason": "Agreed with the CFO"}
        preview = self._preview(partner, **vals)
        self.assertIn("Held back: An earlier reminder still waits for review", preview)
        wizard = self.env["payment.followup.send.wizard"].create(
            {"partner_ids": [Command.set(partner.ids)], **vals}
        )
        message = wizard.action_confirm()["params"]["message"]
        self.assertIn("An earlier reminder still waits for review", message)
        self.assertEqual(
            self._reminders(partner).filtered(lambda r: r.state == "to_review"), waiting
        )
        # the final notice delivered: escalating opens the legal case, and says so
        waiting.action_approve()
        self._send_queue()
        self.assertIn("Legal case: Legal case, 1 invoice(s)", self._preview(partner, **vals))
        wizard = self.env["payment.followup.send.wizard"].create(
            {"partner_ids": [Command.set(partner.ids)], **vals}
        )
        message = wizard.action_confirm()["params"]["message"]
        case = self.env["payment.followup.legal.case"].search([("partner_id", "=", partner.id)])
        self.assertEqual(len(case), 1)
        self.assertIn("Legal case %s opened for the legal advisor" % case.name, message)
        self.assertNotIn("delivered", message)

    def test_no_internal_values_on_screen(self):
        """A legal hold reads as its reason (no 'until 12/31/2999'), a
        reminder's language by its name (no 'en_US'), a letter to print says
        what it is on *My follow-ups today*."""
        partner = self._customer("Internal Words Ltd", lang="en_US")
        invoice = self._invoice(partner, 20, 100.0)
        case = self.env["payment.followup.legal.case"].create(
            {
                "partner_id": partner.id,
                "currency_id": invoice.currency_id.id,
                "invoice_ids": [Command.set(invoice.ids)],
            }
        )
        self.assertTrue(invoice.followup_hold_open_ended)
        self.assertEqual(invoice.followup_held_why, "Legal case %s" % case.name)
        self.assertNotIn("2999", invoice.followup_held_why)
        arch = self.env.ref("payment_followup_plus.view_move_form_payment_followup").arch
        self.assertIn('invisible="followup_hold_open_ended"', arch)
        self.policy.level_ids.write({"send_email": False, "send_letter": True})
        lettered = self._customer("Letter Words Ltd", lang="en_US")
        self._invoice(lettered, 20, 100.0)
        self._run()
        reminder = self._reminders(lettered)[-1]
        self.assertEqual(reminder.lang_name, "English (US)")
        todo = self.env["payment.followup.todo"].search(
            [("partner_id", "=", lettered.id), ("kind", "=", "print")]
        )
        self.assertEqual(len(todo), 1)
        self.assertIn("Letter ready to print: %s" % reminder.level_id.name, todo.summary)

    def test_a_preview_with_nothing_to_remind_says_so(self):
        partner = self._customer("Nothing Customer")
        invoice = self._invoice(partner, 20, 100.0)
        self._plan(invoice)
        text = self._preview(partner)
        self.assertNotIn("another follow-up run", text)
        self.assertIn("Nothing to remind", text)

    def test_send_now_with_credits_not_applied_says_so_and_needs_a_confirmation(self):
        partner = self._customer("Credits Customer")
        self._invoice(partner, 20, 100.0)
        self._refund(partner, 40.0)
        wizard = self.env["payment.followup.send.wizard"].create(
            {"partner_ids": [Command.set(partner.ids)], "mode": "send_now"}
        )
        self.assertIn("Credits in the customer's favour are not applied", wizard.credits_note)
        self.assertIn("$\xa040.00", wizard.credits_note)
        with self.assertRaisesRegex(UserError, "Send although credits are not applied"):
            wizard.action_confirm()
        self.assertFalse(self._reminders(partner), "nothing sent without the confirmation")
        wizard.credits_confirmed = True
        wizard.action_confirm()
        self.assertEqual(len(self._reminders(partner)), 1)
        # no credits: no note, no question
        plain = self._customer("No Credits Customer")
        self._invoice(plain, 20, 100.0)
        wizard = self.env["payment.followup.send.wizard"].create(
            {"partner_ids": [Command.set(plain.ids)], "mode": "send_now"}
        )
        self.assertFalse(wizard.credits_note)
        wizard.action_confirm()
        self.assertEqual(len(self._reminders(plain)), 1)

    def test_a_missing_reference_rate_is_named_as_people_know_it(self):
        err = StatutoryError("missing_rate", kind="de_base", period=date(2026, 7, 1))
        message = self.env["payment.followup.message"]._engine_error(err)
        self.assertIn("Bundesbank base rate (§247 BGB)", message)
        self.assertIn("07/01/2026", message)
        self.assertNotIn("de_base", message)
        self.assertNotIn("2026-07-01", message)
