import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("payment_followup_run_now", {
    url: "/odoo/action-payment_followup_plus.action_payment_followup_customer",
    steps: () => [
        {
            content: "The overdue customer is listed",
            trigger: ".o_list_view .o_data_row:contains('Tour Customer')",
        },
        {
            content: "Run the follow-up now",
            trigger: "button[name='action_run_now']",
            run: "click",
        },
        {
            content: "It starts in the background, and the screen says so",
            trigger: ".o_notification:contains('started in the background')",
        },
        {
            content: "Select the customer",
            trigger: ".o_data_row:contains('Tour Customer') .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Send its reminder now",
            trigger: "button[name='action_send_reminder_now']",
            run: "click",
        },
        {
            content: "First, what will happen",
            trigger: ".modal:contains('Friendly reminder: Email, 1 invoice(s)')",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "Then what was done",
            trigger: ".o_notification:contains('Done: Tour Customer: Friendly reminder')",
        },
    ],
});

registry.category("web_tour.tours").add("payment_followup_plan_wizard", {
    steps: () => [
        {
            content: "Open the customer's follow-up tab",
            trigger: ".o_notebook a:contains('Payment follow-up')",
            run: "click",
        },
        {
            content: "Propose a payment plan",
            trigger: "button:contains('Propose a payment plan')",
            run: "click",
        },
        {
            content: "Four installments",
            trigger: ".modal div[name='installment_count'] input",
            run: "edit 4",
        },
        {
            content: "Leave the field",
            trigger: ".modal div[name='first_due_date'] input",
            run: "click",
        },
        {
            content: "The schedule is shown before anything is agreed",
            trigger: ".modal .o_plan_schedule:contains('105.00')",
        },
        {
            content: "Beside it, only a raise that really ends it sooner: +35.00, 140.00",
            trigger: ".modal .o_plan_options:contains('140.00'):not(:contains('115.00'))",
        },
        {
            content: "Propose the plan",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "It waits for the customer's agreement",
            trigger:
                ".o_statusbar_status button[aria-checked='true']:contains('customer\'s agreement')",
        },
        {
            content: "Record how the customer agreed",
            trigger: "button[name='action_record_agreement']",
            run: "click",
        },
        {
            content: "Who agreed",
            trigger: ".modal div[name='agreed_by'] input",
            run: "edit Paul Payer",
        },
        {
            content: "Record it and start the plan",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The plan is active",
            trigger: ".o_statusbar_status button[aria-checked='true']:contains('Active')",
        },
    ],
});

// Follow-ups › Configuration › Settings opens the follow-up settings
// themselves, not the top of another app's settings.
registry.category("web_tour.tours").add("payment_followup_settings", {
    steps: () => [
        {
            content: "The follow-up app is the one selected",
            trigger: ".settings_tab .tab.selected:contains('Follow-ups')",
        },
        {
            content: "Its first setting is in view",
            trigger: ".app_settings_block[data-key='payment_followup_plus'] .o_setting_box:contains('Default policy'):visible",
        },
    ],
});
