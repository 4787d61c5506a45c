import { registry } from "@web/core/registry";

// A customer opens the signed link of a reminder (no password), pays the
// overdue invoices with Odoo's demo provider and lands back on the page,
// where nothing is overdue any more.
registry.category("web_tour.tours").add("payment_followup_portal_pay", {
    steps: () => [
        {
            content: "The overdue invoices and their total",
            trigger: ".o_pfp_portal:contains('Overdue: $ 350.00')",
        },
        {
            content: "Pay the invoices ticked",
            trigger: "section#pay button[type='submit']",
            run: "click",
        },
        {
            content: "The amount to pay now is the total of the invoices chosen",
            trigger: ".o_pfp_pay_amount:contains('350.00')",
        },
        {
            content: "The demo provider's form",
            trigger: "#o_payment_form input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "Back on the payments page: nothing is overdue",
            trigger: ".o_pfp_portal:contains('Nothing is overdue or due soon')",
            timeout: 30000,
        },
    ],
});
