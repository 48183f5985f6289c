"""Outgoing mail: by SMTP when SMTP_HOST is set, else as .eml files in MAIL_DIR (demo, test).

Mail goes out on a background thread: a password-reset request must take as long for an
unknown address as for a known one, or its timing would tell who has an account.
"""

import logging
import smtplib
import ssl
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

log = logging.getLogger(__name__)


class Mailer:
    def __init__(self, config: dict, background: bool = True):
        self.config = config
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="mail") if background else None
        # Mails handed to the sender and not yet delivered or given up (the metrics' mail queue).
        self._queued = 0
        self._queued_lock = threading.Lock()

    def queued(self) -> int:
        return self._queued

    def _track(self, delta: int) -> None:
        with self._queued_lock:
            self._queued += delta

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.config["MAIL_FROM"]
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain="verband")
        message.set_content(body)
        if self._pool is None:
            self._deliver(message)
        else:
            self._track(1)
            self._pool.submit(self._deliver_queued, message)

    def _deliver_queued(self, message: EmailMessage) -> None:
        try:
            self._deliver(message)
        finally:
            self._track(-1)

    def _deliver(self, message: EmailMessage) -> None:
        try:
            if self.config.get("SMTP_HOST"):
                self._smtp(message)
            else:
                self._file(message)
        except Exception as exc:  # noqa: BLE001 - a lost mail is logged, never raised to a user
            log.error("mail not sent", extra={"to": message["To"], "error": repr(exc)})

    def _smtp(self, message: EmailMessage) -> None:
        cfg = self.config
        with smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30) as smtp:
            if cfg.get("SMTP_STARTTLS", True):
                smtp.starttls(context=ssl.create_default_context())
            if cfg.get("SMTP_USER"):
                smtp.login(cfg["SMTP_USER"], cfg.get("SMTP_PASSWORD", ""))
            smtp.send_message(message)

    def _file(self, message: EmailMessage) -> None:
        folder = Path(self.config["MAIL_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{uuid.uuid4().hex}.eml"
        # Write then rename, so a reader never sees half a message.
        partial = path.with_suffix(".part")
        partial.write_bytes(bytes(message))
        partial.rename(path)
        log.info("mail written", extra={"path": str(path)})
