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
