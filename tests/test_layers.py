"""The addon's parts form one order (issue #34):

    core < channels < run < plans < experiments < legal < portal < report < demo

A part names only itself and the parts below it; a lower part that needs a
higher one calls a hook the higher part overrides (``_choose_words``,
``_followup_arranged``, the signed links...). "Names" means any of: a model's
name in single or double quotes (a relation, ``env[...]``, a ``res_model``), an
import of another part's module, a table in SQL, an XML id (``env.ref``, a
report, a template, an action in a view: id -> XML record -> model -> part).

Each model belongs to the part of the file that declares its ``_name``; each
wizard and controller file to the part it serves (``FILE_PARTS``); each XML
record to the part of the model it is about (a view's model, an action's
``res_model``, a template's or a cron's ``model_id``), else to its file's part
(``XML_PARTS``: templates, groups, menus' roots). This test reads every Python
and XML file of the addon."""

import re
from pathlib import Path

import pytest
from lxml import etree

ADDON = Path(__file__).resolve().parent.parent / "payment_followup_plus"
MODULE = ADDON.name
ORDER = ("core", "channels", "run", "plans", "experiments", "legal", "portal", "report", "demo")
RANK = {part: rank for rank, part in enumerate(ORDER)}

# the files outside models/<part>/ and report/, and the part each serves
FILE_PARTS = {
    "wizards/payment_followup_pause.py": "core",
    "wizards/payment_followup_schedule.py": "core",
    "wizards/payment_followup_schedule_slot.py": "core",
    "wizards/payment_followup_send_wizard.py": "run",
    "wizards/payment_followup_invoice_mixin.py": "plans",
    "wizards/payment_followup_plan_wizard.py": "plans",
    "wizards/payment_followup_promise_wizard.py": "plans",
    "wizards/payment_followup_plan_decline.py": "plans",
    "wizards/payment_followup_agreement_wizard.py": "plans",
    "wizards/payment_followup_delay_wizard.py": "plans",
    "wizards/payment_followup_autopay_stop.py": "plans",
    "wizards/payment_followup_charge_wizard.py": "legal",
    "wizards/payment_followup_legal_step.py": "legal",
    "controllers/opt_out.py": "portal",
    "controllers/portal.py": "portal",
    "controllers/portal_pay.py": "portal",
    "demo/payment_followup_demo.py": "demo",
    "demo/payment_followup_demo_cases.py": "demo",
}
# the part of an XML file's records that are about no model of the addon
XML_PARTS = {
    "security/payment_followup_security.xml": "core",
    "data/ir_sequence_data.xml": "core",
    "data/payment_followup_weekday_data.xml": "core",
    "views/reminder_templates.xml": "core",
    "views/account_move_views.xml": "core",
    "views/res_config_settings_views.xml": "core",
    "data/mail_template_data.xml": "core",
    "data/sms_template_data.xml": "channels",
    "data/ir_actions_server_data.xml": "run",
    "data/mail_template_plan_data.xml": "plans",
    "data/mail_template_autopay_data.xml": "plans",
    "data/payment_followup_dispute_data.xml": "plans",
    "data/mail_template_portal_data.xml": "portal",
    "data/mail_template_legal_data.xml": "legal",
    "views/plan_templates.xml": "plans",
    "views/opt_out_templates.xml": "portal",
    "views/portal_templates.xml": "portal",
    "views/portal_section_templates.xml": "portal",
    "views/portal_contact_templates.xml": "portal",
    "views/portal_autopay_templates.xml": "portal",
    "data/im_livechat_data.xml": "portal",
    "report/reminder_letter_report.xml": "core",
    "report/payment_plan_report.xml": "plans",
    "report/letter_before_action_report.xml": "legal",
    "report/legal_case_file_report.xml": "legal",
    "report/statement_report.xml": "core",
    "report/email_as_sent_report.xml": "core",
    # the customer's form gathers a button of every part, its statement too
    "views/res_partner_views.xml": "report",
    "views/menus.xml": "core",
    "demo/payment_followup_demo.xml": "demo",
}
# known exceptions: (file, what it names) -> why; none today
EXCEPTIONS = {}

DECLARED = re.compile(r"""^\s+_name = ["']([\w.]+)["']""", re.M)
QUOTED = re.compile(r"""["']([a-z_]+(?:\.[a-z_]+)+)["']""")
IMPORTED = re.compile(r"^\s*from \.+(?:models\.)?(\w+)\.(\w+) import", re.M)
WORD = re.compile(r"\b([a-z][a-z0-9_]*)\b")
XMLID = re.compile(rf"""["']{MODULE}\.(\w+)["']""")
DOTTED = re.compile(r"[a-z_]+(?:\.[a-z_]+)+")
REF = re.compile(rf"%\(((?:{MODULE}\.)?\w+)\)d")
ABSTRACT = re.compile(r"class \w+\(models\.(?:Abstract|Transient)Model\)")


