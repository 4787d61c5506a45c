import json
from pathlib import Path

from odoo.tests import tagged

from .portal_common import PortalCommon

# axe-core, installed from npm by the project's set-up (setup/common.sh ensure_axe)
AXE = Path(__file__).resolve().parents[2] / ".local/node/node_modules/axe-core/axe.min.js"
# what the page runs: axe on the addon's part of the page (Odoo's header,
# footer and chat are Odoo's), the <html> language, nothing wider than the screen
CHECK = """
const expectedLang = %(lang)s;
const problems = [];
if ((document.documentElement.lang || '').toLowerCase() !== expectedLang.toLowerCase()) {
    problems.push('html lang is "' + document.documentElement.lang + '", not ' + expectedLang);
}
if (document.documentElement.scrollWidth > window.innerWidth) {
    problems.push('page ' + document.documentElement.scrollWidth + ' px wide');
}
axe.run(document.querySelector('main'), {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
}).then((result) => {
    for (const v of result.violations) {
        problems.push(v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(' | '));
    }
    if (problems.length) {
        console.error('accessibility: ' + problems.join('\\n'));
    } else {
        console.log('test successful');
    }
});
"""


@tagged("post_install", "-at_install")
class TestFollowupAccessibility(PortalCommon):
    """The customer's payments page at 360 px, in English and French, checked
    with axe-core (WCAG 2.1 A and AA) on the addon's elements."""

    browser_size = "360x740"

    def _axe(self, url, lang):
        if not AXE.exists():
            self.fail("axe-core is missing: run setup/test (it installs it from npm)")
        code = AXE.read_text() + CHECK % {"lang": json.dumps(lang)}
        self.browser_js(url, code, ready="document.readyState === 'complete'", login=None)

    def _busy_page(self):
        """A page with all it can show: a plan, a pending payment, a booked call."""
        self._plan(self.late, installment_count=2)
        self._pending_payment(self.old, 100.0, "AXE-1")
        slot = self.acme._followup_call_slots()[0]
        self.acme.sudo()._followup_book_call({"slot": slot.start.strftime("%Y-%m-%d %H:%M:%S")})
        self.assertTrue(self.acme._followup_booked_calls(), "the page shows the call to move")

    def test_the_payments_page_in_english(self):
        self._busy_page()
        self._axe(self._signed(), "en-US")

    def test_the_payments_page_in_french(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.env["ir.module.module"]._load_module_terms(["payment_followup_plus"], ["fr_FR"])
        self.acme.lang = "fr_FR"
        self._busy_page()
        self._axe(self._signed(), "fr-FR")

    def test_a_reminder_email_on_a_phone(self):
        """The reminder email, as a phone's mail app shows it (its HTML alone,
        at 360 px): axe finds nothing, and nothing is wider than the screen."""
        self.company.followup_min_gap_days = 0
        self.env["payment.followup.run"]._run_for_partners(
            self.acme, now=self.env["payment.followup.run"]._now_for(self.today)
        )
        mail = self.env["mail.mail"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.acme.id)], limit=1
        )
        self.assertTrue(mail, "the run wrote the reminder email")
        if not AXE.exists():
            self.fail("axe-core is missing: run setup/test (it installs it from npm)")
        show = "document.open(); document.write(%s); document.close();" % json.dumps(
            "<!DOCTYPE html><html lang='en-US'><head><meta name='viewport' "
            "content='width=device-width'><title>%s</title></head><body><main>%s</main></body>"
            "</html>" % (mail.subject, mail.body_html)
        )
        code = show + AXE.read_text() + CHECK % {"lang": json.dumps("en-US")}
        self.browser_js("/web/login", code, ready="document.readyState === 'complete'", login=None)
