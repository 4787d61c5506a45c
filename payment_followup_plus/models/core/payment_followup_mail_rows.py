from odoo import api, fields, models, tools
from odoo.tools import SQL

# columns the ORM fills itself on every insert
_MAGIC = {"id", "create_uid", "create_date", "write_uid", "write_date"}


class PaymentFollowupMailRows(models.AbstractModel):
    """A batch's reminder emails written set-wise: the ``mail.message`` rows,
    the ``mail.mail`` rows and their links (recipients, attachments) in one
    INSERT each, with the values Odoo's ORM would write for the same ``vals``
    (its defaults, its Message-Id, the record's name, its conversions and
    sanitizing; ``tests/test_followup_mail_rows.py`` compares the two paths
    column by column). The mail queue then sends them as any other mail.

    Only what the reminder emails use is accepted: plain values of stored,
    non-computed columns, ``(4, id)`` links for recipients and attachments.
    Anything else raises, rather than being written differently from the ORM.

    The fast path is taken only while no installed addon but ``mail`` changes
    how these rows are created (an override of ``create``, or a patch such as
    an automation rule's): otherwise Odoo's own ``create`` writes them, so that
    such an addon sees every reminder's rows (``_set_wise_allowed``).
    """

    # the addons whose create of mail.message / mail.mail the INSERTs reproduce
    _SET_WISE_MODULES = (None, "mail")

    _name = "payment.followup.mail.rows"
    _description = "Payment follow-up: reminder emails written set-wise"

    @api.model
    def _insert_mails(self, vals_list, trusted=()):
        """``mail.mail`` records for ``vals_list`` (``mail.mail.create`` values).
        ``trusted``: indexes whose ``body`` was sanitized already (once per
        template and language, see the email channel) and is stored as it is;
        any other body is sanitized as the ORM would."""
        Mail = self.env["mail.mail"].sudo()
        Message = self.env["mail.message"].sudo()
        if not vals_list:
            return Mail
        if not self._set_wise_allowed():
            return Mail.create(vals_list)
        trusted = set(trusted)
        message_vals, mail_vals, recipients, attachments = [], [], [], []
        names = self._record_names(vals_list)
        for index, vals in enumerate(vals_list):
            own, parent = {}, {}
            for name, value in vals.items():
                if name in ("recipient_ids", "attachment_ids"):
                    continue
                if name in Mail._fields and not Mail._fields[name].inherited:
                    own[name] = value
                else:
                    parent[name] = value
            recipients.append(self._linked_ids(vals.get("recipient_ids")))
            attachments.append(self._linked_ids(vals.get("attachment_ids")))
            # what mail.message's create computes when the values leave it out
            if "email_from" not in parent:
                parent["email_from"] = self.env["mail.thread"]._message_compute_author(
                    parent.get("author_id"), email_from=None, raise_on_email=False
                )[1]
            if not parent.get("message_id"):
                parent["message_id"] = self._message_id(parent)
            if "reply_to" not in parent:
                parent["reply_to"] = Message._get_reply_to(parent)
            if "record_name" not in parent:
                parent["record_name"] = names.get((parent.get("model"), parent.get("res_id")))
            message_vals.append((parent, index in trusted))
            mail_vals.append(own)
        message_ids = self._insert(Message, message_vals)
        self._link(Message, "attachment_ids", message_ids, attachments)
        for own, message_id in zip(mail_vals, message_ids, strict=True):
            own["mail_message_id"] = message_id
        mail_ids = self._insert(Mail, [(own, False) for own in mail_vals])
        self._link(Mail, "recipient_ids", mail_ids, recipients)
        # what mail.message's create does after its insert
        documents = {}
        for vals, _trusted in message_vals:
            if vals.get("model") in self.env and vals.get("res_id"):
                documents.setdefault(vals["model"], set()).add(vals["res_id"])
        for model, ids in documents.items():
            if "message_ids" in self.env[model]._fields:
                self.env[model].browse(ids).invalidate_recordset(["message_ids"])
        return Mail.browse(mail_ids)

    @api.model
    @tools.ormcache()
    def _set_wise_allowed(self):
        """Whether only Odoo's base and ``mail`` define how ``mail.message`` and
        ``mail.mail`` rows are created in this registry (cached per registry)."""
        return all(
            self._creates_as_mail_does(type(self.env[name]))
            for name in ("mail.message", "mail.mail")
        )

    @api.model
    def _creates_as_mail_does(self, model_class):
        for klass in model_class.__mro__:
            own = vars(klass)
            if "create" not in own and "_create" not in own:
                continue
            if klass is model_class or own.get("_module") not in self._SET_WISE_MODULES:
                return False
        return True

    @api.model
    def _insert(self, Model, rows_in):
        """One INSERT of ``rows_in`` (``(vals, body trusted)``) into ``Model``'s own
        table, with the model's defaults for what ``vals`` leaves out."""
        columns = {
            name: field
            for name, field in Model._fields.items()
            if field.store and field.column_type and name not in _MAGIC and not field.inherited
        }
        stored_computes = [name for name, field in columns.items() if field.compute]
        if stored_computes:
            raise ValueError(f"{Model._name}: computed columns {stored_computes} need the ORM")
        given = set().union(*(vals.keys() for vals, _trusted in rows_in))
        unknown = given - set(columns)
        if unknown:
            raise ValueError(f"{Model._name}: {sorted(unknown)} cannot be inserted set-wise")
        defaults = Model.default_get([name for name in columns if name not in given])
        names = sorted(given | set(defaults))
        rows = []
        for vals, trusted in rows_in:
            row = []
            for name in names:
                value = vals[name] if name in vals else defaults.get(name)
                if name == "body" and trusted:
                    row.append(str(value or ""))  # sanitized already, see _insert_mails
                else:
                    row.append(columns[name].convert_to_column_insert(value, Model, vals))
            rows.append(tuple(row))
        return self.env["payment.followup.bulk"]._insert_rows(Model, names, rows)

    @api.model
    def _link(self, Model, field_name, ids, targets_per_row):
        field = Model._fields[field_name]
        pairs = [
            SQL("(%s, %s)", rid, target)
            for rid, targets in zip(ids, targets_per_row, strict=True)
            for target in targets
        ]
        if pairs:
            self.env.cr.execute(
                SQL(
                    "INSERT INTO %s (%s, %s) VALUES %s ON CONFLICT DO NOTHING",
                    SQL.identifier(field.relation),
                    SQL.identifier(field.column1),
                    SQL.identifier(field.column2),
                    SQL(", ").join(pairs),
                )
            )

    @api.model
    def _linked_ids(self, commands):
        ids = []
        for command in commands or []:
            if isinstance(command, int):
                ids.append(command)
            elif command[0] == fields.Command.LINK:
                ids.append(command[1])
            else:
                raise ValueError(f"only links are written set-wise, not {command!r}")
        return list(dict.fromkeys(ids))

    @api.model
    def _record_names(self, vals_list):
        """{(model, res_id): display name}, as mail.message stores it, read
        for the whole batch at once."""
        by_model = {}
        for vals in vals_list:
            if vals.get("model") in self.env and vals.get("res_id"):
                by_model.setdefault(vals["model"], set()).add(vals["res_id"])
        names = {}
        for model, ids in by_model.items():
            for record in self.env[model].sudo().browse(sorted(ids)):
                names[(model, record.id)] = record.display_name
        return names

    @api.model
    def _message_id(self, vals):
        """The Message-Id mail.message would give (``_get_message_id``)."""
        if self.env["mail.message"].is_thread_message(vals):
            return tools.mail.generate_tracking_message_id("%(res_id)s-%(model)s" % vals)
        return tools.mail.generate_tracking_message_id("private")
