from . import payment_followup_experiment
from . import payment_followup_experiment_arm
from . import payment_followup_reminder_experiment
