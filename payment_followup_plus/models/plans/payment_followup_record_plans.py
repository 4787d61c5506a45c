from odoo import models
from odoo.tools import SQL


class PaymentFollowupRecord(models.Model):
    """The customer's promises kept and broken, plans completed and broken."""

    _inherit = "payment.followup.record"
    _depends = {
        "payment.followup.promise": ["state", "date_done", "partner_id", "company_id"],
        "payment.followup.plan": ["state", "date_done", "partner_id", "company_id"],
    }

    def _agreement_rows_sql(self, since):
        return [
            *super()._agreement_rows_sql(since),
            SQL(
                """
                 UNION ALL
                    SELECT pr.partner_id, pr.company_id,
                           (pr.state = 'kept')::int, (pr.state = 'broken')::int, 0, 0, 0, 0, 0
                      FROM payment_followup_promise pr
                     WHERE pr.state IN ('kept', 'broken') AND pr.date_done >= %(since)s
                 UNION ALL
                    SELECT pl.partner_id, pl.company_id,
                           0, 0, (pl.state = 'completed')::int, (pl.state = 'broken')::int, 0, 0, 0
                      FROM payment_followup_plan pl
                     WHERE pl.state IN ('completed', 'broken') AND pl.date_done >= %(since)s
                """,
                since=since,
            ),
        ]
