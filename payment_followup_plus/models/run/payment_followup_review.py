from odoo import api, models
from odoo.exceptions import UserError

from ...engine.sentences import clause


class PaymentFollowupReview(models.AbstractModel):
    """The review queue: reminders a person approves (they are then delivered
    exactly as previewed), rejects, or prepares again when they are stale."""

    _name = "payment.followup.review"
    _description = "Payment follow-up review queue"

    @api.model
    def _queue(self, reminders):
        self.env["payment.followup.event"].sudo()._create_bulk(
            [
                rem._prepare_event_vals("review", "to_review", result=rem.review_reason)
                for rem in reminders
            ]
        )

    @api.model
    def _check_reviewable(self, reminders):
        # the record rules say who may act on which tier (legal: legal advisors)
        reminders.check_access("write")
        if any(rem.state != "to_review" for rem in reminders):
            raise UserError(
                self.env._("Only reminders waiting for review can be approved or rejected.")
            )

    @api.model
    def _close_review_events(self, reminders, state, result):
        """The reminders' events still waiting (for a review or for printing)."""
        reminders.event_ids.filtered(lambda e: e.state in ("to_review", "to_print")).sudo().write(
            {"state": state, "result": result}
        )

    @api.model
    def _check_still_true(self, reminders, action):
        """Refuse to send or print a reminder that is no longer true."""
        stale = reminders.filtered("stale")
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

    @api.model
    def _approve(self, reminders):
        self._check_reviewable(reminders)
        self._check_still_true(reminders, self.env._("approve"))
        reminders._check_news_read()
        self._close_review_events(
            reminders, "done", self.env._("Approved by %(user)s", user=self.env.user.name)
        )
        run = self.env["payment.followup.run"]
        for company, group in reminders.grouped("company_id").items():
            run.with_company(company)._dispatch(group.sudo())
        return True

    @api.model
    def _reject(self, reminders):
        self._check_reviewable(reminders)
        result = self.env._("Rejected by %(user)s", user=self.env.user.name)
        self._close_review_events(reminders, "cancelled", result)
        reminders.sudo().write({"state": "rejected"})
        return True

    @api.model
    def _refresh(self, reminders):
        """Cancel stale reminders and decide again from what is true now."""
        if any(rem.state not in ("to_review", "blocked", "pending") for rem in reminders):
            raise UserError(self.env._("Only reminders not sent yet can be prepared again."))
        self._close_review_events(
            reminders,
            "cancelled",
            self.env._("Prepared again by %(user)s", user=self.env.user.name),
        )
        reminders.sudo().write({"state": "cancelled"})
        run = self.env["payment.followup.run"]
        for company, group in reminders.grouped("company_id").items():
            run.with_company(company)._run_for_partners(group.partner_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "payment.followup.reminder",
            "view_mode": "list,form",
            "name": self.env._("Reminders"),
            "domain": [("partner_id", "in", reminders.partner_id.ids)],
            "target": "current",
        }
