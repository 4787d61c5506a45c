"""18.0.1.1.0: the customer's payments page offers the shipped reasons for
delay. Their data is ``noupdate``, so the new "Visible to customers" flag is
set here, once, for databases installed before the flag existed."""

SHIPPED = (
    "delay_reason_hardship",
    "delay_reason_dispute",
    "delay_reason_not_received",
    "delay_reason_approval",
)


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE payment_followup_delay_reason reason
           SET portal_visible = TRUE
          FROM ir_model_data data
         WHERE data.module = 'payment_followup_plus'
           AND data.model = 'payment.followup.delay.reason'
           AND data.name IN %s
           AND data.res_id = reason.id
        """,
        (SHIPPED,),
    )
