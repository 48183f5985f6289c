"""Service tier: loads the shared fixtures of libs/verband_common/tests/kit/verband_servicekit.py
(one broker and one database per session, a fresh vhost and databases per test)."""

import sys
from pathlib import Path

KIT = Path(__file__).resolve().parents[4] / "libs" / "verband_common" / "tests" / "kit"
if str(KIT) not in sys.path:
    sys.path.insert(0, str(KIT))
# meetings_support.py (the people and bodies most tests start from) lives next to this file.
HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)


def pytest_configure(config):
    config.pluginmanager.import_plugin("verband_servicekit")


# -- a real SMTP server for the e-mails the meetings service sends ---------------------------

import email  # noqa: E402
import email.policy  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402

import pytest  # noqa: E402

# The SMTP server of every tier's tests (the fault tier runs it in a container).
SMTP_SINK = Path(__file__).resolve().parents[4] / "tests/support/verband_testkit/smtp_sink.py"


class Mailbox:
    def __init__(self, port: int, folder: Path):
        self.host = "127.0.0.1"
        self.port = port
        self.folder = folder

    def messages(self) -> list:
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(self.folder.glob("*.eml"))
        ]

    def to(self, address: str) -> list:
        return [m for m in self.messages() if address in m["X-Envelope-To"]]


@pytest.fixture(scope="session")
def smtp_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("mail")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, str(SMTP_SINK), str(port), str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert proc.stdout.readline().strip() == b"ready"
    yield Mailbox(port, folder)
    proc.stdin.close()
    proc.wait(timeout=10)


@pytest.fixture
def mailbox(smtp_server):
    for p in smtp_server.folder.glob("*.eml"):
        p.unlink()
    return smtp_server
