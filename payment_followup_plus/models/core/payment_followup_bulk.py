import json

from odoo import api, models
from odoo.tools import SQL

# the field types a bulk insert accepts: plain columns, no translation, no compute
PLAIN_TYPES = {
    "boolean",
    "char",
    "date",
    "datetime",
    "float",
    "integer",
    "many2one",
    "monetary",
    "selection",
    "text",
}


class PaymentFollowupBulk(models.AbstractModel):
    """Set-wise inserts for the follow-up's own append-only records (reminder
    invoices, history events): one INSERT for a whole batch instead of the ORM's
    per-record work. Only plain stored fields are accepted (no translated, html,
    computed or related field) and every column is given, so nothing the ORM
    would have done is skipped; many2many links go in one more INSERT each."""

    _name = "payment.followup.bulk"
    _description = "Payment follow-up set-wise inserts"

    @api.model
    def _insert(self, model, vals_list, many2many=None):
        """Insert ``vals_list`` (dicts of plain values) into ``model``; returns the
        new records. ``many2many``: {field name: [ids per record]}."""
        if not vals_list:
            return self.env[model]
        Model = self.env[model]
        names = sorted(set().union(*(vals.keys() for vals in vals_list)))
        booleans = set()
        for name in names:
            field = Model._fields[name]
            if field.type not in PLAIN_TYPES or not field.store or field.compute or field.translate:
                raise ValueError(f"{model}.{name} cannot be inserted in bulk")
            if field.type == "boolean":
                booleans.add(name)
        # as the ORM writes them: False and None are NULL (except booleans);
        # 0, 0.0 and "" are values
        rows = [
            tuple(
                vals.get(name)
                if name in booleans
                else None
                if vals.get(name) is False or vals.get(name) is None
                else vals[name]
                for name in names
            )
            for vals in vals_list
        ]
        ids = self._insert_rows(Model, names, rows)
        for name, per_record in (many2many or {}).items():
            field = Model._fields[name]
            links = [
                (rid, target)
                for rid, targets in zip(ids, per_record, strict=True)
                for target in targets
            ]
            if links:
                self.env.cr.execute(
                    SQL(
                        "INSERT INTO %s (%s, %s) SELECT a, b FROM jsonb_to_recordset(%s::jsonb)"
                        " AS x(a int4, b int4) ON CONFLICT DO NOTHING",
                        SQL.identifier(field.relation),
                        SQL.identifier(field.column1),
                        SQL.identifier(field.column2),
                        json.dumps([{"a": a, "b": b} for a, b in links]),
                    )
                )
        return Model.browse(ids)

    @api.model
    def _insert_rows(self, Model, names, rows):
        """One INSERT of ``rows`` (tuples of column values in the order of
        ``names``) into ``Model``'s table, with the audit columns when the model
        has them; returns the new ids in the order of ``rows``.

        The rows travel as one JSON document cast column by column on the
        server: a statement with a parameter per value (tens of thousands per
        batch) costs several times more to build and parse than the insert."""
        names = list(names)
        types = [Model._fields[name].column_type[1] for name in names]
        if Model._log_access:
            now = self.env.cr.now()
            names += ["create_uid", "write_uid", "create_date", "write_date"]
            types += ["int4", "int4", "timestamp", "timestamp"]
            rows = [tuple(row) + (self.env.uid, self.env.uid, now, now) for row in rows]
        payload = json.dumps(
            [{f"c{n}": _json_value(value) for n, value in enumerate(row)} for row in rows]
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT %s FROM jsonb_array_elements(%s::jsonb)"
                " WITH ORDINALITY AS e(doc, n) ORDER BY e.n RETURNING id",
                SQL.identifier(Model._table),
                SQL(", ").join(SQL.identifier(name) for name in names),
                SQL(", ").join(
                    SQL("(e.doc ->> %s)::%s", f"c{n}", SQL(column_type))
                    for n, column_type in enumerate(types)
                ),
                payload,
            )
        )
        return [row[0] for row in self.env.cr.fetchall()]


def _json_value(value):
    """A column value as JSON carries it (dates and times as ISO text, cast back
    by the server)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat(sep=" ") if hasattr(value, "hour") else value.isoformat()
    return str(value)
