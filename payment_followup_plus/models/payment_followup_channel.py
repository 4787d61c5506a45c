from typing import NamedTuple

from odoo import api, models


class ChannelResult(NamedTuple):
    """What one channel did with one reminder."""

    reminder: models.BaseModel
    # "delivered": it reached the customer; "pending": it may (an email in the
    # mail queue, a letter to print, a call or a task booked: the reminder is
    # delivered when it does); "blocked": it may not (the reason is in the
    # event)
    outcome: str
    event_vals: dict


class PaymentFollowupChannel(models.AbstractModel):
    """The interface every channel adapter has (email, letter, call, activity;
    a new channel such as SMS is one more file like them).

    ``_perform(reminders)`` acts on a set of reminders of one company at once
    and returns one :class:`ChannelResult` per reminder; the run records the
    events and marks what was delivered in the same transaction."""

    _name = "payment.followup.channel"
    _description = "Payment follow-up channel"

    # the channel's key, as in the event's ``channel`` field
    _channel = None

    @api.model
    def _perform(self, reminders):
        raise NotImplementedError

    @api.model
    def _result(self, reminder, outcome, state, result, delivery=None, **extra):
        """``delivery``: the event's delivery state (by default prepared for a
        pending outcome, delivered for a delivered one, none when blocked)."""
        if delivery is None:
            delivery = {"pending": "prepared", "delivered": "delivered"}.get(outcome, False)
        return ChannelResult(
            reminder,
            outcome,
            reminder._prepare_event_vals(
                self._channel, state, result=result, delivery_state=delivery, **extra
            ),
        )
