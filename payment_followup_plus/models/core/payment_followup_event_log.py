import json

from odoo import api, fields, models
from odoo.tools import SQL


class PaymentFollowupEventLog(models.Model):
    """How the history is written and read: the values of an event, events
    created at once for a batch, and the one rule of what was delivered."""

    _inherit = "payment.followup.event"

    @api.model
    def _prepare_about_vals(self, record, result, state="done", channel="none", **extra):
        """An event about ``record`` (a plan, a promise or a wizard: anything with
        ``partner_id``, ``company_id`` and ``invoice_ids``), at the customer's
        current level."""
        partner = record.partner_id.commercial_partner_id
        return self._prepare_note_vals(
            partner, record.company_id, record.invoice_ids, result, state, channel, **extra
        )

    @api.model
    def _prepare_note_vals(
        self, partner, company, invoices, result, state="done", channel="none", **extra
    ):
        """A history line about ``partner`` (no contact made), at its current
        level in ``company``."""
        return self._prepare_event_vals(
            partner,
            company,
            partner.with_company(company).sudo().followup_level_id,
            channel,
            state,
            invoices,
            result=result,
            **extra,
        )

    # ------------------------------------------------------------------
    # "delivered": one rule (the domain, and the records it keeps)
    # ------------------------------------------------------------------
    @api.model
    def _delivered_domain(self):
        """The events that reached the customer (see ``DELIVERY_STATES``): an
        email the outgoing server accepted and that did not bounce, a letter
        printed, a call held. What a customer reads about our reminders, what
        the ladder, the gap, the contact cap and "what works" count."""
        return [("delivery_state", "=", "delivered")]

    def _delivered(self):
        return self.filtered(lambda e: e.delivery_state == "delivered")

    @api.model
    def _log_about(self, records, result, link=None, **extra):
        """One event per record of ``records``, created at once. ``result`` is a
        text or a function of the record; ``link`` names the event's field that
        points back at the record (``plan_id``, ``promise_id``)."""
        return self.sudo().create(
            [
                self._prepare_about_vals(
                    record,
                    result(record) if callable(result) else result,
                    **({link: record.id} if link else {}),
                    **extra,
                )
                for record in records
            ]
        )

    @api.model
    def _log_online_payments(self, transactions):
        """One event per confirmed online payment of invoices: the amount
        received and the invoices it paid, by the customer."""
        vals_list = []
        for tx in transactions:
            invoices = tx.invoice_ids.filtered(lambda m: m.move_type == "out_invoice")
            if not invoices:
                continue
            partner = invoices.commercial_partner_id[:1]
            company = tx.company_id
            Event = self.with_context(lang=self.env["payment.followup.team"]._staff_lang(company))
            vals_list.append(
                Event._prepare_note_vals(
                    partner,
                    company,
                    invoices,
                    Event.env._(
                        "Payment received online: %(amount)s (%(reference)s) for %(invoices)s "
                        "(by the customer)",
                        amount=tx.currency_id.format(tx.amount),
                        reference=tx.reference,
                        invoices=", ".join(sorted(invoices.mapped("name"))),
                    ),
                    via_portal=True,
                    user_id=False,  # nobody of ours did it
                )
            )
        return self.create(vals_list)

    @api.model
    def _create_bulk(self, vals_list):
        """Events of a whole batch in one INSERT (they are an append-only log);
        ``invoice_ids`` given as ``[Command.set(ids)]`` like for ``create``."""
        now = fields.Datetime.now()
        rows, links = [], []
        for vals in vals_list:
            row = dict(vals)
            commands = row.pop("invoice_ids", [])
            links.append([i for command in commands for i in command[2]] if commands else [])
            row.setdefault("date", now)
            row.setdefault("user_id", self.env.uid)
            row.setdefault("state", "done")
            row.setdefault("company_id", self.env.company.id)
            rows.append(row)
        events = self.env["payment.followup.bulk"]._insert(
            self._name, rows, many2many={"invoice_ids": links}
        )
        self._link_packs(
            {
                event_id: row["pack_attachment_id"]
                for event_id, row in zip(events.ids, rows, strict=True)
                if row.get("pack_attachment_id")
            }
        )
        return events

    @api.model
    def _link_packs(self, attachment_by_event):
        """{event id: attachment id}: each pack becomes its event's attachment
        (readable by whoever may read the event) and the event's PDF, in two
        statements."""
        if not attachment_by_event:
            return
        pairs = json.dumps({str(ev): att for ev, att in attachment_by_event.items()})
        self.env.cr.execute(
            SQL(
                """
                UPDATE ir_attachment a
                   SET res_model = %(model)s, res_id = v.key::int
                  FROM jsonb_each_text(%(pairs)s::jsonb) AS v(key, value)
                 WHERE a.id = v.value::int
                """,
                model=self._name,
                pairs=pairs,
            )
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE payment_followup_event e
                   SET pack_attachment_id = v.value::int
                  FROM jsonb_each_text(%(pairs)s::jsonb) AS v(key, value)
                 WHERE e.id = v.key::int
                """,
                pairs=pairs,
            )
        )
        self.browse(list(attachment_by_event)).invalidate_recordset(["pack_attachment_id"])
        self.env["ir.attachment"].browse(list(attachment_by_event.values())).invalidate_recordset(
            ["res_model", "res_id"]
        )

    @api.model
    def _prepare_event_vals(self, partner, company, level, channel, state, invoices, **extra):
        """Values of one follow-up event (one per action). In a portal request
        (context ``followup_via_portal``) the event says it was the customer."""
        if self.env.context.get("followup_via_portal"):
            extra["via_portal"] = True
            extra["user_id"] = False if self.env.user._is_public() else self.env.user.id
            if extra.get("result"):
                extra["result"] = self.env._(
                    "%(what)s (by the customer, via the portal)", what=extra["result"]
                )
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "level_id": level.id if level else False,
            "tier": level.tier if level else False,
            "channel": channel,
            "state": state,
            "invoice_ids": [fields.Command.set(invoices.ids)],
            **extra,
        }
