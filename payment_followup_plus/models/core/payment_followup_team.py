from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


class PaymentFollowupTeam(models.AbstractModel):
    """The people of the follow-up: who may do what (every public method is
    callable over RPC, so each button checks here), who is responsible for a
    customer, and the to-dos they get."""

    _name = "payment.followup.team"
    _description = "Payment follow-up people"

    @api.model
    def _check_user(self):
        if not self.env.su and not self.env.user.has_group(
            "payment_followup_plus.group_followup_user"
        ):
            raise AccessError(self.env._("Only follow-up users can do this."))

    @api.model
    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group(
            "payment_followup_plus.group_followup_manager"
        ):
            raise AccessError(self.env._("Only a follow-up manager can do this."))

    @api.model
    def _staff_lang(self, company):
        """The language of what our people read (history lines, to-dos, review
        reasons) when a customer acts on the portal in theirs: the company's."""
        lang = company.partner_id.lang
        return lang if lang and self.env["res.lang"]._lang_get(lang) else "en_US"

    @api.model
    def _responsible(self, partner, level=None):
        """Who acts for the follow-up of ``partner``, in this order: the owner of
        the level's tier, then whose customer it is (``_responsible_of``), then
        the current user."""
        return (
            (level.owner_id if level else False)
            or self._responsible_of(partner, self.env.company)
            or self.env.user
        )

    @api.model
    def _responsible_of(self, partner, company):
        """Whose customer ``partner`` is for ``company``: its follow-up
        responsible, else its salesperson, else the company's default follow-up
        responsible (none: an empty recordset). Its SQL twin is
        ``_responsible_sql``; the customer list, the cockpit's filter and *My
        follow-ups today* use one or the other."""
        commercial = partner.commercial_partner_id
        return (
            commercial.followup_responsible_id
            or commercial.user_id
            or company.followup_user_id
            or self.env["res.users"]
        )

    @api.model
    def _responsible_sql(self, partner, company):
        """SQL twin of ``_responsible_of``: ``partner`` and ``company`` are the
        aliases of the commercial partner's and the company's rows."""
        p, co = SQL.identifier(partner), SQL.identifier(company)
        return SQL(
            "COALESCE(%s.followup_responsible_id, %s.user_id, %s.followup_user_id)", p, p, co
        )

    @api.model
    def _prepare_todo_vals(self, record, summary, user, deadline, kind):
        """A to-do of the follow-up: ``kind`` says what it is about, and the
        customer and company are kept, so it lands in "My follow-ups today"."""
        partner = record.partner_id if "partner_id" in record else record
        company = record.company_id if "company_id" in record else self.env.company
        return {
            "res_model_id": self.env["ir.model"]._get_id(record._name),
            "res_id": record.id,
            "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
            "summary": summary,
            "user_id": user.id,
            "date_deadline": deadline,
            "followup_kind": kind,
            "followup_partner_id": partner.commercial_partner_id.id,
            "followup_company_id": (company or self.env.company).id,
        }

    @api.model
    def _todo_activities(self, records, summary, user, deadline, kind):
        """One to-do activity per record for a person; ``summary`` and ``user``
        are functions of the record."""
        return (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    self._prepare_todo_vals(record, summary(record), user(record), deadline, kind)
                    for record in records
                ]
            )
        )

    @api.model
    def _close_todos(self, records, kind, feedback):
        """Close the follow-up to-dos of ``kind`` on ``records``: what they
        asked for is settled (by whatever path), and ``feedback`` says how."""
        todos = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", records._name),
                    ("res_id", "in", records.ids),
                    ("followup_kind", "=", kind),
                ]
            )
        )
        if todos:
            todos.action_feedback(feedback=feedback)
        return todos

    @api.model
    def _route_once(self, company, partners, kind, summary):
        """One open to-do of ``kind`` per customer and company for its
        responsible (none while an earlier one is open: found again by its
        kind, so its summary is only what the person reads)."""
        if not partners:
            return
        self = self.with_company(company)
        existing = (
            self.env["mail.activity"]
            .sudo()
            ._read_group(
                [
                    ("followup_kind", "=", kind),
                    ("followup_company_id", "=", company.id),
                    ("followup_partner_id", "in", partners.ids),
                ],
                ["followup_partner_id"],
            )
        )
        already = {partner.id for (partner,) in existing}
        self._todo_activities(
            partners.filtered(lambda p: p.id not in already),
            summary,
            lambda p: self._responsible(p),
            fields.Date.context_today(self),
            kind,
        )

    @api.model
    def _route_hardship(self, company, partners):
        """Customers in hardship get one open activity for their responsible."""
        self._route_once(
            company,
            partners,
            "hardship",
            lambda p: self.env._("Contact %(customer)s personally", customer=p.display_name),
        )

    @api.model
    def _route_credits(self, company, partners):
        """Customers whose credits are not applied (the run holds their
        reminders) get one open activity for their responsible."""
        self._route_once(
            company,
            partners,
            "credits",
            lambda p: self.env._(
                "Apply the open credits of %(customer)s to its invoices",
                customer=p.display_name,
            ),
        )
