from odoo import api, models


class PaymentFollowupChannelActivity(models.AbstractModel):
    """A to-do on the customer for the level's owner (else the customer's
    responsible). It does not reach the customer by itself: a reminder with
    nothing else is delivered when the to-do is marked done."""

    _name = "payment.followup.channel.activity"
    _inherit = "payment.followup.channel"
    _description = "Payment follow-up activity for a person"
    _channel = "activity"
    _sequence = 50
    _level_field = "create_activity"

    @api.model
    def _perform(self, reminders):
        team = self.env["payment.followup.team"]
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    team._prepare_todo_vals(
                        reminder.partner_id,
                        self.env._(
                            "Follow up %(customer)s (%(level)s)",
                            customer=reminder.partner_id.display_name,
                            level=reminder.level_id.name,
                        ),
                        team._responsible(reminder.partner_id, reminder.level_id),
                        reminder.date,
                        "followup",
                    )
                    for reminder in reminders
                ]
            )
        )
        results = []
        for reminder, activity in zip(reminders, activities, strict=True):
            reminder.activity_id = activity
            results.append(
                self._result(
                    reminder,
                    "pending",
                    "done",
                    self.env._("Activity for %(user)s", user=activity.user_id.name),
                    activity_id=activity.id,
                )
            )
        return results
