from odoo import SUPERUSER_ID, Command, api
from odoo.sql_db import db_connect
from odoo.tests import BaseCase, get_db_name, tagged


@tagged("post_install", "-at_install")
class TestFollowupAutopayWorkers(BaseCase):
    """Two charging runs at once, and a crash, on committed data and real
    database connections: an installment is charged once."""

    def setUp(self):
        super().setUp()
        self.db = db_connect(get_db_name())
        with self.db.cursor() as cr:
            env = self._env(cr)
            company = env.company
            provider = env.ref("payment.payment_provider_demo")
            self.provider_before = provider.read(["state", "allow_tokenization", "company_id"])[0]
            provider.write(
                {
                    "state": "test",
                    "allow_tokenization": True,
                    "company_id": company.id,
                    "payment_method_ids": [
                        Command.link(env.ref("payment_demo.payment_method_demo").id)
                    ],
                }
            )
            journal = env["account.journal"].search(
                [("type", "=", "sale"), ("company_id", "=", company.id)], limit=1
            )
            if not journal:
                self.skipTest("the test database has no sales journal")  # never counted a pass
            partner = env["res.partner"].create(
                {"name": "Autopay Worker", "email": "worker@example.com", "is_company": True}
            )
            today = env["payment.followup.guardrails"]._partner_today(partner)
            move = env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": partner.id,
                    "journal_id": journal.id,
                    "invoice_date": today,
                    "invoice_date_due": today,
                    "invoice_line_ids": [
                        Command.create({"name": "Service", "quantity": 1, "price_unit": 300})
                    ],
                }
            )
            move.action_post()
            plan = env["payment.followup.plan"].create(
                {
                    "partner_id": partner.id,
                    "currency_id": move.currency_id.id,
                    "invoice_ids": [Command.set(move.ids)],
                    "amount_total": 300.0,
                    "line_ids": [Command.create({"number": 1, "due_date": today, "amount": 300.0})],
                }
            )
            plan.action_confirm()
            plan._record_agreement("phone", "Accounts payable")
            token = env["payment.token"].create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": env.ref("payment_demo.payment_method_demo").id,
                    "partner_id": partner.id,
                    "payment_details": "4242",
                    "provider_ref": "worker",
                    "demo_simulated_state": "pending",
                }
            )
            env["payment.followup.autopay"]._start(plan, token, "Worker", "signed_link")
            cr.commit()  # pylint: disable=invalid-commit
            self.ids = {"partner": partner.id, "move": move.id, "plan": plan.id, "token": token.id}
            self.today = today
        self.addCleanup(self._cleanup)

    def _env(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def _cleanup(self):
        with self.db.cursor() as cr:
            env = self._env(cr)
            autopays = env["payment.followup.autopay"].search([("plan_id", "=", self.ids["plan"])])
            txs = autopays.charge_ids.transaction_id
            autopays.charge_ids.unlink()
            txs.unlink()
            env["mail.mail"].search(
                [("model", "=", autopays._name), ("res_id", "in", autopays.ids)]
            ).unlink()
            autopays.unlink()
            env["payment.token"].browse(self.ids["token"]).unlink()
            plan = env["payment.followup.plan"].browse(self.ids["plan"])
            env["payment.followup.event"].search([("plan_id", "=", plan.id)]).unlink()
            plan.write({"state": "cancelled"})
            plan.unlink()
            move = env["account.move"].browse(self.ids["move"])
            move.button_draft()
            move.with_context(force_delete=True).unlink()
            env["payment.followup.event"].search(
                [("partner_id", "=", self.ids["partner"])]
            ).unlink()
            env["res.partner"].browse(self.ids["partner"]).unlink()
            provider = env.ref("payment.payment_provider_demo")
            provider.write(
                {
                    "state": self.provider_before["state"],
                    "allow_tokenization": self.provider_before["allow_tokenization"],
                    "company_id": self.provider_before["company_id"][0],
                }
            )

    def _charges(self):
        with self.db.cursor() as cr:
            env = self._env(cr)
            charges = env["payment.followup.autopay.charge"].search(
                [("autopay_id.plan_id", "=", self.ids["plan"])]
            )
            return len(charges), len(charges.transaction_id)

    def _run(self, cr):
        return self._env(cr)["payment.followup.autopay.charge"]._cron_charge(
            today=self.today, commit=False
        )

    def test_two_workers_at_once_charge_once(self):
        with self.db.cursor() as cr1, self.db.cursor() as cr2:
            first = self._run(cr1)
            # the second worker finds the automatic payment held by the first
            second = self._run(cr2)
            self.assertEqual((first, second), (1, 0))
            cr2.commit()  # pylint: disable=invalid-commit
            cr1.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._charges(), (1, 1))
        # a run afterwards finds the charge on record (pending: no retry)
        with self.db.cursor() as cr3:
            self.assertEqual(self._run(cr3), 1)
            cr3.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._charges(), (1, 1))

    def test_crash_before_commit_charges_nothing_and_rerun_charges_once(self):
        with self.db.cursor() as cr1:
            self._run(cr1)
            cr1.rollback()  # the worker dies before its commit
        self.assertEqual(self._charges(), (0, 0))
        with self.db.cursor() as cr2:
            self._run(cr2)
            cr2.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr3:
            self._run(cr3)
            cr3.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._charges(), (1, 1))

    def test_crash_after_the_charge_is_on_record_never_charges_again(self):
        with self.db.cursor() as cr1:
            env = self._env(cr1)
            autopay = env["payment.followup.autopay"].search([("plan_id", "=", self.ids["plan"])])
            # the run wrote the charge and committed; it died before asking the provider
            charges = env["payment.followup.autopay.charge"]._prepare_charges(autopay, self.today)
            self.assertEqual(charges.state, "sending")
            cr1.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr2:
            self._run(cr2)
            cr2.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._charges(), (1, 1))
        with self.db.cursor() as cr:
            tx = (
                self._env(cr)["payment.followup.autopay.charge"]
                .search([("autopay_id.plan_id", "=", self.ids["plan"])])
                .transaction_id
            )
            self.assertEqual(tx.state, "draft", "never sent twice: a person checks it")
            charge = self._env(cr)["payment.followup.autopay.charge"].search(
                [("autopay_id.plan_id", "=", self.ids["plan"])]
            )
            cr.execute(
                "UPDATE payment_followup_autopay_charge SET create_date = now() - interval '2 hours'"
                " WHERE id = %s",
                [charge.id],
            )
            cr.commit()  # pylint: disable=invalid-commit
        with self.db.cursor() as cr:
            self._run(cr)
            env = self._env(cr)
            todo = env["mail.activity"].search(
                [
                    ("res_model", "=", "payment.followup.plan"),
                    ("res_id", "=", self.ids["plan"]),
                    ("followup_kind", "=", "autopay"),
                ]
            )
            self.assertIn("no answer from the provider", todo.summary or todo.note)
            todo.unlink()
            cr.commit()  # pylint: disable=invalid-commit
        self.assertEqual(self._charges(), (1, 1))
