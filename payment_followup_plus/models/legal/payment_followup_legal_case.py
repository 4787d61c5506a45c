import base64
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..core.account_move import HOLD_OPEN_ENDED

CASE_STATES = [
    ("review", "To review by the legal advisor"),
    ("letter", "Letter before action sent"),
    ("handed_over", "Handed over"),
    ("settled", "Settled"),
    ("written_off", "Written off"),
    ("closed", "Closed"),
]
OPEN_STATES = ("review", "letter", "handed_over")
# while a case is open, its invoices are held: no reminder, no call
HOLD_UNTIL = HOLD_OPEN_ENDED
CASE_FILE_REPORT = "payment_followup_plus.action_report_legal_case_file"
LETTER_BEFORE_ACTION_REPORT = "payment_followup_plus.action_report_letter_before_action"
EMAIL_REPORT = "payment_followup_plus.action_report_email_as_sent"
# which step may follow which
MOVES = {
    "letter": ("review",),
    "handed_over": ("letter",),
    "settled": OPEN_STATES,
    "written_off": OPEN_STATES,
    "closed": OPEN_STATES,
}


class PaymentFollowupLegalCase(models.Model):
    """The last tier: a customer's late debts handed to the legal path agreed
    with the company's legal advisor. Only a legal advisor moves a case on;
    every step is tracked with who and when."""

    _name = "payment.followup.legal.case"
    _description = "Legal case"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one("res.currency", required=True)
    invoice_ids = fields.Many2many(
        "account.move",
        "payment_followup_legal_case_invoice_rel",
        "case_id",
        "move_id",
        string="Debts covered",
        check_company=True,
    )
    amount_at_opening = fields.Monetary("Owed when opened", readonly=True)
    amount_due = fields.Monetary("Still owed", compute="_compute_amount_due", store=True)
    state = fields.Selection(
        CASE_STATES, default="review", required=True, index=True, tracking=True, copy=False
    )
    user_id = fields.Many2one("res.users", string="Legal advisor", tracking=True)
    reminder_id = fields.Many2one(
        "payment.followup.reminder", string="Opened by", readonly=True, index="btree_not_null"
    )
    letter_date = fields.Date("Letter before action sent on", readonly=True, tracking=True)
    response_deadline = fields.Date("Respond by", readonly=True, tracking=True)
    handover_partner_id = fields.Many2one(
        "res.partner", string="Handed over to", tracking=True, help="Lawyer or collection agency."
    )
    handover_date = fields.Date("Handed over on", tracking=True)
    handover_ref = fields.Char("Their reference", tracking=True)
    settled_proposed = fields.Boolean("Settlement proposed", readonly=True, copy=False)
    # the letter before action as it was sent, never computed again
    letter_line_ids = fields.One2many(
        "payment.followup.legal.case.line", "case_id", string="Debts stated", readonly=True
    )
    letter_event_ids = fields.Many2many(
        "payment.followup.event",
        "payment_followup_legal_case_letter_event_rel",
        "case_id",
        "event_id",
        string="Reminders referred to",
        readonly=True,
    )
    letter_attachment_id = fields.Many2one(
        "ir.attachment", string="Letter sent (PDF)", readonly=True, copy=False
    )

    @api.model
    def _open_for(self, moves):
        """The open cases of these invoices (as debts or as charges)."""
        return self.sudo().search(
            [
                "|",
                ("invoice_ids", "in", moves.ids),
                ("charge_move_ids", "in", moves.ids),
                ("state", "in", OPEN_STATES),
            ]
        )

    @api.depends("invoice_ids.amount_residual")
    def _compute_amount_due(self):
        for case in self:
            # read here (as superuser): the write of the amount needs its
            # currency, and a customer paying on the portal, who may not read
            # legal cases, is who triggers this recomputation
            case.currency_id  # noqa: B018
            case.amount_due = sum(case.invoice_ids.mapped("amount_residual"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("payment.followup.legal.case") or "/"
                )
        cases = super().create(vals_list)
        cases._hold()
        return cases

    # ------------------------------------------------------------------
    # holds: automation stops for the debts of an open case
    # ------------------------------------------------------------------
    def _hold(self):
        for case in self:
            case.invoice_ids._followup_hold(
                HOLD_UNTIL, self.env._("Legal case %(case)s", case=case.name)
            )

    def _release(self):
        for case in self:
            held = case._all_moves().filtered(lambda m: m.followup_hold_until == HOLD_UNTIL)
            held._followup_hold(False)

    # ------------------------------------------------------------------
    # steps (a legal advisor only)
    # ------------------------------------------------------------------
    def _check_legal(self):
        if not self.env.su and not self.env.user.has_group(
            "payment_followup_plus.group_followup_legal"
        ):
            raise AccessError(self.env._("Only a legal advisor moves a legal case on."))

    def _move(self, state, **vals):
        self._check_legal()
        labels = dict(self._fields["state"]._description_selection(self.env))
        for case in self:
            if case.state not in MOVES[state]:
                raise UserError(
                    self.env._(
                        "%(case)s is %(current)s: it cannot become %(next)s.",
                        case=case.name,
                        current=labels[case.state],
                        next=labels[state],
                    )
                )
        self.write(dict(vals, state=state))
        # the case log: which step, who (the message's author) and when (its date)
        for case in self:
            case._message_log(
                body=self.env._(
                    "%(step)s, by %(user)s", step=labels[state], user=self.env.user.name
                )
            )
        if state not in OPEN_STATES:
            self._release()

    def _today(self):
        """The case company's today (a letter not sent yet is dated today)."""
        return fields.Date.context_today(self.with_company(self.company_id))

    def _response_until(self):
        """The day the customer must answer by: set when the letter is sent;
        for a letter read before it goes, what sending it today would set."""
        return self.response_deadline or self._today() + timedelta(
            days=self.company_id.followup_legal_response_days
        )

    def action_open_send_letter(self):
        """Read the letter before action as the customer will, then send it."""
        self.ensure_one()
        self._check_legal()
        return self.env["payment.followup.legal.step"]._open(self, "letter")

    def action_open_hand_over(self):
        """Say to whom and when the case is handed over."""
        self.ensure_one()
        self._check_legal()
        return self.env["payment.followup.legal.step"]._open(self, "handover")

    def action_send_letter(self):
        """Send the letter before action (PDF, in the customer's language) and
        start the response window. What it states (the debts, interest and
        compensation on its date, the reminders it refers to) and the PDF
        itself are kept on the case as sent."""
        self._check_legal()
        for case in self:
            # the dates its dialog showed: the case company's today, and the
            # answer-by day that sending today sets
            case._move(
                "letter", letter_date=case._today(), response_deadline=case._response_until()
            )
            case._keep_letter()
            case._invoice_letter_charges()
        template = self.env.ref("payment_followup_plus.mail_template_letter_before_action")
        for case in self:
            template.sudo().send_mail(
                case.id,
                email_values={"attachment_ids": [Command.link(case.letter_attachment_id.id)]},
            )
        return True

    def action_hand_over(self):
        for case in self:
            if not case.handover_partner_id or not case.handover_date:
                raise UserError(
                    self.env._(
                        "Say to whom (lawyer or collection agency) and when %(case)s is "
                        "handed over.",
                        case=case.name,
                    )
                )
        self._move("handed_over")
        return True

    def action_settle(self):
        self._move("settled")
        return True

    def action_write_off(self):
        self._move("written_off")
        return True

    def action_close(self):
        self._move("closed")
        return True

    # ------------------------------------------------------------------
    # the letter before action
    # ------------------------------------------------------------------
    def _history(self):
        """Everything that happened about these debts, oldest first."""
        self.ensure_one()
        return (
            self.env["payment.followup.event"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", self.partner_id.id),
                    "|",
                    ("invoice_ids", "in", self.invoice_ids.ids),
                    ("reminder_id.line_ids.move_id", "in", self.invoice_ids.ids),
                ],
                order="date, id",
            )
        )

    def _interest_lines(self, until=None, invoices=None):
        """[(invoice, Interest or None, compensation, why not)] up to ``until``
        (today by default) for ``invoices`` (the case's by default); the
        company's rates are read once."""
        self.ensure_one()
        Legal = self.env["payment.followup.legal"]
        until = until or self._today()
        rates = self.env["payment.followup.legal.rate"]._engine_rates(self.company_id)
        invoices = self.invoice_ids if invoices is None else invoices
        reminded = Legal._consumer_starts(invoices, until)
        # what a charges invoice already claimed is never claimed twice
        charged = Legal._charged_until(invoices)
        lines = []
        for invoice in invoices:
            try:
                result, fixed = Legal._compute(
                    invoice,
                    until,
                    start=Legal._next_start(charged, invoice),
                    with_compensation=not charged.get(invoice.id, (None, False))[1],
                    rates=rates,
                    reminded=reminded,
                )
            except UserError as err:
                lines.append((invoice, None, 0.0, err.args[0]))
                continue
            lines.append((invoice, result, fixed, False))
        return lines

    def action_evidence_pack(self):
        """One PDF for the lawyer: the case file (statement, payments, every
        reminder with its date and channel, plans, promises, reasons, the
        interest calculation, the case log), the letter before action, the
        reminder letters and the invoices."""
        self.ensure_one()
        self._check_legal()
        Pack = self.env["payment.followup.pack"]
        _ = self.env._
        case_file = Pack._report_pdfs(CASE_FILE_REPORT, self)[self.id]
        documents = [(_("Case file %(case)s", case=self.name), case_file)]
        if self.letter_attachment_id:
            # the letter as it was sent, embedded byte for byte as well
            letter = base64.b64decode(self.letter_attachment_id.sudo().datas)
            documents.append((_("Letter before action (as sent)"), letter, True))
        elif self.letter_date:  # sent before the letters were kept
            letter = Pack._report_pdfs(LETTER_BEFORE_ACTION_REPORT, self)[self.id]
            documents.append((_("Letter before action"), letter))
        documents += self._documents_as_sent()
        invoices = Pack._invoice_pdfs(self.invoice_ids)
        documents += [(inv.name, invoices[inv]) for inv in self.invoice_ids]
        title = _("Evidence pack %(case)s", case=self.name)
        data, __ = Pack._build(documents, self.company_id, title)
        attachment = Pack._attach(
            data, Pack._filename(title, self.partner_id.name), self._name, self.ids
        )
        self._message_log(
            body=_("Evidence pack built by %(user)s", user=self.env.user.name),
            attachment_ids=attachment.ids,
        )
        return Pack._download_action(attachment)

    def _documents_as_sent(self):
        """[(title, PDF)] of the reminders that reached the customer, each as
        it was sent: a letter as printed (kept byte for byte), an email as the
        stored message; never a document rendered again today, never one that
        was not sent (an unprinted letter, a failed email)."""
        _ = self.env._
        Pack = self.env["payment.followup.pack"]
        sent = self._reminders_sent(live=True).sorted(lambda e: (e.date, e.id))
        emails = sent.filtered(lambda e: e.channel == "email").reminder_id.mail_message_id
        email_pdfs = Pack.sudo()._report_pdfs(EMAIL_REPORT, emails.sudo())
        documents = []
        for event in sent:
            rem = event.reminder_id
            day = format_date(self.env, event.date.date())
            if event.channel == "letter" and rem.letter_sent_id:
                data = base64.b64decode(rem.letter_sent_id.sudo().datas)
                documents.append((_("Letter printed on %(date)s (as sent)", date=day), data, True))
            elif event.channel == "email" and rem.mail_message_id.id in email_pdfs:
                documents.append(
                    (
                        _("Email sent on %(date)s (as sent)", date=day),
                        email_pdfs[rem.mail_message_id.id],
                    )
                )
        return documents

    # ------------------------------------------------------------------
    # a payment that settles everything
    # ------------------------------------------------------------------
    @api.model
    def _cron_propose_settlement(self):
        """Open cases whose debts are all paid: the legal advisor is asked,
        once, to settle them."""
        cases = self.search(
            [
                ("state", "in", OPEN_STATES),
                ("amount_due", "<=", 0),
                ("settled_proposed", "=", False),
            ]
        )
        for case in cases:
            case.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Everything is paid: settle %(case)s", case=case.name),
                user_id=(case.user_id or self.env.user).id,
                followup_kind="legal",
                followup_partner_id=case.partner_id.id,
                followup_company_id=case.company_id.id,
            )
        cases.settled_proposed = True
        return cases
