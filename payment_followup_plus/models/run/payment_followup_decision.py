from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from odoo import api, models
from odoo.tools import SQL

from ...engine.dunning import decide, selection_horizon
from ...engine.money import to_minor
from ...engine.types import Decision, InvoiceFacts, Mode, PartnerFacts
from ...engine.zones import local_date


class ContactFacts(NamedTuple):
    """What the decision needs to know of a customer's contacts, read in one
    query for a batch (``_contact_facts``)."""

    last_delivered: date | None  # the last reminder delivered
    response_days: int  # the days that reminder gave to respond
    tz: str | None
    hardship: bool
    paused_until: date | None
    policy_id: int | None  # the customer's own policy in the company
    pending: bool  # a reminder still waits for review or printing
    tried: list  # [[level id, block key]] rejected or blocked since the last delivery
    replied_until: date | None  # paused after a reply until


@dataclass
class Batch:
    """A batch of customers, claimed and decided: what the channels act on."""

    company: models.BaseModel
    partners: models.BaseModel  # the customers claimed (commercial partners)
    decisions: list[Decision] = field(default_factory=list)
    # invoice id -> what was read of it (name, amounts, currency...)
    invoices: dict = field(default_factory=dict)
    # customer id -> the customer's day
    today: dict = field(default_factory=dict)
    # customer id -> highest tier already delivered to it
    tiers: dict = field(default_factory=dict)
    # invoice id -> the evidence of its payment on its way (engine.evidence)
    evidence: dict = field(default_factory=dict)
    # statement lines that fit several invoices: a person decides
    ambiguities: list = field(default_factory=list)
    # the company's newest bank statement line, when the statements are too old
    statements_stale: bool = False
    statements_newest: date | None = None


