from odoo.tests import tagged

from .portal_common import PortalCommon

# what the page checks in the browser: nothing wider than the screen
FITS = """
if (!document.querySelector('table.o_pfp_invoices')) {
    console.error('not the payments page: ' + document.title);
}
const page = document.documentElement;
const wide = [...document.querySelectorAll('main *')].filter(
    (el) => el.getBoundingClientRect().right > window.innerWidth + 1
);
const tables = [...document.querySelectorAll('main *')].filter(
    (el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible'
);
// a finger's size: buttons, fields and each checkbox or radio with its label
const small = [...document.querySelectorAll(
    'main .btn, main .form-control, main .form-select, main .form-check'
)].filter((el) => el.offsetParent && el.getBoundingClientRect().height < 44);
if (small.length) {
    console.error('smaller than 44 px: ' + small.slice(0, 5).map(
        (el) => el.tagName + '.' + el.className + ' ' + el.getBoundingClientRect().height
    ).join(', '));
}
if (page.scrollWidth > window.innerWidth || wide.length || tables.length) {
    console.error('wider than the screen: ' + window.innerWidth + ' < ' + page.scrollWidth + ' '
        + wide.slice(0, 5).map((el) => el.tagName + '.' + el.className).join(', ')
        + ' ' + tables.map((t) => t.className).join(', '));
} else {
    console.log('test successful');
}
"""


@tagged("post_install", "-at_install")
class TestFollowupPhone(PortalCommon):
    """The customer's page on a 360 px phone: nothing scrolls sideways, no
    column of the invoices is cut off."""

    browser_size = "360x740"

    def test_the_payments_page_fits_a_phone(self):
        self._plan(self.late, installment_count=2)
        # the longest status there is: a payment on its way
        self._pending_payment(self.old, 100.0, "PHONE-1")
        self.browser_js(
            self._signed(), FITS, ready="document.readyState === 'complete'", login=None
        )
