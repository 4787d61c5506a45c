"""18.0.1.5.0: the email templates whose wording or data changed are reloaded
from the addon's files (with their translations): they are kept on update
("noupdate") so that a company's own edits survive, which is why a change of
ours is applied here, once."""

from odoo import SUPERUSER_ID, api

CHANGED_TEMPLATES = (
    "payment_followup_plus.mail_template_call_cancelled",
    "payment_followup_plus.mail_template_letter_before_action",
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xml_id in CHANGED_TEMPLATES:
        template = env.ref(xml_id, raise_if_not_found=False)
        if template:
            template.reset_template()
