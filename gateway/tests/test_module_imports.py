"""Every module of the gateway imports on its own, in a fresh interpreter: none needs another
to have been imported first, and none reaches for a name that has moved elsewhere (a page
module once imported a date formatter from another page module after it had moved, which
only the app's own import order hid)."""

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import verband_gateway

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(verband_gateway.__path__, "verband_gateway.")
    if m.name != "verband_gateway.wsgi"  # builds the app from the environment at import
)
PATH = os.pathsep.join(str(ROOT / p) for p in ("libs/verband_common", "gateway"))


def test_the_gateway_has_its_areas_as_modules():
    assert len(MODULES) > 30


@pytest.mark.parametrize("batch", range(4))
def test_each_module_imports_alone(batch):
    # One interpreter per module; four tests so that a failure names a short list.
    mine = MODULES[batch::4]
    failed = {}
    for name in mine:
        done = subprocess.run(
            [sys.executable, "-W", "ignore", "-c", f"import {name}"],
            env={**os.environ, "PYTHONPATH": PATH, "VERBAND_ENV": "test"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            failed[name] = done.stderr.strip().splitlines()[-1:]
    assert failed == {}
