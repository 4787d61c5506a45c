/** @odoo-module **/
// The customer's payments page: after a submit, the answer (the confirmation
// or why it was refused) receives the focus, so a screen reader reads it at
// once and a keyboard user continues from there.

function focusAnswer() {
    const answer = document.querySelector(
        ".o_pfp_portal .alert-danger[role='alert'], .o_pfp_portal .o_pfp_done"
    );
    if (answer) {
        answer.focus();
        answer.classList.add("o_pfp_focused");
    }
}

if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusAnswer);
} else {
    focusAnswer();
}
