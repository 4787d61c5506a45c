from odoo import api, fields, models
from odoo.tools import SQL

from odoo.addons.payment_followup_plus.engine.credit_hold import (
    HOLD,
    NONE,
    HoldFacts,
    hold_state,
    released,
)
from odoo.addons.payment_followup_plus.engine.money import to_minor

EFFECT_RANK = SQL("CASE l.sales_effect WHEN 'hold' THEN 2 WHEN 'warning' THEN 1 ELSE 0 END")
RANK_EFFECT = {0: NONE, 1: "warning", 2: HOLD}


class PaymentFollowupSalesHold(models.Model):
    """The holds computed set-wise: a few queries for a whole company (or a
    set of customers), whatever its size; then only the rows that changed are
    written."""

    _inherit = "payment.followup.sales.hold"

    @api.model
    def _cron_refresh(self):
        for company in self.env["res.company"].search([]):
            self.with_company(company)._refresh(company)
            self.env["payment.followup.batch"]._end_of_batch(1, 0)

    @api.model
    def _refresh_partners(self, partners, companies):
        """After a payment, a plan agreed, a promise or plan broken, a case
        closed: the holds of these customers in the companies concerned."""
        partners = partners.commercial_partner_id
        if not partners:
            return
        for company in companies.sudo():
            self.sudo().with_company(company)._refresh(company, partners)

    @api.model
    def _refresh(self, company, partners=None):
        """Store the hold of each customer of ``company`` (``partners``: only
        those); tell the salespeople whose quotations waited when a hold
        lifts. Returns the customers released."""
        self = self.sudo()
        facts, levels = self._facts(company, partners)
        Partner = self.env["res.partner"].sudo()
        customers = Partner.browse(list(facts))
        existing = self.search(
            [("company_id", "=", company.id)]
            + ([("partner_id", "in", partners.ids)] if partners is not None else [])
        )
        customers |= existing.partner_id
        # the company-dependent policy read once for the whole set (an
        # environment per customer would read it customer by customer)
        policies = {
            p.id: p.followup_policy_id or company.followup_policy_id
            for p in customers.with_company(company)
        }
        before = {hold.partner_id.id: hold for hold in existing}
        create, gone, lifted = [], self.browse(), Partner
        decimals = company.currency_id.decimal_places
        for partner in customers:
            policy = policies[partner.id]
            fact = facts.get(partner.id, HoldFacts())
            state, reasons = hold_state(fact, policy._hold_rules()) if policy else (NONE, ())
            hold = before.get(partner.id, self.browse())
            if released(hold.state or NONE, state):
                lifted |= partner
            if state == NONE:
                gone |= hold
                continue
            vals = {
                "state": state,
                "reasons": ",".join(reasons),
                "level_id": levels.get(partner.id) or False if "level" in reasons else False,
                "overdue": fact.overdue / 10**decimals,
                "all_companies": policy.sales_hold_all_companies,
            }
            if not hold:
                create.append(dict(vals, partner_id=partner.id, company_id=company.id))
                continue
            current = {
                "state": hold.state,
                "reasons": hold.reasons,
                "level_id": hold.level_id.id,
                "overdue": hold.overdue,
                "all_companies": hold.all_companies,
            }
            changed = {k: v for k, v in vals.items() if current[k] != v}
            if "state" in changed:
                changed["since"] = fields.Date.context_today(self)
            if changed:
                hold.write(changed)
        gone.unlink()
        self.create(create)
        if lifted:
            self._tell_released(company, lifted)
        return lifted

    @api.model
    def _facts(self, company, partners=None):
        """({customer id: HoldFacts}, {customer id: the highest level with a
        sales effect reached}) for ``company``."""
        Move = self.env["account.move"]
        self.env.flush_all()
        decimals = company.currency_id.decimal_places
        only = SQL("AND m.commercial_partner_id = ANY(%s)", partners.ids) if partners else SQL()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.commercial_partner_id,
                       SUM(%(due)s),
                       MAX(%(rank)s),
                       (ARRAY_AGG(l.id ORDER BY %(rank)s DESC, l.days DESC)
                            FILTER (WHERE l.sales_effect IN ('hold', 'warning')))[1]
                  FROM account_move m
                  JOIN res_company c ON c.id = m.company_id
                  JOIN res_partner cp ON cp.id = c.partner_id
                  JOIN res_partner p ON p.id = m.commercial_partner_id
             LEFT JOIN payment_followup_level l ON l.id = m.followup_level_id
                 WHERE m.company_id = %(company)s
                   AND %(overdue)s
                   AND NOT %(arranged)s
                   AND (m.followup_hold_until IS NULL OR m.followup_hold_until < %(today)s)
                   %(only)s
              GROUP BY m.commercial_partner_id
                """,
                due=Move._followup_undisputed_sql("m", signed=True),
                rank=EFFECT_RANK,
                company=company.id,
                overdue=Move._followup_overdue_sql("m", "p", "cp"),
                arranged=Move._followup_arranged_sql("m"),
                today=Move._followup_local_today_sql("p", "cp"),
                only=only,
            )
        )
        overdue, levels = {}, {}
        for partner_id, amount, rank, level_id in self.env.cr.fetchall():
            overdue[partner_id] = (to_minor(amount or 0, decimals), RANK_EFFECT[rank or 0])
            levels[partner_id] = level_id
        broken_promise = self._broken("payment.followup.promise", company, partners)
        broken_plan = self._broken("payment.followup.plan", company, partners)
        legal = set(
            self.env["payment.followup.legal.case"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", ("review", "letter", "handed_over")),
                    *([("partner_id", "in", partners.ids)] if partners else []),
                ],
                ["partner_id"],
            )
        )
        legal = {partner.commercial_partner_id.id for (partner,) in legal}
        over_limit = self._over_credit_limit(company, partners)
        tolerance = to_minor(company.followup_tolerance or 0, decimals)
        ids = set(overdue) | broken_promise | broken_plan | legal | over_limit
        facts = {
            pid: HoldFacts(
                overdue=overdue.get(pid, (0, NONE))[0],
                tolerance=tolerance,
                level_effect=overdue.get(pid, (0, NONE))[1],
                broken_promise=pid in broken_promise,
                broken_plan=pid in broken_plan,
                legal_case=pid in legal,
                over_credit_limit=pid in over_limit,
            )
            for pid in ids
        }
        return facts, levels

    @api.model
    def _broken(self, model, company, partners):
        """Customers with a broken promise or plan whose invoices are still
        open (one query)."""
        rows = (
            self.env[model]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "broken"),
                    ("invoice_ids.payment_state", "in", ("not_paid", "partial")),
                    *([("partner_id", "in", partners.ids)] if partners else []),
                ],
                ["partner_id"],
            )
        )
        return {partner.commercial_partner_id.id for (partner,) in rows}

    @api.model
    def _over_credit_limit(self, company, partners):
        """Customers over Odoo's credit limit, when the company uses it (their
        balance, read set-wise as Odoo's own warning reads it)."""
        if not company.account_use_credit_limit:
            return set()
        Partner = self.env["res.partner"].sudo().with_company(company)
        if partners is None:
            rows = (
                self.env["account.move.line"]
                .sudo()
                ._read_group(
                    [
                        ("company_id", "=", company.id),
                        ("account_id.account_type", "=", "asset_receivable"),
                        ("parent_state", "=", "posted"),
                        ("reconciled", "=", False),
                    ],
                    ["partner_id"],
                )
            )
            partners = Partner.browse([p.id for (p,) in rows]).commercial_partner_id
        result = set()
        for partner in Partner.browse(partners.ids):
            limit = (
                partner.credit_limit
                if partner.use_partner_credit_limit
                else company.account_default_credit_limit
            )
            if limit and partner.credit > limit:
                result.add(partner.id)
        return result

    @api.model
    def _tell_released(self, company, partners):
        """The hold lifted: the salespeople of the quotations that waited get
        a to-do, and the customer's chatter says so."""
        quotes = (
            self.env["sale.order"]
            .sudo()
            .search(
                [
                    ("partner_id", "child_of", partners.ids),
                    ("company_id", "=", company.id),
                    ("state", "in", ("draft", "sent")),
                ]
            )
        )
        today = fields.Date.context_today(self)
        todo = self.env.ref("mail.mail_activity_data_todo")
        for order in quotes.filtered("user_id"):
            order.activity_schedule(
                activity_type_id=todo.id,
                summary=self.env._(
                    "Credit hold lifted for %(customer)s: %(order)s can be confirmed",
                    customer=order.partner_id.commercial_partner_id.display_name,
                    order=order.name,
                ),
                user_id=order.user_id.id,
                date_deadline=today,
            )
        for partner in partners:
            partner.message_post(
                body=self.env._(
                    "Credit hold lifted in %(company)s: new orders can be confirmed.",
                    company=company.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