def _python_files():
    files = {}
    for path in sorted(ADDON.rglob("*.py")):
        rel = path.relative_to(ADDON).as_posix()
        if path.name == "__init__.py" or rel.startswith(("tests/", "migrations/", "engine/")):
            continue
        if rel.startswith("models/"):
            files[path] = path.parent.name
        elif rel.startswith("report/"):
            files[path] = "report"
        elif rel in FILE_PARTS:
            files[path] = FILE_PARTS[rel]
    return files


PY_FILES = _python_files()
OWNERS = {
    name: part for path, part in PY_FILES.items() for name in DECLARED.findall(path.read_text())
}
# the tables of stored models (an abstract model's name is no table)
TABLES = {
    name.replace(".", "_"): part
    for path, part in PY_FILES.items()
    for chunk in re.split(r"(?=^class )", path.read_text(), flags=re.M)
    if not ABSTRACT.search(chunk)
    for name in DECLARED.findall(chunk)
}
MODEL_IDS = {"model_" + name.replace(".", "_"): part for name, part in OWNERS.items()}


def _xml_files():
    manifest = (ADDON / "__manifest__.py").read_text()
    return [ADDON / rel for rel in re.findall(r'"([\w/]+\.xml)"', manifest)]


def _record_model(node):
    """The model of the addon an XML record is about, if any."""
    model = node.get("model")
    if model in OWNERS:
        return model
    for field in node.iter("field"):
        name, text = field.get("name"), (field.text or "").strip()
        if name in ("model", "res_model", "binding_model", "code") and text in OWNERS:
            return text
        if name in ("model_id", "binding_model_id") and field.get("ref"):
            ref = field.get("ref").split(".")[-1]
            for model in OWNERS:
                if "model_" + model.replace(".", "_") == ref:
                    return model
    return None


def _xml_records():
    """[(file, xml id, own part, node)] of every record, template and menu."""
    records = []
    for path in _xml_files():
        rel = path.relative_to(ADDON).as_posix()
        for node in etree.parse(str(path)).getroot().iter("record", "template", "menuitem"):
            model = _record_model(node) if node.tag == "record" else None
            part = "demo" if rel.startswith("demo/") else OWNERS[model] if model else None
            records.append((rel, node.get("id"), part, node))
    return records


def _ids_parts(records):
    """{xml id: part}: a record's model's part, else its file's; a menu its action's."""
    parts = {}
    for rel, xmlid, part, node in records:
        if part is None and node.tag != "menuitem":
            part = XML_PARTS.get(rel)
        if xmlid and part:
            # a demo record that updates a data record does not move it
            parts.setdefault(xmlid, part)
    for rel, xmlid, _part, node in records:
        if node.tag == "menuitem" and xmlid and xmlid not in parts:
            parts[xmlid] = parts.get((node.get("action") or "").split(".")[-1]) or XML_PARTS[rel]
    return {**parts, **MODEL_IDS}


XML_RECORDS = _xml_records()
ID_PARTS = _ids_parts(XML_RECORDS)


def _id_part(ref):
    module, _dot, name = ref.rpartition(".")
    return ID_PARTS.get(name) if module in ("", MODULE) else None


def named_parts(source):
    """{part: [what names it]} of a Python source."""
    found = {}

    def add(part, what):
        if part:
            found.setdefault(part, []).append(what)

    for name in QUOTED.findall(source):
        add(OWNERS.get(name), name)
    for word in WORD.findall(source):
        add(TABLES.get(word), f"table {word}")
    for xmlid in XMLID.findall(source):
        add(ID_PARTS.get(xmlid), f"{MODULE}.{xmlid}")
    for part, module in IMPORTED.findall(source):
        add(part if part in RANK else None, f"import {part}.{module}")
    return found


def xml_named_parts(node):
    """{part: [what names it]} of an XML record: model names, refs, actions."""
    found = {}
    for element in node.iter():
        values = [element.text or "", *element.attrib.values()]
        for key in ("ref", "action", "inherit_id", "t-call", "parent"):
            if element.get(key):
                part = _id_part(element.get(key))
                if part:
                    found.setdefault(part, []).append(element.get(key))
        for value in values:
            for name in DOTTED.findall(value):
                if name in OWNERS:
                    found.setdefault(OWNERS[name], []).append(name)
            for ref in REF.findall(value):
                part = _id_part(ref)
                if part:
                    found.setdefault(part, []).append(ref)
    return found


def _higher(part, found, where):
    return {
        other: sorted(set(whats))
        for other, whats in found.items()
        if RANK[other] > RANK[part] and not all((where, what) in EXCEPTIONS for what in whats)
    }


