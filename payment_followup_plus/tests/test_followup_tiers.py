from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupTiers(PaymentFollowupCommon):
    """The cockpit's tier figures on a history with a known answer."""

    def _request(self, partner, invoices=None, days_ago=0, **vals):
        return self.env["payment.followup.event"].create(
            {
                "partner_id": partner.id,
                "company_id": self.company.id,
                "channel": "none",
                "result": "Done on the payments page",
                "via_portal": True,
                "date": fields.Datetime.now() - timedelta(days=days_ago),
                "invoice_ids": [Command.set(invoices.ids)] if invoices else [],
                **vals,
            }
        )

    def _chat(self, operator):
        channel = self.env.ref("payment_followup_plus.livechat_channel_payment_help")
        return self.env["discuss.channel"].create(
            {
                "name": "Payment help",
                "channel_type": "livechat",
                "livechat_channel_id": channel.id,
                "livechat_operator_id": operator.id,
            }
        )

    def _totals(self, dash, *names):
        return tuple(sum(dash.tier_ids.mapped(name)) for name in names)

    def test_requests_first_contact_and_time_to_resolution(self):
        paid = self._customer("Paid By Itself")
        handed = self._customer("Handed Over")
        helped = self._customer("Helped By A Person")
        replying = self._customer("Replying")
        invoice = self._invoice(paid, 30, 300.0)
        # a self-service request settled by the customer's payment five days later
        self._request(paid, invoice, days_ago=5)
        self._pay(invoice)
        # one that gave a person a to-do, one a person had to act on afterwards
        self._request(
            handed,
            activity_id=self.env["mail.activity"]
            .create(
                self.env["payment.followup.team"]._prepare_todo_vals(
                    handed, "Look at it", self.env.user, self.today, "dispute"
                )
            )
            .id,
        )
        self._request(helped, days_ago=2)
        self.env["payment.followup.event"].create(
            {
                "partner_id": helped.id,
                "company_id": self.company.id,
                "channel": "none",
                "result": "Called back and agreed a date",
                "user_id": self.env.ref("base.user_admin").id,
            }
        )
        # the bot answered one chat alone; another was handed to a person
        bot = self.env.ref("payment_followup_plus.chatbot_payment_help").operator_partner_id
        self._chat(bot)
        self._chat(self.env.ref("base.user_admin").partner_id)
        # a collector's matters: a reply and a call held; the legal path
        for channel in ("reply", "call"):
            self.env["payment.followup.event"].create(
                {
                    "partner_id": replying.id,
                    "company_id": self.company.id,
                    "channel": channel,
                    "state": "done",
                    "result": channel,
                }
            )
        self.env["payment.followup.legal.case"].create(
            {
                "partner_id": replying.id,
                "company_id": self.company.id,
                "currency_id": self.company.currency_id.id,
                "invoice_ids": [Command.set(self._invoice(replying, 90, 50.0).ids)],
            }
        )
        dash = self.env["payment.followup.dashboard"].create({})
        dash._refresh()
        self.assertEqual(len(dash.tier_ids), 12)
        self.assertEqual(
            self._totals(dash, "requests_self", "requests_collector", "requests_legal"),
            (5, 2, 1),  # 3 page requests + 2 chats
        )
        self.assertEqual(self._totals(dash, "fcr_requests", "fcr_resolved"), (5, 2))
        month = dash.tier_ids.filtered("fcr_measured")
        if len(month) == 1:  # every request in this month
            self.assertEqual(month.fcr, 40.0)
        medians = dash.tier_ids.filtered("median_self_measured")
        self.assertEqual(medians.mapped("median_self"), [5.0])
        self.assertFalse(dash.tier_ids.filtered("median_legal_measured"), "nothing paid yet")

    def test_disputes_opened_resolved_and_late(self):
        customer = self._customer("Disputing")
        first, second = self._invoice(customer, 40, 100.0), self._invoice(customer, 35, 80.0)
        Dispute = self.env["payment.followup.dispute"]
        reason = self.env.ref("payment_followup_plus.dispute_reason_quantity")
        late, answered = Dispute.create(
            [
                Dispute._prepare_case_vals(customer, self.company, {inv: None}, reason, days=1)
                for inv in (first, second)
            ]
        )
        late.deadline = answered.deadline = self.today - timedelta(days=1)
        answered.outcome_note = "Agreed."
        answered.action_resolve()  # answered after its deadline: late too
        dash = self.env["payment.followup.dashboard"].create({})
        dash._refresh()
        self.assertEqual(
            self._totals(dash, "disputes_opened", "disputes_resolved", "disputes_late"), (2, 1, 2)
        )
        self.assertEqual((dash.disputes_open, dash.disputes_settled, dash.disputes_late), (1, 1, 1))
