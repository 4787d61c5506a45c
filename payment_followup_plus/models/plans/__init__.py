from . import payment_followup_plan_agreement
from . import payment_followup_plan
from . import payment_followup_plan_line
from . import payment_followup_plan_watch
from . import payment_followup_promise
from . import payment_followup_expected
