from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, hmac
from odoo.tools.misc import formatLang

from ..engine.record import GOOD, PaymentRecord, rate_record
from ..engine.tone import choose_tone
from .payment_followup_event import TONES
from .payment_followup_level import SEVERITIES

FOLLOWUP_CHANNELS = [
    ("email", "Email"),
    ("phone", "Phone"),
    ("letter", "Letter"),
    ("portal", "Portal"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    # communication profile (kept on the commercial partner)
    followup_style = fields.Selection(
        [("direct", "Direct"), ("indirect", "Indirect")],
        string="Communication style",
        default="direct",
        help="Direct: states the facts and the request plainly. Indirect: softer, "
        "relationship-first wording that leaves room to save face.",
    )
    followup_formality = fields.Selection(
        [("formal", "Formal"), ("informal", "Informal")], string="Formality", default="formal"
    )
    followup_channel = fields.Selection(
        FOLLOWUP_CHANNELS, string="Preferred channel", default="email"
    )
    followup_contact_id = fields.Many2one(
        "res.partner",
        string="Follow-up contact",
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('id', '!=', id)]",
        help="Receives the reminders; the customer itself when empty.",
    )
    followup_hour_from = fields.Float("Preferred from", default=9.5)
    followup_hour_to = fields.Float("Preferred to", default=11.5)
    followup_weekday_ids = fields.Many2many("payment.followup.weekday", string="Preferred weekdays")
    followup_opt_out = fields.Boolean(
        "Opted out of electronic reminders",
        help="No email reminders; printed letters, calls and activities still happen.",
    )
    followup_opt_out_phone = fields.Boolean(
        "No follow-up calls", help="No calls or meetings are booked for payment follow-up."
    )
    followup_opt_out_letter = fields.Boolean(
        "No printed letters", help="No payment reminder letters are prepared."
    )
    followup_responsible_id = fields.Many2one(
        "res.users", string="Follow-up responsible", index="btree_not_null"
    )
    followup_hardship = fields.Boolean(
        "Hardship",
        help="Pauses automated reminders and routes the customer to the follow-up responsible.",
    )
    followup_paused_until = fields.Date("Follow-up paused until")
    followup_pause_reason = fields.Char("Pause reason")
    followup_policy_id = fields.Many2one(
        "payment.followup.policy",
        string="Follow-up policy",
        company_dependent=True,
        help="Overrides the company's default policy for this customer.",
    )
    followup_level_id = fields.Many2one(
        "payment.followup.level",
        string="Follow-up level",
        company_dependent=True,
        readonly=True,
        copy=False,
    )
    followup_event_ids = fields.One2many("payment.followup.event", "partner_id")
    followup_event_count = fields.Integer(compute="_compute_followup_event_count")

    # reminder content, computed for the current company
    followup_recipient_id = fields.Many2one("res.partner", compute="_compute_followup_recipient_id")
    followup_overdue_invoice_ids = fields.Many2many(
        "account.move", compute="_compute_followup_overdue_invoice_ids"
    )
    followup_overdue_totals = fields.Char(
        "Total overdue", compute="_compute_followup_overdue_invoice_ids"
    )
    followup_tone = fields.Selection(TONES, compute="_compute_followup_tone")
    followup_severity = fields.Selection(SEVERITIES, compute="_compute_followup_tone")
    followup_subject = fields.Char(compute="_compute_followup_tone")
    followup_opt_out_url = fields.Char(compute="_compute_followup_opt_out_url")

    # payment record over the last 12 months, in the current company
    followup_promises_kept = fields.Integer("Promises kept", compute="_compute_followup_record")
    followup_promises_broken = fields.Integer("Promises broken", compute="_compute_followup_record")
    followup_kept_rate = fields.Float(
        "Promises kept (%)", compute="_compute_followup_record", aggregator=False
    )
    followup_plans_completed = fields.Integer("Plans completed", compute="_compute_followup_record")
    followup_plans_broken = fields.Integer("Plans broken", compute="_compute_followup_record")
    followup_avg_days_late = fields.Float(
        "Average days late",
        compute="_compute_followup_record",
        digits=(16, 1),
        aggregator=False,
        help="Over the invoices due in the last 12 months (paid on time counts as 0).",
    )
    followup_record = fields.Selection(
        [("good", "Good"), ("neutral", "Neutral"), ("poor", "Poor")],
        string="Payment record",
        compute="_compute_followup_record",
        help="Good: gentler wording, and a person confirms before the customer is moved up "
        "to a collector. Poor: a broken plan, mostly broken promises or a month late on average.",
    )
    followup_plan_ids = fields.One2many("payment.followup.plan", "partner_id")
    followup_plan_count = fields.Integer(compute="_compute_followup_plan_count")

    def _followup_opt_out_token(self):
        """Secret token of the opt-out link of this customer's reminders."""
        self.ensure_one()
        return hmac(self.env(su=True), "payment_followup_opt_out", self.commercial_partner_id.id)

    def _compute_followup_opt_out_url(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.followup_opt_out_url = "%s/payment_followup/opt_out/%s/%s" % (
                partner.get_base_url(),
                commercial.id,
                commercial._followup_opt_out_token(),
            )

    @api.depends("followup_event_ids")
    def _compute_followup_event_count(self):
        counts = dict(
            self.env["payment.followup.event"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.followup_event_count = counts.get(partner, 0)

    @api.depends_context("company")
    def _compute_followup_record(self):
        records = self.commercial_partner_id._followup_payment_records(self.env.company)
        for partner in self:
            record = records.get(partner.commercial_partner_id.id, PaymentRecord())
            partner.followup_promises_kept = record.promises_kept
            partner.followup_promises_broken = record.promises_broken
            partner.followup_kept_rate = (
                100.0 * record.kept_rate if record.kept_rate is not None else 0.0
            )
            partner.followup_plans_completed = record.plans_completed
            partner.followup_plans_broken = record.plans_broken
            partner.followup_avg_days_late = record.avg_days_late
            partner.followup_record = rate_record(record)

    def _followup_payment_records(self, company, months=12):
        """{commercial partner id: PaymentRecord} over the last ``months``: three
        queries for the whole set."""
        ids = [pid for pid in self.ids if pid]
        if not ids:
            return {}
        today = fields.Date.context_today(self)
        since = today - relativedelta(months=months)
        counts = defaultdict(lambda: defaultdict(int))
        for model, states in (
            ("payment.followup.promise", ("kept", "broken")),
            ("payment.followup.plan", ("completed", "broken")),
        ):
            groups = (
                self.env[model]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("partner_id", "in", ids),
                        ("state", "in", states),
                        ("date_done", ">=", since),
                    ],
                    ["partner_id", "state"],
                    ["__count"],
                )
            )
            for partner, state, count in groups:
                counts[partner.id][(model, state)] = count
        self.env["account.move"].flush_model(
            ["commercial_partner_id", "invoice_date_due", "payment_state", "state"]
        )
        self.env.cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       COUNT(*) FILTER (WHERE m.payment_state IN ('paid', 'in_payment')),
                       AVG(GREATEST(0, COALESCE(paid.last_date, %(today)s) - m.invoice_date_due))
                  FROM account_move m
             LEFT JOIN LATERAL (
                        SELECT MAX(apr.max_date) AS last_date
                          FROM account_move_line aml
                          JOIN account_partial_reconcile apr ON apr.debit_move_id = aml.id
                         WHERE aml.move_id = m.id
                       ) paid ON m.payment_state IN ('paid', 'in_payment')
                 WHERE m.company_id = %(company)s
                   AND m.move_type = 'out_invoice'
                   AND m.state = 'posted'
                   AND m.payment_state != 'reversed'
                   AND m.commercial_partner_id IN %(partners)s
                   AND m.invoice_date_due >= %(since)s
                   AND m.invoice_date_due <= %(today)s
              GROUP BY m.commercial_partner_id
                """,
                today=today,
                since=since,
                company=company.id,
                partners=tuple(ids),
            )
        )
        lateness = {pid: (count, float(avg or 0)) for pid, count, avg in self.env.cr.fetchall()}
        result = {}
        for pid in ids:
            found = counts.get(pid, {})
            invoices, avg = lateness.get(pid, (0, 0.0))
            result[pid] = PaymentRecord(
                promises_kept=found.get(("payment.followup.promise", "kept"), 0),
                promises_broken=found.get(("payment.followup.promise", "broken"), 0),
                plans_completed=found.get(("payment.followup.plan", "completed"), 0),
                plans_broken=found.get(("payment.followup.plan", "broken"), 0),
                avg_days_late=round(avg, 1),
                invoices=invoices,
            )
        return result

    @api.depends("followup_plan_ids")
    def _compute_followup_plan_count(self):
        counts = dict(
            self.env["payment.followup.plan"]._read_group(
                [("partner_id", "in", self.commercial_partner_id.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.followup_plan_count = counts.get(partner.commercial_partner_id, 0)

    @api.depends("followup_contact_id")
    def _compute_followup_recipient_id(self):
        for partner in self:
            commercial = partner.commercial_partner_id
            partner.followup_recipient_id = commercial.followup_contact_id or commercial

    def _followup_policy(self, company):
        """The policy that applies to this customer in ``company``."""
        self.ensure_one()
        policy = self.with_company(company).commercial_partner_id.followup_policy_id
        return policy or company.followup_policy_id

    @api.depends_context("company", "lang")
    def _compute_followup_overdue_invoice_ids(self):
        company = self.env.company
        invoices = self.env["account.move"]._followup_open_invoices(self, company)
        per_partner = invoices.grouped("commercial_partner_id")
        for partner in self:
            moves = per_partner.get(partner.commercial_partner_id, self.env["account.move"])
            partner.followup_overdue_invoice_ids = moves
            partner.followup_overdue_totals = self._followup_format_totals(moves, partner.lang)

    @api.model
    def _followup_format_totals(self, moves, lang):
        totals = defaultdict(float)
        for move in moves:
            totals[move.currency_id] += move.amount_residual
        env = self.with_context(lang=lang).env if lang else self.env
        return " + ".join(
            formatLang(env, amount, currency_obj=currency)
            for currency, amount in sorted(totals.items(), key=lambda item: item[0].name)
        )

    @api.depends_context("company", "lang")
    @api.depends("followup_style", "followup_formality", "followup_level_id")
    def _compute_followup_tone(self):
        subjects = {
            "courtesy": self.env._("Friendly note: invoices due soon"),
            "friendly": self.env._("Payment reminder"),
            "firm": self.env._("Overdue invoices: payment needed"),
            "final": self.env._("Final notice before legal review"),
        }
        for partner in self:
            commercial = partner.commercial_partner_id
            level = commercial.followup_level_id
            tone = choose_tone(
                commercial.followup_style,
                commercial.followup_formality,
                int(level.tier or 1),
                level.severity or "friendly",
                good_record=commercial.followup_record == GOOD,
            )
            partner.followup_tone = tone.key
            partner.followup_severity = tone.severity
            partner.followup_subject = subjects[tone.severity]

    def _followup_record_opt_out(self):
        """The customer opted out of email reminders through the reminder link."""
        self.ensure_one()
        self.followup_opt_out = True
        companies = (
            self.env["payment.followup.event"]
            .sudo()
            .search([("partner_id", "=", self.id)])
            .company_id
            or self.env.company
        )
        Event = self.env["payment.followup.event"].sudo()
        Event.create(
            [
                Event._prepare_event_vals(
                    self,
                    company,
                    False,
                    "none",
                    "done",
                    self.env["account.move"],
                    result=self.env._("Opted out of email reminders through the reminder link"),
                )
                for company in companies
            ]
        )

    def _followup_commercial(self):
        partners = self.commercial_partner_id
        if not partners:
            raise UserError(self.env._("Select at least one customer."))
        return partners

    def action_followup_send_now(self):
        """Server action "Send reminder now": remind now at the level reached."""
        partners = self._followup_commercial()
        result = self.env["payment.followup.run"]._run_for_partners(partners, force=True)
        return self._followup_notification(result)

    def action_followup_escalate(self):
        """Server action "Escalate to next tier"."""
        partners = self._followup_commercial()
        result = self.env["payment.followup.run"]._escalate(partners)
        return self._followup_notification(result)

    def action_followup_pause(self):
        """Server action "Pause follow-up until…": opens the pause wizard."""
        partners = self._followup_commercial()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pause follow-up"),
            "res_model": "payment.followup.pause",
            "view_mode": "form",
            "target": "new",
            "context": {"default_partner_ids": [fields.Command.set(partners.ids)]},
        }

    def action_followup_schedule_call(self):
        """Server action "Schedule follow-up call/meeting"."""
        self.ensure_one()
        return self.env["payment.followup.schedule"]._open_wizard(self.commercial_partner_id)

    def _followup_action_for_customer(self, xmlid, **changes):
        """The window action ``xmlid`` narrowed to this customer's records."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action.update(changes)
        return action

    def action_followup_history(self):
        return self._followup_action_for_customer(
            "payment_followup_plus.action_payment_followup_event"
        )

    def action_followup_plans(self):
        # the menu's default filters do not apply to one customer's plans
        return self._followup_action_for_customer(
            "payment_followup_plus.action_payment_followup_plan", context={}
        )

    def _followup_notification(self, result):
        message = self.env._(
            "%(done)s customer(s) reminded, %(skipped)s without anything to send.",
            done=result["done"],
            skipped=result["skipped"],
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Payment follow-up"),
                "message": message,
                "type": "success" if result["done"] else "warning",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
