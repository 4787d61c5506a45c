import threading
import time
from datetime import timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, tagged


@tagged("post_install", "-at_install")
class TestFollowupConcurrentRuns(BaseCase):
    """Two runs at once, on committed data and two real database connections."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(get_db_name())
        self.cr = self.db.cursor()
        self.addCleanup(self.cr.close)
        env = api.Environment(self.cr, SUPERUSER_ID, {})
        self.company = env.company
        self.company._pfp_ensure_default_policy()
        self.company.followup_min_gap_days = 0
        journal = env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.company.id)], limit=1
        )
        if not journal:
            self.skipTest("the test database has no sales journal")  # never counted as a pass
        today = fields.Date.context_today(env["res.partner"])
        self.today = today
        self.partners = env["res.partner"].create(
            [
                {
                    "name": f"Concurrent {i}",
                    "email": f"concurrent{i}@example.com",
                    "is_company": True,
                }
                for i in range(4)
            ]
        )
        due = today - timedelta(days=10)
        moves = env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": 100})
                    ],
                }
                for partner in self.partners
            ]
        )
        moves.action_post()
        self.cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._cleanup, moves.ids, self.partners.ids)
        self.moves = moves

    def _cleanup(self, move_ids, partner_ids):
        with self.db.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["payment.followup.event"].search([("partner_id", "in", partner_ids)]).unlink()
            env["payment.followup.reminder"].search([("partner_id", "in", partner_ids)]).unlink()
            promises = env["payment.followup.promise"].search([("partner_id", "in", partner_ids)])
            env["mail.activity"].search(
                [("res_model", "=", promises._name), ("res_id", "in", promises.ids)]
            ).unlink()
            promises.unlink()
            plans = env["payment.followup.plan"].search([("partner_id", "in", partner_ids)])
            env["mail.mail"].search(
                [("model", "=", "payment.followup.plan.line"), ("res_id", "in", plans.line_ids.ids)]
            ).unlink()
            plans.write({"state": "cancelled"})
            plans.unlink()
            env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "in", partner_ids)]
            ).unlink()
            moves = env["account.move"].browse(move_ids)
            moves.button_draft()
            moves.with_context(force_delete=True).unlink()
            env["res.partner"].browse(partner_ids).unlink()

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _batch(self, cr):
        """One run's batch over the four customers; returns the reminders made."""
        run = self._env(cr)["payment.followup.run"]
        report = run._process_batch(
            self.company.with_env(run.env),
            self._env(cr)["res.partner"].browse(self.partners.ids),
            run._now_for(self.today),
        )
        return [reminder for _decision, reminder in report.values() if reminder]

    def _mail_count(self):
        with self.db.cursor() as cr:
            return self._env(cr)["mail.mail"].search_count(
                [("model", "=", "res.partner"), ("res_id", "in", self.partners.ids)]
            )

    def test_two_workers_record_each_sent_mail_once(self):
        with self.db.cursor() as cr:
            self._batch(cr)
            mails = self._env(cr)["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "in", self.partners.ids)]
            )
            mails.write({"state": "sent"})
            # the queue noted each attempt and committed with it (a crash followed)
            self._env(cr)["payment.followup.mail.outcome"]._note(mails)
        with self.db.cursor() as cr1, self.db.cursor() as cr2:
            first = self._env(cr1)["payment.followup.mail.outcome"]._apply()
            # the second worker skips what the first holds
            second = self._env(cr2)["payment.followup.mail.outcome"]._apply()
            self.assertEqual((first, second), (4, 0))
            cr1.commit()
            cr2.commit()
        with self.db.cursor() as cr:
            env = self._env(cr)
            reminders = env["payment.followup.reminder"].search(
                [("partner_id", "in", self.partners.ids)]
            )
            self.assertEqual(set(reminders.mapped("state")), {"delivered"})
            self.assertEqual(env["payment.followup.mail.outcome"].search_count([]), 0)
            self.assertEqual(env["payment.followup.mail.outcome"]._apply(), 0)

    def test_two_runs_at_once_send_nothing_twice(self):
        with self.db.cursor() as cr1, self.db.cursor() as cr2:
            # both workers selected the same customers; the first claims and works
            self.assertEqual(len(self._batch(cr1)), 4)
            # the second, while the first has not committed, claims nothing
            self.assertEqual(len(self._batch(cr2)), 0)
            cr2.commit()  # pylint: disable=invalid-commit
            cr1.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._mail_count(), 4)
        # a run started after the first one committed finds nothing new
        with self.db.cursor() as cr3:
            self.assertEqual(len(self._batch(cr3)), 0)
            cr3.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._mail_count(), 4)

    def test_crash_before_commit_sends_nothing_and_rerun_sends_once(self):
        with self.db.cursor() as cr1:
            self.assertEqual(len(self._batch(cr1)), 4)
            cr1.rollback()  # the worker dies before its commit
        self.assertEqual(self._mail_count(), 0)
        with self.db.cursor() as cr2:
            self.assertEqual(len(self._batch(cr2)), 4)
            cr2.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._mail_count(), 4)

    def test_two_promise_watches_at_once_settle_each_promise_once(self):
        with self.db.cursor() as cr:
            env = self._env(cr)
            env["payment.followup.promise"].create(
                [
                    {
                        "partner_id": move.partner_id.id,
                        "currency_id": move.currency_id.id,
                        "invoice_ids": [Command.set(move.ids)],
                        "promised_date": self.today - timedelta(days=1),
                        "amount": 100.0,
                        "amount_owed": 100.0,
                    }
                    for move in env["account.move"].browse(self.moves.ids)
                ]
            )
            cr.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr1, self.db.cursor() as cr2:
            first = self._env(cr1)["payment.followup.promise"]._cron_check_promises(
                today=self.today
            )
            self.assertEqual(first, 4)
            # the second worker finds the same open promises but claims none of them
            second = self._env(cr2)["payment.followup.promise"]._cron_check_promises(
                today=self.today
            )
            self.assertEqual(second, 0)
            cr2.commit()  # pylint: disable=invalid-commit
            cr1.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr:
            env = self._env(cr)
            promises = env["payment.followup.promise"].search(
                [("partner_id", "in", self.partners.ids)]
            )
            self.assertEqual(set(promises.mapped("state")), {"broken"})
            self.assertEqual(
                env["payment.followup.event"].search_count([("promise_id", "in", promises.ids)]),
                4,
            )
            self.assertEqual(
                env["mail.activity"].search_count(
                    [("res_model", "=", promises._name), ("res_id", "in", promises.ids)]
                ),
                4,
            )

    def test_two_plan_watches_at_once_remind_once(self):
        with self.db.cursor() as cr:
            env = self._env(cr)
            for move in env["account.move"].browse(self.moves.ids):
                env["payment.followup.plan.wizard"].with_context(
                    active_model="account.move", active_ids=move.ids
                ).create(
                    {"installment_count": 2, "first_due_date": self.today + timedelta(days=2)}
                ).action_confirm()
            plans = env["payment.followup.plan"].search([("partner_id", "in", self.partners.ids)])
            plans._record_agreement("phone", "Accounts payable")
            self.assertEqual(set(plans.mapped("state")), {"active"})
            plan_ids = plans.ids
            cr.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr1, self.db.cursor() as cr2:
            first = self._env(cr1)["payment.followup.plan.watch"]._cron_watch_plans(
                today=self.today
            )
            self.assertEqual(first, 4)
            # the second worker finds the same active plans but claims none of them
            second = self._env(cr2)["payment.followup.plan.watch"]._cron_watch_plans(
                today=self.today
            )
            self.assertEqual(second, 0)
            cr2.commit()  # pylint: disable=invalid-commit
            cr1.commit()  # pylint: disable=invalid-commit
        # a watch after the first one committed finds the reminders already sent
        with self.db.cursor() as cr3:
            self._env(cr3)["payment.followup.plan.watch"]._cron_watch_plans(today=self.today)
            cr3.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr:
            env = self._env(cr)
            lines = env["payment.followup.plan"].browse(plan_ids).line_ids
            first_lines = lines.filtered(lambda line: line.number == 1)
            self.assertEqual(len(first_lines), 4)
            self.assertEqual(set(first_lines.mapped("reminder_date")), {self.today})
            self.assertEqual(
                env["mail.mail"].search_count(
                    [("model", "=", lines._name), ("res_id", "in", lines.ids)]
                ),
                4,
            )
            self.assertEqual(
                env["payment.followup.event"].search_count(
                    [("plan_id", "in", plan_ids), ("channel", "=", "email")]
                ),
                4,
            )

    def _portal_request(self, cr, partner_id):
        """What every counted portal request does first: the daily limit, then
        its history line (a reason given, here)."""
        env = self._env(cr)
        partner = env["res.partner"].browse(partner_id)
        partner._followup_portal_check_limit(env.company)
        env["payment.followup.event"].create(
            {
                "partner_id": partner_id,
                "company_id": env.company.id,
                "channel": "none",
                "via_portal": True,
                # a counted request (a dispute never uses up the day's requests)
                "delay_reason_id": env.ref("payment_followup_plus.delay_reason_hardship").id,
                "result": "reason given",
            }
        )

    def test_a_customers_requests_at_once_keep_the_daily_limit(self):
        with self.db.cursor() as cr:
            company = self._env(cr).company
            limit = company.followup_portal_daily_limit
            company.followup_portal_daily_limit = 1
            cr.commit()  # pylint: disable=invalid-commit
        self.addCleanup(self._restore_limit, limit)
        partner_id = self.partners[0].id
        outcome = {}
        with self.db.cursor() as cr1, self.db.cursor() as cr2:
            self._portal_request(cr1, partner_id)  # the first holds the customer's row

            def second():
                try:
                    self._portal_request(cr2, partner_id)
                    outcome["accepted"] = True
                except psycopg2.errors.SerializationFailure:
                    outcome["conflict"] = True
                except UserError:
                    outcome["refused"] = True

            thread = threading.Thread(target=second)
            thread.start()
            time.sleep(1.0)
            self.assertTrue(thread.is_alive(), "the second request waits for the first")
            cr1.commit()  # pylint: disable=invalid-commit
            thread.join(30)
            cr2.rollback()
        # the second conflicts: Odoo retries the request, which now counts the first
        self.assertEqual(outcome, {"conflict": True})
        with self.db.cursor() as cr3:
            with self.assertRaises(UserError):
                self._portal_request(cr3, partner_id)
        with self.db.cursor() as cr:
            self.assertEqual(
                self._env(cr)["payment.followup.event"].search_count(
                    [("partner_id", "=", partner_id), ("via_portal", "=", True)]
                ),
                1,
            )

    def _restore_limit(self, limit):
        with self.db.cursor() as cr:
            self._env(cr).company.followup_portal_daily_limit = limit
