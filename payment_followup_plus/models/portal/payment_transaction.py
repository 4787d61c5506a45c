from odoo import fields, models


class PaymentTransaction(models.Model):
    """A customer's online payment of invoices goes into the follow-up
    history when the payment is confirmed (what was received, for which
    invoices), written in the company's language for the accountants; an
    automatic payment's charge says its own outcome (a bank's answer that
    comes later, too)."""

    _inherit = "payment.transaction"

    # a payment of an amount of the customer's choice: [[invoice id, part,
    # amount]] as the page showed it, reconciled exactly so
    followup_allocation = fields.Json("Shared as shown", readonly=True, copy=False)

    def _post_process(self):
        super()._post_process()
        charges = (
            self.env["payment.followup.autopay.charge"]
            .sudo()
            .search([("transaction_id", "in", self.ids)])
        )
        paid = (
            self.filtered(
                lambda tx: tx.state == "done" and tx.invoice_ids and tx.operation != "validation"
            )
            - charges.transaction_id
        )
        if paid:
            Event = self.env["payment.followup.event"].sudo()
            Event._log_online_payments(paid)
            for tx in paid.filtered("followup_allocation"):
                Event._log_about(tx, tx._followup_allocation_text())
        for charge in charges:
            charge.with_company(charge.company_id)._settle()

    def _followup_allocation_text(self):
        """How the payment was shared, for the history (the staff's language)."""
        self.ensure_one()
        env = self.with_context(
            lang=self.env["payment.followup.team"]._staff_lang(self.company_id)
        ).env
        labels = {
            "costs": env._("costs"),
            "interest": env._("interest"),
            "principal": env._("invoice amount"),
        }
        moves = self.env["account.move"].browse([row[0] for row in self.followup_allocation])
        names = {move.id: move.name for move in moves}
        return env._(
            "Payment of %(amount)s shared as the customer was shown: %(shares)s",
            amount=self.currency_id.format(self.amount),
            shares="; ".join(
                "%s %s (%s)" % (names[inv], self.currency_id.format(amount), labels[part])
                for inv, part, amount in self.followup_allocation
            ),
        )

    def _create_payment(self, **extra_create_values):
        """An amount of the customer's choice is reconciled as the page showed
        it: one receivable line of the payment per invoice, each matched with
        its invoice for its share (Odoo's partial reconciliation)."""
        if not self.followup_allocation or self.operation == "refund":
            return super()._create_payment(**extra_create_values)
        shares = {}
        for invoice_id, __, amount in self.followup_allocation:
            shares[invoice_id] = shares.get(invoice_id, 0.0) + amount
        invoices = self.invoice_ids.filtered(lambda m: m.id in shares and m.state == "posted")
        currency, company = self.currency_id, self.company_id
        receivable = {
            invoice: invoice.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
                and not line.reconciled
            )
            for invoice in invoices
        }
        invoices = invoices.filtered(lambda m: receivable[m])
        # the first invoice's share is the payment's own receivable line, the
        # others lines of their own, named after their invoice
        today = fields.Date.context_today(self)
        named, write_offs = {}, []
        for invoice in invoices[1:]:
            name = self.env._("Share of %(invoice)s", invoice=invoice.name)
            named[name] = invoice
            write_offs.append(
                {
                    "name": name,
                    "account_id": receivable[invoice][:1].account_id.id,
                    "partner_id": self.partner_id.commercial_partner_id.id,
                    "currency_id": currency.id,
                    "amount_currency": -currency.round(shares[invoice.id]),
                    "balance": -currency._convert(
                        shares[invoice.id], company.currency_id, company, today
                    ),
                }
            )
        # Odoo's own flow, without its reconciliation of every invoice at once
        linked = self.invoice_ids
        self.invoice_ids = False
        try:
            payment = super()._create_payment(
                write_off_line_vals=write_offs, invoice_ids=linked, **extra_create_values
            )
        finally:
            self.invoice_ids = linked
        lines = payment.move_id.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
        others = lines.filtered(lambda line: line.name in named)
        pairs = [((lines - others)[:1], invoices[:1])] + [
            (line, named[line.name]) for line in others
        ]
        for line, invoice in pairs:
            if line and invoice:
                (line + receivable[invoice]).reconcile()
        return payment
