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
        symbol = currency._followup_symbol()
        if symbol != currency.symbol:
            html = Markup(str(html).replace(str(escape(currency.symbol)), str(escape(symbol)), 1))
        return html
