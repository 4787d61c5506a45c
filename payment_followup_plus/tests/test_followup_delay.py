from datetime import timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupDelayReasons(PaymentFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme = cls._customer("Acme Reasons")
        cls.inv_a = cls._invoice(cls.acme, 20, 100.0)
        cls.inv_b = cls._invoice(cls.acme, 5, 50.0)

    def _record(self, records, reason, **vals):
        wizard = (
            self.env["payment.followup.delay.wizard"]
            .with_context(active_model=records._name, active_ids=records.ids)
            .create({"reason_id": self.env.ref(reason).id, **vals})
        )
        return wizard, wizard.action_confirm()

    def _reason_event(self, reason):
        return self._events(self.acme, delay_reason_id=self.env.ref(reason).id)

    def test_shipped_reasons_have_their_effects(self):
        reasons = {
            "delay_reason_hardship": "plan",
            "delay_reason_dispute": "dispute",
            "delay_reason_not_received": "resend",
            "delay_reason_approval": "remind",
            "delay_reason_forgot": "normal",
        }
        for xmlid, effect in reasons.items():
            self.assertEqual(self.env.ref(f"payment_followup_plus.{xmlid}").effect, effect)

    def test_hardship_proposes_a_plan(self):
        _wizard, action = self._record(
            self.acme, "payment_followup_plus.delay_reason_hardship", note="Lost a big client"
        )
        self.assertEqual(action["res_model"], "payment.followup.plan.wizard")
        event = self._reason_event("payment_followup_plus.delay_reason_hardship")
        self.assertEqual(event.user_id, self.env.user)
        self.assertEqual(event.note, "Lost a big client")
        self.assertTrue(event.date)
        self.assertIn("payment plan", event.result)
        plan_wizard = self.env[action["res_model"]].with_context(**action["context"]).create({})
        self.assertEqual(plan_wizard.invoice_ids, self.inv_a | self.inv_b)
        self.assertEqual(plan_wizard.partner_id, self.acme)

    def test_dispute_opens_a_case_and_routes_to_a_person(self):
        user = self.env["res.users"].search([("id", "!=", self.env.user.id)], limit=1)
        self.acme.followup_responsible_id = user
        self._record(
            self.inv_a, "payment_followup_plus.delay_reason_dispute", note="Wrong quantity"
        )
        case = self.env["payment.followup.dispute"].search([("partner_id", "=", self.acme.id)])
        self.assertEqual(case.invoice_ids, self.inv_a)
        self.assertEqual(case.amount_disputed, 100.0)  # the whole invoice by default
        self.assertEqual(case.deadline, self.today + timedelta(days=30))
        self.assertEqual((case.source, case.description), ("collector", "Wrong quantity"))
        # disputed in full: held while the case runs, said with the case
        self.assertEqual(self.inv_a.followup_disputed, 100.0)
        self.assertEqual(self.inv_a.followup_hold_reason, "Dispute %s" % case.name)
        self.assertFalse(self.inv_b.followup_hold_until or self.inv_b.followup_disputed)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", case._name), ("res_id", "=", case.id)]
        )
        self.assertEqual(activity.user_id, user)
        self.assertIn(self.inv_a.name, activity.summary)
        event = self._reason_event("payment_followup_plus.delay_reason_dispute")
        self.assertIn(user.name, event.result)
        self.assertIn(case.name, event.result)
        self.assertEqual(event.dispute_id, case)
        # the run reminds the undisputed invoice only
        self._run()
        reminder = self._events(self.acme, channel="email")
        self.assertEqual(reminder.reminder_invoice_ids, self.inv_b)

    def test_not_received_resends_the_invoice(self):
        self._record(self.inv_a, "payment_followup_plus.delay_reason_not_received")
        # recorded by an accountant: to the customer's follow-up contact, from the company
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.acme.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids, self.acme.followup_recipient_id)
        self.assertIn(self.inv_a.name, mail.subject)
        self.assertEqual(mail.author_id, self.company.partner_id)
        self.assertEqual(len(mail.attachment_ids), 1)
        event = self._reason_event("payment_followup_plus.delay_reason_not_received")
        self.assertIn("sent again to %s" % self.acme.followup_recipient_id.email, event.result)

    def test_awaiting_approval_reminds_in_n_days(self):
        self._run()  # the level reached is reminded today
        first = self._mails(self.acme)
        self._record(self.acme, "payment_followup_plus.delay_reason_approval", days=7)
        event = self._reason_event("payment_followup_plus.delay_reason_approval")
        remind_on = self.today + timedelta(days=7)
        # the reader's date format, not ISO (issue #24: it pinned the ISO date)
        self.assertIn(remind_on.strftime("%m/%d/%Y"), event.result)
        self._run(today=remind_on - timedelta(days=1))
        self.assertEqual(self._mails(self.acme), first)
        self._run(today=remind_on)
        self.assertEqual(len(self._mails(self.acme) - first), 1)
        # once: the next day is an ordinary day again
        self._run(today=remind_on + timedelta(days=1))
        self.assertEqual(len(self._mails(self.acme) - first), 1)

    def test_forgot_keeps_normal_follow_up(self):
        self._record(self.acme, "payment_followup_plus.delay_reason_forgot")
        self.assertFalse(any((self.inv_a | self.inv_b).mapped("followup_hold_until")))
        self._run()
        self.assertEqual(len(self._mails(self.acme)), 1)
        event = self._reason_event("payment_followup_plus.delay_reason_forgot")
        self.assertIn("normal follow-up", event.result)
        # the history of the customer shows it
        action = self.acme.action_followup_history()
        history = self.env["payment.followup.event"].search(action["domain"])
        self.assertIn(event, history)

    def test_reason_from_event_and_bad_input(self):
        self._run()
        event = self._events(self.acme, channel="email")
        action = event.action_record_delay_reason()
        wizard = (
            self.env[action["res_model"]]
            .with_context(**action["context"])
            .create({"reason_id": self.env.ref("payment_followup_plus.delay_reason_approval").id})
        )
        self.assertEqual(wizard.event_id, event)
        self.assertEqual(wizard.days, 7)
        wizard.days = 0
        with self.assertRaisesRegex(UserError, "at least one"):
            wizard.action_confirm()
        with self.assertRaisesRegex(ValidationError, "must be a whole number, not 1.5"):
            wizard.write({"days": 1.5})
        with self.assertRaisesRegex(ValidationError, "must be a number, not “a week”"):
            wizard.write({"days": "a week"})
        self.assertFalse(any((self.inv_a | self.inv_b).mapped("followup_hold_until")))
        with self.assertRaisesRegex(ValidationError, "must be a number, not “soon”"):
            self.env["payment.followup.delay.reason"].create(
                {"name": "Later", "effect": "remind", "days": "soon"}
            )
        with self.assertRaisesRegex(ValidationError, "at least one"):
            self.env["payment.followup.delay.reason"].create(
                {"name": "Later", "effect": "remind", "days": 0}
            )
        other = self._invoice(self._customer("Other Reasons"), 20)
        with self.assertRaisesRegex(UserError, "several customers"):
            self._record(self.inv_a | other, "payment_followup_plus.delay_reason_forgot")
