"""pytest configuration for the whole suite.

Odoo's own test runner marks the process as testing (``current_test``): its
mail server then never connects anywhere, and Odoo's test helpers take over.
pytest-odoo does that only from Odoo 19 on; for Odoo 18 it is done here, per
test, so no test ever sends a real email by accident (a test that sends to
the local mail sink on purpose turns it off for that moment)."""

import pytest


@pytest.fixture(autouse=True)
def odoo_test_mode():
    try:
        from odoo.modules import module
    except ImportError:  # the engine's tests need no Odoo
        yield
        return
    previous = module.current_test
    module.current_test = True
    yield
    module.current_test = previous
