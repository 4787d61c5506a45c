"""One-way dependencies: the core of the follow-up and its daily run never
name a portal, legal or cockpit model. Where they need one, they call a hook
that part overrides (the reminder's signed link, the charges sentence, the
names of reference rates). This test fails when a core or run file names one."""

import re
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parent.parent / "payment_followup_plus" / "models"

# the core (customers, invoices, levels, reminders, history, wording, people)
# and the run with its channel adapters (the legal case's adapter is legal's)
CORE_AND_RUN = [
    "account_move",
    "res_partner",
    "res_partner_delivery",
    "res_company",
    "res_currency",
    "mail_mail",
    "mail_thread",
    "mail_activity",
    "sms_sms",
    "payment_followup_number_mixin",
    "payment_followup_message",
    "payment_followup_bulk",
    "payment_followup_team",
    "payment_followup_guardrails",
    "payment_followup_wording",
    "payment_followup_event",
    "payment_followup_event_log",
    "payment_followup_level",
    "payment_followup_policy",
    "payment_followup_reminder",
    "payment_followup_reminder_line",
    "payment_followup_reminder_totals",
    "payment_followup_held",
    "payment_followup_review",
    "payment_followup_run",
    "payment_followup_decision",
    "payment_followup_batch",
    "payment_followup_mail_rows",
    "payment_followup_delivery",
    "payment_followup_channel",
    "payment_followup_channel_email",
    "payment_followup_channel_letter",
    "payment_followup_channel_sms",
    "payment_followup_channel_call",
    "payment_followup_channel_activity",
]
OTHER_PARTS = re.compile(r"payment\.followup\.(portal|legal|cockpit|dashboard)\b[\w.]*")


@pytest.mark.parametrize("name", CORE_AND_RUN)
def test_core_and_run_never_name_a_portal_legal_or_cockpit_model(name):
    source = (MODELS / f"{name}.py").read_text()
    assert OTHER_PARTS.findall(source) == [], f"{name}.py names another part: use a hook"


def test_the_rule_catches_a_name():
    assert OTHER_PARTS.search('self.env["payment.followup.legal.case"]')
    assert OTHER_PARTS.search('self.env["payment.followup.portal"]._url(p)')
    assert not OTHER_PARTS.search('self.env["payment.followup.reminder"]')
