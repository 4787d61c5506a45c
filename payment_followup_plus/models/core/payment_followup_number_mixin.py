from odoo import api, models
from odoo.exceptions import ValidationError

from ...engine.money import to_major, to_minor
from ...engine.numbers import NumberError, parse_number

NUMBER_TYPES = ("float", "monetary", "integer")


class PaymentFollowupNumberMixin(models.AbstractModel):
    """Amounts, counts and days of the follow-up records and wizards are checked
    before anything is written: "ten" or "1,5" sent for an amount gives a clear,
    translated message, not the bare conversion error of the field."""

    _name = "payment.followup.number.mixin"
    _description = "Follow-up numbers checked before they are stored"

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_number_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_number_vals(vals)
        return super().write(vals)

    @api.model
    def _check_number_vals(self, vals):
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or field.type not in NUMBER_TYPES:
                continue
            try:
                parse_number(value, integer=field.type == "integer")
            except NumberError as err:
                label = field._description_string(self.env)
                if err.code == "not_whole":
                    message = self.env._(
                        "%(field)s must be a whole number, not %(value)s.",
                        field=label,
                        value=value,
                    )
                else:
                    message = self.env._(
                        "%(field)s must be a number, not “%(value)s”.", field=label, value=value
                    )
                raise ValidationError(message) from err

    # amounts of the records' ``currency_id`` as the engine counts them
    def _minor(self, amount, currency=None):
        """``amount`` in integer minor units (cents, fils, yen) of the currency."""
        return to_minor(amount, (currency or self.currency_id).decimal_places)

    def _major(self, minor):
        return to_major(minor, self.currency_id.decimal_places)
