# A folder per concern, with one-way dependencies (tests/test_layers.py):
# core       customers, invoices, levels, policies, history, wording, people
# channels   one adapter file per channel, and what reached the customer
# run        the daily run: decisions, guardrails, reminders, review
# plans      payment plans, promises and the expected payment days
# portal     the customer's side: payments page, requests, calls, chat
# legal      late-payment rules, charges, legal cases and their letters
# experiments  which wording works: arms assigned by the run
# The cockpit, the dashboard and the to-do list are reports (../report).
from . import core
from . import channels
from . import run
from . import plans
from . import legal
from . import portal
from . import experiments
