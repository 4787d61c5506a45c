from odoo import api, fields, models
from odoo.tools import SQL

# set on the cursor when this process noted an attempt: the queue's batch then
# applies what was noted (other modules' batches cost no query)
NOTED = "payment_followup_mail_outcome_noted"


class PaymentFollowupMailOutcome(models.Model):
    """What Odoo's mail queue did with a reminder email, one row per send
    attempt. The queue's post-processing only notes it here (one INSERT, in
    the transaction the queue commits with the mail's own state); at the end
    of the queue's batch one set-wise step applies every row noted
    (``payment.followup.channel.email._on_mails_processed``) and deletes them;
    a batch without reminder emails costs nothing (``NOTED``).

    A crash between the two loses nothing: the rows stay and the next step
    (the next batch of the queue, or the next follow-up run) applies them;
    two workers never apply one row twice (``FOR UPDATE SKIP LOCKED``)."""

    _name = "payment.followup.mail.outcome"
    _description = "Payment follow-up: a reminder email's send attempt, to record"
    _order = "id"
    _log_access = False

    mail_id = fields.Integer(required=True, index=True)
    state = fields.Char(required=True)
    failure_type = fields.Char()
    failure_reason = fields.Text()

    @api.model
    def _note(self, mails, failure_type=None, failure_reason=False):
        """Note the attempt that just ended for ``mails`` (reminder emails)."""
        rows = [
            SQL(
                "(%s, %s, %s, %s)",
                mail.id,
                mail.state,
                failure_type or mail.failure_type or None,
                failure_reason or mail.failure_reason or None,
            )
            for mail in mails
        ]
        self.env.cr.cache[NOTED] = True
        self.env.cr.execute(
            SQL(
                "INSERT INTO payment_followup_mail_outcome (mail_id, state, failure_type, "
                "failure_reason) VALUES %s",
                SQL(", ").join(rows),
            )
        )

    @api.model
    def _apply(self, limit=5000):
        """Apply the attempts noted (those another worker holds are left to
        it), the last one of each mail winning; returns how many rows."""
        self.flush_model()
        rows = self.env.execute_query(
            SQL(
                """
                SELECT id, mail_id, state, failure_type, failure_reason
                  FROM payment_followup_mail_outcome
              ORDER BY id
                 LIMIT %s
                   FOR UPDATE SKIP LOCKED
                """,
                limit,
            )
        )
        if not rows:
            return 0
        outcomes = {mail_id: (state, ftype, reason) for __, mail_id, state, ftype, reason in rows}
        mails = self.env["mail.mail"].sudo().browse(list(outcomes)).exists()
        self.env["payment.followup.channel.email"].sudo()._on_mails_processed(mails, outcomes)
        self.env.cr.execute(
            SQL(
                "DELETE FROM payment_followup_mail_outcome WHERE id IN %s",
                tuple(row[0] for row in rows),
            )
        )
        return len(rows)
