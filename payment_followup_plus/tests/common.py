import io
import re
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from pypdf import PdfReader

from odoo import Command, fields
from odoo.tools import html2plaintext

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class PaymentFollowupCommon(AccountTestInvoicingCommon):
    """Fixtures: a company with the default ladder and customers with a profile."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company._pfp_ensure_default_policy()
        cls.policy = cls.company.followup_policy_id
        cls.levels = {level.days: level for level in cls.policy.level_ids}
        # a company that writes to its customers has an address to write from
        cls.company.write(
            {
                "followup_min_gap_days": 0,
                "followup_tolerance": 1.0,
                "email": "accounts@yourcompany.example.com",
            }
        )
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.followup = cls.env["payment.followup.run"]
        cls.template = cls.env.ref("payment_followup_plus.mail_template_payment_reminder")

    def _pdf_text(self, report, records):
        """The text of ``report`` printed as a real PDF (wkhtmltopdf, not the
        HTML that reports give in tests), with whitespace folded."""
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"))
        reader = PdfReader(io.BytesIO(pdf))
        return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))

    @classmethod
    def _followup_user(cls, company, login=None, **vals):
        """A follow-up user (no manager rights) of ``company`` only."""
        return cls.env["res.users"].create(
            {
                "name": "Follow-up clerk",
                "login": login or f"clerk_{company.id}",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            cls.env.ref("base.group_user").id,
                            cls.env.ref("payment_followup_plus.group_followup_user").id,
                        ]
                    )
                ],
                **vals,
            }
        )

    @classmethod
    def _customer(cls, name, **vals):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "email": f"{name.lower().replace(' ', '.')}@example.com",
                **vals,
            }
        )

    @classmethod
    def _invoice(cls, partner, days_late, amount=100.0, company=None, currency=None, post=True):
        """A customer invoice due ``days_late`` days ago (no payment term: due = invoice date)."""
        company = company or cls.env.company
        date = cls.today - timedelta(days=days_late)
        vals = {
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": date,
            "date": date,
            "invoice_date_due": date,
            "company_id": company.id,
            "invoice_line_ids": [
                Command.create(
                    {
                        "name": "Service",
                        "quantity": 1,
                        "price_unit": amount,
                        "tax_ids": [Command.clear()],
                    }
                )
            ],
        }
        if currency:
            vals["currency_id"] = currency.id
        move = cls.env["account.move"].with_company(company).create(vals)
        if post:
            move.action_post()
        return move

    @classmethod
    def _refund(cls, partner, amount, days_ago=5):
        """A posted credit note of ``amount`` for ``partner``, not applied."""
        day = cls.today - timedelta(days=days_ago)
        refund = cls.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": partner.id,
                "invoice_date": day,
                "date": day,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Returned", "quantity": 1, "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        refund.action_post()
        return refund

    @classmethod
    def _pay(cls, invoice, amount=None, date=None):
        wizard = (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount if amount is not None else invoice.amount_residual,
                    "payment_date": date or cls.today,
                }
            )
        )
        wizard._create_payments()

    def _mails(self, partners):
        """The reminders mailed to ``partners`` (not Odoo's own notifications)."""
        return self.env["mail.mail"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("message_type", "=", "comment"),
            ],
            order="id",
        )

    @contextmanager
    def _recorded_sql(self):
        """The SQL statements run inside the block, as their text."""
        statements = []
        execute = type(self.env.cr).execute

        def recording(cr, query, params=None, log_exceptions=True):
            statements.append(str(getattr(query, "code", query)))
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", recording):
            yield statements

    @staticmethod
    def _text(html):
        """An email body as the customer reads it (tags and entities gone)."""
        return re.sub(r"\s+", " ", html2plaintext(html or ""))

    def _reminders(self, partners, **domain):
        return self.env["payment.followup.reminder"].search(
            [("partner_id", "in", partners.ids)] + [(k, "=", v) for k, v in domain.items()],
            order="id",
        )

    @classmethod
    def _delivered(cls, invoices, level, days_ago=10, company=None):
        """History: a reminder at ``level`` delivered ``days_ago`` for ``invoices``
        (their level and last reminder, the customer's last contact)."""
        company = company or cls.env.company
        date = cls.today - timedelta(days=days_ago)
        partner = invoices.commercial_partner_id
        reminder = cls.env["payment.followup.reminder"].create(
            {
                "partner_id": partner.id,
                "company_id": company.id,
                "date": date,
                "level_id": level.id,
                "tier": level.tier,
                "severity": level.severity,
                "response_days": level.response_days,
                "state": "delivered",
                "delivered_date": date,
                "line_ids": [
                    Command.create(
                        {
                            "move_id": move.id,
                            "name": move.name,
                            "due_date": move.invoice_date_due,
                            "currency_id": move.currency_id.id,
                            "amount_residual": move.amount_residual,
                            "level_id": level.id,
                        }
                    )
                    for move in invoices
                ],
            }
        )
        invoices._followup_write_level(level.id, date)
        return reminder

    def _events(self, partners, **domain):
        return self.env["payment.followup.event"].search(
            [("partner_id", "in", partners.ids)] + [(k, "=", v) for k, v in domain.items()]
        )

    def _run(self, company=None, send_mails=True, **kwargs):
        """The daily run, then (``send_mails``) the mail queue's cron as it
        runs once each email is due (also those the quiet hours held): the
        emails are sent (in Odoo's test mode, the server accepts them) and
        their reminders delivered. Tests of the queue itself pass False."""
        company = company or self.env.company
        kwargs.setdefault("today", self.today)
        done = self.followup.with_company(company)._run_company(company, **kwargs)
        if send_mails:
            self._send_queue()
        return done

    def _send_queue(self, due_only=False):
        """What the mail queue's cron does: send the emails waiting (with
        ``due_only``, only those due now: the quiet hours keep theirs)."""
        domain = [("state", "=", "outgoing")]
        if due_only:
            domain += [
                "|",
                ("scheduled_date", "=", False),
                ("scheduled_date", "<=", fields.Datetime.now()),
            ]
        self.env["mail.mail"].search(domain).send()

    def _plan_wizard(self, records, **vals):
        """The plan wizard opened on ``records`` (a customer, invoices or an event)."""
        return (
            self.env["payment.followup.plan.wizard"]
            .with_context(active_model=records._name, active_ids=records.ids)
            .create(vals)
        )

    def _plan(self, invoices, agree=True, **vals):
        """A plan over ``invoices`` (through the wizard), agreed by the customer
        unless ``agree`` is False or it waits for a manager."""
        vals.setdefault("first_due_date", self.today + timedelta(days=7))
        action = self._plan_wizard(invoices, **vals).action_confirm()
        plan = self.env["payment.followup.plan"].browse(action["res_id"])
        if agree and plan.state == "proposed":
            plan._record_agreement("phone", "Accounts payable")
        return plan
