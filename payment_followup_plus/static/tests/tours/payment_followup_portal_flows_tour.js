import { registry } from "@web/core/registry";

// The customer's flows on the payments page, clicked as a customer would.
// Each tour ends by reading what the page then says; the Python side of each
// test checks what was written (test_followup_portal_tours.py).

const tours = registry.category("web_tour.tours");

/** An ISO date ``days`` from today (the value a date input holds). */
function isoIn(days) {
    const when = new Date(Date.now() + days * 86400000);
    return when.toISOString().slice(0, 10);
}

/** Set a date or time input as the browser's picker does. */
function setValue(value) {
    return function () {
        this.anchor.value = value;
        this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
        this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
    };
}

/** Pay with Odoo's demo provider on the payment form. */
const payWithDemo = [
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
];

// A customer opens the signed link of a reminder (no password), pays the
// overdue invoices with Odoo's demo provider and lands back on the page,
// where nothing is overdue any more.
tours.add("payment_followup_portal_pay", {
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
        ...payWithDemo,
        {
            content: "Back on the payments page: nothing is overdue",
            trigger: ".o_pfp_portal:contains('Nothing is overdue or due soon')",
            timeout: 30000,
        },
        {
            content: "and the page says what was received",
            trigger: ".o_pfp_payment_received:contains('We received your payment of $ 350.00')",
        },
    ],
});

// The letter before action's signed link (no password): the page says the
// debt is with the legal department, ticks what the letter demands (its debts
// and the charges it claims), and the customer pays that total.
tours.add("pfp_portal_pay_letter_before_action", {
    steps: () => [
        {
            content: "What the letter says, on the page it names",
            trigger: ".o_pfp_legal:contains('With our legal department')",
        },
        {
            content: "Not 'already arranged'",
            trigger: ".o_pfp_portal:not(:contains('already arranged'))",
        },
        {
            content: "Pay what is ticked: the letter's total",
            trigger: "section#pay button[type='submit']",
            run: "click",
        },
        {
            content: "The amount to pay now",
            trigger: ".o_pfp_pay_amount",
        },
        ...payWithDemo,
        {
            content: "Back on the page: nothing is overdue, the payment is said",
            trigger: ".o_pfp_payment_received:contains('We received your payment')",
            timeout: 30000,
        },
    ],
});

tours.add("pfp_portal_installment", {
    steps: () => [
        {
            content: "The plan's next installment",
            trigger: "#plans p:contains('Next installment: $ 175.00')",
        },
        {
            content: "Pay the installment",
            trigger: "#plans a.o_pfp_pay_installment",
            run: "click",
        },
        {
            content: "Only the installment is asked for",
            trigger: ".o_pfp_pay_amount:contains('175.00')",
        },
        ...payWithDemo,
        {
            content: "Back on the page: the payment is confirmed",
            trigger: ".o_pfp_payment_received:contains('We received your payment of $ 175.00')",
            timeout: 30000,
        },
        {
            content: "The first installment is paid, the second is next",
            trigger: "#plans tbody tr:first-child td:last-child:contains('175.00')",
        },
        {
            content: "Nothing more is claimed as overdue",
            trigger: ".o_pfp_portal:not(:has(strong:contains('Overdue:')))",
        },
    ],
});

tours.add("pfp_portal_plan_inside", {
    steps: () => [
        {
            content: "Two installments",
            trigger: "#plan_count",
            run: "edit 2",
        },
        {
            content: "Show the schedule first",
            trigger: "section#plan button[name='preview']",
            run: "click",
        },
        {
            content: "The schedule, within our terms",
            trigger: ".o_pfp_preview:contains('175.00'):contains('starts as soon as you propose it')",
        },
        {
            content: "Propose it",
            trigger: "section#plan button[type='submit']:not([name])",
            run: "click",
        },
        {
            content: "The page opens at the plan and says it is agreed",
            trigger: "#plans .o_pfp_done:contains('is agreed and starts now')",
        },
        {
            content: "The plan is in progress",
            trigger: "#plans .badge:contains('in progress')",
        },
        {
            content: "No second plan is offered for the same invoices",
            trigger: ".o_pfp_portal:not(:has(section#plan)):not(:has(section#promise))",
        },
    ],
});

