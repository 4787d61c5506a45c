from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def get_currencies(self):
        """The back office's amounts are written with the same sign as the
        server's (``res.currency._followup_symbol``): a symbol another active
        currency shares ("$" for USD and NZD) becomes the currency's code, so
        the plan form does not show an NZD amount as "$"."""
        currencies = super().get_currencies()
        for currency in self.env["res.currency"].browse(currencies):
            currencies[currency.id]["symbol"] = currency._followup_symbol()
        return currencies
