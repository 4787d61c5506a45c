from . import payment_followup_pause
from . import payment_followup_schedule
from . import payment_followup_schedule_slot
from . import payment_followup_invoice_mixin
from . import payment_followup_plan_wizard
from . import payment_followup_promise_wizard
from . import payment_followup_delay_wizard
