import { registry } from "@web/core/registry";

// A customer pays part of what is owed: types an amount, sees how it is
// shared among the invoices before paying, pays with Odoo's demo provider and
// lands back on the page, which says what was received.
registry.category("web_tour.tours").add("pfp_portal_partial", {
    steps: () => [
        {
            content: "An amount of one's choice",
            trigger: "#pfp_partial_amount",
            run: "edit 123.45",
        },
        {
            content: "Pay this amount",
            trigger: "section#pay button[name='partial']",
            run: "click",
        },
        {
            content: "How it is shared: the oldest invoice first, then the next",
            trigger: ".o_pfp_allocation:contains('100.00'):contains('23.45')",
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
            content: "Back on the page: the payment is confirmed",
            trigger: ".o_pfp_payment_received:contains('We received your payment of $ 123.45')",
            timeout: 30000,
        },
    ],
});
