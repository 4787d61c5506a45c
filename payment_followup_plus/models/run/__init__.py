from . import payment_followup_reminder_news
from . import payment_followup_decision
from . import payment_followup_held
from . import payment_followup_run
from . import payment_followup_customer_run
from . import payment_followup_reminder_review
from . import res_partner_run
