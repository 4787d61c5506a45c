from . import payment_followup_demo
from . import payment_followup_demo_cases
