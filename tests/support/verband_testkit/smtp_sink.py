"""A real SMTP server for the tests (aiosmtpd), run as its own process: the service tests
run under eventlet, and aiosmtpd's asyncio loop is better kept away from that hub; the fault
tests run it in a container beside the stack (verband_testkit.mail).

    python smtp_sink.py PORT FOLDER [HOST]

Each message received is written to FOLDER as one .eml file (the raw message, with the
envelope recipients in an X-Envelope-To header); the process runs until stdin closes. A
recipient whose address starts with "refused" is refused (550), as a real server refuses an
unknown mailbox."""

import sys
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder: Path):
        self.folder = folder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        name = self.folder / f"{time.time_ns()}-{uuid.uuid4().hex[:6]}"
        data = envelope.original_content or envelope.content
        header = f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode()
        name.with_suffix(".tmp").write_bytes(header + data)
        name.with_suffix(".tmp").rename(name.with_suffix(".eml"))
        return "250 Message accepted for delivery"


def main():
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    host = sys.argv[3] if len(sys.argv) > 3 else "127.0.0.1"
    controller = Controller(Sink(folder), hostname=host, port=port)
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()  # until the test session closes our stdin
    controller.stop()


if __name__ == "__main__":
    main()
