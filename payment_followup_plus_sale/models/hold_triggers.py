from odoo import api, models


def _refresh(env, partners, companies):
    env["payment.followup.sales.hold"].sudo()._refresh_partners(partners, companies)


class AccountPartialReconcile(models.Model):
    """An invoice paid (or a payment undone): its customer's hold again."""

    _inherit = "account.partial.reconcile"

    def _followup_invoices(self):
        moves = (self.debit_move_id | self.credit_move_id).move_id
        return moves.filtered(lambda m: m.is_invoice(include_receipts=True))

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        invoices = partials._followup_invoices()
        _refresh(self.env, invoices.commercial_partner_id, invoices.company_id)
        return partials

    def unlink(self):
        invoices = self._followup_invoices()
        customers, companies = invoices.commercial_partner_id, invoices.company_id
        result = super().unlink()
        _refresh(self.env, customers, companies)
        return result


class _StateWatch(models.AbstractModel):
    """A plan agreed or broken, a promise broken or kept, a legal case
    closed: the customer's hold again."""

    _name = "payment.followup.sales.hold.watch"
    _description = "Credit hold: refreshed when a follow-up state changes"

    def write(self, vals):
        result = super().write(vals)
        if "state" in vals:
            _refresh(self.env, self.partner_id, self.company_id)
        return result


class PaymentFollowupPlan(models.Model):
    _name = "payment.followup.plan"
    _inherit = ["payment.followup.plan", "payment.followup.sales.hold.watch"]

    def _activate(self):
        """Agreed: its invoices are paid on the plan's dates from now on."""
        result = super()._activate()
        _refresh(self.env, self.partner_id, self.company_id)
        return result

    def _release_invoices(self):
        result = super()._release_invoices()
        _refresh(self.env, self.partner_id, self.company_id)
        return result


class PaymentFollowupPromise(models.Model):
    _name = "payment.followup.promise"
    _inherit = ["payment.followup.promise", "payment.followup.sales.hold.watch"]


class PaymentFollowupLegalCase(models.Model):
    _name = "payment.followup.legal.case"
    _inherit = ["payment.followup.legal.case", "payment.followup.sales.hold.watch"]
