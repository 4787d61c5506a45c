from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    def get_currencies(self):
        """The back office's amounts name their currency as the server's do
        (``res.currency._followup_unambiguous``): a symbol another active
        currency shares ("$" for USD and NZD) becomes the currency's code, so
        the plan form does not show an NZD amount as "$"."""
        currencies = super().get_currencies()
        shared = self.env["res.currency"]._followup_shared_symbols()
        if shared:
            for currency in (
                self.env["res.currency"].browse(currencies).filtered(lambda c: c.symbol in shared)
            ):
                currencies[currency.id]["symbol"] = currency.name
        return currencies
