from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.payment_followup_plus.engine.credit_hold import HOLD

RELEASE_GROUP = "payment_followup_plus_sale.group_release_credit_hold"


class SaleOrder(models.Model):
    """New orders of a customer on credit hold wait: every confirmation goes
    through ``action_confirm`` (the button, RPC, mass confirmation, the
    customer's signature on the portal, an online payment), which refuses
    them with the reason and what releases it. An order paid in full online,
    or released by a manager, goes through; confirmed orders are never
    touched."""

    _inherit = "sale.order"

    followup_hold_state = fields.Selection(
        [("warning", "Warning"), ("hold", "On hold")],
        string="Credit hold",
        compute="_compute_followup_hold",
    )
    followup_hold_message = fields.Char("Credit hold message", compute="_compute_followup_hold")
    followup_hold_released_by = fields.Many2one(
        "res.users", string="Hold released by", readonly=True, copy=False
    )
    followup_hold_released_on = fields.Datetime("Hold released on", readonly=True, copy=False)
    followup_hold_release_reason = fields.Text("Why it was released", readonly=True, copy=False)

    @api.depends_context("lang")
    @api.depends("partner_id", "company_id", "state")
    def _compute_followup_hold(self):
        holds = self.env["payment.followup.sales.hold"]._for_orders(
            self.filtered(lambda o: o.state in ("draft", "sent") and o.partner_id)
        )
        for order in self:
            hold = holds.get(order)
            order.followup_hold_state = hold.state if hold else False
            order.followup_hold_message = hold.message if hold else False

    @api.depends("followup_hold_message")
    def _compute_partner_credit_warning(self):
        """Odoo's credit warning, with the follow-up's hold said first."""
        super()._compute_partner_credit_warning()
        for order in self:
            if order.followup_hold_message and not order.followup_hold_released_by:
                order.partner_credit_warning = "\n".join(
                    filter(None, [order.followup_hold_message, order.partner_credit_warning])
                )

    def _followup_blocked(self):
        """{order: its hold} of the quotations of ``self`` that may not be
        confirmed now (one query for the set)."""
        quotes = self.filtered(
            lambda o: o.state in ("draft", "sent")
            and not o.followup_hold_released_by
            and not o._is_paid()
        )
        holds = self.env["payment.followup.sales.hold"]._for_orders(quotes)
        return {order: hold for order, hold in holds.items() if hold.state == HOLD}

    def action_confirm(self):
        blocked = self._followup_blocked()
        if blocked:
            order, hold = next(iter(blocked.items()))
            raise UserError(
                self.env._(
                    "%(order)s cannot be confirmed. %(why)s",
                    order=order.name,
                    why=hold.with_context(lang=self.env.lang).message,
                )
            )
        return super().action_confirm()

    def _validate_order(self):
        """The customer signed (or paid part) on the portal: a held order
        stays a quotation, signed, and says why; its salesperson sees it."""
        blocked = self._followup_blocked()
        for order, hold in blocked.items():
            order.message_post(
                body=self.env._(
                    "Accepted by the customer; not confirmed: %(why)s", why=hold.message
                ),
                subtype_xmlid="mail.mt_note",
            )
        rest = self - self.browse([o.id for o in blocked])
        if rest:
            return super(SaleOrder, rest)._validate_order()
        return None

    def action_followup_release_hold(self):
        """Button "Release the credit hold": the reason is asked."""
        self.ensure_one()
        self._check_release_group()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Release the credit hold"),
            "res_model": "payment.followup.sales.hold.override",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_id": self.id},
        }

    def _check_release_group(self):
        if not self.env.su and not self.env.user.has_group(RELEASE_GROUP):
            raise UserError(
                self.env._("Only a person allowed to release credit holds can do this.")
            )

    def _followup_release(self, reason):
        """This order only may be confirmed despite the hold: logged on the
        order, on the customer and in the follow-up's history."""
        self.ensure_one()
        self._check_release_group()
        reason = (reason or "").strip()
        if not reason:
            raise UserError(self.env._("Say why the hold is released for this order."))
        if self.state not in ("draft", "sent"):
            raise UserError(self.env._("Only a quotation waiting for confirmation is released."))
        self.sudo().write(
            {
                "followup_hold_released_by": self.env.uid,
                "followup_hold_released_on": fields.Datetime.now(),
                "followup_hold_release_reason": reason,
            }
        )
        text = self.env._(
            "Credit hold released for %(order)s by %(user)s: %(reason)s",
            order=self.name,
            user=self.env.user.name,
            reason=reason,
        )
        self.message_post(body=text, subtype_xmlid="mail.mt_note")
        customer = self.partner_id.commercial_partner_id
        customer.message_post(body=text, subtype_xmlid="mail.mt_note")
        Event = self.env["payment.followup.event"].sudo()
        Event.create(
            Event._prepare_note_vals(
                customer, self.company_id, self.env["account.move"], text, sales_override=True
            )
        )
        return True

    def _followup_portal_hold_links(self):
        """The customer's links to pay or propose a plan (signed), when this
        quotation waits for the overdue balance; else False."""
        self.ensure_one()
        if not self._followup_blocked():
            return False
        partner = self.partner_id.commercial_partner_id
        return {
            "pay": partner._followup_portal_url(self.company_id, anchor="pay"),
            "plan": partner._followup_portal_url(self.company_id, anchor="plan"),
        }
