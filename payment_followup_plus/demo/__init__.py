from . import payment_followup_demo
