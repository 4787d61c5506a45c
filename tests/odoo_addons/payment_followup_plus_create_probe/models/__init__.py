from . import mail_message
