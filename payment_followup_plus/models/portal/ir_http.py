from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _get_translation_frontend_modules_name(cls):
        """The chat on the customer's payments page (no website module) speaks
        the page's language: its own words and the messages' ("Today at …",
        "Select an option above") come with the frontend translations."""
        return super()._get_translation_frontend_modules_name() + ["mail", "im_livechat"]
