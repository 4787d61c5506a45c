"""Automatic payment of plans and promises with a saved payment method: which
installments to charge on the customer's day, the one retry after a declined
charge, the direct-debit notice before a charge, the schedule the customer
consented to, and how far charges can be trusted (the forecast's confidence).
Amounts are integer minor units throughout; no odoo import."""

from dataclasses import dataclass
from datetime import date, timedelta

# one retry after a declined or failed charge, then the customer is told
MAX_ATTEMPTS = 2

# what a charge became, from its payment transaction's state
SENDING, PENDING, DONE, FAILED = "sending", "pending", "done", "failed"
TX_OUTCOME = {
    "draft": SENDING,
    "pending": PENDING,
    "authorized": PENDING,
    "done": DONE,
    "cancel": FAILED,
    "error": FAILED,
}


@dataclass(frozen=True)
class Installment:
    """Something the customer agreed to pay on a day (an installment, a promise)."""

    key: str  # "line-12", "promise-5": one per installment, for ever
    due_date: date
    open_amount: int  # still owed on it


@dataclass(frozen=True)
class Attempt:
    """A charge made for an installment: its number, outcome and day."""

    key: str
    attempt: int
    outcome: str  # SENDING | PENDING | DONE | FAILED
    day: date  # the customer's day it was made


@dataclass(frozen=True)
class Charge:
    """What to charge now."""

    key: str
    attempt: int
    amount: int
    due_date: date


def outcome(tx_state):
    """What a charge became from its transaction's state."""
    return TX_OUTCOME.get(tx_state, SENDING)


def charges_due(installments, attempts, today, since, retry_days):
    """The charges to make on the customer's ``today``: each installment due
    on or before today (and not before ``since``, the day of consent: what was
    due before was never agreed to be charged) with something still owed, once;
    after a declined or failed charge, one retry ``retry_days`` later. Nothing
    while a charge is being sent, pending (a direct debit: it arrives later) or
    done. Oldest first."""
    if retry_days < 0:
        raise ValueError("retry_days must not be negative")
    last = {}
    for attempt in attempts:
        if attempt.key not in last or attempt.attempt > last[attempt.key].attempt:
            last[attempt.key] = attempt
    due = []
    for item in sorted(installments, key=lambda i: (i.due_date, i.key)):
        if item.open_amount <= 0 or item.due_date > today or item.due_date < since:
            continue
        tried = last.get(item.key)
        if tried is None:
            due.append(Charge(item.key, 1, item.open_amount, item.due_date))
        elif (
            tried.outcome == FAILED
            and tried.attempt < MAX_ATTEMPTS
            and (today - tried.day).days >= retry_days
        ):
            due.append(Charge(item.key, tried.attempt + 1, item.open_amount, item.due_date))
    return due


def upcoming(installments, attempts, since, retry_days):
    """[(day, installment)] of the charges still to come, in date order: an
    open installment due on or after the consent on its due date; after a
    declined charge, on its retry day; none while a charge is pending or being
    sent (the money is on its way), none once the retry failed too."""
    last = {}
    for attempt in attempts:
        if attempt.key not in last or attempt.attempt > last[attempt.key].attempt:
            last[attempt.key] = attempt
    result = []
    for item in installments:
        if item.open_amount <= 0 or item.due_date < since:
            continue
        tried = last.get(item.key)
        if tried is None:
            result.append((item.due_date, item))
        elif tried.outcome == FAILED and tried.attempt < MAX_ATTEMPTS:
            result.append((max(item.due_date, tried.day + timedelta(days=retry_days)), item))
    return sorted(result, key=lambda pair: (pair[0], pair[1].key))


def given_up(attempts):
    """Keys whose last allowed attempt failed: the customer is told, and the
    plan's rules for a missed installment apply."""
    last = {}
    for attempt in attempts:
        if attempt.key not in last or attempt.attempt > last[attempt.key].attempt:
            last[attempt.key] = attempt
    return sorted(
        key for key, a in last.items() if a.outcome == FAILED and a.attempt >= MAX_ATTEMPTS
    )


def in_hand(installments, attempts, since):
    """Keys the automatic payment is taking care of: due on or after consent,
    and not given up (a retry waits, a charge is pending or being sent, or the
    charge day has not come). Reminders of a late installment wait for them."""
    failed_for_good = set(given_up(attempts))
    keys = set()
    for item in installments:
        if item.open_amount <= 0 or item.due_date < since or item.key in failed_for_good:
            continue
        keys.add(item.key)
    return keys


def notices_due(installments, today, since, notice_days, noticed):
    """Installments whose direct-debit notice goes out today: charged within
    ``notice_days`` (and not already passed), consented before, not noticed
    yet (``noticed``: keys)."""
    if notice_days < 0:
        raise ValueError("notice_days must not be negative")
    return [
        item
        for item in sorted(installments, key=lambda i: (i.due_date, i.key))
        if item.open_amount > 0
        and item.key not in noticed
        and since <= item.due_date
        and 0 <= (item.due_date - today).days <= notice_days
    ]


def schedule_key(items):
    """The schedule as consented, in one comparable text: "date:amount" of
    each installment in date order. A different key later means the amounts
    or dates changed since the customer said yes: ask again."""
    return ";".join(
        "%s:%s" % (item_date.isoformat(), amount)
        for item_date, amount in sorted((d, a) for d, a in items)
    )


def confidence(outcomes, prior_done=1, prior_all=2):
    """How likely an automatic charge is to be paid, measured from the
    company's past charges (``outcomes``: DONE / FAILED of settled charges; a
    pending or sending one is not settled), with a small prior so that a
    company's first charges do not read as certainty: (done + 1) / (n + 2)."""
    settled = [o for o in outcomes if o in (DONE, FAILED)]
    done = sum(1 for o in settled if o == DONE)
    return (done + prior_done) / (len(settled) + prior_all)
