from markupsafe import Markup, escape

from odoo import api, models
from odoo.tools.misc import format_date, formatLang

from ...engine.money import to_major


class PaymentFollowupMessage(models.AbstractModel):
    """The one table of translated messages for the engine's errors.

    Every engine module raises its own :class:`EngineError` subclass with a
    ``code`` and data; this turns any of them into a sentence for the user, in
    the user's language. ``policy``, ``currency`` and ``partner`` give the
    context some messages name.
    """

    _name = "payment.followup.message"
    _description = "Payment follow-up messages"

    @api.model
    def _engine_error(self, err, policy=None, currency=None, partner=None):
        data = dict(err.data)
        _ = self.env._

        def money(key):
            if currency is None:
                return data.get(key)
            return currency.format(to_major(data.get(key, 0), currency.decimal_places))

        customer = partner.display_name if partner else ""
        messages = {
            # ladder
            "duplicate_days": lambda: _(
                "Policy %(policy)s has two levels at %(days)s days. Each level needs its own "
                "number of days.",
                policy=policy,
                days=data["days"],
            ),
            "no_action": lambda: _(
                "The level at %(days)s days of policy %(policy)s has no action. Choose at "
                "least one: email, printed letter, activity or call to schedule.",
                policy=policy,
                days=data["days"],
            ),
            "tier_backwards": lambda: _(
                "Tiers cannot go backwards in policy %(policy)s: the level at %(days)s days is "
                "tier %(tier)s but the earlier level at %(previous_days)s days is already tier "
                "%(previous_tier)s.",
                policy=policy,
                **data,
            ),
            "bad_tier": lambda: _(
                "The level at %(days)s days has an unknown tier.", days=data["days"]
            ),
            "courtesy_before_due": lambda: _(
                "The level at %(days)s days of policy %(policy)s: courtesy wording (\u201cdue "
                "shortly\u201d) belongs to the levels on or before the due date (0 days or "
                "less), and only to them.",
                policy=policy,
                days=data["days"],
            ),
            "negative_response_days": lambda: _(
                "The days to respond of the level at %(days)s days cannot be negative.",
                days=data["days"],
            ),
            "final_without_firm": lambda: _(
                "Policy %(policy)s: the final notice at %(days)s days needs a firm level before "
                "it, so that a firm reminder has really gone out first.",
                policy=policy,
                days=data["days"],
            ),
            # slots and guardrails
            "no_overlap": lambda: _(
                "The contact window of %(customer)s (%(tz)s) never meets our working hours. "
                "Change the customer's preferred hours or call outside the usual window.",
                customer=customer,
                tz=data.get("customer_tz"),
            ),
            "window_end_before_start": lambda: _(
                "The preferred hours of %(customer)s end before they start.", customer=customer
            ),
            "bad_hours": lambda: _("Hours must lie between 0:00 and 24:00."),
            "unknown_tz": lambda: _("Unknown time zone: %(tz)s", tz=data.get("tz")),
            "negative_notice": lambda: _("The minimum notice cannot be negative."),
            "no_weekday": lambda: _(
                "%(customer)s has no preferred weekday left.", customer=customer
            ),
            "bad_cap": lambda: _("The call cap needs at least one attempt and one day."),
            "naive_now": lambda: _("A time without a time zone was given."),
            # installments, plans and promises
            "bad_decimals": lambda: _("This currency's decimals are not supported."),
            "total_not_positive": lambda: _("There is nothing left to pay."),
            "count_below_one": lambda: _("A plan needs at least one installment."),
            "count_above_total": lambda: _(
                "%(count)s installments would be smaller than the currency's smallest unit.",
                count=data.get("count"),
            ),
            "count_or_amount": lambda: _(
                "Give either the number of installments or the installment amount."
            ),
            "bad_frequency": lambda: _("Choose how often the customer pays."),
            "first_due_in_past": lambda: _(
                "The first installment cannot be due in the past (%(date)s).",
                date=data.get("first_due"),
            ),
            "down_payment_after_first": lambda: _(
                "The down payment (%(date)s) must fall due before the first installment "
                "(%(first)s).",
                date=data.get("down_payment_date"),
                first=data.get("first_due"),
            ),
            "negative_down_payment": lambda: _("The down payment cannot be negative."),
            "down_payment_covers_total": lambda: _(
                "The down payment (%(amount)s) covers the whole debt: no plan is needed.",
                amount=money("down_payment"),
            ),
            "amount_not_positive": lambda: _("The amount must be more than zero."),
            "step_not_positive": lambda: _("The extra amount must be more than zero."),
            "negative_days": lambda: _("Numbers of days cannot be negative."),
            "amount_above_debt": lambda: _(
                "The amount promised (%(amount)s) is more than what is owed (%(owed)s).",
                amount=money("amount"),
                owed=money("owed"),
            ),
            "date_in_past": lambda: _(
                "The date cannot be in the past (%(date)s).", date=data.get("date")
            ),
            "beyond_guideline": lambda: _(
                "A promise may reach at most %(days)s days ahead; offer a payment plan instead.",
                days=data.get("max_days"),
            ),
            # numbers typed by people
            "not_a_number": lambda: _("“%(value)s” is not a number.", value=data.get("value")),
            "not_whole": lambda: _("%(value)s is not a whole number.", value=data.get("value")),
            "bad_step": lambda: _(
                'The "pay a bit more" steps must be positive amounts separated by commas, '
                'e.g. "10, 15" (got %(value)s).',
                value=data.get("value"),
            ),
            # tone
            "unknown_severity": lambda: _(
                "Unknown wording severity: %(severity)s", severity=data.get("severity")
            ),
            # document packs
            "pack_empty": lambda: _("There is no document to put in the PDF."),
            "pack_empty_document": lambda: _(
                "The document %(document)s is empty.", document=data.get("document")
            ),
            "pack_not_pdf": lambda: _(
                "The document %(document)s is not a PDF.", document=data.get("document")
            ),
            "pack_corrupt_pdf": lambda: _(
                "The PDF of %(document)s is damaged and cannot be read.",
                document=data.get("document"),
            ),
            "pack_encrypted_pdf": lambda: _(
                "The PDF of %(document)s is protected by a password; it cannot be merged.",
                document=data.get("document"),
            ),
            "unknown_formality": lambda: _(
                "Unknown formality: %(formality)s", formality=data.get("formality")
            ),
            # statutory interest
            "unknown_jurisdiction": lambda: _(
                "Unknown late-payment rules: %(code)s", code=data.get("jurisdiction")
            ),
            "missing_rate": lambda: _(
                "The reference rate %(kind)s of the half-year from %(period)s is missing: add it "
                "under Follow-ups › Configuration › Reference rates.",
                kind=self._rate_label(data.get("kind")),
                period=format_date(self.env, data.get("period")) if data.get("period") else "",
            ),
            "until_before_due": lambda: _(
                "The calculation date (%(until)s) is before the first late day (%(first)s).",
                until=data.get("until"),
                first=data.get("first"),
            ),
            "principal_not_positive": lambda: _("There is no late amount to charge."),
            "payment_not_positive": lambda: _(
                "A payment of %(date)s has no amount.", date=data.get("date")
            ),
            "consumer_not_covered": lambda: _(
                "%(customer)s is a consumer: these statutory rules (%(code)s) do not apply.",
                customer=customer,
                code=data.get("jurisdiction"),
            ),
            "contract_rate_not_positive": lambda: _("The contract rate must be more than zero."),
            "contract_below_floor": lambda: _(
                "A contract rate of %(rate)s%% is below the legal floor of %(floor)s%% (three "
                "times the legal interest rate of the half-year from %(period)s).",
                rate=formatLang(self.env, float(data.get("rate") or 0), digits=2),
                floor=formatLang(self.env, float(data.get("floor") or 0), digits=2),
                period=format_date(self.env, data.get("period")) if data.get("period") else "",
            ),
            # what a customer types on the portal
            "amount_missing": lambda: _("Please enter an amount."),
            "amount_format": lambda: _(
                "Please write the amount as %(example)s (got %(value)s).",
                example=self._number_example(),
                value=data.get("value"),
            ),
            "amount_ambiguous": lambda: _(
                "“%(value)s” could be read in two ways. Please write the amount as %(example)s.",
                value=data.get("value"),
                example=self._number_example(),
            ),
            "amount_range": lambda: _("This amount is far too large. Please check it."),
            "date_too_early": lambda: _(
                "Please choose a date from %(date)s on.",
                date=format_date(self.env, data.get("date")),
            ),
            "date_too_late": lambda: _(
                "Please choose a date up to %(date)s.",
                date=format_date(self.env, data.get("date")),
            ),
            "email_missing": lambda: _("Please enter an email address."),
            "email_invalid": lambda: _(
                "“%(email)s” is not a valid email address (one address, such as "
                "name@example.com).",
                email=data.get("value"),
            ),
            "text_too_long": lambda: _(
                "Please keep the message under %(count)s characters.", count=data.get("count")
            ),
            "choice_invalid": lambda: _("Please choose one of the options in the list."),
            "amount_not_number": lambda: _(
                "“%(value)s” is not an amount. Please enter a number such as 120.50.",
                value=data.get("value"),
            ),
            "amount_negative": lambda: _("The amount cannot be negative."),
            "amount_zero": lambda: _("The amount must be more than zero."),
            "amount_decimals": lambda: _(
                "The amount has too many decimals: at most %(decimals)s.",
                decimals=data.get("decimals"),
            ),
            "amount_too_much": lambda: _(
                "The amount is more than what is owed (%(owed)s).", owed=money("owed")
            ),
            "date_missing": lambda: _("Please choose a date."),
            "date_invalid": lambda: _(
                "“%(value)s” is not a date. Please choose one in the calendar.",
                value=data.get("value"),
            ),
            "slot_invalid": lambda: _("Please choose one of the times offered."),
            "count_invalid": lambda: _(
                "“%(value)s” is not a whole number.", value=data.get("value")
            ),
            "count_range": lambda: _(
                "Please choose a number between %(low)s and %(high)s.",
                low=data.get("low"),
                high=data.get("high"),
            ),
            "ids_missing": lambda: _("Please choose at least one invoice."),
            "ids_invalid": lambda: _(
                "One of the choices is not open to you. Please reload the page and choose again."
            ),
            "hours_invalid": lambda: _(
                "“%(value)s” is not a time of day (HH:MM).", value=data.get("value")
            ),
            "hours_order": lambda: _("The preferred hours must end after they start."),
            "file_empty": lambda: _("The file %(name)s is empty.", name=data.get("name")),
            "file_too_large": lambda: _(
                "The file %(name)s is larger than %(size)s MB.",
                name=data.get("name"),
                size=round(data.get("limit", 0) / 1024 / 1024, 1),
            ),
            "file_type": lambda: _(
                "The file %(name)s is not a PDF, PNG or JPEG file.", name=data.get("name")
            ),
        }
        message = messages.get(err.code)
        if message is None:
            return _("The request cannot be done (%(code)s).", code=err.code)
        return message()

    @api.model
    def _breach_labels(self, codes, company):
        labels = {
            "duration": self.env._(
                "lasts longer than %(months)s months", months=company.followup_plan_max_months
            ),
            "installment": self.env._(
                "installments below %(pct)s%% of the debt",
                pct=self._percent(company.followup_plan_min_installment_pct),
            ),
            "down_payment": self.env._(
                "down payment below %(pct)s%% of the debt",
                pct=self._percent(company.followup_plan_min_down_payment_pct),
            ),
            "amount": self.env._(
                "more than %(amount)s under a plan",
                amount=company.currency_id.format(company.followup_plan_max_amount),
            ),
        }
        return "; ".join(labels[code] for code in codes)

    @api.model
    def _number_example(self):
        """1234.56 as the user's language writes it (e.g. 1,234.56 or 1 234,56)."""
        return formatLang(self.env, 1234.56, digits=2)

    @api.model
    def _plain_html(self, text):
        """Text a person typed (a customer above all) as HTML that shows it as
        typed: escaped, line breaks kept, no link made live."""
        lines = (text or "").splitlines()
        return Markup("<p>%s</p>") % Markup("<br/>").join(escape(line) for line in lines)

    @api.model
    def _percent(self, value):
        """A percentage as the reader writes numbers, with only the decimals
        it has ("5", "2,5", "12,25"), never "5.0" in a French sentence."""
        value = round(float(value or 0), 2)
        digits = next(d for d in (0, 1, 2) if round(value, d) == value)
        return formatLang(self.env, value, digits=digits)

    @api.model
    def _rate_label(self, kind):
        """A reference rate as people know it (hook: the legal part names it,
        "ECB main refinancing rate"; here its code)."""
        return kind or ""

    @api.model
    def _number_format(self, code):
        """(decimal point, thousands separator, month first) of a language, as
        Odoo defines it (English when it is not installed): how a person of that
        language writes amounts and dates."""
        Lang = self.env["res.lang"]
        data = Lang._get_data(code=code or "en_US") or Lang._get_data(code="en_US")
        return (
            data.decimal_point or ".",
            data.thousands_sep or "",
            (data.date_format or "").lstrip().startswith("%m"),
        )

    @api.model
    def _notify(self, title, message, kind):
        """The client action showing ``message`` in a notification (sticky
        unless it is a success), then closing the dialog it came from."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": title,
                "message": message,
                "type": kind,
                "sticky": kind != "success",
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
