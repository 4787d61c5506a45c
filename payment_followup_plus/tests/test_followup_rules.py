from odoo.tests import tagged
from odoo.tools import SQL

from .common import PaymentFollowupCommon


@tagged("post_install", "-at_install")
class TestFollowupRules(PaymentFollowupCommon):
    """Each customer rule has one home, and its SQL twin gives the same answer
    on the same data (issue #24)."""

    def test_whose_customer_it_is_in_python_and_in_sql(self):
        team = self.env["payment.followup.team"]
        boss = self._followup_user(self.company, login="rules_boss")
        seller = self._followup_user(self.company, login="rules_seller")
        default = self._followup_user(self.company, login="rules_default")
        own = self._customer("Own Responsible", followup_responsible_id=boss.id, user_id=seller.id)
        sold = self._customer("Salesperson Only", user_id=seller.id)
        nobody = self._customer("Nobody Set")
        contact = self.env["res.partner"].create({"name": "A contact", "parent_id": own.id})
        cases = {own: boss, sold: seller, nobody: self.env["res.users"], contact: boss}
        for company_default in (False, default):
            self.company.followup_user_id = company_default
            if company_default:
                cases[nobody] = default
            self.env.flush_all()
            rows = dict(
                self.env.execute_query(
                    SQL(
                        """SELECT c.id, %s FROM res_partner c
                             JOIN res_partner p ON p.id = c.commercial_partner_id,
                                  res_company co
                            WHERE co.id = %s AND c.id IN %s""",
                        team._responsible_sql("p", "co"),
                        self.company.id,
                        tuple(p.id for p in cases),
                    )
                )
            )
            for partner, expected in cases.items():
                with self.subTest(partner=partner.name, company_default=bool(company_default)):
                    self.assertEqual(team._responsible_of(partner, self.company), expected)
                    self.assertEqual(rows[partner.id] or False, expected.id or False)
        # the customer list and the cockpit's filter read the same rule
        self._invoice(sold, 20, 100.0)
        self._invoice(nobody, 20, 100.0)
        listed = self.env["payment.followup.customer"].search(
            [("partner_id", "in", (sold | nobody).ids)]
        )
        self.assertEqual(
            {row.partner_id: row.user_id for row in listed}, {sold: seller, nobody: default}
        )
        dash = self.env["payment.followup.dashboard"].create({"responsible_id": default.id})
        kept = set(self.env["payment.followup.cockpit"]._partner_ids(dash))
        self.assertEqual(kept & {sold.id, nobody.id}, {nobody.id})