tours.add("pfp_portal_plan_outside", {
    steps: () => [
        {
            content: "Six installments (more than our terms allow)",
            trigger: "#plan_count",
            run: "edit 6",
        },
        {
            content: "Show the schedule first",
            trigger: "section#plan button[name='preview']",
            run: "click",
        },
        {
            content: "The preview says a person will review it",
            trigger: ".o_pfp_preview:contains('a person will review it')",
        },
        {
            content: "Propose it",
            trigger: "section#plan button[type='submit']:not([name])",
            run: "click",
        },
        {
            content: "The page says it is under review",
            trigger: "#plans .o_pfp_done:contains('is under review')",
        },
        {
            content: "The proposal waits",
            trigger: "#plans .badge:contains('under review')",
        },
    ],
});

tours.add("pfp_portal_plan_in_progress", {
    steps: () => [
        {
            content: "The plan the manager approved is in progress",
            trigger: "#plans .badge:contains('in progress')",
        },
        {
            content: "With its next installment to pay",
            trigger: "#plans a.o_pfp_pay_installment",
        },
    ],
});

tours.add("pfp_portal_plan_accept", {
    steps: () => [
        {
            content: "A plan waits for the customer's agreement",
            trigger: "#plans .badge:contains('waiting for your agreement')",
        },
        {
            content: "The customer's name",
            trigger: "form.o_pfp_accept input[name='signer']",
            run: "edit Ann Payer",
        },
        {
            content: "Accepting without ticking the box",
            trigger: "form.o_pfp_accept button[type='submit']",
            run: "click",
        },
        {
            content: "The page says what is missing, at the plan",
            trigger: "#plans .o_pfp_error:contains('Please tick the box to accept the plan')",
        },
        {
            content: "The name typed is kept",
            trigger: "form.o_pfp_accept input[name='signer']:value(Ann Payer)",
        },
        {
            content: "Tick the box",
            trigger: "form.o_pfp_accept input[name='agree']",
            run: "check",
        },
        {
            content: "Accept",
            trigger: "form.o_pfp_accept button[type='submit']",
            run: "click",
        },
        {
            content: "The plan is agreed",
            trigger: "#plans .o_pfp_done:contains('Thank you, Ann Payer')",
        },
        {
            content: "The plan is in progress, with nothing left to accept",
            trigger: "#plans:has(.badge:contains('in progress')):not(:has(form.o_pfp_accept))",
        },
    ],
});

tours.add("pfp_portal_promise", {
    steps: () => [
        {
            content: "The date",
            trigger: "#promise_date",
            run: setValue(isoIn(10)),
        },
        {
            content: "The amount, as the customer types it",
            trigger: "#promise_amount",
            run: "edit 350",
        },
        {
            content: "Send the promise",
            trigger: "form.o_pfp_promise_form button[type='submit']",
            run: "click",
        },
        {
            content: "The page opens at the promises and confirms",
            trigger: "#plans .o_pfp_done:contains('We have noted your promise to pay $ 350.00')",
        },
        {
            content: "The promise is listed",
            trigger: "#plans li:contains('$ 350.00 by')",
        },
        {
            content: "Nothing is claimed as overdue now: it is arranged",
            trigger: ".o_pfp_portal:contains('Overdue, already arranged')",
        },
    ],
});