def test_every_file_is_in_a_part():
    """No model file sits loose in models/, every wizard, controller and XML
    file has a part, and every part has files."""
    loose = [p.name for p in (ADDON / "models").glob("*.py") if p.name != "__init__.py"]
    assert loose == []
    unplaced = [
        p.relative_to(ADDON).as_posix()
        for p in (*ADDON.glob("wizards/*.py"), *ADDON.glob("controllers/*.py"))
        if p.name != "__init__.py" and p not in PY_FILES
    ]
    assert unplaced == []
    assert set(PY_FILES.values()) == set(ORDER)
    xml_without_part = sorted(
        {rel for rel, _id, part, node in XML_RECORDS if part is None and rel not in XML_PARTS}
        - {rel for rel, _id, _part, node in XML_RECORDS if node.tag == "menuitem"}
    )
    assert xml_without_part == []
    assert set(EXCEPTIONS) == set()


@pytest.mark.parametrize("path", PY_FILES, ids=lambda p: p.relative_to(ADDON).as_posix())
def test_a_python_file_names_only_its_part_and_below(path):
    part = PY_FILES[path]
    rel = path.relative_to(ADDON).as_posix()
    wrong = _higher(part, named_parts(path.read_text()), rel)
    assert not wrong, f"{part}: {rel} names {wrong}: use a hook"


@pytest.mark.parametrize(
    "rel, xmlid, part, node",
    [record for record in XML_RECORDS if record[1]],
    ids=lambda value: value if isinstance(value, str) and "." not in value else "",
)
def test_an_xml_record_names_only_its_part_and_below(rel, xmlid, part, node):
    part = ID_PARTS[xmlid]
    wrong = _higher(part, xml_named_parts(node), rel)
    assert not wrong, f"{part}: {rel} record {xmlid} names {wrong}"


@pytest.mark.parametrize(
    "source, part",
    [
        ('self.env["payment.followup.legal.case"]', "legal"),
        ("self.env['payment.followup.plan'].search([])", "plans"),
        ('self.env.ref("payment_followup_plus.action_payment_followup_plan")', "plans"),
        ("SELECT id FROM payment_followup_experiment WHERE state = 'running'", "experiments"),
        ('self.env["payment.followup.plan.wizard"]', "plans"),
        ("from ..portal.res_partner_portal import X", "portal"),
        ('comodel = "payment.followup.dashboard"', "report"),
    ],
)
def test_the_rule_sees_each_kind_of_name(source, part):
    """A planted upward name of each kind is seen from core."""
    assert part in _higher("core", named_parts(source), "planted")


def test_the_rule_sees_names_in_xml():
    planted = etree.fromstring(
        """<record id="x" model="ir.ui.view"><field name="model">payment.followup.event</field>
        <field name="arch" type="xml"><form><button name="%(action_payment_followup_plan)d"
        type="action"/><field name="legal_case_id" context="{'default_model':
        'payment.followup.legal.case'}"/></form></field></record>"""
    )
    assert _record_model(planted) == "payment.followup.event"
    assert set(_higher("core", xml_named_parts(planted), "planted")) == {"plans", "legal"}


def test_what_is_not_a_name():
    """Lower parts, an abstract model's name as a word, another module's id."""
    assert not _higher("run", named_parts('self.env["payment.followup.reminder"]'), "x")
    assert not _higher("core", named_parts("the payment_followup_guardrails rule"), "x")
    assert not _higher("core", named_parts('env.ref("account.action_move_out_invoice")'), "x")


# the demo uses SMS as a user would; tests and migrations name what they check
SMS_EXEMPT = ("tests/", "migrations/", "i18n/", "demo/")


def test_sms_is_one_adapter_file():
    """A channel is one adapter file, its level field and its line in the level's
    form (and its template): nothing else of the addon knows SMS."""
    where = {}
    for path in sorted(ADDON.rglob("*")):
        rel = path.relative_to(ADDON).as_posix()
        if path.suffix not in (".py", ".xml") or rel.startswith(SMS_EXEMPT):
            continue
        lines = [n for n, line in enumerate(path.read_text().splitlines(), 1) if "sms" in line]
        if lines:
            where[rel] = len(lines)
    assert where.pop("models/channels/payment_followup_channel_sms.py") > 30
    assert where == {
        "__manifest__.py": 2,  # Odoo's sms module and the template file
        "models/channels/__init__.py": 1,
        "models/core/payment_followup_level.py": 2,  # the field, in the ladder's check
        "views/payment_followup_level_views.xml": 1,
        "data/sms_template_data.xml": 2,
    }


def test_every_python_file_of_the_addon_is_at_most_400_lines():
    long = {
        path.relative_to(ADDON).as_posix(): n
        for path in ADDON.rglob("*.py")
        if "tests" not in path.parts and (n := len(path.read_text().splitlines())) > 400
    }
    assert long == {}
