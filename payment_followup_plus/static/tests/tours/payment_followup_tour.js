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
            content: "The accountant is told what was done",
            trigger: ".o_notification:contains('1 customer(s) reminded')",
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
            content: "Beside it, the pay-a-bit-more options",
            trigger: ".modal .o_plan_options:contains('115.00')",
        },
        {
            content: "Confirm the plan",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The plan is active",
            trigger: ".o_statusbar_status button[aria-checked='true']:contains('Active')",
        },
    ],
});
