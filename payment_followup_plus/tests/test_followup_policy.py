from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupPolicy(PaymentFollowupCommon):
    def test_default_ladder_per_company(self):
        self.assertEqual(
            [(lvl.days, lvl.tier) for lvl in self.policy.level_ids],
            [(-3, "1"), (3, "1"), (15, "1"), (30, "2"), (45, "3"), (60, "4")],
        )
        self.assertTrue(self.levels[60].needs_review)
        self.assertTrue(self.levels[30].schedule_call)
        other = self.env["res.company"].create({"name": "Other Co"})
        self.assertTrue(other.followup_policy_id)
        self.assertEqual(other.followup_policy_id.company_id, other)
        self.assertNotEqual(other.followup_policy_id, self.policy)

    def _new_policy(self, levels):
        return self.env["payment.followup.policy"].create(
            {"name": "Test", "level_ids": [Command.create(vals) for vals in levels]}
        )

    def test_duplicate_days_refused(self):
        with self.assertRaises(ValidationError) as err:
            self._new_policy(
                [
                    {"name": "A", "days": 10, "send_email": True},
                    {"name": "B", "days": 10, "send_email": True},
                ]
            )
        self.assertIn("two levels at 10 days", str(err.exception))
        self.assertFalse(self.env["payment.followup.policy"].search([("name", "=", "Test")]))

    def test_level_without_action_refused(self):
        with self.assertRaises(ValidationError) as err:
            self._new_policy([{"name": "A", "days": 10}])
        self.assertIn("has no action", str(err.exception))

    def test_tiers_going_backwards_refused(self):
        with self.assertRaises(ValidationError) as err:
            self._new_policy(
                [
                    {"name": "A", "days": 10, "tier": "2", "send_email": True},
                    {"name": "B", "days": 20, "tier": "1", "send_email": True},
                ]
            )
        self.assertIn("Tiers cannot go backwards", str(err.exception))

    def test_editing_a_level_is_checked_too(self):
        with self.assertRaises(ValidationError):
            self.levels[15].days = 3
        with self.assertRaises(ValidationError):
            self.levels[45].tier = "1"
        self.levels[15].days = 14
        self.assertEqual(self.levels[15].days, 14)

    def test_customer_override(self):
        special = self._new_policy([{"name": "Only", "days": 1, "send_email": True}])
        partner = self._customer("Override Co")
        self.assertEqual(partner._followup_policy(self.company), self.policy)
        partner.with_company(self.company).followup_policy_id = special
        self.assertEqual(partner._followup_policy(self.company), special)
