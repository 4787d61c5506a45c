from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import SQL

from .common import PaymentFollowupCommon

# what differs between any two inserts: the row's own id and times, and the
# Message-Id (a fresh random one per email, in the same form)
VOLATILE = {"id", "create_date", "write_date", "date", "message_id", "mail_message_id"}


@tagged("post_install", "-at_install")
class TestFollowupMailRows(PaymentFollowupCommon):
    """The run writes a batch's emails set-wise (payment.followup.mail.rows):
    the rows must be the ones Odoo's ORM writes for the same values, column
    by column, and the mail queue must send them as any other."""

    def _row(self, table, row_id):
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT * FROM %s WHERE id = %s", SQL.identifier(table), row_id))
        names = [column.name for column in self.env.cr.description]
        return {
            name: value
            for name, value in zip(names, self.env.cr.fetchone(), strict=True)
            if name not in VOLATILE
        }

    def _links(self, table, column, other, row_id):
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE %s = %s ORDER BY 1",
                SQL.identifier(other),
                SQL.identifier(table),
                SQL.identifier(column),
                row_id,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    def _both_paths(self, vals, trusted):
        # the ORM is given the body as rendered, and sanitizes it itself
        orm = self.env["mail.mail"].sudo().create([dict(vals, body=vals["body_html"])])
        setwise = self.env["payment.followup.mail.rows"]._insert_mails(
            [dict(vals)], [0] if trusted else []
        )
        return orm, setwise

    def _assert_same_rows(self, orm, setwise):
        self.assertNotEqual(orm, setwise)
        self.assertEqual(self._row("mail_mail", setwise.id), self._row("mail_mail", orm.id))
        first, second = orm.mail_message_id, setwise.mail_message_id
        self.assertEqual(self._row("mail_message", second.id), self._row("mail_message", first.id))
        for table, column, other, mail_or_message in (
            ("mail_mail_res_partner_rel", "mail_mail_id", "res_partner_id", "mail"),
            ("message_attachment_rel", "message_id", "attachment_id", "message"),
        ):
            ids = (orm.id, setwise.id) if mail_or_message == "mail" else (first.id, second.id)
            self.assertEqual(
                self._links(table, column, other, ids[1]), self._links(table, column, other, ids[0])
            )
        # the same kind of Message-Id, a fresh one
        self.assertRegex(second.message_id, r"^<[\d.]+-openerp-\d+-res\.partner@")
        self.assertNotEqual(second.message_id, first.message_id)

    def _reminder_vals(self, partner):
        self._run(send_mails=False)
        reminder = self._reminders(partner)
        Email = self.env["payment.followup.channel.email"]
        vals_list, _order, trusted = Email._prepare_mail_vals(reminder, {})
        return reminder, vals_list[0], bool(trusted)

    def test_the_rows_are_the_ones_the_orm_writes(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        partner = self._customer("Rows Customer", lang="fr_FR")
        self._invoice(partner, 20, 1234.5)
        reminder, vals, trusted = self._reminder_vals(partner)
        self.assertTrue(trusted)  # the shipped template: sanitized once per language
        attachment = self.env["ir.attachment"].create(
            {"name": "pack.pdf", "raw": b"%PDF-1.4 test", "res_model": "res.partner", "res_id": 0}
        )
        vals["attachment_ids"] = [Command.link(attachment.id)]
        vals["recipient_ids"].append(Command.link(self.env.user.partner_id.id))
        orm, setwise = self._both_paths(vals, trusted)
        self._assert_same_rows(orm, setwise)
        # the values the row must have, not only the same as the ORM's
        self.assertEqual(setwise.state, "outgoing")
        self.assertEqual(
            setwise.recipient_ids, partner.followup_recipient_id | self.env.user.partner_id
        )
        self.assertEqual(setwise.mail_message_id.record_name, partner.display_name)
        self.assertIn("1\xa0234,50", setwise.body_html)
        self.assertIn("1&nbsp;234,50", str(setwise.mail_message_id.body))
        self.assertEqual(setwise.mail_message_id.attachment_ids, attachment)
        self.assertIn(setwise.mail_message_id, partner.message_ids)

    def test_a_body_not_trusted_is_sanitized_as_the_orm_would(self):
        partner = self._customer("Untrusted Customer")
        self._invoice(partner, 20, 100.0)
        _reminder, vals, _trusted = self._reminder_vals(partner)
        body = '<div><p onclick="steal()">Pay</p><script>alert(1)</script></div>'
        vals.update(body=body, body_html=body)
        orm, setwise = self._both_paths(vals, trusted=False)
        self._assert_same_rows(orm, setwise)
        self.assertNotIn("script", str(setwise.mail_message_id.body))
        self.assertNotIn("onclick", str(setwise.mail_message_id.body))

    def test_values_outside_what_it_knows_are_refused(self):
        Rows = self.env["payment.followup.mail.rows"]
        with self.assertRaises(ValueError):
            Rows._insert_mails(
                [{"model": "res.partner", "res_id": 1, "partner_ids": [(6, 0, [1])]}]
            )
        with self.assertRaises(ValueError):
            Rows._insert_mails([{"model": "res.partner", "recipient_ids": [Command.create({})]}])

    def test_the_mail_queue_sends_them_and_the_reminder_is_delivered(self):
        partner = self._customer("Queue Customer")
        self._invoice(partner, 20, 100.0)
        self._run(send_mails=False)
        mail = self._mails(partner)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        event = self._events(partner, channel="email")
        self.assertEqual(event.delivery_state, "queued")
        self._send_queue()
        self.assertEqual(mail.state, "sent")
        self.assertEqual(event.delivery_state, "delivered")
        self.assertEqual(partner.followup_level_id, event.level_id)

    def test_the_bulk_insert_keeps_zero_as_zero(self):
        partner = self._customer("Zero Customer")
        invoice = self._invoice(partner, 0, 100.0)  # due today: 0 days late
        self._run(send_mails=False)
        reminder = self._reminders(partner)
        line = reminder.line_ids.filtered(lambda ln: ln.move_id == invoice)
        self.env["payment.followup.bulk"]._insert(
            "payment.followup.reminder.line",
            [
                {
                    "reminder_id": reminder.id,
                    "move_id": invoice.id,
                    "days_late": 0,
                    "amount_residual": 0.0,
                    "section": line.section or "due_soon",
                    "due_date": invoice.invoice_date_due,
                    "name": "",
                    "currency_id": invoice.currency_id.id,
                    "payment_reference": False,
                }
            ],
        )
        self.env.cr.execute(
            SQL(
                "SELECT days_late, amount_residual, name, payment_reference"
                " FROM payment_followup_reminder_line WHERE reminder_id = %s ORDER BY id DESC"
                " LIMIT 1",
                reminder.id,
            )
        )
        # 0 and "" are values (they were written as NULL); False is NULL
        self.assertEqual(self.env.cr.fetchone(), (0, 0.0, "", None))


class _Base:
    _module = None

    def create(self, vals_list):
        return vals_list


class _Mail(_Base):
    _module = "mail"

    def create(self, vals_list):
        return vals_list


class _Other(_Mail):
    _module = "other_addon"

    def _create(self, data_list):
        return data_list


@tagged("post_install", "-at_install")
class TestFollowupMailRowsGuard(PaymentFollowupCommon):
    """The INSERTs are used only while mail alone defines how these rows are
    created; an override elsewhere (tests/odoo_addons' probe proves it with a
    real addon) or a patch of the model's class sends the rows through create."""

    def test_this_install_writes_set_wise(self):
        self.assertTrue(self.env["payment.followup.mail.rows"]._set_wise_allowed())

    def test_an_override_or_a_patch_turns_the_fast_path_off(self):
        Rows = self.env["payment.followup.mail.rows"]
        registry_of_mail = type("Registry", (_Mail,), {})
        registry_of_other = type("Registry", (_Other,), {})
        patched = type("Registry", (_Mail,), {"create": lambda self, vals_list: vals_list})
        self.assertTrue(Rows._creates_as_mail_does(registry_of_mail))
        self.assertFalse(Rows._creates_as_mail_does(registry_of_other))
        self.assertFalse(Rows._creates_as_mail_does(patched))


@tagged("post_install", "-at_install")
class TestFollowupCostsNothingElsewhere(PaymentFollowupCommon):
    """Other modules' emails and SMS go through our overrides without any work
    of ours: no outcome step after their mail batch, no history lookup when
    their SMS change state (Odoo's own query-count tests check it too)."""

    def test_another_modules_email_batch_applies_nothing(self):
        mail = self.env["mail.mail"].create(
            {"subject": "Hello", "email_to": "someone@example.com", "body_html": "<p>Hi</p>"}
        )
        Outcome = type(self.env["payment.followup.mail.outcome"])
        with patch.object(Outcome, "_apply") as apply:
            mail.send()
        apply.assert_not_called()

    def test_another_modules_sms_is_not_looked_up(self):
        sms = self.env["sms.sms"].create({"number": "+32470123456", "body": "Hello"})
        Sms = type(self.env["payment.followup.channel.sms"])
        with patch.object(Sms, "_on_processed") as looked_up:
            sms.write({"state": "error", "failure_type": "sms_credit"})
        looked_up.assert_not_called()
        self.assertFalse(sms.followup_tracked)
