import { registry } from "@web/core/registry";

// An accountant opens the dashboard from its menu, reads the overdue total,
// opens the cash forecast as a chart, then their follow-ups for today.
registry.category("web_tour.tours").add("payment_followup_cockpit", {
    steps: () => [
        {
            content: "The dashboard with its figures",
            trigger: ".o_form_view h1:contains('Collections dashboard')",
        },
        {
            content: "The overdue invoice is counted",
            trigger: "div[name='overdue']:contains('420.00')",
        },
        {
            content: "The aging table",
            trigger: "div[name='bucket_ids'] td:contains('1-30 days')",
        },
        {
            content: "Open the cash forecast as a chart",
            trigger: "button[name='action_view_forecast']",
            run: "click",
        },
        {
            content: "Odoo's graph view draws it",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "My follow-ups today",
            trigger: ".o_main_navbar",
            run: () => {
                window.location.href = "/odoo/followup-today";
            },
        },
        {
            content: "The dispute's to-do is listed, with its amount at risk",
            trigger: ".o_list_view td:contains('Dispute waiting')",
        },
    ],
});
