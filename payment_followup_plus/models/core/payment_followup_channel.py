from typing import NamedTuple

from odoo import api, models, tools


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

    # what each adapter declares; the run, the level's checks, the guardrails,
    # the customer's page, the letter before action, the cockpit and the send
    # wizard read them here (``_registry``) rather than keep their own lists
    _channel = None  # the channel's key, as in the event's ``channel`` field
    _sequence = 100  # its place in the run's order
    _level_field = None  # the level's boolean that asks for it
    _contact = False  # it reaches the customer: counts for the contact cap
    _written = False  # written notice: on the customer's page, referred to by the letter
    _exclusive = False  # alone when asked for (a legal case: nothing else is sent)

    @api.model
    def _registry(self):
        """The channel adapters (every ``payment.followup.channel.<key>``), in
        the run's order."""
        return [self.env[name] for name in self._registry_names()]

    @tools.ormcache()
    def _registry_names(self):
        adapters = [
            self.env[name]
            for name in self.env.registry
            if name.startswith("payment.followup.channel.") and self.env[name]._channel
        ]
        return tuple(a._name for a in sorted(adapters, key=lambda a: (a._sequence, a._channel)))

    @api.model
    def _codes(self, **flags):
        """The keys of the channels with the given flags (``contact=True``...),
        in the run's order."""
        return tuple(
            adapter._channel
            for adapter in self._registry()
            if all(getattr(adapter, "_" + flag) == value for flag, value in flags.items())
        )

    @api.model
    def _channels_for(self, level, partner):
        """The channels this adapter puts on a reminder at ``level`` that asks
        for it (the email adapter writes on paper to who prefers letters)."""
        return {self._channel}

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
