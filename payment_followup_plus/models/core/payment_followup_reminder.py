from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ...engine.sentences import clause
from .payment_followup_event import TONES
from .payment_followup_level import SEVERITIES, TIERS

STATES = [
    ("to_review", "To review"),
    ("pending", "Waiting to be delivered"),
    ("delivered", "Delivered"),
    ("blocked", "Not delivered"),
    ("rejected", "Rejected"),
    ("cancelled", "Cancelled"),
]


class PaymentFollowupReminder(models.Model):
    """One reminder to one customer, built from the run's decision.

    Its invoices, amounts, level, tone and severity are chosen once, here; the
    email, the printed letter, the review preview and the history all render
    from this record, so they cannot disagree. The invoices reach the level of
    the reminder only once it is delivered (sent, printed, or held as a
    conversation).
    """

    _name = "payment.followup.reminder"
    _description = "Payment reminder"
    _order = "date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one("res.company", required=True, index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id")
    recipient_id = fields.Many2one("res.partner", string="Addressed to")
    user_id = fields.Many2one("res.users", string="Signed by")
    lang = fields.Char("Language code")
    date = fields.Date(required=True, help="The customer's day when it was prepared.")
    level_id = fields.Many2one("payment.followup.level", check_company=True, index=True)
    tier = fields.Selection(TIERS, index=True)
    severity = fields.Selection(SEVERITIES)
    style = fields.Selection([("direct", "Direct"), ("indirect", "Indirect")])
    formality = fields.Selection([("formal", "Formal"), ("informal", "Informal")])
    tone = fields.Selection(TONES)
    response_days = fields.Integer("Days to respond")

    state = fields.Selection(STATES, required=True, default="pending", index=True)
    review_reason = fields.Char("Why a person reviews it")
    previous_date = fields.Date(
        "Previous reminder", help="When the main invoices were reminded before (if ever)."
    )
    line_ids = fields.One2many("payment.followup.reminder.line", "reminder_id", string="Invoices")
    invoice_ids = fields.Many2many("account.move", compute="_compute_invoice_ids")
    amount_overdue = fields.Monetary(
        "Total overdue", currency_field="company_currency_id", aggregator=False
    )
    meeting_id = fields.Many2one("calendar.event", string="Call booked", index="btree_not_null")
    mail_id = fields.Many2one(
        "mail.mail", string="Email", ondelete="set null", index="btree_not_null"
    )
    mail_message_id = fields.Many2one(
        "mail.message", string="Message", ondelete="set null", index="btree_not_null"
    )
    activity_id = fields.Many2one("mail.activity", ondelete="set null", index="btree_not_null")
    delivered_date = fields.Date(readonly=True)
    override_reason = fields.Char("Manager's override")
    block_key = fields.Char(
        help="What about the customer blocked every channel; while it stays the same, the "
        "level is not tried again."
    )
    event_ids = fields.One2many("payment.followup.event", "reminder_id", string="History")

    # the words, in the customer's language (computed, never stored)
    title = fields.Char(compute="_compute_wording")
    subject = fields.Char(compute="_compute_wording")
    greeting = fields.Char(compute="_compute_wording")
    opening = fields.Text(compute="_compute_wording")
    call_sentence = fields.Text(compute="_compute_wording")
    payment_sentence = fields.Text(compute="_compute_wording")
    overdue_intro = fields.Char(compute="_compute_wording")
    due_soon_intro = fields.Char(compute="_compute_wording")
    on_its_way_intro = fields.Char(compute="_compute_wording")
    # what the customer read, kept as it was (never recomputed when shown again)
    charges_sentence = fields.Text(
        "Charges accrued",
        readonly=True,
        help="The late-payment interest and compensation accrued up to the reminder's date, "
        "when its level shows them and they can be computed, as the customer read it.",
    )
    partner_bank_id = fields.Many2one(
        "res.partner.bank", string="Pay to", readonly=True, help="The bank account it gave."
    )
    channels = fields.Char(readonly=True, help="The channels it went by.")
    portal_sentence = fields.Char(compute="_compute_wording")
    letter_portal_sentence = fields.Char(compute="_compute_wording")
    opt_out_sentence = fields.Char(compute="_compute_wording")
    closing = fields.Char(compute="_compute_wording")
    portal_base = fields.Char(compute="_compute_urls")
    portal_url = fields.Char(compute="_compute_urls")
    payments_url = fields.Char(
        "Customer page link",
        compute="_compute_urls",
        help="The customer's payments page, signed (no password).",
    )
    opt_out_url = fields.Char(compute="_compute_urls")
    email_preview = fields.Html(compute="_compute_previews", sanitize=False)
    letter_preview = fields.Html(compute="_compute_previews", sanitize=False)

    @api.depends("partner_id", "level_id", "date")
    def _compute_display_name(self):
        for rem in self:
            rem.display_name = self.env._(
                "%(level)s to %(customer)s (%(date)s)",
                level=rem.level_id.name or "",
                customer=rem.partner_id.display_name,
                date=format_date(self.env, rem.date),
            )

    @api.depends("line_ids.move_id")
    def _compute_invoice_ids(self):
        for rem in self:
            rem.invoice_ids = rem.line_ids.move_id

    def _lang_env(self):
        self.ensure_one()
        return self.with_context(lang=self.lang or self.env.lang or "en_US").env

    @api.depends_context("uid")
    @api.depends(
        "severity", "style", "formality", "previous_date", "lang", "meeting_id", "line_ids"
    )
    def _compute_wording(self):
        Wording = self.env["payment.followup.wording"]
        for rem in self:
            env = rem._lang_env()
            _ = env._
            severity = rem.severity or "friendly"
            formality = rem.formality or "formal"
            previous = format_date(env, rem.previous_date) if rem.previous_date else None
            rem.title = Wording._title(_, severity)
            rem.subject = "%s - %s" % (rem.title, rem.company_id.name)
            person = rem.recipient_id if rem.recipient_id != rem.partner_id else rem.partner_id
            rem.greeting = Wording._greeting(_, formality, person)
            rem.opening = Wording._opening(
                _, severity, rem.style or "direct", formality, rem.response_days, previous
            )
            rem.call_sentence = (
                Wording._call_sentence(
                    _,
                    formality,
                    self.env["payment.followup.calendar"]._local_label(
                        rem.meeting_id, rem.partner_id
                    ),
                )
                if rem.meeting_id.active
                else False
            )
            bank = rem._pay_to()
            rem.payment_sentence = (
                Wording._payment_sentence(_, formality, bank.acc_number, bank.partner_id.name)
                or False
            )
            intros = Wording._section_intros(_, formality, severity)
            rem.overdue_intro = intros["overdue"]
            rem.due_soon_intro = intros["due_soon"]
            rem.on_its_way_intro = intros["on_its_way"]
            rem.portal_sentence = Wording._portal_sentence(_, formality, letter=False)
            rem.letter_portal_sentence = Wording._portal_sentence(_, formality, letter=True)
            rem.opt_out_sentence = Wording._opt_out_sentence(_, formality)
            rem.closing = Wording._closing(_, formality)

    def _action_buttons(self):
        """(url, label, is the main one) of the buttons to the customer's page,
        in the customer's language and register (no call for a customer who
        asked not to be called)."""
        self.ensure_one()
        _ = self.with_context(lang=self.lang).env._
        buttons = self.env["payment.followup.wording"]._action_buttons(
            _, self.formality or "formal"
        )
        return [
            ("%s#%s" % (self.payments_url, anchor), label, anchor == "pay")
            for anchor, label in buttons
            if anchor != "call" or not self.partner_id.followup_opt_out_phone
        ]

    def _pay_to(self):
        """The bank account the customer pays to: the one the reminder gave
        (kept when it was prepared), else the invoices' recipient bank, else the
        company's first account."""
        self.ensure_one()
        if self.partner_bank_id:
            return self.partner_bank_id
        banks = self.line_ids.partner_bank_id
        return banks[:1] or self.company_id.partner_id.bank_ids[:1]

    @api.depends("partner_id")
    def _compute_urls(self):
        for rem in self:
            base = rem.partner_id.get_base_url()
            rem.portal_base = base
            rem.portal_url = base + "/my/payments"
            rem.payments_url = rem._payments_page_url()
            rem.opt_out_url = rem.partner_id.followup_opt_out_url

    def _payments_page_url(self):
        """The customer's payments page the reminder links to (hook: the
        portal makes it a signed link that opens without a password)."""
        self.ensure_one()
        return self.partner_id.get_base_url() + "/my/payments"

    @api.depends_context("uid")
    def _compute_previews(self):
        template = self.env.ref("payment_followup_plus.mail_template_payment_reminder")
        bodies = (
            template._render_field("body_html", self.ids, compute_lang=True) if self.ids else {}
        )
        QWeb = self.env["ir.qweb"]
        for rem in self:
            rem.email_preview = bodies.get(rem.id, False)
            rem.letter_preview = QWeb._render(
                "payment_followup_plus.reminder_letter_preview", {"reminder": rem}
            )

    @api.model
    def _create_with_lines(self, vals_list):
        """Reminders with their invoices (``line_ids`` given as a list of plain
        dicts): the reminders through the ORM, their invoices in one INSERT."""
        lines = [vals.pop("line_ids", []) for vals in vals_list]
        reminders = self.create(vals_list)
        rows = [
            dict(line, reminder_id=reminder.id)
            for reminder, reminder_lines in zip(reminders, lines, strict=True)
            for line in reminder_lines
        ]
        self.env["payment.followup.bulk"]._insert("payment.followup.reminder.line", rows)
        reminders.invalidate_recordset(["line_ids"])
        reminders._keep_what_is_read()
        return reminders

    def _keep_what_is_read(self):
        """Store what the customer will read and that would otherwise be
        computed again later: the bank account to pay to (one write per bank
        account), and what the other parts add (hook: the legal part keeps the
        charges sentence)."""
        for bank, rems in self.grouped(lambda r: r._pay_to()).items():
            if bank:
                rems.write({"partner_bank_id": bank.id})

    def _undo_delivery(self):
        """Delivered reminders that did not reach the customer after all (a
        bounce): their invoices go back to the level and last contact they had
        before, unless a later reminder moved them since."""
        for rem in self:
            for line in rem.line_ids:
                move = line.move_id.sudo()
                if move.followup_last_date != rem.delivered_date:
                    continue
                if line.level_id and move.followup_level_id != line.level_id:
                    continue
                vals = {"followup_last_date": line.last_reminded or False}
                if line.level_id:
                    vals["followup_level_id"] = line.previous_level_id.id or False
                move.with_context(skip_invoice_sync=True, tracking_disable=True).write(vals)
            rem.write({"state": "pending", "delivered_date": False})

    # ------------------------------------------------------------------
    # delivery
    # ------------------------------------------------------------------
    def _mark_delivered(self, on=None):
        """The reminders reached the customer (``on``: that day; the day they
        were prepared when not given): their invoices take the levels the
        reminders bring them to (one write per level and day), and it is the
        customer's last contact."""
        todo = self.filtered(lambda rem: rem.state not in ("delivered", "cancelled", "rejected"))
        if not todo:
            return
        by_level = defaultdict(list)
        mentioned = defaultdict(list)
        day = {rem: on or rem.date for rem in todo}
        for rem in todo:
            for line in rem.line_ids:
                if line.level_id:
                    by_level[(line.level_id.id, day[rem])].append(line.move_id.id)
                elif line.section not in ("due_soon", "on_its_way"):
                    mentioned[day[rem]].append(line.move_id.id)
        Move = self.env["account.move"].sudo()
        for (level_id, date), move_ids in by_level.items():
            Move.browse(move_ids)._followup_write_level(level_id, date)
        for date, move_ids in mentioned.items():
            Move.browse(move_ids).with_context(skip_invoice_sync=True, tracking_disable=True).write(
                {"followup_last_date": date}
            )
        for date, rems in todo.grouped(lambda rem: day[rem]).items():
            rems.write({"state": "delivered", "delivered_date": date})

    def _prepare_event_vals(self, channel, state, **extra):
        """History of one action of this reminder (its figures copied in),
        through the one builder of event values."""
        self.ensure_one()
        vals = self.env["payment.followup.event"]._prepare_event_vals(
            self.partner_id,
            self.company_id,
            self.level_id,
            channel,
            state,
            self.env["account.move"],
            reminder_id=self.id,
            tier=self.tier,
            tone=self.tone,
            severity=self.severity,
            amount_overdue=self.amount_overdue,
            **extra,
        )
        # the invoices are the reminder's own (see the event's invoice_ids)
        vals.pop("invoice_ids")
        return vals

    # ------------------------------------------------------------------
    # buttons
    # ------------------------------------------------------------------
    def _choose_words(self):
        """Hook: the words of new reminders chosen before anything renders
        (the experiments part gives each its arm, or its level's adopted words)."""
        return

    def _hold_for_send_window(self, mail_by_reminder):
        """Hook: the queued emails ``{reminder: mail.mail}`` of these reminders
        held until a better moment (the experiments part: an arm's window)."""
        return

    def _check_still_true(self, action):
        """Refuse to send or print a reminder that is no longer true."""
        stale = self.filtered("stale")
        if stale:
            raise UserError(
                self.env._(
                    "%(reminder)s is no longer true: %(changes)s. Prepare it again "
                    "(“Refresh”) before you %(action)s it.",
                    reminder=stale[0].display_name,
                    changes=clause(stale[0].stale.replace("\n", "; ")),
                    action=action,
                )
            )
