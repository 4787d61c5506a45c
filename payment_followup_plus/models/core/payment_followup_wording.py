from odoo import api, models

from ...engine.tone import salutation

FEMALE_TITLES = ("base.res_partner_title_madam", "base.res_partner_title_miss")
MALE_TITLES = ("base.res_partner_title_mister",)


class PaymentFollowupWording(models.AbstractModel):
    """Every sentence a customer reads in a reminder, as whole translatable
    sentences with named placeholders (so French and German can order their
    words freely), chosen by the engine's tone: severity, directness, formality
    and whether there was an earlier reminder to refer to.

    Each method takes ``_``, the translation function of the customer's
    language (``env._`` of an environment with that ``lang``).
    """

    _name = "payment.followup.wording"
    _description = "Payment reminder wording"

    # ------------------------------------------------------------------
    # greeting and closing
    # ------------------------------------------------------------------
    @api.model
    def _gender(self, person):
        """What the person's title says of their gender (None: nothing)."""
        if not person.title:
            return None
        for xmlids, gender in ((FEMALE_TITLES, "female"), (MALE_TITLES, "male")):
            titles = [self.env.ref(xmlid, raise_if_not_found=False) for xmlid in xmlids]
            if person.title in titles:
                return gender
        return None

    @api.model
    def _greeting(self, _, formality, person):
        """``person``: the contact written to, or an empty record for the company
        itself (no person known)."""
        person_name = person.name if person and not person.is_company else None
        result = salutation(formality, person_name, self._gender(person) if person else None)
        texts = {
            "formal_female": lambda: _("Dear Ms %(surname)s,", surname=result.surname),
            "formal_male": lambda: _("Dear Mr %(surname)s,", surname=result.surname),
            "formal_named": lambda: _("Dear %(name)s,", name=result.name),
            "formal_nobody": lambda: _("Dear Sir or Madam,"),
            "informal_named": lambda: _("Hello %(first_name)s,", first_name=result.first_name),
            "informal_nobody": lambda: _("Hello,"),
        }
        return texts[result.key]()

    @api.model
    def _closing(self, _, formality):
        if formality == "informal":
            return _("Best wishes,")
        return _("Kind regards,")

    # ------------------------------------------------------------------
    # the opening paragraph
    # ------------------------------------------------------------------
    @api.model
    def _opening(self, _, severity, style, formality, days, previous_date=None):
        """The paragraph that says what the reminder is about. ``previous_date``
        (already formatted) only when an earlier reminder really went out."""
        # courtesy and friendly texts never refer to an earlier reminder
        history = bool(previous_date) and severity in ("firm", "final")
        key = (severity, style, formality, history)
        v = {"days": days, "date": previous_date}
        texts = {
            # courtesy: before the due date
            ("courtesy", "direct", "formal", False): lambda: _(
                "This is a reminder that the invoices below fall due shortly. Please arrange "
                "payment by their due date."
            ),
            ("courtesy", "direct", "informal", False): lambda: _(
                "Just a heads-up: the invoices below are due soon. Please pay them by their "
                "due date."
            ),
            ("courtesy", "indirect", "formal", False): lambda: _(
                "We would like to kindly bring to your attention that the invoices below will "
                "soon fall due. We would be grateful if you could arrange payment in good time."
            ),
            ("courtesy", "indirect", "informal", False): lambda: _(
                "We thought a short note might help: the invoices below are due soon. It would "
                "be great if you could schedule the payment."
            ),
            # friendly: first reminder after the due date
            ("friendly", "direct", "formal", False): lambda: _(
                "Our records show that the invoices below are now overdue. Please pay the open "
                "amount within %(days)s days.",
                **v,
            ),
            ("friendly", "direct", "informal", False): lambda: _(
                "The invoices below are now overdue. Please pay the open amount in the next "
                "%(days)s days.",
                **v,
            ),
            ("friendly", "indirect", "formal", False): lambda: _(
                "Perhaps this has escaped your attention, but our records suggest that the "
                "invoices below are still open. We would be most grateful if you could settle "
                "them within %(days)s days. If your payment is already on its way, please "
                "disregard this message.",
                **v,
            ),
            ("friendly", "indirect", "informal", False): lambda: _(
                "It looks like the invoices below may have slipped through the cracks. Could "
                "you settle them in the next %(days)s days? If you have already paid, thank "
                "you, and please ignore this note.",
                **v,
            ),
            # firm, after a reminder of a known date
            ("firm", "direct", "formal", True): lambda: _(
                "Despite our reminder of %(date)s, the invoices below remain unpaid. Please "
                "settle the full amount within %(days)s days or contact us to agree on a "
                "solution.",
                **v,
            ),
            ("firm", "direct", "informal", True): lambda: _(
                "We wrote to you about the invoices below on %(date)s and they are still "
                "unpaid. Please pay within %(days)s days, or get in touch so we can find a "
                "solution together.",
                **v,
            ),
            ("firm", "indirect", "formal", True): lambda: _(
                "We have not yet been able to record payment of the invoices below, about which "
                "we wrote to you on %(date)s. We would appreciate settlement within %(days)s "
                "days. Should there be any difficulty, we would welcome the opportunity to "
                "discuss a suitable arrangement with you.",
                **v,
            ),
            ("firm", "indirect", "informal", True): lambda: _(
                "We still have not received payment for the invoices below, which we mentioned "
                "on %(date)s. If something is making it difficult, let us talk: we are happy to "
                "work out an arrangement. Otherwise, we would appreciate payment within "
                "%(days)s days.",
                **v,
            ),
            # firm as a first contact (a migration): no earlier reminder to refer to
            ("firm", "direct", "formal", False): lambda: _(
                "The invoices below are overdue and remain unpaid. Please settle the full "
                "amount within %(days)s days or contact us to agree on a solution.",
                **v,
            ),
            ("firm", "direct", "informal", False): lambda: _(
                "The invoices below are overdue and still unpaid. Please pay within %(days)s "
                "days, or get in touch so we can find a solution together.",
                **v,
            ),
            ("firm", "indirect", "formal", False): lambda: _(
                "We have not yet been able to record payment of the invoices below, which are "
                "now overdue. We would appreciate settlement within %(days)s days. Should there "
                "be any difficulty, we would welcome the opportunity to discuss a suitable "
                "arrangement with you.",
                **v,
            ),
            ("firm", "indirect", "informal", False): lambda: _(
                "We have not received payment for the invoices below yet, and they are now "
                "overdue. If something is making it difficult, let us talk: we are happy to "
                "work out an arrangement. Otherwise, we would appreciate payment within "
                "%(days)s days.",
                **v,
            ),
            # final notice, after a firm reminder of a known date
            ("final", "direct", "formal", True): lambda: _(
                "This is our final notice. We wrote to you about the invoices below on "
                "%(date)s and they remain unpaid. Unless the full amount is paid within "
                "%(days)s days, the matter will be referred for legal review. If you disagree "
                "with any amount, please contact us immediately.",
                **v,
            ),
            ("final", "indirect", "formal", True): lambda: _(
                "We regret that the invoices below remain unpaid despite our reminder of "
                "%(date)s. Unless we receive payment within %(days)s days, we will unfortunately "
                "have to refer the matter for legal review. We would much prefer to resolve this "
                "together, so please contact us if there is anything we should know.",
                **v,
            ),
            ("final", "direct", "formal", False): lambda: _(
                "This is our final notice. The invoices below remain unpaid. Unless the full "
                "amount is paid within %(days)s days, the matter will be referred for legal "
                "review. If you disagree with any amount, please contact us immediately.",
                **v,
            ),
            ("final", "indirect", "formal", False): lambda: _(
                "We regret that the invoices below remain unpaid. Unless we receive payment "
                "within %(days)s days, we will unfortunately have to refer the matter for legal "
                "review. We would much prefer to resolve this together, so please contact us if "
                "there is anything we should know.",
                **v,
            ),
        }
        if key not in texts and severity == "final":
            # final notices are formal (tier 3 and 4): an informal ladder still gets them
            key = (severity, style, "formal", history)
        return texts[key]()

    # ------------------------------------------------------------------
    # the other parts
    # ------------------------------------------------------------------
    @api.model
    def _title(self, _, severity):
        """Subject of the email and title of the letter: they say what it is."""
        return {
            "courtesy": _("Invoices due soon"),
            "friendly": _("Payment reminder"),
            "firm": _("Overdue invoices: payment needed"),
            "final": _("Final notice before legal review"),
        }[severity]

    @api.model
    def _section_intros(self, _, formality, severity=None):
        informal = formality == "informal"
        # money on its way is thanked for, never demanded (engine.evidence)
        on_its_way = (
            _(
                "We see a payment on its way for these invoices. Thank you: they are not part "
                "of this reminder."
            )
            if not informal
            else _(
                "We can see your payment on its way for these. Thanks: they are not part of this reminder."
            )
        )
        if severity == "final":
            # a final notice threatens only for the invoices that reached it
            return {
                "overdue": _(
                    "For your information, these invoices are also overdue. They are not part "
                    "of this notice: we will write to you about them separately."
                ),
                "due_soon": _("For your information, these invoices fall due soon:"),
                "on_its_way": on_its_way,
            }
        return {
            "overdue": _("These invoices are also overdue:")
            if not informal
            else _("These invoices are overdue too:"),
            "due_soon": _("These invoices fall due soon:")
            if not informal
            else _("These invoices are due soon:"),
            "on_its_way": on_its_way,
        }

    @api.model
    def _call_sentence(self, _, formality, when):
        if formality == "informal":
            return _(
                "We have booked a call with you on %(when)s (your time) to talk it through. "
                "If that time does not suit you, just reply to this email.",
                when=when,
            )
        return _(
            "We have scheduled a call with you on %(when)s (your local time) to discuss this. "
            "Should this time not suit you, please reply to this message.",
            when=when,
        )

    @api.model
    def _payment_sentence(self, _, formality, bank, holder):
        if not bank:
            return ""
        if formality == "informal":
            return _(
                "You can pay by bank transfer to %(account)s (%(holder)s); please use the "
                "payment reference of each invoice.",
                account=bank,
                holder=holder,
            )
        return _(
            "Please pay by bank transfer to the account %(account)s (%(holder)s), quoting the "
            "payment reference of each invoice.",
            account=bank,
            holder=holder,
        )

    @api.model
    def _portal_sentence(self, _, formality, letter):
        if letter:
            return (
                _("You can see and pay your invoices online at this address:")
                if formality == "informal"
                else _("Your invoices can be viewed and paid online at this address:")
            )
        return (
            _(
                "On your page you can pay, propose a plan, promise a date or tell us what is "
                "going on, no password needed:"
            )
            if formality == "informal"
            else _(
                "On your customer page you can pay, propose a payment plan, promise a date or "
                "tell us what is going on, without a password:"
            )
        )

    @api.model
    def _action_buttons(self, _, formality):
        """The buttons of an email reminder to the customer's page: (anchor,
        label) in the customer's register."""
        return [
            ("pay", _("Pay now")),
            ("plan", _("Propose a plan")),
            ("promise", _("Promise a date")),
            (
                "reason",
                _("Tell us what's going on")
                if formality == "informal"
                else _("Tell us what is going on"),
            ),
            ("call", _("Book a call")),
        ]

    @api.model
    def _opt_out_sentence(self, _, formality):
        return (
            _("Rather not get these reminders by email?")
            if formality == "informal"
            else _("Would you prefer not to receive these reminders by email?")
        )
