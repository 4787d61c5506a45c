{
    "name": "Payment follow-up: mail create probe (tests only)",
    "summary": "Another addon's overrides of mail.message and mail.mail create, "
    "to prove the follow-up's emails go through them",
    "version": "18.0.1.0.0",
    "license": "LGPL-3",
    "author": "payment_followup_plus contributors",
    "category": "Hidden/Tests",
    "depends": ["payment_followup_plus"],
    "installable": True,
}
