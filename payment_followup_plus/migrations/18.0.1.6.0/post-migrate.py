"""18.0.1.6.0: a follow-up SMS is marked as such when it is queued, so that
the SMS of other modules cost no query when their state changes. The SMS
queued before the mark existed are marked here from the history."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE sms_sms sms
           SET followup_tracked = TRUE
          FROM payment_followup_event event
         WHERE event.sms_uuid = sms.uuid
        """
    )
