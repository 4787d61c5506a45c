"""The addons here are Odoo addons for tests only; their tests are Odoo tests
that need pytest-odoo's registry, server and test flag, not the engine's
no-Odoo overrides of ``tests/conftest.py``."""

from pytest_odoo import enable_odoo_test_flag, load_http, load_registry  # noqa: F401
