from datetime import date
from typing import NamedTuple

from odoo import Command, models

from ...engine.money import to_major
from ...engine.qr import qr_data_uri
from .payment_followup_legal_case import LETTER_BEFORE_ACTION_REPORT


class LetterLine(NamedTuple):
    """One debt of the letter before action; ``interest`` and
    ``compensation`` are None when they could not be computed."""

    name: str
    due_date: date
    currency: models.BaseModel
    owed: float
    interest: float | None
    compensation: float | None


class PaymentFollowupLegalLetter(models.Model):
    """The letter before action of a legal case: what it states, computed
    until it is sent, then kept as sent (its lines, the reminders it refers
    to, the PDF)."""

    _inherit = "payment.followup.legal.case"

    def _keep_letter(self):
        """Freeze the letter's figures and references, then print it once."""
        self.ensure_one()
        self.sudo().letter_line_ids.unlink()
        lines = self._letter_lines(live=True)
        self.sudo().write(
            {
                "letter_line_ids": [
                    Command.create(
                        {
                            "sequence": index,
                            "move_id": invoice.id,
                            "name": line.name,
                            "due_date": line.due_date,
                            "currency_id": line.currency.id,
                            "amount_owed": line.owed,
                            "charges_known": line.interest is not None,
                            "interest": line.interest or 0.0,
                            "compensation": line.compensation or 0.0,
                        }
                    )
                    for index, (invoice, line) in enumerate(lines)
                ],
                "letter_event_ids": [Command.set(self._reminders_sent(live=True).ids)],
            }
        )
        # a real PDF, also in tests: it is what the customer receives
        Pack = self.env["payment.followup.pack"].with_context(force_report_rendering=True)
        data = Pack._report_pdfs(LETTER_BEFORE_ACTION_REPORT, self)[self.id]
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": Pack._filename(
                        self.env._("Letter before action %(case)s", case=self.name),
                        self.partner_id.name,
                    ),
                    "raw": data,
                    "mimetype": "application/pdf",
                    "res_model": self._name,
                    "res_id": self.id,
                }
            )
        )
        self.sudo().letter_attachment_id = attachment

    def _letter_lines(self, live=False):
        """[LetterLine] of the letter before action: as it was sent (kept on
        the case), or, before it is sent (``live``), the open debts up to the
        letter's date in the invoice currency; interest and compensation are
        None when they cannot be computed (no rules, a missing rate): the letter
        then claims none. ``live`` returns [(invoice, LetterLine)]."""
        self.ensure_one()
        if not live:
            if self.letter_line_ids:
                return [
                    LetterLine(
                        ln.name,
                        ln.due_date,
                        ln.currency_id,
                        ln.amount_owed,
                        ln.interest if ln.charges_known else None,
                        ln.compensation if ln.charges_known else None,
                    )
                    for ln in self.letter_line_ids
                ]
            return [line for __, line in self._letter_lines(live=True)]
        until = self.letter_date or self._today()
        open_debts = self.invoice_ids.filtered(lambda m: m._followup_is_open())
        return [
            (
                invoice,
                LetterLine(
                    invoice.name,
                    invoice.invoice_date_due,
                    invoice.currency_id,
                    invoice.amount_residual,
                    None
                    if result is None
                    else to_major(result.amount, invoice.currency_id.decimal_places),
                    None if result is None else fixed,
                ),
            )
            for invoice, result, fixed, __ in self._interest_lines(until, open_debts)
        ]

    def _reminders_sent(self, live=False):
        """The reminders delivered about these debts (letters printed, emails
        the mail server accepted and that did not bounce): those the letter
        before action referred to once it is sent."""
        self.ensure_one()
        if self.letter_event_ids and not live:
            return self.letter_event_ids.sudo().sorted("date")
        events = (
            self.env["payment.followup.event"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    ("channel", "in", self.env["payment.followup.channel"]._codes(written=True)),
                    # a reminder that demanded them (not one that thanked for a
                    # payment on its way)
                    (
                        "reminder_id.line_ids",
                        "any",
                        [("move_id", "in", self.invoice_ids.ids), ("section", "!=", "on_its_way")],
                    ),
                    *self.env["payment.followup.event"]._delivered_domain(),
                ],
                order="date",
            )
        )
        return events

    def _letter_totals(self, lines):
        """[(currency, total)] the letter asks for: what is owed, plus the
        interest and compensation it claims, per currency."""
        totals = {}
        for line in lines:
            claimed = line.owed + (line.interest or 0.0) + (line.compensation or 0.0)
            totals[line.currency] = totals.get(line.currency, 0.0) + claimed
        return [
            (currency, currency.round(total))
            for currency, total in sorted(totals.items(), key=lambda item: item[0].name)
        ]

    def _letter_payment_sentence(self):
        """How to pay, in the customer's language: the bank account the
        invoices name, else the company's first (as the reminders say it)."""
        self.ensure_one()
        bank = self.invoice_ids.partner_bank_id[:1] or self.company_id.partner_id.bank_ids[:1]
        env = self.with_context(lang=self.partner_id._followup_lang(self.env.lang)).env
        return env["payment.followup.wording"]._payment_sentence(
            env._, "formal", bank.acc_number, bank.partner_id.name
        )

    def _letter_signer(self):
        """Who signs the letter: the case's legal advisor, else the company's
        follow-up responsible, else the person sending it."""
        self.ensure_one()
        return self.user_id or self.company_id.followup_user_id or self.env.user

    def _letter_words(self):
        """{greeting, closing, portal sentence} of the letter before action
        and its email, formal, in the customer's language."""
        self.ensure_one()
        env = self.with_context(lang=self.partner_id._followup_lang(self.env.lang)).env
        Wording = env["payment.followup.wording"]
        recipient = self.partner_id.followup_recipient_id
        person = recipient if recipient != self.partner_id else self.partner_id
        return {
            "greeting": Wording._greeting(env._, "formal", person),
            "closing": Wording._closing(env._, "formal"),
            "portal": Wording._portal_sentence(env._, "formal", letter=True),
        }

    def _letter_payments_url(self):
        """The page the letter sends the customer to (hook: the portal makes
        it a signed link that opens without a password)."""
        self.ensure_one()
        return self.partner_id.get_base_url() + "/my/payments"

    def _letter_payments_qr(self):
        """The same link as a vector QR code, for the printed letter."""
        self.ensure_one()
        return qr_data_uri(self._letter_payments_url())
