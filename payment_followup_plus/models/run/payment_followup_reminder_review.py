from odoo import models
from odoo.exceptions import UserError


class PaymentFollowupReminder(models.Model):
    """The review queue: reminders a person approves (they are then delivered
    exactly as previewed), rejects, or prepares again when they are stale.
    The run delivers and decides again, so the queue lives with the run."""

    _inherit = "payment.followup.reminder"

    def _queue_review(self):
        self.env["payment.followup.event"].sudo()._create_bulk(
            [
                rem._prepare_event_vals("review", "to_review", result=rem.review_reason)
                for rem in self
            ]
        )

    def _check_reviewable(self):
        # the record rules say who may act on which tier (legal: legal advisors)
        self.check_access("write")
        if any(rem.state != "to_review" for rem in self):
            raise UserError(
                self.env._("Only reminders waiting for review can be approved or rejected.")
            )

    def _close_review_events(self, state, result):
        """Close the reminders' events still waiting (for a review or for printing)."""
        self.event_ids.filtered(lambda e: e.state in ("to_review", "to_print")).sudo().write(
            {"state": state, "result": result}
        )

    def action_approve(self):
        """Approve reminders of the review queue: they are delivered now."""
        self.env["payment.followup.team"]._check_user()
        self._check_reviewable()
        self._check_still_true(self.env._("approve"))
        self._check_news_read()
        self._close_review_events(
            "done", self.env._("Approved by %(user)s", user=self.env.user.name)
        )
        run = self.env["payment.followup.run"]
        for company, group in self.grouped("company_id").items():
            run.with_company(company)._dispatch(group.sudo())
        return True

    def action_reject(self):
        self.env["payment.followup.team"]._check_user()
        self._check_reviewable()
        result = self.env._("Rejected by %(user)s", user=self.env.user.name)
        self._close_review_events("cancelled", result)
        self.sudo().write({"state": "rejected"})
        return True

    def action_refresh(self):
        """Cancel stale reminders and decide again from what is true now."""
        self.env["payment.followup.team"]._check_user()
        if any(rem.state not in ("to_review", "blocked", "pending") for rem in self):
            raise UserError(self.env._("Only reminders not sent yet can be prepared again."))
        self._close_review_events(
            "cancelled", self.env._("Prepared again by %(user)s", user=self.env.user.name)
        )
        self.sudo().write({"state": "cancelled"})
        run = self.env["payment.followup.run"]
        for company, group in self.grouped("company_id").items():
            run.with_company(company)._run_for_partners(group.partner_id)
        return {
            "type": "ir.actions.act_window",
            "res_model": "payment.followup.reminder",
            "view_mode": "list,form",
            "name": self.env._("Reminders"),
            "domain": [("partner_id", "in", self.partner_id.ids)],
            "target": "current",
        }
