"""18.0.1.4.0: the mail queue notes what it did to reminder emails only; the
emails of reminders prepared before are marked as such, so a later attempt
(a retry) still reaches their history."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE mail_mail m
           SET followup_reminder = TRUE
          FROM payment_followup_event e
         WHERE e.mail_id = m.id AND e.channel = 'email'
        """
    )
