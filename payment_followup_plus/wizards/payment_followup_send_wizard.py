from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_date

from ..engine.types import Mode

MODES = [("send_now", "Send reminder now"), ("escalate", "Escalate one level")]


class PaymentFollowupSendWizard(models.TransientModel):
    """ "Send reminder now" and "Escalate one level", with the rules of the daily
    run (one step at a time, the minimum gap): first what will happen for each
    customer, then what was done and what was held back, and why. A follow-up
    manager may override the gap (the reason is kept with the reminder)."""

    _name = "payment.followup.send.wizard"
    _description = "Send or escalate payment reminders now"

    partner_ids = fields.Many2many("res.partner", string="Customers", required=True)
    mode = fields.Selection(MODES, required=True, default="send_now")
    override = fields.Boolean(
        "Override the rules",
        help="Send even within the minimum gap, or again at the level reached. Follow-up "
        "managers only; the reason is kept with the reminder.",
    )
    override_reason = fields.Char("Reason for the override")
    is_manager = fields.Boolean(compute="_compute_is_manager")
    preview_html = fields.Html("What will happen", compute="_compute_preview", sanitize=False)
    credits_note = fields.Char("Credits not applied", compute="_compute_preview")
    credits_confirmed = fields.Boolean(
        "Send although credits are not applied",
        help="Credits in the customer's favour (credit notes, payments) are not applied to "
        "the invoices: the reminder asks for more than is owed. Apply them first, or tick "
        "this to send anyway.",
    )

    @api.depends_context("uid")
    def _compute_is_manager(self):
        manager = self.env.user.has_group("payment_followup_plus.group_followup_manager")
        for wizard in self:
            wizard.is_manager = manager

    @api.model
    def _open(self, partners, mode):
        wizard = self.create({"partner_ids": [fields.Command.set(partners.ids)], "mode": mode})
        return {
            "type": "ir.actions.act_window",
            "name": dict(self._fields["mode"]._description_selection(self.env))[mode],
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def _engine_mode(self):
        return Mode.ESCALATE if self.mode == "escalate" else Mode.SEND_NOW

    @api.depends("partner_ids", "mode", "override")
    def _compute_preview(self):
        run = self.env["payment.followup.run"]
        decider = self.env["payment.followup.decision"]
        for wizard in self:
            rows = []
            wizard.credits_note = wizard._credits_note() or False
            if wizard.partner_ids:
                now = run._now_for()
                batch = decider._decide(
                    self.env.company,
                    wizard.partner_ids.commercial_partner_id,
                    now,
                    mode=wizard._engine_mode(),
                    override=wizard.override and wizard.is_manager,
                    lock=False,  # a preview locks nothing: the confirmation claims
                )
                claimed = {d.partner_id: d for d in batch.decisions}
                for partner in wizard.partner_ids.commercial_partner_id:
                    decision = claimed.get(partner.id)
                    rows.append((partner.display_name, wizard._describe(decision, partner)))
            wizard.preview_html = Markup("<table class='table table-sm'>%s</table>") % Markup(
                ""
            ).join(
                Markup("<tr><td>%s</td><td>%s</td></tr>") % (escape(name), escape(what))
                for name, what in rows
            )

    def _credits(self):
        """{customer: credits in its favour not applied} (in the company's
        currency), for the customers of the wizard that have some."""
        partners = self.partner_ids.commercial_partner_id
        if not partners:
            return {}
        company = self.env.company
        amounts = self.env["payment.followup.decision"]._open_credits(company, partners)
        tolerance = company.followup_tolerance
        return {
            partner: amounts[partner.id]
            for partner in partners
            if company.currency_id.compare_amounts(amounts.get(partner.id, 0.0), tolerance) > 0
        }

    def _credits_note(self):
        credits = self._credits()
        if not credits:
            return ""
        currency = self.env.company.currency_id
        return self.env._(
            "Credits in the customer's favour are not applied to the invoices: %(credits)s. "
            "The reminder would ask for more than is owed: apply them first, or confirm below.",
            credits=", ".join(
                "%s: %s" % (partner.display_name, currency.format(amount))
                for partner, amount in credits.items()
            ),
        )

    def _describe(self, decision, partner):
        """What happens for one customer, in a sentence."""
        run = self.env["payment.followup.run"]
        if decision is None:
            # the preview claims nothing: no decision means no open invoice
            # within the ladder's reach (paid, in a payment plan, not due yet)
            return self.env._(
                "Nothing to remind: no open invoice of this customer is due for follow-up "
                "(paid, in a payment plan or not due yet)"
            )
        if not decision.acts:
            return self.env._(
                "Held back: %(why)s",
                why=self.env["payment.followup.held"]._label(decision, partner),
            )
        level = self.env["payment.followup.level"].browse(decision.level.id)
        labels = dict(
            self.env["payment.followup.event"]._fields["channel"]._description_selection(self.env)
        )
        wanted = run._channels_of_level(level, partner)
        channels = ", ".join(
            labels[channel]
            for channel in self.env["payment.followup.channel"]._codes()
            if channel in wanted
        )
        text = self.env._(
            "%(level)s: %(channels)s, %(count)s invoice(s)",
            level=level.name,
            channels=channels,
            count=len(decision.invoice_ids),
        )
        if level.needs_review:
            text += " " + self.env._("(waits for review first)")
        commercial = partner.commercial_partner_id
        today = self.env["payment.followup.guardrails"]._partner_today(commercial)
        if (
            commercial.followup_reply_pause_until
            and commercial.followup_reply_pause_until >= today
            and commercial.followup_replied_on
        ):
            text += " " + self.env._(
                "(the customer replied on %(date)s: read the reply first)",
                date=format_date(self.env, commercial.followup_replied_on.date()),
            )
        return text

    def action_confirm(self):
        self.ensure_one()
        run = self.env["payment.followup.run"]
        self.env["payment.followup.team"]._check_user()
        if self._credits() and not self.credits_confirmed:
            raise UserError(
                self._credits_note()
                + " "
                + self.env._('Tick "Send although credits are not applied" to send anyway.')
            )
        if self.override:
            self.env["payment.followup.team"]._check_manager()
            if not (self.override_reason or "").strip():
                raise UserError(self.env._("Give the reason for overriding the rules."))
        report = run._run_for_partners(
            self.partner_ids.commercial_partner_id,
            mode=self._engine_mode(),
            override=self.override,
            reason=self.override_reason if self.override else None,
        )
        done, held = [], []
        # the legal cases opened (the history is written in bulk: read it once)
        reminders = self.env["payment.followup.reminder"].concat(
            *(reminder for __, reminder in report.values() if reminder)
        )
        cases = {
            event.reminder_id: event
            for event in self.env["payment.followup.event"]
            .sudo()
            .search([("reminder_id", "in", reminders.ids), ("channel", "=", "legal")])
        }
        for partner, (decision, reminder) in report.items():
            opened = cases.get(reminder)
            if opened:
                # nothing was sent: a case was opened (not "waiting to be delivered")
                done.append(
                    self.env._(
                        "%(customer)s: %(what)s", customer=partner.display_name, what=opened.result
                    )
                )
            elif reminder:
                state = dict(reminder._fields["state"]._description_selection(self.env))[
                    reminder.state
                ]
                done.append(
                    self.env._(
                        "%(customer)s: %(level)s (%(state)s)",
                        customer=partner.display_name,
                        level=reminder.level_id.name,
                        state=state,
                    )
                )
            else:
                held.append(
                    self.env._(
                        "%(customer)s: %(why)s",
                        customer=partner.display_name,
                        why=self.env["payment.followup.held"]._label(decision, partner),
                    )
                )
        missing = self.partner_ids.commercial_partner_id - self.env["res.partner"].concat(*report)
        held += [
            self.env._(
                "%(customer)s: being handled by another follow-up run", customer=p.display_name
            )
            for p in missing
        ]
        parts = []
        if done:
            parts.append(self.env._("Done: %(list)s", list="; ".join(done)))
        if held:
            parts.append(self.env._("Held back: %(list)s", list="; ".join(held)))
        return self.env["payment.followup.message"]._notify(
            self.env._("Payment follow-up"),
            "\n".join(parts),
            "success" if done and not held else "warning",
        )
