from lxml import html as lxml_html

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date

LETTER_REPORT = "payment_followup_plus.action_report_letter_before_action"


class PaymentFollowupLegalStep(models.TransientModel):
    """A step of a legal case that goes outside: the letter before action
    (read before it is sent) and the hand-over (to whom, when)."""

    _name = "payment.followup.legal.step"
    _description = "Payment follow-up: send the letter before action, or hand a case over"

    case_id = fields.Many2one("payment.followup.legal.case", required=True, readonly=True)
    step = fields.Selection(
        [("letter", "Letter before action"), ("handover", "Hand over")],
        "What is done",
        required=True,
        readonly=True,
    )
    company_id = fields.Many2one(related="case_id.company_id")
    recipient = fields.Char("Sent to", compute="_compute_preview")
    response_days = fields.Integer("Days to answer", compute="_compute_preview")
    preview = fields.Html("The letter", compute="_compute_preview", sanitize=False)
    handover_partner_id = fields.Many2one(
        "res.partner", "Handed over to", help="The lawyer or collection agency."
    )
    handover_date = fields.Date("Handed over on", default=fields.Date.context_today)
    handover_ref = fields.Char("Their reference")

    @api.depends("case_id", "step")
    def _compute_preview(self):
        for wizard in self:
            case = wizard.case_id
            wizard.recipient = case.partner_id.followup_recipient_id.email_formatted or False
            wizard.response_days = case.company_id.followup_legal_response_days
            wizard.preview = wizard.step == "letter" and case and wizard._letter_html() or False

    def _letter_html(self):
        """The letter's page as the PDF prints it today (same report, same
        language), without the company's header and footer."""
        self.ensure_one()
        document = self.env["ir.actions.report"]._render_qweb_html(LETTER_REPORT, self.case_id.ids)[
            0
        ]
        pages = lxml_html.fromstring(document).find_class("page")
        return lxml_html.tostring(pages[0], encoding="unicode") if pages else False

    @api.model
    def _open(self, case, step):
        wizard = self.create({"case_id": case.id, "step": step})
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
            "name": dict(self._fields["step"]._description_selection(self.env))[step],
        }

    def action_confirm(self):
        self.ensure_one()
        case = self.case_id
        case._check_legal()
        if self.step == "letter":
            if not self.recipient:
                raise UserError(
                    self.env._(
                        "%(customer)s has no email address: print the letter and send it by "
                        "post, or add an address first.",
                        customer=case.partner_id.display_name,
                    )
                )
            case.action_send_letter()
            return {"type": "ir.actions.act_window_close"}
        if not self.handover_partner_id or not self.handover_date:
            raise UserError(self.env._("Say to whom and on which day the case is handed over."))
        if self.handover_date > case._today():
            raise UserError(
                self.env._(
                    "%(date)s is in the future: record the hand-over on the day it happens.",
                    date=format_date(self.env, self.handover_date),
                )
            )
        case.write(
            {
                "handover_partner_id": self.handover_partner_id.id,
                "handover_date": self.handover_date,
                "handover_ref": self.handover_ref,
            }
        )
        case.action_hand_over()
        return {"type": "ir.actions.act_window_close"}
