from . import payment_followup_sale_demo
