import { registry } from "@web/core/registry";

// A follow-up manager opens the experiments, one experiment with its arms and
// figures, then the results as Odoo's graph.
registry.category("web_tour.tours").add("payment_followup_experiments", {
    steps: () => [
        {
            content: "The experiment is listed as running",
            trigger: ".o_list_view td:contains('Tour experiment')",
            run: "click",
        },
        {
            content: "Its arms: the control and the variant, with their status",
            trigger: ".o_form_view .o_field_one2many td:contains('Current wording')",
        },
        {
            content: "The variant collects until the planned size",
            trigger: ".o_form_view .o_field_one2many td:contains('Collecting')",
        },
        {
            content: "The planned size is shown",
            trigger: ".o_form_view div[name='planned_size']",
        },
        {
            content: "The results as a chart",
            trigger: ".o_main_navbar",
            run: () => {
                window.location.href =
                    "/odoo/action-payment_followup_plus.action_payment_followup_experiment_arm";
            },
        },
        {
            content: "The results list: each arm with its difference to the control",
            trigger: ".o_list_view td:contains('Warmer')",
        },
        {
            content: "Nothing counted yet: empty cells, never a made-up 0.0",
            trigger:
                ".o_list_view tr.o_data_row:contains('Warmer') td[name='rate']:not(:contains('0.0'))",
        },
        {
            content: "and no 0.0 anywhere in the figures of an arm not measured",
            trigger: ".o_list_view tbody:not(:contains('0.0'))",
        },
        {
            content: "Switch to the graph",
            trigger: "button.o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "Odoo's graph view draws the arms",
            trigger: ".o_graph_renderer canvas",
        },
    ],
});
