from . import payment_followup_pause
