import { registry } from "@web/core/registry";

// A customer with a payment plan opens the signed link of a reminder, saves a
// card with Odoo's demo provider (nothing is paid), comes back to the page,
// chooses the card, types their name, ticks the consent and sets up
// automatic payment; the page then says it, with the next charge.
registry.category("web_tour.tours").add("pfp_portal_autopay", {
    steps: () => [
        {
            content: "Automatic payment is offered for the plan",
            trigger: "#autopay .o_pfp_autopay_offer:contains('automatically')",
        },
        {
            content: "Save a card first",
            trigger: "#autopay a:contains('Save a card or bank account')",
            run: "click",
        },
        {
            content: "Nothing is paid now",
            trigger: "p:contains('Nothing is paid now')",
        },
        {
            content: "The demo provider's form",
            trigger: "#o_payment_form input[name='o_payment_radio']",
            run: "click",
        },
        {
            content: "The card's number (test data)",
            trigger: "#customer_input",
            run: "edit 4242",
        },
        {
            content: "Save it",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "Back on the payments page, the saved card is offered",
            trigger: "#autopay .o_pfp_autopay_offer label:contains('4242')",
            timeout: 30000,
        },
        {
            content: "Choose it",
            trigger: "#autopay .o_pfp_autopay_offer input[name='payment_token_id']",
            run: "click",
        },
        {
            content: "Type one's name",
            trigger: "#autopay input[name='signer']",
            run: "edit Ann Payer",
        },
        {
            content: "Read and tick the consent",
            trigger: "#autopay input[name='consent']",
            run: "click",
        },
        {
            content: "Set up automatic payment",
            trigger: "#autopay button:contains('Pay each installment automatically')",
            run: "click",
        },
        {
            content: "The page says it is set up",
            trigger: "#autopay .o_pfp_done:contains('Automatic payment is set up')",
        },
        {
            content: "and when the next installment is charged, to which card",
            trigger: "#autopay .o_pfp_autopay:contains('4242'):contains('175.00')",
        },
    ],
});
