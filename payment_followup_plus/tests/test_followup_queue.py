from datetime import timedelta

from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupQueueJob(PaymentFollowupCommon):
    """With OCA queue_job installed (the test set-up installs it), the daily run
    puts one job per batch in the ``payment_followup`` channel; a job decides
    again when it starts, so running it twice sends nothing twice."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"]
        for i in range(5):
            customer = cls._customer(f"Queued {i}")
            cls._invoice(customer, 10)
            cls.customers |= customer

    def _jobs(self):
        return (
            self.env["queue.job"]
            .sudo()
            .search(
                [
                    ("method_name", "=", "_job_run_batch"),
                    ("model_name", "=", "payment.followup.run"),
                ]
            )
        )

    def _perform(self, jobs):
        from odoo.addons.queue_job.job import Job

        for job in jobs:
            Job.load(self.env, job.uuid).perform()

    def test_queue_job_is_installed_for_this_suite(self):
        self.assertTrue(self.followup._queue_job_installed())

    def test_one_job_per_batch_and_each_job_idempotent(self):
        handled = self.followup._run_company(
            self.company, batch_size=2, commit=True, today=self.today
        )
        self.assertEqual(handled, 5)
        jobs = self._jobs()
        self.assertEqual(len(jobs), 3, "five customers in batches of two")
        self.assertEqual(set(jobs.mapped("channel")), {"root.payment_followup"})
        self.assertFalse(self._mails(self.customers), "nothing is sent before the jobs run")
        # the cron started twice the same day enqueues nothing more
        self.followup._run_company(self.company, batch_size=2, commit=True, today=self.today)
        self.assertEqual(len(self._jobs()), 3)
        self._perform(jobs)
        self.assertEqual(len(self._mails(self.customers)), 5)
        self.assertEqual(len(self._reminders(self.customers)), 5)
        # a job retried after it had done its work sends nothing twice
        self._perform(jobs[:1])
        self.assertEqual(len(self._mails(self.customers)), 5)

    def test_the_daily_cron_goes_through_the_queue(self):
        cron = self.env.ref("payment_followup_plus.ir_cron_payment_followup")
        cron.method_direct_trigger()
        jobs = self._jobs()
        self.assertTrue(jobs)
        self._perform(jobs)
        self.assertEqual(len(self._mails(self.customers)), 5)


@tagged("post_install", "-at_install")
class TestFollowupWorkers(PaymentFollowupCommon):
    """Several processes on one day's run: each starts with its own share of the
    batches, then goes on with the others'; what another did gives nothing new."""

    def test_workers_share_the_batches_without_sending_twice(self):
        customers = self.env["res.partner"]
        for i in range(6):
            customer = self._customer(f"Shared {i}")
            self._invoice(customer, 10)
            customers |= customer
        # worker 1 of 2 starts with the second half of the batches
        self.followup._run_company(
            self.company, today=self.today, batch_size=2, worker=1, workers=2, max_batches=1
        )
        first = self._reminders(customers).partner_id
        self.assertEqual(first, customers.sorted("id")[2:4])
        # the other worker, then a full rerun: each customer once
        self.followup._run_company(
            self.company, today=self.today, batch_size=2, worker=0, workers=2
        )
        self.followup._run_company(self.company, today=self.today + timedelta(days=0), batch_size=2)
        self.assertEqual(len(self._mails(customers)), 6)
        self.assertEqual(len(self._reminders(customers)), 6)
