from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import PaymentFollowupCommon
from .test_followup_http import FollowupHttpCommon


@tagged("post_install", "-at_install")
class TestFollowupExperiments(PaymentFollowupCommon):
    """Wording experiments: one arm per customer whatever happens, outcomes
    from what was demanded and what was reconciled, a social-norm sentence
    only when true."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.friendly = cls.levels[3]
        cls.customers = cls.env["res.partner"]
        for index in range(12):
            customer = cls._customer("Experiment %02d" % index)
            cls._invoice(customer, 30, 100.0 + index)
            cls.customers |= customer
        cls.manager = cls._followup_user(cls.company, login="experiment_manager")
        cls.manager.groups_id = [
            Command.link(cls.env.ref("payment_followup_plus.group_followup_manager").id)
        ]
        cls.clerk = cls._followup_user(cls.company, login="experiment_clerk")

    def _experiment(self, **arm):
        experiment = self.env["payment.followup.experiment"].create(
            {
                "name": "Social norm",
                "level_id": self.friendly.id,
                "min_effect": 15.0,
                "arm_ids": [
                    Command.create({"name": "Current wording", "is_control": True}),
                    Command.create(
                        {"name": "Variant", "paragraph": "Thank you for your help.", **arm}
                    ),
                ],
            }
        )
        experiment.with_user(self.manager).action_start()
        return experiment

    def _arms(self):
        return {rem.partner_id: rem.experiment_arm_id for rem in self._reminders(self.customers)}

    def test_only_managers_start_and_the_size_is_planned_up_front(self):
        experiment = self.env["payment.followup.experiment"].create(
            {
                "name": "Tone",
                "level_id": self.friendly.id,
                "arm_ids": [Command.create({"name": "Indirect", "tone": "indirect_formal"})],
            }
        )
        with self.assertRaises(AccessError):
            experiment.with_user(self.clerk).action_start()
        experiment.with_user(self.manager).action_start()
        # no history: the typed baseline (40 %), 10 points, 95 %, power 80 %
        self.assertEqual((experiment.state, experiment.planned_size), ("running", 388))
        self.assertTrue(experiment.arm_ids.filtered("is_control"), "the control is added")
        with self.assertRaises(UserError):
            experiment.arm_ids[-1].paragraph = "changed while running"

    def test_each_customer_keeps_its_arm_across_reruns_and_workers(self):
        experiment = self._experiment()
        self._run(send_mails=False)
        arms = self._arms()
        self.assertEqual(set(arms), set(self.customers))
        self.assertEqual(set(arms.values()), set(experiment.arm_ids), "both arms drawn")
        # a crash before the commit, then a rerun: the same arms
        self._reminders(self.customers).unlink()
        self._run(send_mails=False)
        self.assertEqual(self._arms(), arms)
        # another worker, in another order, draws the same arm for each
        Experiment = self.env["payment.followup.experiment"]
        reminders = self._reminders(self.customers)
        reminders.write({"experiment_arm_id": False})
        Experiment._assign(reminders.sorted(lambda r: -r.id))
        self.assertEqual(self._arms(), arms)
        # the variant's words are in its emails, the control's are not; the
        # history and the reviewer's preview show the arm
        variant = experiment.arm_ids.filtered(lambda a: not a.is_control)
        for rem in self._reminders(self.customers):
            text = self._text(rem.email_preview)
            self.assertEqual(
                "Thank you for your help." in text, rem.experiment_arm_id == variant, text
            )

    def test_outcomes_come_from_what_was_demanded_and_reconciled(self):
        experiment = self._experiment()
        self._run()
        reminders = self._reminders(self.customers)
        self.assertEqual(set(reminders.mapped("state")), {"delivered"})
        day = self.today - timedelta(days=20)
        reminders.write({"delivered_date": day})
        experiment.date_start = day
        invoices = {rem: rem.line_ids.move_id for rem in reminders}
        fast, slow, unpaid = reminders[:4], reminders[4:8], reminders[8:]
        for rem in fast:
            self._pay(invoices[rem], date=day + timedelta(days=5))
        for rem in slow:
            self._pay(invoices[rem], date=day + timedelta(days=16))
        outcomes = experiment._outcomes(
            [("experiment_arm_id", "in", experiment.arm_ids.ids)], day, self.today
        )
        self.assertEqual({rid for rid, row in outcomes.items() if row["paid_14"]}, set(fast.ids))
        self.assertEqual({rid for rid, row in outcomes.items() if row["paid_7"]}, set(fast.ids))
        self.assertEqual(len(outcomes), 12)
        for rem in fast:
            self.assertEqual(outcomes[rem.id]["days"], 5)
        for rem in unpaid:
            self.assertEqual(outcomes[rem.id]["share_14"], 0.0)
        # a reminder counts only once its 14 days are over
        reminders[:1].delivered_date = self.today - timedelta(days=3)
        self.assertNotIn(
            reminders[0].id,
            experiment._outcomes([("id", "in", reminders.ids)], day, self.today),
        )
        experiment.action_refresh()
        arms = experiment.arm_ids
        self.assertEqual(sum(arms.mapped("reminders")), 11)
        self.assertEqual(sum(arms.mapped("paid")), len(fast) - (reminders[0] in fast))
        self.assertEqual(set(arms.mapped("status")), {"control", "collecting"})

    def test_the_social_norm_sentence_only_when_true(self):
        experiment = self._experiment(social_norm=True)
        # nobody paid yet: the sentence would not be true, it is not shown
        self._run(send_mails=False)
        variant = experiment.arm_ids.filtered("social_norm")
        shown = self._reminders(self.customers).filtered(lambda r: r.experiment_arm_id == variant)
        self.assertTrue(shown)
        self.assertFalse(any(shown.mapped("social_norm_sentence")))
        # 20 customers who paid within 10 days of their invoice: 10 in 10, 14 days
        self._reminders(self.customers).unlink()
        for index in range(20):
            payer = self._customer("Good payer %02d" % index)
            invoice = self._invoice(payer, 30, 50.0)
            self._pay(invoice, date=invoice.invoice_date + timedelta(days=10))
        self.env.cr.cache.pop(("payment_followup_social_norm", self.company.id), None)
        self._run(send_mails=False)
        shown = self._reminders(self.customers).filtered(lambda r: r.experiment_arm_id == variant)
        sentence = "Most of our customers (10 in 10) settle their invoices within 14 days."
        self.assertEqual(set(shown.mapped("social_norm_sentence")), {sentence})
        self.assertIn(sentence, self._text(shown[0].email_preview))

    def test_adopt_the_winner_once_the_planned_size_is_reached(self):
        experiment = self._experiment()
        with self.assertRaises(UserError):
            experiment.with_user(self.manager).action_adopt_winner()  # nothing to adopt yet
        self._run()
        reminders = self._reminders(self.customers)
        day = self.today - timedelta(days=20)
        reminders.write({"delivered_date": day})
        experiment.write({"date_start": day, "planned_size": 6})
        variant = experiment.arm_ids.filtered(lambda a: not a.is_control)
        # six reminders in each arm (the hash's own split is tested above; here
        # the planned size must be reached whatever the customers' ids are)
        reminders[:6].write({"experiment_arm_id": (experiment.arm_ids - variant).id})
        reminders[6:].write({"experiment_arm_id": variant.id})
        for rem in reminders.filtered(lambda r: r.experiment_arm_id == variant):
            self._pay(rem.line_ids.move_id, date=day + timedelta(days=3))
        experiment.with_user(self.manager).action_adopt_winner()
        self.assertEqual(variant.status, "better")
        self.assertEqual(experiment.state, "adopted")
        self.assertEqual(self.friendly.extra_paragraph, "Thank you for your help.")
        self.assertIn("adopted", experiment.message_ids[:1].body)
        # the level's new wording goes to every customer now
        customer = self._customer("After adoption")
        self._invoice(customer, 30, 70.0)
        self._run(send_mails=False)
        self.assertIn(
            "Thank you for your help.", self._text(self._reminders(customer).email_preview)
        )


@tagged("post_install", "-at_install")
class TestFollowupExperimentsTour(FollowupHttpCommon):
    def test_the_experiment_view_in_the_browser(self):
        level = self.env.company.followup_policy_id.level_ids.sorted("days")[1]
        experiment = self.env["payment.followup.experiment"].create(
            {
                "name": "Tour experiment",
                "level_id": level.id,
                "arm_ids": [Command.create({"name": "Warmer", "tone": "indirect_formal"})],
            }
        )
        experiment.action_start()
        experiment.action_refresh()
        self.start_tour(
            "/odoo/action-payment_followup_plus.action_payment_followup_experiment",
            "payment_followup_experiments",
            login=self.env.user.login,
        )
        # the graph compares the arms side by side, and shares average (never a 110 % bar)
        graph = self.env["payment.followup.experiment.arm"].get_view(view_type="graph")["arch"]
        self.assertIn('stacked="False"', graph)
        arms = experiment.arm_ids
        arms[0].sudo().write({"rate": 60.0, "reminders": 10})
        arms[1:].sudo().write({"rate": 50.0, "reminders": 10})
        [group] = self.env["payment.followup.experiment.arm"]._read_group(
            [("experiment_id", "=", experiment.id)], ["experiment_id"], ["rate:avg"]
        )
        self.assertEqual(group[1], 55.0)
        self.assertEqual(
            self.env["payment.followup.experiment.arm"]._fields["rate"].aggregator, "avg"
        )
