import threading

from odoo import api, models
from odoo.tools import SQL, split_every


class PaymentFollowupBatch(models.AbstractModel):
    """Daily watches of plans and promises: claim records batch by batch with
    ``FOR UPDATE SKIP LOCKED`` (a record another worker holds is left to it),
    process each batch per company, and commit per batch, so what a batch sent
    and the marks that say so land together."""

    _name = "payment.followup.batch"
    _description = "Payment follow-up batches"

    @api.model
    def _claim_in_batches(self, model, state, batch_size, process, commit=True):
        """``process(records)`` on the ``model`` records in ``state``, per company.
        Returns the number of records handled."""
        Model = self.env[model]
        Model.flush_model()
        table = SQL.identifier(Model._table)
        self.env.cr.execute(SQL("SELECT id FROM %s WHERE state = %s ORDER BY id", table, state))
        ids = [row[0] for row in self.env.cr.fetchall()]
        done = 0
        for batch in split_every(batch_size, ids):
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s AND state = %s FOR UPDATE SKIP LOCKED",
                    table,
                    tuple(batch),
                    state,
                )
            )
            claimed = Model.browse(sorted(row[0] for row in self.env.cr.fetchall()))
            claimed.invalidate_recordset()
            for company, records in claimed.grouped("company_id").items():
                process(records.with_company(company))
            done += len(claimed)
            self._end_of_batch(done, len(ids) - done, commit)
        return done

    @api.model
    def _end_of_batch(self, done, remaining, commit=True):
        """What every daily batch does at its end (the run, the watches of
        plans and promises, the cockpit): tell the cron its progress, let go of
        what it loaded (memory stays flat), and commit, so what the batch did
        and the marks that say so land together and a rerun or a crash later
        never does it twice (never in tests)."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        self.env.invalidate_all()
        if commit and not getattr(threading.current_thread(), "testing", False):
            self.env.cr.commit()  # pylint: disable=invalid-commit
