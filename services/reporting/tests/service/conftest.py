"""Service tier: loads the shared fixtures of libs/verband_common/tests/kit/verband_servicekit.py
(one broker and one database per session, a fresh vhost and databases per test)."""

import sys
from pathlib import Path

KIT = Path(__file__).resolve().parents[4] / "libs" / "verband_common" / "tests" / "kit"
if str(KIT) not in sys.path:
    sys.path.insert(0, str(KIT))


def pytest_configure(config):
    config.pluginmanager.import_plugin("verband_servicekit")


# The reporting tests share a world of events (reporting_world.py, next to this).
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
