from odoo.tests import tagged

from .common import PaymentFollowupCommon

MODELS = [
    "payment.followup.policy",
    "payment.followup.level",
    "payment.followup.event",
    "payment.followup.reminder",
    "payment.followup.customer",
    "payment.followup.pause",
    "payment.followup.plan",
    "payment.followup.plan.line",
    "payment.followup.promise",
    "payment.followup.delay.reason",
    "payment.followup.plan.wizard",
    "payment.followup.promise.wizard",
    "payment.followup.delay.wizard",
    "payment.followup.send.wizard",
    "payment.followup.agreement.wizard",
    "res.partner",
    "account.move",
    "res.config.settings",
]

WIZARDS = (
    "payment.followup.pause",
    "payment.followup.send.wizard",
    "payment.followup.agreement.wizard",
    "payment.followup.plan.wizard",
    "payment.followup.promise.wizard",
    "payment.followup.delay.wizard",
)


@tagged("post_install", "-at_install")
class TestFollowupUi(PaymentFollowupCommon):
    def test_every_view_loads(self):
        views = self.env["ir.ui.view"].search(
            [("model_data_id.module", "=", "payment_followup_plus")]
        )
        self.assertGreater(len(views), 10)
        for model in MODELS:
            for view_type in ("list", "form", "search"):
                if model == "payment.followup.customer" and view_type == "form":
                    continue
                if model in WIZARDS + ("res.config.settings",) and view_type != "form":
                    continue
                if model == "payment.followup.plan.line" and view_type == "form":
                    continue
                arch = self.env[model].get_views([(False, view_type)])
                self.assertTrue(arch["views"][view_type]["arch"], (model, view_type))

    def test_every_action_and_menu_loads(self):
        for xmlid in (
            "action_payment_followup_customer",
            "action_payment_followup_event",
            "action_payment_followup_reminder",
            "action_payment_followup_review",
            "action_payment_followup_policy",
            "action_payment_followup_plan",
            "action_payment_followup_plan_line",
            "action_payment_followup_promise",
            "action_payment_followup_delay_reason",
            "action_payment_followup_legal_rate",
            "action_payment_followup_charge",
            "action_payment_followup_legal_case",
            "action_payment_followup_todo",
        ):
            action = self.env["ir.actions.act_window"]._for_xml_id(f"payment_followup_plus.{xmlid}")
            model = self.env[action["res_model"]]
            model.search([], limit=5)
            model.get_views(
                [(False, mode) for mode in action["view_mode"].split(",")] + [(False, "search")]
            )
        menus = self.env["ir.ui.menu"].search(
            [
                (
                    "id",
                    "child_of",
                    self.env.ref("payment_followup_plus.menu_payment_followup_root").id,
                )
            ]
        )
        # root, dashboard, my follow-ups today, customers, review, reminders,
        # history, plans, installments, promises, disputes, automatic payments,
        # late-payment charges, legal cases, configuration, settings, policies,
        # reasons for delay, reasons for a dispute, reference rates (and the
        # credit holds, when the sales glue addon is installed)
        glue = self.env["ir.module.module"].search(
            [("name", "=", "payment_followup_plus_sale"), ("state", "=", "installed")]
        )
        self.assertEqual(len(menus), 22 + len(glue))
        self.assertEqual(
            self.env.ref("payment_followup_plus.menu_payment_followup_delay_reason").name,
            self.env.ref("payment_followup_plus.action_payment_followup_delay_reason").name,
            "one name for the reasons for delay",
        )
        self.assertIn(
            self.env.ref("payment_followup_plus.menu_payment_followup_delay_reason"), menus
        )

    def test_server_actions_run(self):
        partner = self._customer("Server Action Co")
        self._invoice(partner, 20)
        ctx = {"active_model": "res.partner", "active_ids": partner.ids, "active_id": partner.id}
        send = self.env.ref("payment_followup_plus.action_server_followup_send_now")
        result = send.with_context(**ctx).run()
        # a confirmation first, saying what will happen
        wizard = self.env[result["res_model"]].browse(result["res_id"])
        self.assertIn("Friendly reminder: Email, 1 invoice(s)", wizard.preview_html)
        self.assertFalse(self._mails(partner))
        self.assertEqual(wizard.action_confirm()["tag"], "display_notification")
        self.assertEqual(len(self._mails(partner)), 1)
        pause = (
            self.env.ref("payment_followup_plus.action_server_followup_pause")
            .with_context(**ctx)
            .run()
        )
        self.assertEqual(pause["res_model"], "payment.followup.pause")
        escalate = (
            self.env.ref("payment_followup_plus.action_server_followup_escalate")
            .with_context(**ctx)
            .run()
        )
        self.assertEqual(escalate["res_model"], "payment.followup.send.wizard")

    def test_screens_say_what_happened(self):
        # the history does not add up amounts of different events
        arch = self.env["payment.followup.event"].get_views([(False, "list")])["views"]["list"]
        self.assertIn('name="amount_overdue"', arch["arch"])
        self.assertNotIn('sum="', arch["arch"])
        # record rules are data an administrator may tune: kept on update
        rules = self.env["ir.model.data"].search(
            [("module", "=", "payment_followup_plus"), ("model", "=", "ir.rule")]
        )
        self.assertTrue(rules)
        self.assertTrue(all(rules.mapped("noupdate")))
        # an installment in the calendar says whose and how much
        partner = self._customer("Calendar Co")
        plan = self._plan(self._invoice(partner, 20, 90.0), installment_count=3)
        self.assertEqual(
            plan.line_ids[0].display_name,
            "Calendar Co: $\xa030.00 (installment 1, %s)" % plan.name,
        )
        # "no limit" next to the limits that are 0, the notice in hours
        settings = self.env["res.config.settings"].get_views([(False, "form")])["views"]
        arch = settings["form"]["arch"]
        self.assertIn("no limit", arch)
        self.assertIn("hours", arch)

    def test_settings(self):
        settings = self.env["res.config.settings"].create({"followup_min_gap_days": 9})
        settings.execute()
        self.assertEqual(self.company.followup_min_gap_days, 9)

    def test_wizards_are_bound_to_customers_and_invoices(self):
        for model in ("res.partner", "account.move"):
            bound = self.env["ir.actions.act_window"].search(
                [("binding_model_id.model", "=", model)]
            )
            self.assertLessEqual(
                {
                    "payment.followup.plan.wizard",
                    "payment.followup.promise.wizard",
                    "payment.followup.delay.wizard",
                },
                set(bound.mapped("res_model")),
            )
