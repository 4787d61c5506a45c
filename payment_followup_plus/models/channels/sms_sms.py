from odoo import api, fields, models


class SmsSms(models.Model):
    """A follow-up SMS waits for the customer's allowed hours in Odoo's SMS
    queue, and tells its reminder what became of it on every state change
    (sent, delivered, error) - ``payment.followup.delivery``."""

    _inherit = "sms.sms"

    followup_send_after = fields.Datetime(
        "Not before", index="btree_not_null", help="The customer's quiet hours end then."
    )

    @api.model
    def _process_queue(self, ids=None):
        waiting = set(
            self.search(
                [("state", "=", "outgoing"), ("followup_send_after", ">", fields.Datetime.now())]
            ).ids
        )
        if waiting:
            ready = self.search(
                [("state", "=", "outgoing"), ("to_delete", "!=", True)], limit=10000
            ).ids
            allowed = set(ready) - waiting
            ids = [i for i in (ids or ready) if i in allowed]
            if not ids:
                return None
        return super()._process_queue(ids)

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            self.env["payment.followup.delivery"].sudo()._on_sms_processed(self)
        return result
