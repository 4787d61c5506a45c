from datetime import date, datetime, timedelta

from odoo.exceptions import UserError, ValidationError
from odoo.tests import freeze_time, tagged

from .common import PaymentFollowupCommon

MONDAY = "2026-11-23 10:00:00"  # UTC


@tagged("post_install", "-at_install")
class TestFollowupCalls(PaymentFollowupCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # invoices and past reminders are dated from the frozen Monday the tests
        # run on (from the real today, a debt's age changed with the calendar)
        cls.today = date(2026, 11, 23)
        cls.company.resource_calendar_id.tz = "Europe/Brussels"
        cls.company.partner_id.tz = "Europe/Brussels"
        cls.contact_person = cls.env["res.partner"].create(
            {"name": "Claire Dubois", "email": "claire@example.com"}
        )
        cls.customer = cls._customer(
            "Atelier Paris",
            tz="Europe/Paris",
            followup_contact_id=cls.contact_person.id,
            followup_responsible_id=cls.env.user.id,
        )
        cls.contact_person.parent_id = cls.customer
        cls.invoice = cls._invoice(cls.customer, 20)

    def _wizard(self, action):
        return self.env["payment.followup.schedule"].browse(action["res_id"])

    def _assert_proposed(self, wizard, *day_hour_minutes):
        """The wizard proposes these UTC times (day of November 2026, hour, minute)."""
        self.assertEqual(
            wizard.slot_ids.mapped("start"),
            [datetime(2026, 11, day, hour, minute) for day, hour, minute in day_hour_minutes],
        )

    @freeze_time(MONDAY)
    def test_wizard_proposes_mid_morning_slots_and_books_the_meeting(self):
        wizard = self._wizard(self.customer.action_followup_schedule_call())
        # Tuesday 11:00 Paris is not *more* than 24 h ahead: Wednesday mid-morning
        self._assert_proposed(wizard, (25, 8, 30), (25, 9, 0), (25, 9, 30))
        self.assertIn("09:30 (CET) for the customer", wizard.slot_ids[0].name)
        self.assertEqual(wizard.slot_id, wizard.slot_ids[0])
        self.assertEqual(wizard.contact_id, self.contact_person)
        self.assertEqual(wizard.invoice_ids, self.invoice)
        wizard.slot_id = wizard.slot_ids[1]
        wizard.action_confirm()
        event = self._events(self.customer, channel="call")
        meeting = event.calendar_event_id
        self.assertEqual(meeting.start, datetime(2026, 11, 25, 9, 0))
        self.assertEqual(meeting.stop, datetime(2026, 11, 25, 9, 30))
        self.assertIn(self.contact_person, meeting.attendee_ids.partner_id)
        self.assertIn(self.env.user.partner_id, meeting.attendee_ids.partner_id)
        self.assertEqual(event.activity_id.calendar_event_id, meeting)
        self.assertEqual(event.activity_id.user_id, self.env.user)
        self.assertEqual(event.invoice_ids, self.invoice)
        # one booking, one activity
        self.assertEqual(
            self.env["mail.activity"].search_count(
                [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)]
            ),
            1,
        )
        self.assertIn("claire@example.com", event.result)

    @freeze_time(MONDAY)
    def test_existing_meetings_and_holidays_are_avoided(self):
        self.env["calendar.event"].create(
            {
                "name": "Board meeting",
                "start": datetime(2026, 11, 25, 8, 0),
                "stop": datetime(2026, 11, 25, 9, 15),
                "partner_ids": [(6, 0, self.env.user.partner_id.ids)],
            }
        )
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.company.resource_calendar_id.id,
                "date_from": datetime(2026, 11, 25, 23, 0),
                "date_to": datetime(2026, 11, 26, 23, 0),
            }
        )
        wizard = self._wizard(self.customer.action_followup_schedule_call())
        self._assert_proposed(wizard, (25, 9, 30), (25, 10, 0), (27, 8, 30))

    @freeze_time(MONDAY)
    def test_reschedule_and_cancel_keep_the_history(self):
        wizard = self._wizard(self.customer.action_followup_schedule_call())
        wizard.action_confirm()
        booked = self._events(self.customer, channel="call")
        meeting = booked.calendar_event_id
        again = self._wizard(booked.action_reschedule())
        self.assertEqual(again.meeting_id, meeting)
        again.slot_id = again.slot_ids[2]
        again.action_confirm()
        self.assertEqual(meeting.start, datetime(2026, 11, 25, 9, 30))
        history = self._events(self.customer, channel="call").sorted("id")
        self.assertEqual(len(history), 2)
        self.assertIn("Rescheduled from", history[1].result)
        self.assertIn("the new time was sent to claire@example.com", history[1].result)
        mails_before = self.env["mail.mail"].search_count([])
        action = history[1].action_cancel_meeting()
        self.assertFalse(meeting.active)
        # the screen and the history say the customer was told
        self.assertIn("claire@example.com", action["params"]["message"])
        cancellation = self.env["mail.mail"].search([], order="id desc", limit=1)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 1)
        self.assertEqual(cancellation.recipient_ids, self.contact_person)
        self.assertIn("is cancelled", self._text(cancellation.body_html))
        history = self._events(self.customer, channel="call").sorted("id")
        self.assertEqual(len(history), 3)
        self.assertEqual(history[2].state, "cancelled")
        self.assertIn("the cancellation was sent to claire@example.com", history[2].result)
        with self.assertRaises(UserError):
            history[2].action_cancel_meeting()

    @freeze_time(MONDAY)
    def test_the_invitation_update_and_cancellation_show_the_customers_time(self):
        """Claire has no time zone of her own; her company is in Paris, ours in
        Brussels: every message she gets names the time in Paris, with the zone."""
        wizard = self._wizard(self.customer.action_followup_schedule_call())
        wizard.slot_id = wizard.slot_ids[1]  # 09:00 UTC, 10:00 in Paris
        wizard.action_confirm()
        meeting = self._events(self.customer, channel="call").calendar_event_id
        self.assertEqual(meeting.followup_tz, "Europe/Paris")

        def told(expected_count):
            messages = self.env["mail.message"].search(
                [
                    ("model", "=", "calendar.event"),
                    ("res_id", "=", meeting.id),
                    ("partner_ids", "in", self.contact_person.ids),
                ],
                order="id",
            )
            self.assertEqual(len(messages), expected_count)
            return self._text(messages[-1].body)

        invitation = told(1)
        self.assertIn("10:00", invitation)
        self.assertIn("(Europe/Paris)", invitation)
        self.assertNotIn("09:00", invitation)
        # moved to 09:30 UTC: 10:30 in Paris
        booked = self._events(self.customer, channel="call")
        again = self._wizard(booked.action_reschedule())
        again.slot_id = again.slot_ids[2]
        again.action_confirm()
        update = told(2)
        self.assertIn("10:30", update)
        self.assertIn("(Europe/Paris)", update)
        self.assertNotIn("UTC", update)
        self._events(self.customer, channel="call").sorted("id")[-1].action_cancel_meeting()
        cancellation = self._text(
            self.env["mail.mail"].search([], order="id desc", limit=1).body_html
        )
        self.assertIn("10:30", cancellation)
        self.assertIn("(Europe/Paris)", cancellation)

    @freeze_time(MONDAY)
    def test_bad_input(self):
        self.customer.write({"followup_hour_from": 11.5, "followup_hour_to": 9.5})
        with self.assertRaises(UserError) as err:
            self.customer.action_followup_schedule_call()
        self.assertIn("end before they start", str(err.exception))
        self.customer.write(
            {"followup_hour_from": 9.5, "followup_hour_to": 11.5, "tz": "Asia/Kolkata"}
        )
        with self.assertRaises(UserError) as err:
            self.customer.action_followup_schedule_call()
        self.assertIn("never meets our working hours", str(err.exception))
        self.assertFalse(self.env["payment.followup.schedule"].search([]))
        self.customer.tz = "Europe/Paris"
        wizard = self._wizard(self.customer.action_followup_schedule_call())
        wizard.write({"slot_id": False, "start": datetime(2026, 11, 20, 9, 0)})
        with self.assertRaises(UserError) as err:
            wizard.action_confirm()
        self.assertIn("it is in the past", str(err.exception))
        # Saturday 03:00 in Paris: checked like a proposed slot, nearest ones offered
        wizard.write({"start": datetime(2026, 11, 28, 2, 0)})
        with self.assertRaises(UserError) as err:
            wizard.action_confirm()
        message = str(err.exception)
        self.assertIn("it is not one of the customer's weekdays", message)
        self.assertIn("it is outside the customer's hours (09:30-11:30, Europe/Paris)", message)
        self.assertIn("it is outside our working hours", message)
        self.assertIn("outside the hours the customer may be contacted", message)
        self.assertNotIn("..", message, "one period per sentence")
        self.assertIn("Nearest convenient times: Wed 25 Nov 09:30 (CET)", message)
        # too short a notice
        wizard.write({"start": datetime(2026, 11, 24, 9, 0)})
        with self.assertRaises(UserError) as err:
            wizard.action_confirm()
        self.assertIn("less than 24 hours' notice", str(err.exception))
        self.assertFalse(self._events(self.customer))
        self.assertFalse(self.env["calendar.event"].search([("res_id", "=", self.customer.id)]))
        with self.assertRaises(ValidationError):
            self.company.followup_min_notice_hours = -1
        with self.assertRaises(ValidationError):
            self.company.write({"followup_quiet_from": 21, "followup_quiet_until": 8})

    @freeze_time(MONDAY)
    def test_daily_run_books_the_call_level(self):
        customer = self._customer("Call Level Co", tz="Europe/Paris")
        self._delivered(self._invoice(customer, 31), self.levels[15])
        self._run(today=date(2026, 11, 23))  # the frozen Monday
        event = self._events(customer, channel="call")
        self.assertEqual(event.state, "done")
        self.assertEqual(event.calendar_event_id.start, datetime(2026, 11, 25, 8, 30))
        self.assertEqual(event.level_id, self.levels[30])

    @freeze_time(MONDAY)
    def test_call_cap_and_conversation_pause(self):
        capped = self._customer("Capped Co", tz="Europe/Paris")
        talked = self._customer("Talked Co", tz="Europe/Paris")
        Event = self.env["payment.followup.event"]
        for i in range(7):
            Event.create(
                Event._prepare_event_vals(
                    capped,
                    self.company,
                    self.levels[30],
                    "call",
                    "done",
                    self.env["account.move"],
                    date=datetime(2026, 11, 23, 9, 0) - timedelta(hours=10 * i),
                )
            )
        Event.create(
            Event._prepare_event_vals(
                talked,
                self.company,
                self.levels[30],
                "call",
                "done",
                self.env["account.move"],
                date=datetime(2026, 11, 21, 9, 0),
                conversation=True,
            )
        )
        self._delivered(self._invoice(capped, 31), self.levels[15])
        self._delivered(self._invoice(talked, 31), self.levels[15])
        self._run()
        blocked = self._events(capped, channel="call", state="blocked")
        self.assertIn("Call cap reached", blocked.result)
        self.assertFalse(self._events(capped, channel="call").calendar_event_id)
        blocked = self._events(talked, channel="call", state="blocked")
        self.assertIn("conversation took place", blocked.result)

    @freeze_time(MONDAY)
    def test_opt_out_per_channel(self):
        no_calls = self._customer("No Calls Co", tz="Europe/Paris", followup_opt_out_phone=True)
        self._delivered(self._invoice(no_calls, 31), self.levels[15])
        no_letters = self._customer(
            "No Letters Co", tz="Europe/Paris", followup_opt_out_letter=True
        )
        self._delivered(self._invoice(no_letters, 46), self.levels[30])
        self._run()
        self.assertIn("No follow-up calls", self._events(no_calls, channel="call").result)
        self.assertEqual(len(self._mails(no_calls)), 1, "email still goes out")
        # and says nothing of a call
        self.assertNotIn("call", self._text(self._mails(no_calls).body_html).lower())
        letter = self._events(no_letters, channel="letter")
        self.assertEqual(letter.state, "blocked")
        self.assertIn("No printed letters", letter.result)

    def test_quiet_hours_hold_the_mail_until_morning(self):
        new_york = self._customer("Night Owl Inc", tz="America/New_York")
        kolkata = self._customer("Morning Ltd", tz="Asia/Kolkata")
        self._invoice(new_york, 5)
        self._invoice(kolkata, 5)
        with freeze_time("2026-11-24 03:00:00"):  # 22:00 in New York, 08:30 in Kolkata
            self._run(today=date(2026, 11, 24), send_mails=False)
        ny_mail = self._mails(new_york)
        self.assertEqual(ny_mail.scheduled_date, datetime(2026, 11, 24, 13, 0))  # 08:00 EST
        event = self._events(new_york, channel="email")
        self.assertEqual(event.scheduled_date, datetime(2026, 11, 24, 13, 0))
        # in the reader's words, not ISO (issue #22)
        self.assertIn(
            "held by the quiet hours until Tuesday 24 November 2026, 08:00 (EST)", event.result
        )
        self.assertFalse(self._mails(kolkata).scheduled_date)

    def test_every_reminder_carries_a_working_opt_out_link(self):
        self._invoice(self.customer, 5)
        self._run()
        body = self._mails(self.customer).body_html
        self.assertEqual(self._reminders(self.customer).recipient_id, self.contact_person)
        token = self.customer._followup_opt_out_token()
        self.assertIn(f"/payment_followup/opt_out/{self.customer.id}/{token}", body)
        self.assertIn("Stop email reminders", body)
