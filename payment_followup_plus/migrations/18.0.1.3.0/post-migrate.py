"""18.0.1.3.0: every reminder event has a delivery state. For databases
installed before it existed, the history's emails take the state their mail
has (sent: delivered; refused: failed; otherwise queued), letters printed are
delivered and letters waiting are prepared. Reminders and invoice levels are
left as they were: what was recorded before is not rewritten."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE payment_followup_event e
           SET delivery_state = CASE
                   WHEN m.state = 'sent' OR (m.id IS NULL AND e.mail_message_id IS NOT NULL)
                       THEN 'delivered'
                   WHEN m.state IN ('exception', 'cancel') THEN 'failed'
                   ELSE 'queued'
               END,
               failure_reason = CASE WHEN m.state = 'exception' THEN m.failure_reason END
          FROM payment_followup_event e2
     LEFT JOIN mail_mail m ON m.id = e2.mail_id
         WHERE e2.id = e.id AND e.channel = 'email' AND e.state = 'done'
           AND e.delivery_state IS NULL
        """
    )
    cr.execute(
        """
        UPDATE payment_followup_event
           SET delivery_state = CASE WHEN state = 'done' THEN 'delivered' ELSE 'prepared' END
         WHERE channel = 'letter' AND state IN ('done', 'to_print') AND delivery_state IS NULL
        """
    )
