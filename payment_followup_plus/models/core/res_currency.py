from odoo import api, models, tools
from odoo.tools import SQL


class ResCurrency(models.Model):
    """An amount the customer reads names its currency when its symbol alone
    would not: with NZD and USD both active, "$ 10.00" is "NZD 10.00" or
    "USD 10.00" (in emails, letters, the portal and every sentence formatted
    with ``format``); a symbol only one active currency uses stays as it is."""

    _inherit = "res.currency"

    @tools.ormcache()
    def _followup_shared_symbols(self):
        """The symbols several active currencies share."""
        rows = self.env.execute_query(
            SQL("SELECT symbol FROM res_currency WHERE active GROUP BY symbol HAVING COUNT(*) > 1")
        )
        return frozenset(symbol for (symbol,) in rows)

    def _followup_symbol(self):
        """The sign an amount of this currency is written with: its symbol, or
        its code when another active currency shares the symbol. The server's
        texts, the monetary widget and the web client all read it here."""
        self.ensure_one()
        if self.symbol and self.symbol in self._followup_shared_symbols():
            return self.name
        return self.symbol

    def _followup_unambiguous(self, text):
        """``text``, an amount of this currency as formatted with its symbol,
        with the currency's code instead when the symbol is shared."""
        symbol = self._followup_symbol()
        return text if symbol == self.symbol else text.replace(self.symbol, symbol, 1)

    def format(self, amount):
        return self._followup_unambiguous(super().format(amount))

    @api.model_create_multi
    def create(self, vals_list):
        currencies = super().create(vals_list)
        self.env.registry.clear_cache()
        return currencies

    def write(self, vals):
        result = super().write(vals)
        if {"active", "symbol"} & set(vals):
            self.env.registry.clear_cache()
        return result
