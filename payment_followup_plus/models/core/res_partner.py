from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import hmac
from odoo.tools.misc import formatLang

from ...engine.record import PaymentRecord, rate_record

FOLLOWUP_CHANNELS = [
    ("email", "Email"),
    ("letter", "Printed letter"),
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
        FOLLOWUP_CHANNELS,
        string="Reminders by",
        default="email",
        help="Printed letter: the levels that send an email send a letter instead.",
    )
    followup_contact_id = fields.Many2one(
        "res.partner",
        string="Follow-up contact",
        index="btree_not_null",  # deleting a partner looks it up
        domain="[('commercial_partner_id', '=', commercial_partner_id), ('id', '!=', id)]",
        help="Receives the reminders; the customer itself when empty.",
    )
    followup_hour_from = fields.Float("Preferred from", default=9.5)
    followup_hour_to = fields.Float("Preferred to", default=11.5)
    followup_weekday_ids = fields.Many2many("payment.followup.weekday", string="Preferred weekdays")
    followup_opt_out = fields.Boolean(
        "Opted out of electronic reminders",
        help="No email reminders: a reminder that would be emailed is prepared as a letter to "
        "print instead (unless printed letters are refused too); calls and activities still "
        "happen.",
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
        compute="_compute_followup_level_id",
        help="The highest level delivered for the customer's open invoices.",
    )
    followup_event_ids = fields.One2many("payment.followup.event", "partner_id")
    followup_event_count = fields.Integer(compute="_compute_followup_event_count")

    followup_recipient_id = fields.Many2one("res.partner", compute="_compute_followup_recipient_id")
    followup_lang = fields.Char(
        "Follow-up language",
        compute="_compute_followup_lang",
        help="The language the customer reads reminders in: the follow-up contact's, else "
        "the customer's.",
    )
    followup_opt_out_url = fields.Char(compute="_compute_followup_opt_out_url")

    # payment record over the last 12 months, in the current company
    followup_promises_kept = fields.Integer("Promises kept", compute="_compute_followup_record")
    followup_promises_broken = fields.Integer("Promises broken", compute="_compute_followup_record")
    followup_kept_rate = fields.Float(
        "Promises kept (%)",
        compute="_compute_followup_record",
        aggregator=False,
        help="Empty when no promise was settled in the period.",
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
                100.0 * record.kept_rate if record.kept_rate is not None else False
            )
            partner.followup_plans_completed = record.plans_completed
            partner.followup_plans_broken = record.plans_broken
            partner.followup_avg_days_late = record.avg_days_late
            partner.followup_record = rate_record(record)

    def _followup_payment_records(self, company):
        """{commercial partner id: PaymentRecord} over the last 12 months, from
        the payment record report (one query for the whole set)."""
        ids = [pid for pid in self.ids if pid]
        if not ids:
            return {}
        rows = (
            self.env["payment.followup.record"]
            .sudo()
            .search_read(
                [("partner_id", "in", ids), ("company_id", "=", company.id)],
                [
                    "partner_id",
                    "promises_kept",
                    "promises_broken",
                    "plans_completed",
                    "plans_broken",
                    "invoices_paid",
                    "invoices_due",
                    "avg_days_late",
                ],
                load=None,
            )
        )
        result = dict.fromkeys(ids, PaymentRecord())
        for row in rows:
            result[row["partner_id"]] = PaymentRecord(
                promises_kept=row["promises_kept"],
                promises_broken=row["promises_broken"],
                plans_completed=row["plans_completed"],
                plans_broken=row["plans_broken"],
                avg_days_late=row["avg_days_late"] or 0.0,
                invoices=row["invoices_paid"],
                due_invoices=row["invoices_due"],
            )
        return result

    def _followup_lang(self, default=False):
        """The language the customer reads: its follow-up contact's, else the
        company's own, else ``default`` (one rule: the mail templates read it
        through ``followup_lang``)."""
        self.ensure_one()
        commercial = self.commercial_partner_id
        return commercial.followup_recipient_id.lang or commercial.lang or default

    @api.depends(
        "lang",
        "commercial_partner_id.lang",
        "commercial_partner_id.followup_contact_id.lang",
    )
    def _compute_followup_lang(self):
        for partner in self:
            partner.followup_lang = partner._followup_lang()

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

    @api.depends_context("company")
    def _compute_followup_level_id(self):
        groups = dict(
            self.env["account.move"]
            .sudo()
            ._read_group(
                self.env["account.move"]._followup_open_domain(self.env.company)
                + [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("followup_level_id", "!=", False),
                ],
                ["commercial_partner_id"],
                ["followup_level_id:array_agg"],
            )
        )
        Level = self.env["payment.followup.level"]
        for partner in self:
            levels = Level.browse(groups.get(partner.commercial_partner_id, []))
            partner.followup_level_id = levels.sorted("days")[-1:]

    @api.model
    def _followup_format_totals(self, moves, lang, demanded=False):
        """Open amounts per currency, in ``lang`` ("$1,200.00 + €300.00"). ``moves``:
        invoices or reminder lines (anything with currency and open amount);
        ``demanded``: of invoices, only what no dispute case has under review."""
        totals = defaultdict(float)
        for move in moves:
            totals[move.currency_id] += (
                move._followup_undisputed() if demanded else move.amount_residual
            )
        return self._followup_format_amounts(totals, lang)

    @api.model
    def _followup_format_amounts(self, totals, lang):
        """{currency: amount} as "$1,200.00 + €300.00" in ``lang``, rounded
        half-up like the reports' amounts (``currency.round``) and the engine
        (``engine/money.py``); ``formatLang`` alone rounds half-even."""
        env = self.with_context(lang=lang).env if lang else self.env
        return " + ".join(
            currency._followup_unambiguous(
                formatLang(env, amount, currency_obj=currency, rounding_method="HALF-UP")
            )
            for currency, amount in sorted(totals.items(), key=lambda item: item[0].name)
        )

    def _followup_record_opt_out(self):
        """The customer opted out of email reminders through the reminder link."""
        self.ensure_one()
        self.followup_opt_out = True
        Event = self.env["payment.followup.event"].sudo()
        # the companies that followed this customer up (one grouped query),
        # each told in its own language
        companies = (
            self.env["res.company"].union(
                *(
                    company
                    for (company,) in Event._read_group(
                        [("partner_id", "=", self.id)], ["company_id"]
                    )
                )
            )
            or self.env.company
        )
        Team = self.env["payment.followup.team"]
        Event.create(
            [
                Event._prepare_event_vals(
                    self,
                    company,
                    False,
                    "none",
                    "done",
                    self.env["account.move"],
                    result=self.with_context(lang=Team._staff_lang(company)).env._(
                        "Opted out of email reminders through the reminder link"
                    ),
                )
                for company in companies
            ]
        )

    def _followup_commercial(self):
        self.env["payment.followup.team"]._check_user()
        partners = self.commercial_partner_id
        if not partners:
            raise UserError(self.env._("Select at least one customer."))
        return partners

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
        self.env["payment.followup.team"]._check_user()
        return self.env["payment.followup.schedule"]._open_wizard(self.commercial_partner_id)

    def _followup_action_for_customer(self, xmlid, **changes):
        """The window action ``xmlid`` narrowed to this customer's records."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action.update(changes)
        return action

    def action_followup_history(self):
        self.env["payment.followup.team"]._check_user()
        return self._followup_action_for_customer(
            "payment_followup_plus.action_payment_followup_event"
        )