tours.add("pfp_portal_dispute", {
    steps: () => [
        {
            content: "A dispute",
            trigger: "#reason_id",
            run: "selectByLabel Dispute",
        },
        {
            content: "Only the second invoice",
            trigger: "form.o_pfp_reason_form .o_pfp_choice input:first",
            run: "uncheck",
        },
        {
            content: "What is wrong: the quantity",
            trigger: "#dispute_reason_id",
            run: "selectByLabel Wrong quantity",
        },
        {
            content: "Only part of the invoice is disputed",
            trigger: "#disputed_amount",
            run: "edit 50.00",
        },
        {
            content: "In the customer's words",
            trigger: "#reason_note",
            run: "edit The quantity is wrong",
        },
        {
            content: "The delivery note, as a PDF",
            trigger: "#reason_file",
            run() {
                const file = new File(["%PDF-1.4 delivery note"], "delivery-note.pdf", {
                    type: "application/pdf",
                });
                const files = new DataTransfer();
                files.items.add(file);
                this.anchor.files = files.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Send",
            trigger: "form.o_pfp_reason_form button[type='submit']",
            run: "click",
        },
        {
            content: "The page says what is under review and until when, at the form",
            trigger: "#reason .o_pfp_done:contains('Thank you. Case'):contains('under review')",
        },
        {
            content: "The invoice shows the part under review; the rest can still be paid",
            trigger: "table.o_pfp_invoices tr:contains('50.00 under review (case')",
        },
        {
            content: "The case is listed, under review",
            trigger: ".o_pfp_disputes li:contains('Under review'):contains('50.00 of')",
        },
    ],
});

tours.add("pfp_portal_not_received", {
    steps: () => [
        {
            content: "An invoice never received",
            trigger: "#reason_id",
            run: "selectByLabel Invoice not received",
        },
        {
            content: "Send",
            trigger: "form.o_pfp_reason_form button[type='submit']",
            run: "click",
        },
        {
            content: "The page says the invoices were sent again",
            trigger: "#reason .o_pfp_done:contains('We have sent the invoices again to')",
        },
        {
            content: "And offers them to download",
            trigger: "table.o_pfp_invoices a[href*='/my/payments/invoice/']",
        },
    ],
});

tours.add("pfp_portal_call", {
    steps: () => [
        {
            content: "Times in the customer's time zone",
            trigger: ".o_pfp_call_form p:contains('Times in your time zone')",
        },
        {
            content: "The first time offered is chosen",
            trigger: ".o_pfp_call_form input[name='slot']:checked",
        },
        {
            content: "What to talk about",
            trigger: "#call_note",
            run: "edit The plan",
        },
        {
            content: "Book",
            trigger: ".o_pfp_call_form button[type='submit']",
            run: "click",
        },
        {
            content: "The page opens at the call and confirms it",
            trigger: "#call .o_pfp_done:contains('Your call is booked for')",
        },
        {
            content: "One call: no second booking is offered",
            trigger: "#call:has(h4:contains('Your call')):not(:has(.o_pfp_call_form))",
        },
        {
            content: "Another time",
            trigger: ".o_pfp_call select[name='slot']",
            run: "selectByIndex 1",
        },
        {
            content: "Move the call",
            trigger: ".o_pfp_call button:contains('Move the call')",
            run: "click",
        },
        {
            content: "The call is moved",
            trigger: "#call .o_pfp_done:contains('Your call is moved to')",
        },
        {
            content: "Cancel it",
            trigger: ".o_pfp_call button:contains('Cancel the call')",
            run: "click",
        },
        {
            content: "The call is cancelled",
            trigger: "#call .o_pfp_done:contains('is cancelled')",
        },
        {
            content: "A call can be booked again",
            trigger: "#call:has(h4:contains('Book a call')):has(.o_pfp_call_form):not(:has(.o_pfp_call))",
        },
    ],
});

tours.add("pfp_portal_preferences", {
    steps: () => [
        {
            content: "A mistyped address",
            trigger: "#pref_email",
            run: "edit claire@@nowhere",
        },
        {
            content: "Save",
            trigger: "form.o_pfp_preferences button[type='submit']",
            run: "click",
        },
        {
            content: "Refused, at the preferences",
            trigger: "#preferences .o_pfp_error:contains('email address')",
        },
        {
            content: "What was typed is kept to correct it",
            trigger: "#pref_email:value(claire@@nowhere)",
        },
        {
            content: "The right address",
            trigger: "#pref_email",
            run: "edit ap@acme.example.com",
        },
        {
            content: "Calls from 14:00",
            trigger: "#pref_from",
            run: setValue("14:00"),
        },
        {
            content: "until 16:30",
            trigger: "#pref_to",
            run: setValue("16:30"),
        },
        {
            content: "Save",
            trigger: "form.o_pfp_preferences button[type='submit']",
            run: "click",
        },
        {
            content: "Saved, at the preferences",
            trigger: "#preferences .o_pfp_done:contains('your preferences are saved')",
        },
        {
            content: "The page shows the new address",
            trigger: "#pref_email:value(ap@acme.example.com)",
        },
        {
            content: "And the new hours",
            trigger: "#pref_from:value(14:00)",
        },
    ],
});

tours.add("pfp_portal_signed_link", {
    steps: () => [
        {
            content: "The customer's page, without signing in",
            trigger: ".o_pfp_portal h3:contains('Acme Portal')",
        },
        {
            content: "Their overdue invoices",
            trigger: ".o_pfp_portal:contains('Overdue: $ 350.00')",
        },
        {
            content: "The reminder is listed as sent",
            trigger: "table.o_pfp_reminders tr:contains('Email')",
        },
        {
            content: "Nobody is signed in",
            trigger: "a[href*='/web/login']",
        },
    ],
});

const chat = (selector) => `.o-livechat-root:shadow ${selector}`;

tours.add("pfp_portal_chatbot", {
    steps: () => [
        {
            content: "The chat's button",
            trigger: chat(".o-livechat-LivechatButton"),
            run: "click",
        },
        {
            content: "The bot says hello",
            trigger: chat(".o-mail-Message:contains('I can help you settle your invoices')"),
            run() {
                odoo.__WOWL_DEBUG__.root.env.services[
                    "im_livechat.chatbot"
                ].chatbot.script.isLivechatTourRunning = true;
            },
        },
        {
            content: "Talk to a person",
            trigger: chat("li:contains('Talk to a person')"),
            run: "click",
        },
        {
            content: "The bot looks for the customer's collector",
            trigger: chat(".o-mail-Message:contains('Let me find the person who looks after')"),
        },
        {
            content: "The customer writes",
            trigger: chat(".o-mail-Composer-input"),
            run: "edit Can we talk about the last invoice?",
        },
        {
            content: "Send",
            trigger: chat(".o-mail-Composer-input"),
            run: "press Enter",
        },
        {
            content: "The message is in the chat",
            trigger: chat(".o-mail-Message:contains('Can we talk about the last invoice?')"),
        },
    ],
});

// A customer pays part of what is owed: types an amount, sees how it is
// shared among the invoices before paying, pays with Odoo's demo provider and
// lands back on the page, which says what was received.
tours.add("pfp_portal_partial", {
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
        ...payWithDemo,
        {
            content: "Back on the page: the payment is confirmed",
            trigger: ".o_pfp_payment_received:contains('We received your payment of $ 123.45')",
            timeout: 30000,
        },
    ],
});

// a step that checks the answer to a submit has the focus
function answerFocused(content, trigger) {
    return {
        content,
        trigger: `${trigger}.o_pfp_focused`,
        run() {
            if (document.activeElement !== this.anchor) {
                throw new Error("the focus is on " + document.activeElement.outerHTML);
            }
        },
    };
}

tours.add("pfp_portal_focus", {
    steps: () => [
        {
            content: "Save the preferences",
            trigger: "form.o_pfp_preferences button[type='submit']",
            run: "click",
        },
        answerFocused(
            "The confirmation has the focus: a screen reader reads it at once",
            "#preferences .o_pfp_done[role='status']"
        ),
        {
            content: "A refused request: an amount that is not one",
            trigger: "#promise_amount",
            run: "edit ten",
        },
        {
            content: "Send it",
            trigger: "form.o_pfp_promise_form button[type='submit']",
            run: "click",
        },
        answerFocused("The message says why, and has the focus", ".alert-danger[role='alert']"),
    ],
});
