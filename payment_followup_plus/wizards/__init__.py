from . import payment_followup_pause
from . import payment_followup_schedule
from . import payment_followup_schedule_slot
