"""A real SMTP server beside a test stack: the service tier's aiosmtpd sink (smtp_sink.py),
run in a container of the stack's network as `smtp`, writing each message it receives as an
.eml file into a folder the test reads.

The runtime image has Python but not aiosmtpd (a test tool); the test's own copies of
aiosmtpd and its dependencies (atpublic, attrs), all pure Python, are mounted read-only.
"""

import email
import email.policy
import os
import tempfile
from pathlib import Path

import aiosmtpd
import attr
import attrs
import public
from testcontainers.core.container import DockerContainer

from verband_testkit import images, wait_for

PORT = 2525
HOSTNAME = "smtp"
SINK = Path(__file__).with_name("smtp_sink.py")


class SmtpSink:
    def __init__(self, network):
        self.folder = Path(tempfile.mkdtemp(prefix="verband-mail-"))
        os.chmod(self.folder, 0o777)  # noqa: S103 - the container's user writes here
        packages = {
            "aiosmtpd": Path(aiosmtpd.__file__).resolve().parent,
            "public": Path(public.__file__).resolve().parent,
            "attr": Path(attr.__file__).resolve().parent,
            "attrs": Path(attrs.__file__).resolve().parent,
        }
        c = (
            DockerContainer(f"verband/runtime:{images()['VERBAND_TAG']}")
            .with_network(network)
            .with_network_aliases(HOSTNAME)
            .with_volume_mapping(str(SINK), "/sink/smtp_sink.py", "ro")
            .with_volume_mapping(str(self.folder), "/mail", "rw")
            .with_env("PYTHONPATH", "/sink/packages")
            .with_command(f"python /sink/smtp_sink.py {PORT} /mail 0.0.0.0")
            .with_kwargs(stdin_open=True)
        )
        for name, path in packages.items():
            c = c.with_volume_mapping(str(path), f"/sink/packages/{name}", "ro")
        self.container = c.start()
        wait_for(
            lambda: b"ready" in self.container.get_wrapped_container().logs(),
            30,
            what="the SMTP sink ready",
        )

    def messages(self) -> list:
        return [
            email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
            for p in sorted(self.folder.glob("*.eml"))
        ]

    def to(self, address: str) -> list:
        return [m for m in self.messages() if address in m["X-Envelope-To"]]

    def stop(self):
        try:
            self.container.stop()
        except Exception:  # already gone
            pass