class PaymentFollowupDecision(models.AbstractModel):
    """Select, claim and decide: the customers with invoices that may need a
    reminder, their invoices locked (``FOR UPDATE SKIP LOCKED``) and read
    set-wise, and the engine's decision for each. No query per customer."""

    _name = "payment.followup.decision"
    _description = "Payment follow-up: select, claim and decide"

    @api.model
    def _ladders(self, company, policy_ids):
        """{customer id: ladder} (engine levels) from {customer id: own policy id
        or None}, one ladder per policy."""
        Policy = self.env["payment.followup.policy"]
        per_policy = {}
        result = {}
        for partner_id, policy_id in policy_ids.items():
            policy = Policy.browse(policy_id) if policy_id else company.followup_policy_id
            if policy not in per_policy:
                per_policy[policy] = policy._engine_levels() if policy else []
            result[partner_id] = per_policy[policy]
        return result

    @api.model
    def _horizon(self, company, now):
        """The latest due date any customer's invoice may have to be listed
        (with a day's margin for time zones ahead of UTC); read once per day and
        cursor (a run's batches share it)."""
        key = ("payment_followup_horizon", company.id, now.date())
        if key not in self.env.cr.cache:
            policies = self.env["payment.followup.policy"].search([("company_id", "=", company.id)])
            levels = [level._to_engine() for level in policies.level_ids]
            self.env.cr.cache[key] = selection_horizon(levels, now.date() + timedelta(days=1))
        return self.env.cr.cache[key]

    @api.model
    def _select_partner_ids(self, company, now):
        """Ids of customers with open invoices that may be listed today."""
        horizon = self._horizon(company, now)
        if horizon is None:
            return []
        Move = self.env["account.move"]
        Move.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT m.commercial_partner_id
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND %(open)s
                   AND %(undisputed)s > 0
                   AND m.invoice_date_due <= %(horizon)s
                   AND NOT %(arranged)s
                   AND m.commercial_partner_id IS NOT NULL
              ORDER BY m.commercial_partner_id
                """,
                company=company.id,
                open=Move._followup_open_sql("m"),
                undisputed=Move._followup_undisputed_sql("m"),
                arranged=Move._followup_arranged_sql("m"),
                horizon=horizon,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _claim(self, company, partners, now, lock=True):
        """Lock the open invoices of ``partners``; return the customers whose
        invoices were all claimed (another run keeps the others) and {invoice
        id: row} of their invoices. Without ``lock`` (a preview), nothing is
        locked and every customer with open invoices is returned."""
        horizon = self._horizon(company, now)
        if horizon is None or not partners:
            return partners.browse(), {}
        Move = self.env["account.move"]
        Move.flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT m.id, m.commercial_partner_id, m.name, m.payment_reference,
                       m.invoice_date_due,
                       -- what is demanded: the open amount no dispute case covers
                       %(due_signed)s AS amount_residual_signed,
                       %(due)s AS amount_residual,
                       m.amount_residual AS amount_open,
                       COALESCE(m.followup_disputed, 0) AS amount_disputed,
                       m.followup_dispute_ref,
                       m.currency_id, m.partner_bank_id, m.followup_level_id,
                       m.followup_last_date, m.followup_hold_until, m.followup_remind
                  FROM account_move m
                 WHERE m.company_id = %(company)s
                   AND m.commercial_partner_id IN %(partners)s
                   AND %(open)s
                   AND %(due)s > 0
                   AND m.invoice_date_due <= %(horizon)s
                   AND NOT %(arranged)s
              ORDER BY m.invoice_date_due, m.id
                """,
                company=company.id,
                partners=tuple(partners.ids),
                open=Move._followup_open_sql("m"),
                due=Move._followup_undisputed_sql("m"),
                due_signed=Move._followup_undisputed_sql("m", signed=True),
                arranged=Move._followup_arranged_sql("m"),
                horizon=horizon,
            )
        )
        rows = {row["id"]: row for row in self.env.cr.dictfetchall()}
        if not rows:
            return partners.browse(), {}
        if not lock:
            claimed = {row["commercial_partner_id"] for row in rows.values()}
            return partners.browse(sorted(claimed)), rows
        self.env.cr.execute(
            SQL("SELECT id FROM account_move WHERE id IN %s FOR UPDATE SKIP LOCKED", tuple(rows))
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        busy = {row["commercial_partner_id"] for row in rows.values() if row["id"] not in locked}
        claimed = sorted({row["commercial_partner_id"] for row in rows.values()} - busy)
        # what is read next must be what is in the database now
        Move.invalidate_model()
        return (
            partners.browse(claimed),
            {mid: row for mid, row in rows.items() if row["commercial_partner_id"] not in busy},
        )

    @api.model
    def _contact_facts(self, company, partners):
        """{customer id: its ``ContactFacts``} in one query."""
        self.env["payment.followup.reminder"].flush_model()
        self.env["res.partner"].flush_model(
            [
                "tz",
                "followup_hardship",
                "followup_paused_until",
                "followup_policy_id",
                "followup_reply_pause_until",
            ]
        )
        self.env.cr.execute(
            SQL(
                """
                WITH last AS (
                    SELECT DISTINCT ON (r.partner_id) r.partner_id, r.delivered_date,
                           r.response_days
                      FROM payment_followup_reminder r
                     WHERE r.company_id = %(company)s AND r.partner_id IN %(partners)s
                       AND r.state = 'delivered'
                  ORDER BY r.partner_id, r.delivered_date DESC, r.id DESC
                )
                SELECT p.id, last.delivered_date, COALESCE(last.response_days, 0),
                       p.tz, COALESCE(p.followup_hardship, FALSE), p.followup_paused_until,
                       (p.followup_policy_id ->> %(company_key)s)::int,
                       EXISTS (
                           SELECT 1 FROM payment_followup_reminder q
                            WHERE q.partner_id = p.id AND q.company_id = %(company)s
                              AND q.state IN ('to_review', 'pending')
                       ),
                       ARRAY(
                           SELECT ARRAY[q.level_id::varchar, COALESCE(q.block_key, '')]
                             FROM payment_followup_reminder q
                            WHERE q.partner_id = p.id AND q.company_id = %(company)s
                              AND q.level_id IS NOT NULL
                              AND q.state IN ('rejected', 'blocked')
                              AND (last.delivered_date IS NULL OR q.date >= last.delivered_date)
                       ),
                       p.followup_reply_pause_until
                  FROM res_partner p
             LEFT JOIN last ON last.partner_id = p.id
                 WHERE p.id IN %(partners)s
                """,
                company=company.id,
                company_key=str(company.id),
                partners=tuple(partners.ids),
            )
        )
        return {row[0]: ContactFacts(*row[1:]) for row in self.env.cr.fetchall()}

    @api.model
    def _open_credits(self, company, partners):
        """{customer id: credits in its favour not applied yet (credit notes,
        payments left on its receivable), in the company's currency} in one
        query."""
        rows = self._open_credit_rows(
            company, SQL("p.commercial_partner_id IN %s", tuple(partners.ids))
        )
        credits = {}
        for partner_id, __, amount in rows:
            credits[partner_id] = credits.get(partner_id, 0) + amount
        return credits

    @api.model
    def _open_credit_rows(self, company, where):
        """[(customer id, currency id, credits in the company's currency)] of
        the credits in the customers' favour not applied yet (credit notes,
        payments left on the receivable), per customer and currency, for the
        customers ``where`` keeps (an SQL condition on ``p``, the line's
        partner, and ``l``, the line)."""
        self.env["account.move.line"].flush_model(
            ["amount_residual", "reconciled", "parent_state", "partner_id", "account_id"]
        )
        return self.env.execute_query(
            SQL(
                """
                SELECT p.commercial_partner_id, l.currency_id, -SUM(l.amount_residual)
                  FROM account_move_line l
                  JOIN res_partner p ON p.id = l.partner_id
                  JOIN account_account a ON a.id = l.account_id
                 WHERE l.company_id = %(company)s
                   AND %(where)s
                   AND l.parent_state = 'posted'
                   AND a.account_type = 'asset_receivable'
                   AND NOT l.reconciled
                   AND l.amount_residual < 0
              GROUP BY p.commercial_partner_id, l.currency_id
                """,
                company=company.id,
                where=where,
            )
        )

    @api.model
    def _decide(self, company, partners, now, mode=Mode.RUN, override=False, lock=True):
        """Claim the customers' invoices and let the engine decide for each
        (``lock=False``: a preview, which claims nothing)."""
        partners, rows = self._claim(company, partners.with_company(company), now, lock=lock)
        batch = Batch(company=company, partners=partners, invoices=rows)
        if not partners:
            return batch
        guardrails = self.env["payment.followup.guardrails"]
        contact = self._contact_facts(company, partners)
        credits = self._open_credits(company, partners) if mode == Mode.RUN else {}
        ladders = self._ladders(company, {pid: facts.policy_id for pid, facts in contact.items()})
        levels = {lvl.id: lvl for ladder in ladders.values() for lvl in ladder}
        per_partner = defaultdict(list)
        for row in rows.values():
            per_partner[row["commercial_partner_id"]].append(row)
        decimals = company.currency_id.decimal_places
        tolerance = to_minor(company.followup_tolerance, decimals)
        # today's truth before any demand: money on its way, fresh statements
        company_today = local_date(now, guardrails._tz_of(None, company))
        batch.evidence, batch.ambiguities = self.env["account.move"]._followup_evidence_of_rows(
            company, list(rows.values()), company_today
        )
        if mode == Mode.RUN:
            batch.statements_stale, batch.statements_newest = company._followup_statements_age(
                company_today
            )
        for partner in partners:
            facts = contact[partner.id]
            tried = facts.tried
            today = local_date(now, guardrails._tz_of(facts.tz, company))
            batch.today[partner.id] = today
            # rejected by a person, or blocked while nothing changed for the customer
            key = guardrails._block_key(partner) if any(block for _l, block in tried) else None
            refused = {int(level) for level, block in tried if not block or block == key}
            invoices = [
                InvoiceFacts(
                    id=row["id"],
                    due_date=row["invoice_date_due"],
                    residual=to_minor(row["amount_residual_signed"], decimals),
                    level_id=row["followup_level_id"],
                    last_reminded=row["followup_last_date"],
                    hold_until=row["followup_hold_until"],
                    remind=row["followup_remind"],
                    on_its_way=row["id"] in batch.evidence,
                )
                for row in per_partner[partner.id]
            ]
            batch.tiers[partner.id] = max(
                (levels[inv.level_id].tier for inv in invoices if inv.level_id in levels),
                default=0,
            )
            batch.decisions.append(
                decide(
                    PartnerFacts(
                        id=partner.id,
                        today=today,
                        hardship=facts.hardship,
                        paused_until=facts.paused_until or None,
                        last_contact=facts.last_delivered,
                        response_days=facts.response_days,
                        pending=facts.pending,
                        refused=frozenset(refused),
                        credit=to_minor(credits.get(partner.id, 0), decimals),
                        replied_until=facts.replied_until or None,
                        statements_stale=batch.statements_stale,
                    ),
                    invoices,
                    ladders[partner.id],
                    min_gap_days=company.followup_min_gap_days,
                    tolerance=tolerance,
                    start_at_age=company.followup_start_at_age,
                    mode=mode,
                    override=override,
                )
            )
        return batch
