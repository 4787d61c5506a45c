from markupsafe import Markup, escape

from odoo import api, models


class MonetaryConverter(models.AbstractModel):
    """Amounts in reports, emails and portal pages name their currency when
    its symbol is shared by another active currency (see res_currency.py)."""

    _inherit = "ir.qweb.field.monetary"

    @api.model
    def value_to_html(self, value, options):
        html = super().value_to_html(value, options)
        currency = options["display_currency"]
        symbol = currency.symbol
        if symbol and symbol in currency._followup_shared_symbols():
            html = Markup(str(html).replace(str(escape(symbol)), str(escape(currency.name)), 1))
        return html
