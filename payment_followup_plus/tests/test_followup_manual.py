from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupManualActions(PaymentFollowupCommon):
    """ "Send reminder now" and "Escalate one level" follow the run's rules: one
    level at a time and the time the last reminder gave, unless a manager
    overrides with a reason. Each button checks the follow-up group itself."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.followup_min_gap_days = 5
        cls.acme = cls._customer("Acme Manual")
        cls.invoice = cls._invoice(cls.acme, 20, 100.0)

    def _wizard(self, partners, mode):
        method = "action_followup_send_now" if mode == "send_now" else "action_followup_escalate"
        action = getattr(partners, method)()
        return self.env[action["res_model"]].browse(action["res_id"])

    def test_send_now_sends_what_the_run_would_and_says_what_it_held_back(self):
        wizard = self._wizard(self.acme, "send_now")
        self.assertIn("Friendly reminder: Email, 1 invoice(s)", wizard.preview_html)
        result = wizard.action_confirm()["params"]["message"]
        self.assertIn("Done: Acme Manual: Friendly reminder (Waiting to be delivered)", result)
        self._send_queue()
        self.assertEqual(len(self._mails(self.acme)), 1)
        # at once again: nothing new, and it says why
        wizard = self._wizard(self.acme, "send_now")
        self.assertIn("Held back: Contacted recently", wizard.preview_html)
        result = wizard.action_confirm()["params"]["message"]
        self.assertIn("Held back: Acme Manual: Contacted recently", result)
        self.assertEqual(len(self._mails(self.acme)), 1)

    def test_escalate_goes_one_level_and_respects_the_gap(self):
        self._delivered(self.invoice, self.levels[3], days_ago=2)
        # friendly two days ago: the gap and the 7 days it gave are not over
        wizard = self._wizard(self.acme, "escalate")
        self.assertIn("Held back", wizard.preview_html)
        wizard.action_confirm()
        self.assertFalse(self._mails(self.acme))
        # after the time it gave, escalate takes one step: firm, not the call
        self.invoice.followup_last_date = self.today - timedelta(days=8)
        self._reminders(self.acme).delivered_date = self.today - timedelta(days=8)
        wizard = self._wizard(self.acme, "escalate")
        self.assertIn("Firm reminder: Email", wizard.preview_html)
        wizard.action_confirm()
        self._send_queue()
        self.assertEqual(self.invoice.followup_level_id, self.levels[15])
        self.assertFalse(self._events(self.acme, channel="call"))

    def test_manager_override_with_a_reason(self):
        self._delivered(self.invoice, self.levels[3], days_ago=1)
        wizard = self._wizard(self.acme, "escalate")
        wizard.override = True
        with self.assertRaisesRegex(UserError, "reason"):
            wizard.action_confirm()
        wizard.override_reason = "Customer asked for a formal letter for their auditor"
        wizard.action_confirm()
        reminder = self._reminders(self.acme)[-1]
        self.assertEqual(reminder.level_id, self.levels[15])
        self.assertEqual(
            reminder.override_reason, "Customer asked for a formal letter for their auditor"
        )
        # a clerk may not override
        clerk = self._followup_user(self.company)
        clerk_wizard = (
            self.env["payment.followup.send.wizard"]
            .with_user(clerk)
            .create(
                {
                    "partner_ids": [Command.set(self.acme.ids)],
                    "mode": "send_now",
                    "override": True,
                    "override_reason": "because",
                }
            )
        )
        with self.assertRaises(AccessError):
            clerk_wizard.action_confirm()
        self.assertEqual(len(self._reminders(self.acme)), 2)

    def test_buttons_refuse_users_without_follow_up_rights(self):
        internal = self.env["res.users"].create(
            {
                "name": "Sales Sam",
                "login": "sales_sam",
                "groups_id": [Command.set([self.env.ref("base.group_user").id])],
            }
        )
        portal = self.env["res.users"].create(
            {
                "name": "Portal Pia",
                "login": "portal_pia",
                "partner_id": self.acme.id,
                "groups_id": [Command.set([self.env.ref("base.group_portal").id])],
            }
        )
        events, reminders = self._events(self.acme), self._reminders(self.acme)
        for user in (internal, portal):
            partner = self.acme.with_user(user)
            for method in (
                "action_followup_send_now",
                "action_followup_escalate",
                "action_followup_pause",
                "action_followup_schedule_call",
                "action_followup_history",
            ):
                with self.subTest(user=user.login, method=method):
                    with self.assertRaises(AccessError):
                        getattr(partner, method)()
            with self.assertRaises(AccessError):
                self.env["payment.followup.run"].with_user(user).action_run_now()
            with self.assertRaises(AccessError):
                self.invoice.with_user(user).action_followup_schedule_call()
        self.assertEqual(self._events(self.acme), events)
        self.assertEqual(self._reminders(self.acme), reminders)
        self.assertFalse(self._mails(self.acme))

    def test_pause_and_meeting_changes_on_a_legal_tier_customer(self):
        """A follow-up user (not a legal advisor) may pause a tier-4 customer: the
        history is written for them."""
        self._delivered(self.invoice, self.levels[60])
        clerk = self._followup_user(self.company)
        action = self.acme.with_user(clerk).action_followup_pause()
        pause = (
            self.env["payment.followup.pause"]
            .with_user(clerk)
            .with_context(**action["context"])
            .create({"date_until": self.today + timedelta(days=5), "reason": "Lawyer on holiday"})
        )
        pause.action_confirm()
        self.assertEqual(self.acme.followup_paused_until, self.today + timedelta(days=5))
        event = self._events(self.acme).filtered(lambda e: "Lawyer" in (e.result or ""))
        self.assertEqual(event.tier, "4")
