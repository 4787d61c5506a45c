"""Plain-pytest configuration.

- The engine is imported straight from the addon folder as the package
  ``engine`` (it has no ``odoo`` import), so its tests need no database.
- With pytest-odoo installed, its session fixtures would open an Odoo registry
  for every test; the engine tests override them, so ``python3 -m pytest tests``
  works as is, without a database.
- A skipped test never counts as a pass: a run with skips exits non-zero.
"""

import sys
from pathlib import Path

import pytest

ADDON = Path(__file__).resolve().parent.parent / "payment_followup_plus"
if str(ADDON) not in sys.path:
    sys.path.insert(0, str(ADDON))
# test utilities that import no Odoo either (pdf_render: pages as pixels)
if str(ADDON / "tests") not in sys.path:
    sys.path.append(str(ADDON / "tests"))


def pytest_ignore_collect(collection_path, config):
    """The test-only addons (``odoo_addons/``) are tested only where they are
    installed: setup/test's second part names their folder on the command line."""
    if collection_path == Path(__file__).resolve().parent / "odoo_addons":
        return not any("odoo_addons" in str(arg) for arg in config.args)
    return None


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """No Odoo registry for the engine (overrides pytest-odoo's fixture)."""
    yield


@pytest.fixture(scope="session", autouse=True)
def load_http():
    """No Odoo server for the engine (overrides pytest-odoo's fixture)."""
    yield


@pytest.fixture(scope="module", autouse=True)
def enable_odoo_test_flag():
    """Odoo's test flag is not needed by the engine (overrides pytest-odoo's)."""
    yield


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped and session.exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter):
    skipped = terminalreporter.stats.get("skipped", [])
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} test(s) skipped: a skipped test does not count as a pass",
            red=True,
        )
