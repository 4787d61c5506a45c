import logging
from collections import defaultdict
from datetime import UTC, datetime, time

from odoo import api, fields, models
from odoo.tools import split_every

from ...engine.record import review_before_escalation
from ...engine.tone import choose_tone
from ...engine.types import Mode, Section

_logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# channels in the order they act: the call first, so the email can announce it


class PaymentFollowupRun(models.AbstractModel):
    """The follow-up run: select -> claim -> decide (engine) -> act per channel
    -> record. Batches of customers, each committed on its own."""

    _name = "payment.followup.run"
    _description = "Payment follow-up run"

    # ------------------------------------------------------------------
    # entry points
    # ------------------------------------------------------------------
    @api.model
    def _cron_run_followup(self, batch_size=BATCH_SIZE):
        """Daily cron: every company, batch by batch, committing each batch."""
        # what the mail queue did and a crash left unrecorded, first
        self.env["payment.followup.mail.outcome"].sudo()._apply()
        companies = self.env["res.company"].search([("followup_policy_id", "!=", False)])
        done = 0
        for company in companies:
            done += self.with_company(company)._run_company(
                company, batch_size=batch_size, commit=True, done_before=done
            )
        return done

    @api.model
    def _now_for(self, today=None, now=None):
        """The moment the run works for: ``now``; else the clock, unless
        ``today`` is another day (a replay): then noon UTC of that day."""
        if now:
            return now
        clock = self.env["payment.followup.guardrails"]._now()
        if today and today != clock.date():
            return datetime.combine(today, time(12, 0), tzinfo=UTC)
        return clock

    @api.model
    def _run_company(
        self,
        company,
        today=None,
        *,
        batch_size=BATCH_SIZE,
        commit=False,
        max_batches=None,
        done_before=0,
        now=None,
        worker=0,
        workers=1,
    ):
        """Run the follow-up of one company for ``today`` (the clock's day when
        not given). Returns the number of customers handled.

        Several processes may run it at once (``worker`` of ``workers``): each
        starts with its own share of the batches, then goes on with the others';
        a batch another one holds is skipped (its rows are locked), one it has
        done gives nothing new. With ``commit`` and OCA queue_job installed, the
        batches become jobs of the ``payment_followup`` channel instead."""
        if isinstance(company, int):  # from data files
            company = self.env["res.company"].browse(company)
        now = self._now_for(today, now)
        self = self.with_company(company)
        partner_ids = self.env["payment.followup.decision"]._select_partner_ids(company, now)
        batches = list(split_every(batch_size, partner_ids))
        if commit and self._queue_job_installed():
            return self._enqueue_batches(company, batches, now)
        share = len(batches) * worker // max(workers, 1)
        batches = batches[share:] + batches[:share]
        done = 0
        for index, batch in enumerate(batches):
            if max_batches is not None and index >= max_batches:
                break
            report = self._process_batch(company, self.env["res.partner"].browse(batch), now)
            done += len(report)
            # reminders, levels, events and queued mails of the batch land together
            self.env["payment.followup.batch"]._end_of_batch(
                done_before + done, len(partner_ids) - done, commit
            )
        return done

    # ------------------------------------------------------------------
    # OCA queue_job, when installed: one job per batch
    # ------------------------------------------------------------------
    @api.model
    def _queue_job_installed(self):
        return "queue.job" in self.env and hasattr(self, "with_delay")

    @api.model
    def _enqueue_batches(self, company, batches, now):
        """One job per batch in the ``payment_followup`` channel (its capacity is
        set in the job runner's configuration). A job enqueued twice for the same
        customers on the same day is enqueued once (identity key)."""
        day = fields.Date.to_string(now.date())
        for batch in batches:
            self.with_delay(
                channel="root.payment_followup",
                description=self.env._(
                    "Payment follow-up of %(count)s customers (%(company)s)",
                    count=len(batch),
                    company=company.name,
                ),
                identity_key=f"payment_followup:{company.id}:{day}:{batch[0]}-{batch[-1]}",
            )._job_run_batch(company.id, list(batch), now.isoformat())
        return sum(len(batch) for batch in batches)

    @api.model
    def _job_run_batch(self, company_id, partner_ids, moment):
        """A queued batch: claims and decides again at start, so customers done
        meanwhile (or by an earlier try of this job) get nothing twice."""
        company = self.env["res.company"].browse(company_id)
        now = datetime.fromisoformat(moment)
        report = self.with_company(company)._process_batch(
            company, self.env["res.partner"].browse(partner_ids), now
        )
        return self.env._(
            "%(count)s customers, %(sent)s reminders",
            count=len(report),
            sent=sum(1 for _decision, reminder in report.values() if reminder),
        )

    def action_run_now(self):
        """Button "Run follow-up now": starts the daily run in the background (a
        whole company does not fit in one web request) and says so."""
        self.env["payment.followup.team"]._check_user()
        self.env.ref("payment_followup_plus.ir_cron_payment_followup").sudo()._trigger()
        started = self.env._(
            "The follow-up run has started in the background. Reminders and the history "
            "appear as each batch of customers is done."
        )
        stale = self.env.company._followup_statements_warning()
        return self.env["payment.followup.message"]._notify(
            self.env._("Payment follow-up"),
            f"{started} {stale}" if stale else started,
            "warning" if stale else "info",
        )

    @api.model
    def _run_for_partners(self, partners, mode=Mode.RUN, override=False, reason=None, now=None):
        """Run now for given customers of the current company (the manual
        actions). Returns {customer: what happened}, see :meth:`_process_batch`."""
        company = self.env.company
        now = now or self._now_for()
        report = {}
        for ids in split_every(BATCH_SIZE, partners.commercial_partner_id.ids):
            report.update(
                self.with_company(company)._process_batch(
                    company,
                    self.env["res.partner"].browse(ids),
                    now,
                    mode=mode,
                    override=override,
                    reason=reason,
                )
            )
        return report

    # ------------------------------------------------------------------
    # one batch
    # ------------------------------------------------------------------
    @api.model
    def _process_batch(self, company, partners, now, mode=Mode.RUN, override=False, reason=None):
        """Claim, decide and act for one batch of customers. Returns {customer:
        (decision, reminder or None)}."""
        # the channels and guardrails work for the run's moment too
        self = self.with_context(followup_now=now)
        batch = self.env["payment.followup.decision"]._decide(
            company, partners, now, mode=mode, override=override
        )
        self.env["payment.followup.held"]._record(batch)
        acting = [decision for decision in batch.decisions if decision.acts]
        # records that share their prefetch: what is read of one customer (its
        # payment record...) is read for the whole batch in one query
        partners = {partner.id: partner for partner in batch.partners}
        reminders = (
            self.env["payment.followup.reminder"]
            .sudo()
            ._create_with_lines(
                [
                    self._prepare_reminder_vals(
                        batch, decision, partners[decision.partner_id], reason
                    )
                    for decision in acting
                ]
            )
        )
        # the words of a wording experiment (or adopted from one), before anything renders
        reminders._choose_words()
        by_partner = {rem.partner_id.id: rem for rem in reminders}
        review = reminders.filtered(lambda rem: rem.state == "to_review")
        review._queue_review()
        self._dispatch(reminders - review)
        Partner = self.env["res.partner"]
        return {
            Partner.browse(decision.partner_id): (decision, by_partner.get(decision.partner_id))
            for decision in batch.decisions
        }

    @api.model
    def _prepare_reminder_vals(self, batch, decision, partner, reason=None):
        """The reminder of one decision: tone and severity chosen once, the
        invoices and their figures as read when the invoices were claimed."""
        level = self.env["payment.followup.level"].browse(decision.level.id)
        tone = choose_tone(
            partner.followup_style,
            partner.followup_formality,
            int(level.tier),
            level.severity,
            good_record=partner.followup_record == "good",
        )
        review_reason = False
        if level.needs_review:
            review_reason = self.env._("The level asks for a person's approval")
        elif review_before_escalation(
            partner.followup_record, batch.tiers.get(partner.id, 0), int(level.tier)
        ):
            review_reason = self.env._(
                "Good payment record: a person confirms before moving up to %(level)s",
                level=level.name,
            )
        today = batch.today[partner.id]
        lines = []
        for sequence, line in enumerate(decision.invoices):
            row = batch.invoices[line.id]
            lines.append(
                {
                    "sequence": sequence,
                    "move_id": line.id,
                    "section": str(line.section),
                    "level_id": line.level.id if line.level else None,
                    "previous_level_id": row["followup_level_id"],
                    "name": row["name"],
                    "payment_reference": row["payment_reference"],
                    "due_date": row["invoice_date_due"],
                    "days_late": (today - row["invoice_date_due"]).days,
                    "currency_id": row["currency_id"],
                    "amount_residual": row["amount_residual"],
                    "amount_company": row["amount_residual_signed"],
                    "amount_disputed": row["amount_disputed"],
                    "dispute_ref": row["followup_dispute_ref"],
                    "last_reminded": row["followup_last_date"],
                    "partner_bank_id": row["partner_bank_id"],
                }
            )
        overdue = sum(
            batch.invoices[line.id]["amount_residual_signed"]
            for line in decision.invoices
            if line.section not in (Section.DUE_SOON, Section.ON_ITS_WAY)
            and (today - batch.invoices[line.id]["invoice_date_due"]).days >= 1
        )
        return {
            "partner_id": partner.id,
            "company_id": batch.company.id,
            "recipient_id": partner.followup_recipient_id.id,
            "user_id": self.env["payment.followup.team"]._responsible(partner, level).id,
            "lang": partner._followup_lang("en_US"),
            "date": today,
            "level_id": level.id,
            "tier": level.tier,
            "severity": tone.severity,
            "style": tone.style,
            "formality": tone.formality,
            "tone": tone.key,
            "response_days": level.response_days,
            "previous_date": decision.previous_date,
            "state": "to_review" if review_reason else "pending",
            "review_reason": review_reason,
            "override_reason": reason or False,
            "amount_overdue": overdue,
            "line_ids": lines,
        }

    @api.model
    def _channels(self, reminder, adapters=None):
        return self._channels_of_level(reminder.level_id, reminder.partner_id, adapters)

    @api.model
    def _channels_of_level(self, level, partner, adapters=None):
        """The channels of a reminder at ``level``: those its actions ask for,
        as each adapter of the registry puts them (an exclusive one, the legal
        case, alone)."""
        adapters = adapters or self.env["payment.followup.channel"]._registry()
        channels = set()
        for adapter in adapters:
            if level[adapter._level_field]:
                channels |= adapter._channels_for(level, partner)
        exclusive = {adapter._channel for adapter in adapters if adapter._exclusive}
        return (channels & exclusive) or channels

    @api.model
    def _dispatch(self, reminders):
        """Each channel acts on its reminders, set-wise; the reminders are then
        delivered (a channel reached the customer), pending (a letter to print,
        a call or a task booked) or blocked (no channel may reach them)."""
        if not reminders:
            return
        outcomes = defaultdict(set)
        event_vals = []
        adapters = self.env["payment.followup.channel"]._registry()
        channels_of = {rem: self._channels(rem, adapters) for rem in reminders}
        for channels, rems in reminders.grouped(
            lambda rem: ", ".join(a._channel for a in adapters if a._channel in channels_of[rem])
        ).items():
            rems.write({"channels": channels})
        for adapter in adapters:
            todo = reminders.filtered(lambda rem, ch=adapter._channel: ch in channels_of[rem])
            if not todo:
                continue
            for result in adapter.with_company(todo.company_id[:1])._perform(todo):
                outcomes[result.reminder].add(result.outcome)
                event_vals.append(result.event_vals)
        moment = self.env.context.get("followup_now")
        if moment:
            for vals in event_vals:
                vals.setdefault("date", moment.replace(tzinfo=None))
        self.env["payment.followup.event"].sudo()._create_bulk(event_vals)
        delivered = reminders.filtered(lambda rem: "delivered" in outcomes[rem])
        pending = reminders.filtered(
            lambda rem: rem not in delivered and "pending" in outcomes[rem]
        )
        guardrails = self.env["payment.followup.guardrails"]
        for blocked in reminders - delivered - pending:
            blocked.write(
                {"state": "blocked", "block_key": guardrails._block_key(blocked.partner_id)}
            )
        pending.write({"state": "pending"})
        delivered._mark_delivered()

    # ------------------------------------------------------------------
    # what is held back, and why
    # ------------------------------------------------------------------
