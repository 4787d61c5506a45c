from datetime import UTC, datetime, time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from odoo import Command, api, fields, models


class PaymentFollowupDemo(models.AbstractModel):
    """What the demo data replays, through the same code as real life: the
    daily run of a past day followed by the mail queue of that day, and a
    bounce and a customer's reply fed through Odoo's mail gateway."""

    _name = "payment.followup.demo"
    _description = "Payment follow-up: demo replay"

    @api.model
    def _replay_day(self, company_id, day):
        """The daily run of ``day``, then the mail queue as it runs that day
        (emails accepted by the outgoing server are delivered that day)."""
        moment = datetime.combine(day, time(12, 0), tzinfo=UTC)
        company = self.env["res.company"].browse(company_id)
        run = self.env["payment.followup.run"].with_context(followup_now=moment)
        run._run_company(company, day)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("state", "=", "outgoing"), ("model", "=", "res.partner")])
        )
        mails.with_context(followup_now=moment).send()

    @api.model
    def _money_on_its_way(self, statement_partner_id, transaction_partner_id):
        """Today's truth in the demo: a transfer of one customer is on the
        bank statement (not reconciled yet), another customer chose a payment
        that is pending. Neither invoice is demanded by the next run."""
        Move = self.env["account.move"]
        company = self.env.company

        def oldest(partner_id):
            return Move.search(
                Move._followup_open_domain(company) + [("commercial_partner_id", "=", partner_id)],
                order="invoice_date_due, id",
                limit=1,
            )

        invoice = oldest(statement_partner_id)
        bank = self.env["account.journal"].search(
            [("type", "=", "bank"), ("company_id", "=", company.id)], limit=1
        )
        if invoice and bank and invoice.currency_id == (bank.currency_id or company.currency_id):
            self.env["account.bank.statement.line"].create(
                {
                    "journal_id": bank.id,
                    "date": datetime.now(UTC).date() - timedelta(days=1),
                    "payment_ref": "TRANSFER %s" % invoice.name,
                    "amount": invoice.amount_residual,
                }
            )
        invoice = oldest(transaction_partner_id)
        if invoice:
            tx = self._transaction(
                invoice,
                invoice.amount_residual,
                "DEMO-%s" % invoice.name.replace("/", "-"),
                invoice.partner_id,
            )
            if tx:
                tx._set_pending()

    @api.model
    def _demo_payment(self):
        """(provider, method) of Odoo's demo payment provider, or (None, None)."""
        provider = self.env.ref("payment.payment_provider_demo", raise_if_not_found=False)
        method = self.env.ref("payment_demo.payment_method_demo", raise_if_not_found=False)
        return (provider, method) if provider and method else (None, None)

    @api.model
    def _transaction(self, invoices, amount, reference, partner, **vals):
        """A payment of ``invoices`` with Odoo's demo provider (draft), or
        None without the provider."""
        provider, method = self._demo_payment()
        if not provider:
            return None
        return (
            self.env["payment.transaction"]
            .sudo()
            .create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "amount": amount,
                    "currency_id": invoices.currency_id.id,
                    "partner_id": partner.id,
                    "reference": reference,
                    "invoice_ids": [Command.set(invoices.ids)],
                    **vals,
                }
            )
        )

    @api.model
    def _listen(self, bounce_partner_id, reply_partner_id, reply_text):
        """A bounce of ``bounce_partner_id``'s last reminder email and a reply
        of ``reply_partner_id`` to its own (``reply_text``: ``{date}`` is
        replaced by a day nine days ahead, day first as in Europe)."""
        Thread = self.env["mail.thread"].sudo()
        Reminder = self.env["payment.followup.reminder"].sudo()
        bounced = Reminder.search(
            [("partner_id", "=", bounce_partner_id), ("mail_message_id", "!=", False)],
            order="id desc",
            limit=1,
        )
        if bounced:
            Thread.message_process(False, self._dsn(bounced).as_bytes())
        replied = Reminder.search(
            [("partner_id", "=", reply_partner_id), ("mail_message_id", "!=", False)],
            order="id desc",
            limit=1,
        )
        if replied:
            pay_on = self.env["payment.followup.guardrails"]._partner_today(
                replied.partner_id
            ) + timedelta(days=9)
            msg = self._message(
                replied.recipient_id.email or replied.partner_id.email,
                replied.company_id.email,
                "Re: %s" % replied.mail_message_id.subject,
            )
            msg["In-Reply-To"] = replied.mail_message_id.message_id
            msg["References"] = replied.mail_message_id.message_id
            msg.set_content(reply_text.format(date=pay_on.strftime("%d/%m")))
            Thread.message_process(False, msg.as_bytes())

    @api.model
    def _message(self, sender, to, subject):
        msg = EmailMessage()
        msg["From"] = sender
        msg["To"] = to
        msg["Subject"] = subject
        msg["Date"] = format_datetime(datetime.now(UTC))
        msg["Message-Id"] = make_msgid(domain=(sender or "x@example.com").split("@")[-1])
        return msg

    @api.model
    def _dsn(self, reminder):
        """A delivery status notification (RFC 3464) for ``reminder``'s email."""
        address = reminder.recipient_id.email or reminder.partner_id.email
        msg = self._message(
            "MAILER-DAEMON@mx.example.com",
            reminder.company_id.email,
            "Undelivered Mail Returned to Sender",
        )
        msg.set_content(
            f"This is the mail system at host mx.example.com.\n\n<{address}>: host "
            "mx.example.com said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n"
        )
        msg.make_mixed()
        msg.replace_header("Content-Type", 'multipart/report; report-type="delivery-status"')
        status = EmailMessage()
        status.set_content(
            f"Final-Recipient: rfc822; {address}\nAction: failed\nStatus: 5.1.1\n"
            "Diagnostic-Code: smtp; 550 5.1.1 User unknown\n"
        )
        dsn = EmailMessage()
        dsn.add_header("Content-Type", "message/delivery-status")
        dsn.set_payload([EmailMessage(), status])
        msg.attach(dsn)
        original = EmailMessage()
        original["Message-Id"] = reminder.mail_message_id.message_id
        original["To"] = address
        original["Subject"] = reminder.mail_message_id.subject or ""
        original.set_content("(the reminder)")
        rfc = EmailMessage()
        rfc.add_header("Content-Type", "message/rfc822")
        rfc.set_payload([original])
        msg.attach(rfc)
        return msg

    @api.model
    def _experiments(self, company_id, count=80):
        """Two wording experiments: one on the friendly reminder with enough
        history to say something (``count`` customers reminded 25 days ago
        through the real run and mail queue, then paid as they would), one on
        the firm reminder still collecting."""
        company = self.env["res.company"].browse(company_id)
        levels = company.followup_policy_id.level_ids.sorted("days")
        friendly = levels.filtered(lambda lvl: lvl.severity == "friendly")[:1]
        firm = levels.filtered(lambda lvl: lvl.severity == "firm")[:1]
        Experiment = self.env["payment.followup.experiment"]
        experiment = Experiment.create(
            {
                "name": "Friendly reminder: a personal note",
                "level_id": friendly.id,
                "min_effect": 40.0,
                "baseline": 30.0,
                "arm_ids": [
                    Command.create({"name": "Current wording", "is_control": True}),
                    Command.create(
                        {
                            "name": "Personal note",
                            # printed letters carry it too: no "reply to this email"
                            "paragraph": "If anything about these invoices is unclear, just "
                            "tell us: we will sort it out with you.",
                        }
                    ),
                ],
            }
        )
        day = datetime.now(UTC).date() - timedelta(days=25)
        Partner = self.env["res.partner"]
        customers = Partner.create(
            [
                {
                    "name": "Experiment customer %02d" % n,
                    "is_company": True,
                    "email": "ap%02d@experiment.example.com" % n,
                    "tz": "Europe/London",
                }
                for n in range(1, count + 1)
            ]
        )
        due = day - timedelta(days=5)
        invoices = self.env["account.move"].create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": customer.id,
                    "invoice_date": due,
                    "invoice_date_due": due,
                    "invoice_line_ids": [
                        Command.create(
                            {"name": "Consulting", "quantity": 1, "price_unit": 200 + 10 * n}
                        )
                    ],
                }
                for n, customer in enumerate(customers)
            ]
        )
        invoices.action_post()
        experiment.action_start()
        experiment.date_start = day
        moment = datetime.combine(day, time(11, 0), tzinfo=UTC)
        run = self.env["payment.followup.run"].with_context(followup_now=moment)
        run.with_company(company)._run_for_partners(customers, now=moment)
        self.env["mail.mail"].sudo().search(
            [
                ("state", "=", "outgoing"),
                ("model", "=", "res.partner"),
                ("res_id", "in", customers.ids),
            ]
        ).with_context(followup_now=moment).send()
        # how they paid: the personal note answered more often within 14 days
        reminders = self.env["payment.followup.reminder"].search(
            [("partner_id", "in", customers.ids)]
        )
        for index, reminder in enumerate(reminders.sorted("id")):
            if not reminder.delivered_date:
                continue  # never reached the customer (no mail server): nothing to answer
            variant = not reminder.experiment_arm_id.is_control
            pays_fast = index % 10 < (8 if variant else 3)
            delay = 4 + index % 7 if pays_fast else 17 + index % 5
            pay_on = reminder.delivered_date + timedelta(days=delay)
            if pay_on > datetime.now(UTC).date():
                continue
            self.env["account.payment.register"].with_context(
                active_model="account.move", active_ids=reminder.line_ids.move_id.ids
            ).create({"payment_date": pay_on})._create_payments()
        experiment._refresh()
        collecting = Experiment.create(
            {
                "name": "Firm reminder: social norm",
                "level_id": firm.id,
                "arm_ids": [Command.create({"name": "Social norm", "social_norm": True})],
            }
        )
        collecting.action_start()
        collecting._refresh()

    @api.model
    def _autopay(self, plan_id, declined_partner_id):
        """Automatic payment in the demo: the customer of ``plan_id`` saved a
        card that works and agreed on the portal; ``declined_partner_id``
        agreed a plan on the portal whose first installment is due today,
        with a card that is declined: today's charge failed, the retry waits."""
        provider, method = self._demo_payment()
        if not provider:
            return
        provider.sudo().write(
            {
                "state": "test",
                "is_published": True,
                "allow_tokenization": True,
                "payment_method_ids": [Command.link(method.id)],
            }
        )
        Token = self.env["payment.token"].sudo()
        Autopay = self.env["payment.followup.autopay"].sudo()
        guardrails = self.env["payment.followup.guardrails"]

        def card(partner, details, state):
            return Token.create(
                {
                    "provider_id": provider.id,
                    "payment_method_id": method.id,
                    "partner_id": partner.id,
                    "payment_details": details,
                    "provider_ref": "demo-%s" % details,
                    "demo_simulated_state": state,
                }
            )

        plan = self.env["payment.followup.plan"].browse(plan_id)
        who = plan.agreed_by or plan.partner_id.name
        Autopay._start(
            plan, card(plan.partner_id, "4242", "done"), who, "signed_link", ip="203.0.113.24"
        )
        partner = self.env["res.partner"].browse(declined_partner_id)
        Move = self.env["account.move"]
        invoices = Move.search(
            Move._followup_open_domain(self.env.company)
            + [("commercial_partner_id", "=", partner.id)]
        )
        if not invoices:
            return
        today = guardrails._partner_today(partner)
        total = sum(invoices.mapped("amount_residual"))
        first = invoices.currency_id.round(total / 2)
        declined = self.env["payment.followup.plan"].create(
            {
                "partner_id": partner.id,
                "currency_id": invoices.currency_id.id,
                "invoice_ids": [Command.set(invoices.ids)],
                "amount_total": total,
                "note": "Proposed by the customer on the portal.",
                "user_id": self.env.ref("base.user_admin").id,
                "customer_proposal": True,
                "proposal_by": "Ingrid Solberg",
                "proposal_ip": "198.51.100.7",
                "proposal_date": fields.Datetime.now(),
                "line_ids": [
                    Command.create({"number": 1, "due_date": today, "amount": first}),
                    Command.create(
                        {
                            "number": 2,
                            "due_date": today + timedelta(days=30),
                            "amount": total - first,
                        }
                    ),
                ],
            }
        )
        declined.action_confirm()
        declined.proposed_by_id = False  # the customer, on the portal
        declined._record_agreement("portal", "Ingrid Solberg", ip="198.51.100.7")
        autopay = Autopay._start(
            declined,
            card(partner, "0002", "error"),
            "Ingrid Solberg",
            "signed_link",
            ip="198.51.100.7",
            user_agent="Mozilla/5.0 (Linux; Android 14) Mobile",
        )
        Charge = self.env["payment.followup.autopay.charge"].sudo()
        for charge in Charge._prepare_charges(autopay, today):
            charge._send()
