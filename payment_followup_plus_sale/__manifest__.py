{
    "name": "Payment Follow-up Plus: Sales credit hold",
    "summary": "New sales wait while the payment follow-up says so: a hold with a manager's "
    "override and automatic release",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "payment_followup_plus contributors",
    "website": "https://github.com/payment-followup-plus/payment_followup_plus",
    "depends": ["sale", "payment_followup_plus"],
    "auto_install": True,
    "data": [
        "security/payment_followup_sale_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/payment_followup_policy_views.xml",
        "views/sale_order_views.xml",
        "views/res_partner_views.xml",
        "views/payment_followup_sales_hold_views.xml",
        "views/sale_portal_templates.xml",
        "wizards/payment_followup_sales_hold_override_views.xml",
    ],
    "demo": ["demo/payment_followup_sale_demo.xml"],
}
