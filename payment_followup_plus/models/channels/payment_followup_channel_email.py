import json
import re
from typing import NamedTuple

from lxml import etree
from markupsafe import Markup

from odoo import Command, api, models
from odoo.exceptions import UserError
from odoo.tools import SQL, html_sanitize

# "{{ object.path.to.value }}": a header that reads the reminder, nothing else
SIMPLE_PATH = re.compile(r"^\{\{\s*object\.([a-z_][a-z0-9_.]*)\s*\}\}$")

# the options of mail.message's body (fields.Html(sanitize_style=True))
MESSAGE_BODY_SANITIZE = {
    "silent": True,
    "sanitize_tags": True,
    "sanitize_attributes": True,
    "sanitize_style": True,
    "sanitize_form": True,
    "sanitize_conditional_comments": True,
    "output_method": "html",
    "strip_style": False,
    "strip_classes": False,
}


class EmailPack(NamedTuple):
    """A reminder's invoices in one PDF, and what the history says about it."""

    attachment: models.BaseModel | None
    attached: bool  # False: over the size limit, or not built (see ``label``)
    label: str


class PaymentFollowupChannelEmail(models.AbstractModel):
    """Reminders by email: rendered from the reminder with its mail template,
    queued in Odoo's mail queue as a message in the customer's chatter, held by
    the quiet hours of the customer's time zone. The reminder is delivered only
    when the outgoing server accepts the email (``mail.mail`` post-processing,
    see ``payment_followup_channel_email_delivery.py``); a refusal or a bounce fails it.

    At scale, the body is rendered from the registered QWeb view the template
    calls (compiled once, cached), and the HTML sanitizer runs once per template
    and language: the dynamic parts are escaped by QWeb, so when the sanitizer
    leaves the first body of a variant unchanged, it leaves every body of that
    variant unchanged, and the others are stored as they are. A template an
    administrator changed is rendered and sanitized by Odoo, mail by mail.
    """

    _name = "payment.followup.channel.email"
    _inherit = "payment.followup.channel"
    _description = "Payment follow-up by email"
    _channel = "email"
    _sequence = 30
    _level_field = "send_email"
    _contact = True
    _written = True

    @api.model
    def _channels_for(self, level, partner):
        """A letter instead of the email for a customer who prefers letters or
        opted out of electronic reminders (the opt-out page says we may still
        write)."""
        commercial = partner.commercial_partner_id
        on_paper = commercial.followup_channel == "letter" or commercial.followup_opt_out
        return {"letter" if on_paper else "email"}

    @api.model
    def _block_reason(self, partner):
        """Why no email may go to this customer (False when one may)."""
        partner = partner.commercial_partner_id
        recipient = partner.followup_recipient_id
        if partner.followup_opt_out:
            return self.env._("Opted out of electronic reminders")
        if not recipient.email:
            return self.env._("No email address for %(contact)s", contact=recipient.display_name)
        if recipient.is_blacklisted:
            return self.env._("%(email)s is blacklisted", email=recipient.email)
        if recipient.followup_email_failing:
            return self.env._(
                "An earlier email to %(email)s failed (%(why)s): check the address",
                email=recipient.email,
                why=recipient.followup_email_failure or "",
            )
        return False

    @api.model
    def _perform(self, reminders):
        # read what the checks need for all reminders at once
        reminders.partner_id.followup_recipient_id.mapped("is_blacklisted")
        results, sendable = [], reminders.browse()
        for reminder in reminders:
            reason = self._block_reason(reminder.partner_id)
            if reason:
                results.append(self._result(reminder, "blocked", "blocked", reason))
            else:
                sendable |= reminder
        packs = self._packs(sendable)
        mails = self._send(sendable, packs)
        for reminder in sendable:
            mail = mails[reminder]
            pack = packs.get(reminder)
            label = self._queued_label(reminder, mail)
            results.append(
                # not delivered yet: the mail pipeline says when the server
                # accepted it, or why it failed (the delivery hooks)
                self._result(
                    reminder,
                    "pending",
                    "done",
                    f"{label}. {pack.label}" if pack else label,
                    delivery="queued",
                    mail_id=mail.id,
                    mail_message_id=mail.mail_message_id.id,
                    scheduled_date=mail.scheduled_date,
                    pack_attachment_id=pack.attachment.id if pack and pack.attachment else False,
                )
            )
        if sendable:
            self.env.cr.execute(
                SQL(
                    """
                    UPDATE payment_followup_reminder r
                       SET mail_id = m.id, mail_message_id = m.mail_message_id
                      FROM mail_mail m
                     WHERE m.id = (%(pairs)s::jsonb ->> r.id::text)::int
                       AND r.id IN %(ids)s
                    """,
                    pairs=_json({rem.id: mails[rem].id for rem in sendable}),
                    ids=tuple(sendable.ids),
                )
            )
            sendable.invalidate_recordset(["mail_id", "mail_message_id"])
        return results

    @api.model
    def _packs(self, reminders):
        """{reminder: EmailPack} for the reminders whose level attaches the
        invoices: one PDF (the letter, then the invoices), attached to the email
        when it fits the company's size limit, otherwise kept on the event while
        the email links to the customer's page. A document that cannot be packed
        is said in the history; the reminder still goes out."""
        todo = reminders.filtered(
            lambda rem: rem.level_id.attach_invoices or rem.level_id.attach_statement
        )
        if not todo:
            return {}
        Pack = self.env["payment.followup.pack"]
        _ = self.env._
        try:
            documents_of = Pack._reminder_documents(todo)
        except UserError as err:  # printing unavailable: the reminders still go out
            why = _("The invoices could not be attached: %(why)s", why=err.args[0])
            return {reminder: EmailPack(None, False, why) for reminder in todo}
        packs = {}
        for reminder, documents in documents_of.items():
            try:
                data, _report = Pack._build(
                    documents,
                    reminder.company_id,
                    title=f"{reminder.title} - {reminder.partner_id.name}",
                )
            except UserError as err:
                packs[reminder] = EmailPack(
                    None, False, _("The invoices could not be attached: %(why)s", why=err.args[0])
                )
                continue
            attachment = Pack._attach(
                data, Pack._filename(reminder.title, reminder.partner_id.name)
            )
            limit_mb = reminder.company_id.followup_email_max_mb
            if len(data) > limit_mb * 1_000_000:
                label = _(
                    "The invoices' PDF (%(size)s) is over the %(limit)s MB email limit: the email "
                    "links to the customer's page instead (the PDF is kept here)",
                    size=Pack._size_label(len(data)),
                    limit=format(limit_mb, "g"),
                )
                packs[reminder] = EmailPack(attachment, False, label)
            else:
                size = Pack._size_label(len(data))
                statement = reminder.level_id.attach_statement
                invoices = len(documents) - (2 if statement else 1)
                if statement and invoices:
                    label = _(
                        "Attached: the reminder, the statement of account and %(count)s "
                        "invoices in one PDF (%(size)s)",
                        count=invoices,
                        size=size,
                    )
                elif statement:
                    label = _(
                        "Attached: the reminder and the statement of account in one PDF "
                        "(%(size)s)",
                        size=size,
                    )
                else:
                    label = _(
                        "Attached: the reminder and %(count)s invoices in one PDF (%(size)s)",
                        count=invoices,
                        size=size,
                    )
                packs[reminder] = EmailPack(attachment, True, label)
        return packs

    @api.model
    def _send(self, reminders, packs=None):
        """{reminder: mail.mail} queued (with its pack when ``packs`` has one to
        attach), the batch's rows written set-wise (``payment.followup.mail.rows``)."""
        if not reminders:
            return {}
        vals_list, order, trusted = self._prepare_mail_vals(reminders, packs or {})
        mails = self.env["payment.followup.mail.rows"]._insert_mails(vals_list, trusted)
        by_reminder = dict(zip(order, mails, strict=True))
        company = reminders.company_id[:1]
        self.env["payment.followup.guardrails"]._hold_for_quiet_hours(
            company, mails, {mail.id: rem.partner_id for rem, mail in by_reminder.items()}
        )
        reminders._hold_for_send_window(by_reminder)
        return by_reminder

    @api.model
    def _prepare_mail_vals(self, reminders, packs):
        """``(vals_list, reminders in that order, indexes of trusted bodies)``:
        the ``mail.mail`` values of each reminder's email. A trusted body was
        rendered from the shipped view and sanitized once for its template and
        language (``_render_bodies``); any other is sanitized on insert."""
        default = self.env.ref("payment_followup_plus.mail_template_payment_reminder")
        company = reminders.company_id[:1]
        self._ensure_access_tokens(reminders.line_ids.move_id)
        comment = self.env.ref("mail.mt_comment")
        vals_list, order, trusted = [], [], []
        for template, group in reminders.grouped(
            lambda rem: rem.level_id.mail_template_id or default
        ).items():
            template = template.with_company(company).sudo()
            view = self._body_view(template)
            rendered = self._render_headers(template, group, with_body=not view)
            bodies = self._render_bodies(view, group) if view else {}
            for reminder in group:
                values = rendered[reminder.id]
                body, stored = bodies.get(reminder) or (values.get("body_html") or "", None)
                vals = {
                    "model": "res.partner",
                    "res_id": reminder.partner_id.id,
                    "subject": values.get("subject"),
                    "body": body if stored is None else stored,
                    "body_html": body,
                    "email_from": values.get("email_from") or company.email_formatted,
                    "reply_to": values.get("reply_to") or False,
                    "email_cc": values.get("email_cc") or False,
                    "recipient_ids": [Command.link(pid) for pid in values.get("partner_ids") or []],
                    "author_id": (reminder.user_id.partner_id or company.partner_id).id,
                    "message_type": "comment",
                    "subtype_id": comment.id,
                    "auto_delete": False,
                    "followup_reminder": True,
                }
                pack = packs.get(reminder)
                if pack and pack.attached:
                    vals["attachment_ids"] = [Command.link(pack.attachment.id)]
                if stored is not None:
                    trusted.append(len(vals_list))
                vals_list.append(vals)
                order.append(reminder)
        return vals_list, order, trusted

    @api.model
    def _render_headers(self, template, reminders, with_body=False):
        """{reminder id: values} of the template's subject, sender and
        recipients. A field that only reads a path of the reminder
        (``{{ object.subject }}``, as the shipped template does) is read directly;
        any other is rendered by Odoo."""
        simple, rendered_fields = {}, ["email_cc", "reply_to"]
        for name in ("subject", "email_from", "partner_to"):
            match = SIMPLE_PATH.match(template[name] or "")
            if match:
                simple[name] = match.group(1)
            else:
                rendered_fields.append(name)
        if with_body:
            rendered_fields.append("body_html")
        values = template._generate_template(reminders.ids, tuple(rendered_fields))
        for reminder in reminders:
            result = values.setdefault(reminder.id, {})
            for name, path in simple.items():
                value = reminder.mapped(path)[:1]
                value = value[0] if value else False
                if name == "partner_to":
                    result["partner_ids"] = [value] if value else []
                else:
                    result[name] = value or False
        return values

    @api.model
    def _body_view(self, template):
        """The registered view a mail template's body only calls (the shipped
        template does), or None when an administrator wrote a body of their own."""
        try:
            root = etree.fromstring(template.body_html or "")
        except etree.XMLSyntaxError:
            return None
        calls = root.xpath("/div/t[@t-call]")
        if root.tag != "div" or len(root) != 1 or len(calls) != 1 or (root.text or "").strip():
            return None
        call = calls[0]
        if (call.tail or "").strip() or any(
            child.tag != "t" or set(child.attrib) != {"t-set", "t-value"} for child in call
        ):
            return None
        if {child.get("t-value") for child in call} - {"object"}:
            return None
        return call.get("t-call")

    @api.model
    def _render_bodies(self, view, reminders):
        """{reminder: (body, stored body or None)} rendered from ``view``, each
        in its language. ``body`` goes to the outgoing mail as rendered; the
        stored body is the message body exactly as Odoo's sanitizer would store
        it, checked by the sanitizer once per language (see the class
        docstring), or None when this body must be sanitized on insert."""
        bodies, checked, qwebs = {}, {}, {}
        # what every body reads, computed for the whole set at once
        reminders.mapped("opening")
        reminders.mapped("overdue_totals")
        reminders.line_ids.mapped("amount_text")
        for reminder in reminders:
            lang = reminder.lang or "en_US"
            if lang not in qwebs:
                qwebs[lang] = self.env["ir.qweb"].with_context(lang=lang)
            html = qwebs[lang]._render(view, {"object": reminder, "reminder": reminder})
            body = Markup("<div>%s</div>") % html
            stored = _storage_form(html)
            if stored is not None and lang not in checked:
                # checked on the first body of the language that can be stored
                # as it is (one with a double quote cannot, and is sanitized)
                checked[lang] = html_sanitize(body, **MESSAGE_BODY_SANITIZE) == stored
            bodies[reminder] = (body, stored if checked.get(lang) else None)
        return bodies

    @api.model
    def _ensure_access_tokens(self, invoices):
        """Portal tokens for the invoice links, in one statement."""
        missing = invoices.filtered(lambda m: not m.access_token)
        if not missing:
            return
        self.env.cr.execute(
            SQL(
                "UPDATE account_move SET access_token = gen_random_uuid()::varchar "
                "WHERE id IN %s AND access_token IS NULL",
                tuple(missing.ids),
            )
        )
        missing.invalidate_recordset(["access_token"])

    @api.model
    def _queued_label(self, reminder, mail):
        recipient = reminder.recipient_id.email or reminder.partner_id.email
        if mail.scheduled_date:
            return self.env._(
                "Queued to %(email)s, held by the quiet hours until %(moment)s",
                email=recipient,
                moment=self.env["payment.followup.guardrails"]._local_time_label(
                    mail.scheduled_date, reminder.partner_id
                ),
            )
        return self.env._("Queued to %(email)s", email=recipient)


def _storage_form(html):
    """``html`` (QWeb's output) written as Odoo's HTML normalizer writes it
    (lxml's serialization: void tags without a slash, non-breaking spaces as
    entities, quotes in text unescaped), or None for a body with what this
    cannot place without parsing (a double quote, which lxml writes differently
    in text and in attributes; a carriage return)."""
    text = str(html)
    if "&#34;" in text or "\r" in text:
        return None
    return text.replace("<br/>", "<br>").replace("&#39;", "'").replace("\xa0", "&nbsp;")


def _json(data):
    return json.dumps({str(key): value for key, value in data.items()})
