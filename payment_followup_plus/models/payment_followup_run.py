import logging
import threading
from collections import defaultdict
from datetime import UTC, time, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, split_every

from ..engine.dunning import decide, escalation_target, selection_horizon
from ..engine.guardrails import call_attempt_allowed, next_allowed_moment
from ..engine.record import review_before_escalation
from ..engine.slots import SlotError, WorkPeriod, find_slots, zone
from ..engine.types import InvoiceFacts, PartnerFacts, SkipReason

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200
CONTACT_CHANNELS = ("email", "letter", "call")
HELD = (SkipReason.HARDSHIP, SkipReason.PAUSED, SkipReason.MIN_GAP)
REMINDER_FIELDS = ["followup_overdue_invoice_ids", "followup_overdue_totals", "followup_level_id"]


class PaymentFollowupRun(models.AbstractModel):
    """The daily follow-up run: selects, claims, decides (engine) and acts."""

    _name = "payment.followup.run"
    _description = "Payment follow-up run"

    # ------------------------------------------------------------------
    # entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_followup(self, batch_size=BATCH_SIZE):
        """Daily cron: every company, batch by batch, committing each batch."""
        companies = self.env["res.company"].search([("followup_policy_id", "!=", False)])
        done = 0
        for company in companies:
            done += self.with_company(company)._run_company(
                company, batch_size=batch_size, commit=True, done_before=done
            )
        return done

    @api.model
    def _run_company(
        self,
        company,
        *,
        batch_size=BATCH_SIZE,
        commit=False,
        max_batches=None,
        done_before=0,
        today=None,
    ):
        """Run the follow-up of one company. Returns the number of customers handled."""
        today = today or fields.Date.context_today(self)
        partner_ids = self._select_partner_ids(company, today)
        batches = list(split_every(batch_size, partner_ids))
        done = 0
        for index, batch in enumerate(batches):
            if max_batches is not None and index >= max_batches:
                break
            result = self._process_batch(company, self.env["res.partner"].browse(batch), today)
            done += result["done"] + result["skipped"]
            self.env["ir.cron"]._notify_progress(
                done=done_before + done, remaining=len(partner_ids) - done
            )
            # what the batch loaded is not needed any more: keep memory flat
            self.env.invalidate_all()
            if commit and not getattr(threading.current_thread(), "testing", False):
                # Each batch is durable on its own: levels, events, activities and
                # queued mails of the batch land together, so a crash or a time-out
                # later never makes a rerun send this batch again.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _run_for_partners(self, partners, force=False, today=None):
        """Run now for given customers (server actions), in the current company."""
        company = self.env.company
        today = today or fields.Date.context_today(self)
        totals = {"done": 0, "skipped": 0}
        for batch in split_every(BATCH_SIZE, partners.commercial_partner_id.ids):
            result = self._process_batch(
                company, self.env["res.partner"].browse(batch), today, force=force
            )
            totals["done"] += result["done"]
            totals["skipped"] += result["skipped"]
        return totals

    def action_run_now(self):
        """Button "Run follow-up now" for the current company."""
        result = self._run_for_partners(
            self.env["res.partner"].browse(
                self._select_partner_ids(self.env.company, fields.Date.context_today(self))
            )
        )
        return self.env["res.partner"]._followup_notification(result)

    @api.model
    def _cron_in_batches(self, model, state, batch_size, process, commit=True):
        """Daily watches of plans and promises: the ids of ``model`` records in
        ``state``, claimed batch by batch with FOR UPDATE SKIP LOCKED (a record
        another worker holds is left to it), ``process(records)`` per company,
        and a commit per batch so what a batch sent and the marks that say so
        land together. Returns the number of records handled."""
        Model = self.env[model]
        Model.flush_model()
        table = SQL.identifier(Model._table)
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE state = %s ORDER BY id", table, state))
        ids = [row[0] for row in self.env.cr.fetchall()]
        done = 0
        for batch in split_every(batch_size, ids):
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s AND state = %s FOR UPDATE SKIP LOCKED",
                    table,
                    tuple(batch),
                    state,
                )
            )
            claimed = Model.browse(sorted(row[0] for row in self.env.cr.fetchall()))
            claimed.invalidate_recordset()
            for company, records in claimed.grouped("company_id").items():
                process(records.with_company(company))
            done += len(claimed)
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(ids) - done)
            self.env.invalidate_all()
            if commit and not getattr(threading.current_thread(), "testing", False):
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return done

    @api.model
    def _todo_activities(self, records, summary, user, deadline):
        """One to-do activity per record for a person; ``summary`` and ``user``
        are functions of the record."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(records._name)
        return (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": record.id,
                        "activity_type_id": todo.id,
                        "summary": summary(record),
                        "user_id": user(record).id,
                        "date_deadline": deadline,
                    }
                    for record in records
                ]
            )
        )

    # ------------------------------------------------------------------
    # selection and claiming
    # ------------------------------------------------------------------
    @api.model
    def _company_horizon(self, company, today):
        policies = self.env["payment.followup.policy"].search([("company_id", "=", company.id)])
        return selection_horizon([lvl._to_engine() for lvl in policies.level_ids], today)

    @api.model
    def _select_partner_ids(self, company, today):
        """Ids of customers with open invoices that may reach a level today."""
        horizon = self._company_horizon(company, today)
        if horizon is None:
            return []
        self.env["account.move"].flush_model()
        self.env.cr.execute(
            SQL(
                """
                SELECT DISTINCT commercial_partner_id
                  FROM account_move
                 WHERE company_id = %(company)s
                   AND move_type = 'out_invoice'
                   AND state = 'posted'
                   AND payment_state IN ('not_paid', 'partial')
                   AND invoice_date_due <= %(horizon)s
                   AND followup_plan_id IS NULL
                   AND commercial_partner_id IS NOT NULL
              ORDER BY commercial_partner_id
                """,
                company=company.id,
                horizon=horizon,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _claim(self, company, partners, today):
        """Lock the open invoices of ``partners`` (FOR UPDATE SKIP LOCKED).

        A customer some of whose invoices another run holds is left to that run:
        only customers whose invoices were all claimed are returned.
        """
        horizon = self._company_horizon(company, today)
        if horizon is None or not partners:
            return partners.browse()
        self.env["account.move"].flush_model()
        query = SQL(
            """
            SELECT id, commercial_partner_id
              FROM account_move
             WHERE company_id = %(company)s
               AND commercial_partner_id IN %(partners)s
               AND move_type = 'out_invoice'
               AND state = 'posted'
               AND payment_state IN ('not_paid', 'partial')
               AND invoice_date_due <= %(horizon)s
               AND followup_plan_id IS NULL
            """,
            company=company.id,
            partners=tuple(partners.ids),
            horizon=horizon,
        )
        self.env.cr.execute(query)
        wanted = defaultdict(set)
        for move_id, partner_id in self.env.cr.fetchall():
            wanted[partner_id].add(move_id)
        if not wanted:
            return partners.browse()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM account_move WHERE id IN %s FOR UPDATE SKIP LOCKED",
                tuple(i for ids in wanted.values() for i in ids),
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        claimed = [pid for pid, ids in wanted.items() if ids <= locked]
        # what we read next must be what is in the database now
        self.env["account.move"].invalidate_model()
        return partners.browse(sorted(claimed))

    # ------------------------------------------------------------------
    # one batch
    # ------------------------------------------------------------------
    @api.model
    def _process_batch(self, company, partners, today, force=False):
        """Claim, decide and act for one batch of customers."""
        decisions = self.with_company(company)._decide_batch(company, partners, today, force=force)
        return self.with_company(company)._apply_decisions(company, decisions, today)

    @api.model
    def _decide_batch(self, company, partners, today, force=False):
        """Claim the customers' invoices and let the engine decide for each customer."""
        partners, per_partner = self._claim_open_invoices(company, partners, today)
        last_contacts = self._last_contact_dates(company, partners)
        ladders = {}
        decisions = []
        for partner in partners:
            ladder = self._ladder(partner, company, ladders)
            moves = per_partner.get(partner, self.env["account.move"])
            decisions.append(
                decide(
                    PartnerFacts(
                        id=partner.id,
                        hardship=partner.followup_hardship,
                        paused_until=partner.followup_paused_until or None,
                        last_contact=last_contacts.get(partner.id),
                    ),
                    [
                        InvoiceFacts(
                            id=move.id,
                            due_date=move.invoice_date_due,
                            residual=move.amount_residual_signed,
                            level_days=move.followup_level_id.days
                            if move.followup_level_id
                            else None,
                            hold_until=move.followup_hold_until or None,
                            remind=move.followup_remind,
                        )
                        for move in moves
                    ],
                    ladder,
                    today,
                    min_gap_days=company.followup_min_gap_days,
                    tolerance=company.followup_tolerance,
                    force=force,
                )
            )
        return decisions

    @api.model
    def _claim_open_invoices(self, company, partners, today):
        """Claim the customers' invoices; return the claimed customers and their
        open invoices, grouped by customer (one search per policy)."""
        partners = self._claim(company, partners.with_company(company), today)
        invoices = self.env["account.move"]._followup_open_invoices(partners, company, today)
        return partners, invoices.grouped("commercial_partner_id")

    @api.model
    def _ladder(self, partner, company, cache):
        """The engine's ladder of the customer's policy, computed once per policy."""
        policy = partner._followup_policy(company)
        if policy not in cache:
            cache[policy] = [lvl._to_engine() for lvl in policy.level_ids]
        return cache[policy]

    @api.model
    def _last_contact_dates(self, company, partners):
        if not partners:
            return {}
        groups = (
            self.env["payment.followup.event"]
            .sudo()
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partners.ids),
                    ("state", "=", "done"),
                    ("channel", "in", CONTACT_CHANNELS),
                ],
                ["partner_id"],
                ["date:max"],
            )
        )
        return {partner.id: last.date() for partner, last in groups}

    @api.model
    def _apply_decisions(self, company, decisions, today):
        Partner = self.env["res.partner"]
        Move = self.env["account.move"]
        Level = self.env["payment.followup.level"]
        acting = [d for d in decisions if d.acts]
        hardship = Partner.browse(
            [d.partner_id for d in decisions if d.skip == SkipReason.HARDSHIP]
        )
        self._route_hardship(company, hardship)
        self._record_held(company, [d for d in decisions if d.skip in HELD and d.level])
        moves_by_level = defaultdict(list)
        for decision in acting:
            for move_id, level in decision.invoice_levels.items():
                moves_by_level[level.id].append(move_id)
        # one recordset, so what is read for one customer is read for all of them
        partners = Partner.browse([d.partner_id for d in acting])
        by_id = {partner.id: partner for partner in partners}
        items = [
            (by_id[d.partner_id], Level.browse(d.level.id), Move.browse(d.invoice_ids))
            for d in acting
        ]
        # read before the new levels are written: a good payer moving up a tier
        # goes to a person first
        review = {
            partner
            for partner, level, _invoices in items
            if review_before_escalation(
                partner.followup_record, int(partner.followup_level_id.tier or 0), int(level.tier)
            )
        }
        self._write_levels(company, moves_by_level, items, today)
        self._dispatch(company, items, review)
        return {"done": len(acting), "skipped": len(decisions) - len(acting)}

    @api.model
    def _write_levels(self, company, moves_by_level, items, today):
        """Invoice and customer levels: one write per level, not per record."""
        for level_id, move_ids in moves_by_level.items():
            self.env["account.move"].browse(move_ids)._followup_write_level(level_id, today)
        partners_by_level = defaultdict(list)
        for partner, level, _invoices in items:
            partners_by_level[level.id].append(partner.id)
        for level_id, partner_ids in partners_by_level.items():
            self.env["res.partner"].browse(partner_ids).with_company(company).sudo().write(
                {"followup_level_id": level_id}
            )

    @api.model
    def _dispatch(self, company, items, review=()):
        """Levels a person reviews (and the customers in ``review``) go to the
        queue; the others act now."""
        queued = [item for item in items if item[1].needs_review or item[0] in review]
        self._queue_for_review(company, queued)
        self._execute_actions(company, [item for item in items if item not in queued])

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    @api.model
    def _amount_overdue(self, invoices):
        return sum(invoices.mapped("amount_residual_signed"))

    @api.model
    def _contact_event_vals(self, company, partner, level, invoices, channel, state, **extra):
        """Event values with the tone and amounts of the contact."""
        return self.env["payment.followup.event"]._prepare_event_vals(
            partner,
            company,
            level,
            channel,
            state,
            invoices,
            tone=partner.followup_tone,
            severity=partner.followup_severity,
            amount_overdue=self._amount_overdue(invoices),
            **extra,
        )

    @api.model
    def _call_owner(self, partner, level):
        """Who makes the call: the tier owner, else the customer's responsible."""
        return level.owner_id or partner.followup_responsible_id or self.env.user

    @api.model
    def _queue_for_review(self, company, items):
        Event = self.env["payment.followup.event"].sudo()
        Event.create(
            [
                self._contact_event_vals(
                    company,
                    partner,
                    level,
                    invoices,
                    "review",
                    "to_review",
                    result=self.env._("Waiting for a person's approval")
                    if level.needs_review
                    else self.env._(
                        "Good payment record: a person confirms before moving up to %(level)s",
                        level=level.name,
                    ),
                )
                for partner, level, invoices in items
            ]
        )

    @api.model
    def _execute_approved(self, events):
        items = [
            (
                event.partner_id,
                event.level_id,
                event.invoice_ids.filtered(lambda m: m.payment_state in ("not_paid", "partial")),
            )
            for event in events
        ]
        self._execute_actions(self.env.company, [i for i in items if i[1] and i[2]])

    @api.model
    def _execute_actions(self, company, items):
        """Perform the actions of each (customer, level, invoices), set-wise."""
        if not items:
            return
        event_vals = []
        email_items = defaultdict(list)

        def add_event(partner, level, invoices, channel, state, **extra):
            event_vals.append(
                self._contact_event_vals(company, partner, level, invoices, channel, state, **extra)
            )

        # read what the loop needs for all customers at once (no query per customer)
        partners = self.env["res.partner"].concat(*(item[0] for item in items))
        partners.followup_recipient_id.mapped("is_blacklisted")
        default_template = self.env.ref("payment_followup_plus.mail_template_payment_reminder")
        for partner, level, invoices in items:
            if level.send_email:
                blocked = self._email_block_reason(partner)
                if blocked:
                    add_event(partner, level, invoices, "email", "blocked", result=blocked)
                else:
                    template = level.mail_template_id or default_template
                    email_items[template].append((partner, level, invoices))
            if level.send_letter:
                if partner.followup_opt_out_letter:
                    result = self.env._("No printed letters for this customer")
                    add_event(partner, level, invoices, "letter", "blocked", result=result)
                else:
                    result = self.env._("Letter ready to print")
                    add_event(partner, level, invoices, "letter", "to_print", result=result)
        calls = [item for item in items if item[1].schedule_call]
        blocked = self._calls_blocked(company, calls)
        for (partner, level, invoices), reason in blocked.items():
            add_event(partner, level, invoices, "call", "blocked", result=reason)
        self._book_calls(company, [item for item in calls if item not in blocked])
        for (partner, level, invoices, kind), activity in self._create_activities(company, items):
            result = self.env._("Activity for %(user)s", user=activity.user_id.name)
            add_event(
                partner, level, invoices, kind, "done", activity_id=activity.id, result=result
            )
        for template, entries in email_items.items():
            mails = self._send_emails(company, template, [entry[0] for entry in entries])
            mail_by_partner = {mail.res_id: mail for mail in mails}
            for partner, level, invoices in entries:
                mail = mail_by_partner.get(partner.id)
                recipient = partner.followup_recipient_id.email
                add_event(
                    partner,
                    level,
                    invoices,
                    "email",
                    "done",
                    mail_id=mail.id if mail else False,
                    mail_message_id=mail.mail_message_id.id if mail else False,
                    scheduled_date=mail.scheduled_date if mail else False,
                    result=self._queued_label(mail, partner, recipient),
                )
        self.env["payment.followup.event"].sudo().create(event_vals)

    @api.model
    def _queued_label(self, mail, partner, recipient):
        if mail and mail.scheduled_date:
            return self.env._(
                "Queued to %(email)s, held by the quiet hours until %(moment)s",
                email=recipient,
                moment=self._local_time_label(mail.scheduled_date, partner),
            )
        return self.env._("Queued to %(email)s", email=recipient)

    @api.model
    def _email_block_reason(self, partner):
        """Why no email may go to this customer (False when one may)."""
        recipient = partner.followup_recipient_id
        if partner.followup_opt_out:
            return self.env._("Opted out of electronic reminders")
        if not recipient.email:
            return self.env._("No email address for %(contact)s", contact=recipient.display_name)
        if recipient.is_blacklisted:
            return self.env._("%(email)s is blacklisted", email=recipient.email)
        return False

    @api.model
    def _send_emails(self, company, template, partners):
        partners = self.env["res.partner"].concat(*partners)
        # the reminder content is computed now, from what is in the database now
        partners.invalidate_recordset(REMINDER_FIELDS)
        invoices = partners.with_company(company).followup_overdue_invoice_ids
        self._ensure_access_tokens(invoices)
        comment = self.env.ref("mail.mt_comment")
        mails = (
            template.with_company(company)
            .sudo()
            .send_mail_batch(
                partners.ids,
                email_values={"message_type": "comment", "subtype_id": comment.id},
            )
        )
        self._hold_for_quiet_hours(company, mails, {p.id: p for p in partners})
        return mails

    @api.model
    def _hold_for_quiet_hours(self, company, mails, partner_by_res_id):
        """Mails due outside the customer's allowed hours wait in the mail queue
        (``scheduled_date``) until the next allowed moment. One write per moment.
        ``partner_by_res_id``: the customer of each mail's record."""
        now = self._now()
        tz_by_res_id = {
            res_id: self._partner_tz(partner, company)
            for res_id, partner in partner_by_res_id.items()
        }
        by_moment = defaultdict(list)
        for mail in mails:
            moment = next_allowed_moment(
                now,
                tz_by_res_id.get(mail.res_id, "UTC"),
                _hour(company.followup_quiet_from),
                _hour(company.followup_quiet_until),
            )
            if moment > now:
                by_moment[moment.replace(tzinfo=None)].append(mail.id)
        for moment, mail_ids in by_moment.items():
            self.env["mail.mail"].sudo().browse(mail_ids).write({"scheduled_date": moment})

    @api.model
    def _now(self):
        """Now, aware (UTC); tests move it with freeze_time."""
        return fields.Datetime.now().replace(tzinfo=UTC)

    @api.model
    def _partner_tz(self, partner, company):
        return partner.tz or company.partner_id.tz or self.env.user.tz or "UTC"

    @api.model
    def _local_time_label(self, moment, partner):
        tz = self._partner_tz(partner, self.env.company)
        local = moment.replace(tzinfo=UTC).astimezone(zone(tz))
        return "%s (%s)" % (local.strftime("%Y-%m-%d %H:%M"), tz)

    @api.model
    def _ensure_access_tokens(self, invoices):
        """Portal tokens for the reminder's invoice links, in one statement."""
        missing = invoices.filtered(lambda m: not m.access_token)
        if not missing:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::varchar "
                "WHERE id IN %s AND access_token IS NULL",
                tuple(missing.ids),
            )
        )
        missing.invalidate_recordset(["access_token"])

    @api.model
    def _create_activities(self, company, items):
        """Activities for the tier owner (or the customer's responsible)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")
        entries, vals_list = [], []
        for partner, level, invoices in items:
            user = level.owner_id or partner.followup_responsible_id or self.env.user
            for wanted, kind, activity_type in ((level.create_activity, "activity", todo),):
                if not wanted:
                    continue
                summary = (
                    self.env._(
                        "Call %(customer)s about overdue invoices", customer=partner.display_name
                    )
                    if kind == "call"
                    else self.env._(
                        "Follow up %(customer)s (%(level)s)",
                        customer=partner.display_name,
                        level=level.name,
                    )
                )
                entries.append((partner, level, invoices, kind))
                vals_list.append(
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": activity_type.id,
                        "summary": summary,
                        "user_id": user.id,
                        "date_deadline": fields.Date.context_today(self),
                    }
                )
        activities = self.env["mail.activity"].sudo().create(vals_list)
        return list(zip(entries, activities, strict=True))

    @api.model
    def _record_held(self, company, decisions):
        """One blocked event per customer and level that was due but held back
        (hardship, pause, minimum gap), so the history says why nothing went out."""
        if not decisions:
            return
        Event = self.env["payment.followup.event"].sudo()
        existing = Event._read_group(
            [
                ("company_id", "=", company.id),
                ("state", "=", "blocked"),
                ("channel", "=", "none"),
                ("partner_id", "in", [d.partner_id for d in decisions]),
            ],
            ["partner_id", "level_id"],
        )
        done = {(partner.id, level.id) for partner, level in existing}
        Partner, Move = self.env["res.partner"], self.env["account.move"]
        Level = self.env["payment.followup.level"]
        vals_list = []
        for decision in decisions:
            if (decision.partner_id, decision.level.id) in done:
                continue
            partner = Partner.browse(decision.partner_id)
            if decision.skip == SkipReason.HARDSHIP:
                result = self.env._("Hardship: automated reminders paused, handled by a person")
            elif decision.skip == SkipReason.PAUSED:
                result = self.env._(
                    "Follow-up paused until %(date)s", date=partner.followup_paused_until
                )
            else:
                result = self.env._(
                    "Contacted less than %(days)s days ago: waiting",
                    days=company.followup_min_gap_days,
                )
            vals_list.append(
                Event._prepare_event_vals(
                    partner,
                    company,
                    Level.browse(decision.level.id),
                    "none",
                    "blocked",
                    Move.browse(decision.invoice_ids),
                    result=result,
                )
            )
        Event.create(vals_list)

    @api.model
    def _route_hardship(self, company, partners):
        """Customers in hardship get one open activity for their responsible."""
        if not partners:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        existing = (
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("activity_type_id", "=", todo.id),
                    ("summary", "=like", "[hardship]%"),
                ],
                ["res_id"],
            )
        )
        already = {res_id for (res_id,) in existing}
        self._todo_activities(
            partners.filtered(lambda p: p.id not in already),
            lambda p: self.env._(
                "[hardship] Contact %(customer)s personally", customer=p.display_name
            ),
            lambda p: p.followup_responsible_id or self.env.user,
            fields.Date.context_today(self),
        )

    # ------------------------------------------------------------------
    # calls and meetings
    # ------------------------------------------------------------------
    @api.model
    def _calls_blocked(self, company, items):
        """{item: reason} for the calls the guardrails forbid now (opt-out, cap)."""
        if not items:
            return {}
        now = self._now()
        window = timedelta(days=company.followup_call_window_days)
        since = now - max(window, timedelta(days=company.followup_after_conversation_days))
        partner_ids = [item[0].id for item in items]
        Event = self.env["payment.followup.event"].sudo()
        base = [
            ("company_id", "=", company.id),
            ("partner_id", "in", partner_ids),
            ("date", ">", since.replace(tzinfo=None)),
        ]
        # contacts across channels count towards the cap
        attempts = dict(
            Event._read_group(
                base + [("state", "=", "done"), ("channel", "in", CONTACT_CHANNELS)],
                ["partner_id"],
                ["date:array_agg"],
            )
        )
        talks = dict(
            Event._read_group(
                base + [("conversation", "=", True)], ["partner_id"], ["date:array_agg"]
            )
        )
        blocked = {}
        for item in items:
            partner = item[0]
            if partner.followup_opt_out_phone:
                blocked[item] = self.env._("No follow-up calls for this customer")
                continue
            decision = call_attempt_allowed(
                now,
                [d.replace(tzinfo=UTC) for d in attempts.get(partner, [])],
                [d.replace(tzinfo=UTC) for d in talks.get(partner, [])],
                max_attempts=company.followup_max_call_attempts,
                window=window,
                quiet_after_conversation=timedelta(days=company.followup_after_conversation_days),
            )
            if not decision.allowed:
                label = self._local_time_label(decision.next_allowed.replace(tzinfo=None), partner)
                blocked[item] = (
                    self.env._(
                        "Call cap reached; next attempt allowed from %(moment)s", moment=label
                    )
                    if decision.reason == "cap"
                    else self.env._(
                        "A conversation took place recently; next attempt allowed from %(moment)s",
                        moment=label,
                    )
                )
        return blocked

    @api.model
    def _call_slots(self, partner, user, company, now, count=3, busy_by_user=None):
        """Convenient slots for a call with ``partner`` (engine ``find_slots``)."""
        calendar = company.resource_calendar_id
        company_tz = calendar.tz or company.partner_id.tz or "UTC"
        periods = [
            WorkPeriod(int(att.dayofweek), att.hour_from, att.hour_to)
            for att in calendar.attendance_ids
            if att.day_period != "lunch" and not att.display_type
        ]
        holidays = [
            (leave.date_from.replace(tzinfo=UTC), leave.date_to.replace(tzinfo=UTC))
            for leave in calendar.global_leave_ids
        ]
        if busy_by_user is None:
            busy_by_user = self._busy_times(user, now)
        weekdays = partner.followup_weekday_ids.mapped("sequence") or range(5)
        now = now.replace(tzinfo=UTC) if now.tzinfo is None else now
        return find_slots(
            now=now,
            customer_tz=self._partner_tz(partner, company),
            company_tz=company_tz,
            work_periods=periods,
            window=(partner.followup_hour_from, partner.followup_hour_to),
            weekdays=weekdays,
            holidays=holidays,
            busy=busy_by_user.get(user.id, []),
            min_notice=timedelta(hours=company.followup_min_notice_hours),
            duration=timedelta(hours=company.followup_call_duration),
            count=count,
        )

    @api.model
    def _busy_times(self, users, now, days=35, ignore=None):
        """{user id: [(start, stop)]} of the users' meetings in the coming weeks
        (``ignore``: a meeting being moved)."""
        start = now.replace(tzinfo=None) if now.tzinfo else now
        meetings = (
            self.env["calendar.event"]
            .sudo()
            .search(
                [
                    ("partner_ids", "in", users.partner_id.ids),
                    ("stop", ">", start),
                    ("start", "<", start + timedelta(days=days)),
                    ("id", "not in", ignore.ids if ignore else []),
                ]
            )
        )
        busy = defaultdict(list)
        for meeting in meetings:
            for user in users:
                if user.partner_id in meeting.partner_ids:
                    busy[user.id].append(
                        (meeting.start.replace(tzinfo=UTC), meeting.stop.replace(tzinfo=UTC))
                    )
        return busy

    @api.model
    def _slot_label(self, slot, partner, company):
        return self.env._(
            "%(customer_time)s for the customer, %(our_time)s for us",
            customer_time="%s (%s)"
            % (slot.customer_start.strftime("%a %d %b %H:%M"), slot.customer_start.tzname()),
            our_time="%s (%s)"
            % (slot.company_start.strftime("%a %d %b %H:%M"), slot.company_start.tzname()),
        )

    @api.model
    def _slot_error_message(self, err, partner):
        if err.code == "no_overlap":
            return self.env._(
                "The contact window of %(customer)s (%(tz)s) never meets our working hours. "
                "Change the customer's preferred hours or call outside the usual window.",
                customer=partner.display_name,
                tz=err.data.get("customer_tz"),
            )
        if err.code == "window_end_before_start":
            return self.env._(
                "The preferred hours of %(customer)s end before they start.",
                customer=partner.display_name,
            )
        if err.code == "unknown_tz":
            return self.env._("Unknown time zone: %(tz)s", tz=err.data.get("tz"))
        if err.code == "negative_notice":
            return self.env._("The minimum notice cannot be negative.")
        return self.env._("No convenient time could be found (%(code)s).", code=err.code)

    @api.model
    def _book_call(
        self, partner, contact, user, company, start, stop, invoices, level=None, note=None
    ):
        """A meeting with the follow-up contact (Odoo sends the invitation with its
        .ics), an activity for the responsible, and a follow-up event."""
        meeting = (
            self.env["calendar.event"]
            .with_company(company)
            .create(
                {
                    "name": self.env._(
                        "Payment follow-up: %(customer)s", customer=partner.display_name
                    ),
                    "start": start,
                    "stop": stop,
                    "user_id": user.id,
                    "partner_ids": [fields.Command.set((contact | user.partner_id).ids)],
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": partner.id,
                    "description": note or ", ".join(invoices.mapped("name")),
                }
            )
        )
        activity = (
            self.env["mail.activity"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": partner.id,
                    "activity_type_id": self.env.ref("mail.mail_activity_data_meeting").id,
                    "summary": meeting.name,
                    "user_id": user.id,
                    "date_deadline": start.date(),
                    "calendar_event_id": meeting.id,
                }
            )
        )
        Event = self.env["payment.followup.event"].sudo()
        event = Event.create(
            self._contact_event_vals(
                company,
                partner,
                level,
                invoices,
                "call",
                "done",
                calendar_event_id=meeting.id,
                activity_id=activity.id,
                result=self.env._("Call booked: %(when)s", when=meeting.display_time),
            )
        )
        return meeting, activity, event

    @api.model
    def _book_calls(self, company, items):
        """Levels with "call to schedule": book the first convenient slot."""
        if not items:
            return
        users = self.env["res.users"].concat(*(self._call_owner(p, lvl) for p, lvl, _i in items))
        now = self._now()
        busy = self._busy_times(users, now)
        blocked_vals = []
        for partner, level, invoices in items:
            user = self._call_owner(partner, level)
            try:
                slot = self._call_slots(partner, user, company, now, count=1, busy_by_user=busy)[:1]
            except SlotError as err:
                slot, reason = [], self._slot_error_message(err, partner)
            else:
                reason = self.env._("No convenient time in the coming weeks")
            if not slot:
                blocked_vals.append(
                    self._contact_event_vals(
                        company, partner, level, invoices, "call", "blocked", result=reason
                    )
                )
                continue
            start = slot[0].start.replace(tzinfo=None)
            meeting, _activity, _event = self._book_call(
                partner,
                partner.followup_recipient_id,
                user,
                company,
                start,
                slot[0].end.replace(tzinfo=None),
                invoices,
                level=level,
            )
            busy[user.id].append((slot[0].start, slot[0].end))
        self.env["payment.followup.event"].sudo().create(blocked_vals)

    # ------------------------------------------------------------------
    # escalation
    # ------------------------------------------------------------------
    @api.model
    def _escalate(self, partners, today=None, raise_if_none=True, from_age=False):
        """Move customers up to the first level of the next tier and act on it now
        (``from_age``: a broken arrangement, one tier above what the invoices' age
        reaches, see engine ``escalation_target``)."""
        company = self.env.company
        today = today or fields.Date.context_today(self)
        self = self.with_company(company)
        partners, per_partner = self._claim_open_invoices(company, partners, today)
        Level = self.env["payment.followup.level"]
        ladders, items, moves_by_level, skipped = {}, [], defaultdict(list), 0
        for partner in partners:
            moves = per_partner.get(partner, self.env["account.move"])
            current = partner.followup_level_id
            oldest = min(moves.mapped("invoice_date_due"), default=today)
            target = escalation_target(
                self._ladder(partner, company, ladders),
                current._to_engine() if current else None,
                (today - oldest).days if from_age else None,
            )
            if not moves or not target:
                skipped += 1
                continue
            items.append((partner, Level.browse(target.id), moves))
            # invoices already further up the ladder keep their level
            moves_by_level[target.id] += moves.filtered(
                lambda m, days=target.days: (
                    m.followup_level_id.days < days if m.followup_level_id else True
                )
            ).ids
        if not items and raise_if_none:
            raise UserError(
                self.env._("Nothing to escalate: no overdue invoice, or already at the last tier.")
            )
        self._write_levels(company, moves_by_level, items, today)
        self._dispatch(company, items)
        return {"done": len(items), "skipped": skipped}


def _hour(value):
    """A float hour of the day (8.5) as a time (08:30)."""
    minutes = round(value * 60)
    return time(23, 59) if minutes >= 24 * 60 else time(minutes // 60, minutes % 60)
