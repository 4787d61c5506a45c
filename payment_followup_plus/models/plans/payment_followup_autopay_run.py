from odoo import fields, models
from odoo.tools import format_date

from ...engine.autopay import notices_due


class PaymentFollowupAutopayCharging(models.Model):
    """What the daily run asks of an automatic payment."""

    _inherit = "payment.followup.autopay"

    # direct debit: the installments noticed, and the last notice's charge
    notice_keys = fields.Char(readonly=True)
    notice_date = fields.Date("Next debit on", readonly=True)
    notice_amount = fields.Monetary("Next debit", readonly=True)

    def _prepare_charge_vals(self, charge, today):
        self.ensure_one()
        line_id = int(charge.key.split("-")[1]) if charge.key.startswith("line-") else False
        return {
            "autopay_id": self.id,
            "key": charge.key,
            "plan_line_id": line_id,
            "attempt": charge.attempt,
            "due_date": charge.due_date,
            "day": today,
            "amount": self._target()._major(charge.amount),
        }

    def _money_on_its_way(self, today):
        """Money for the invoices it pays is on its way by another road (a
        payment the customer made, a bank statement line, a "we paid" reply:
        the one rule of ``account.move``): no charge today, the history says
        why. Its own pending charges do not count."""
        self.ensure_one()
        target = self._target()
        found, __ = target.invoice_ids._followup_payment_evidence(today)
        own = set(self.charge_ids.transaction_id.ids)
        others = [e for e in found.values() if not (e.kind == "transaction" and e.source_id in own)]
        if others:
            invoices = self.env["account.move"].browse([e.invoice_id for e in others])
            target._log(
                self.env._(
                    "Automatic payment not charged today: money is on its way for %(invoices)s",
                    invoices=", ".join(sorted(invoices.mapped("name"))),
                )
            )
        return bool(others)

    def _send_notices(self, installments, today):
        """Direct debit: a notice a few days before each charge, once."""
        self.ensure_one()
        noticed = set(self.notice_keys.split(",")) if self.notice_keys else set()
        template = self.env.ref("payment_followup_plus.mail_template_autopay_notice")
        target = self._target()
        for item in notices_due(
            installments,
            today,
            self.consent_day,
            self.company_id.followup_autopay_notice_days,
            noticed,
        ):
            noticed.add(item.key)
            amount = target._major(item.open_amount)
            self.write(
                {
                    "notice_keys": ",".join(sorted(noticed)),
                    "notice_date": item.due_date,
                    "notice_amount": amount,
                }
            )
            template.sudo().send_mail(self.id)
            target._log(
                self.env._(
                    "Direct debit notice sent: %(amount)s on %(date)s",
                    amount=self.currency_id.format(amount),
                    date=format_date(self.env, item.due_date),
                )
            )

    def _tell_staff(self, problem, today):
        """An activity for whoever follows the customer."""
        team = self.env["payment.followup.team"]
        team._todo_activities(
            self._target(),
            lambda target: self.env._(
                "Automatic payment stopped for %(customer)s: %(why)s",
                customer=target.partner_id.display_name,
                why=problem,
            ),
            lambda target: team._responsible(target.partner_id),
            today,
            "autopay",
        )
