"""E-mail over real SMTP, through a mail outbox.

Mails are rows written in the transaction of what caused them (a published agenda, a draft
sent): a rolled-back change never mails anyone, and a crash before sending only delays the
mail. A managed thread of the service, woken after each commit and every
`MAIL_POLL_SECONDS`, first queues the agendas whose mailing day has come, then sends what
is queued. A mail that fails stays queued and is retried on the next round.

Configuration (service config or environment): SMTP_HOST, SMTP_PORT, SMTP_TLS (none,
starttls or ssl), SMTP_USER, SMTP_PASSWORD, SMTP_SENDER. Without SMTP_HOST nothing is sent
(mails wait in the outbox), so a stack without a mail server still runs.
"""

import base64
import logging
import smtplib
import ssl
from email.message import EmailMessage

import eventlet
from eventlet.event import Event
from nameko.extensions import DependencyProvider

from verband_common import config
from verband_common.db import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def _setting(cfg, name, default=""):
    value = cfg.get(name)
    return str(value) if value not in (None, "") else config.env(name, default)


class Mailer(DependencyProvider):
    def __init__(self, before_send=None):
        # `before_send(tx)`: queues mail that has come due (the agendas); runs each round.
        self.before_send = before_send
        self._wake = Event()
        self._running = False

    def setup(self):
        cfg = self.container.config
        self.host = _setting(cfg, "SMTP_HOST")
        self.port = int(_setting(cfg, "SMTP_PORT", "25"))
        self.tls = _setting(cfg, "SMTP_TLS", "none").lower()
        self.user = _setting(cfg, "SMTP_USER")
        self.password = _setting(cfg, "SMTP_PASSWORD")
        self.sender = _setting(cfg, "SMTP_SENDER", "verband@localhost")
        self.poll = float(_setting(cfg, "MAIL_POLL_SECONDS", "60"))
        if self.tls not in ("none", "starttls", "ssl"):
            raise RuntimeError("SMTP_TLS must be none, starttls or ssl")

    def start(self):
        self.db = next(d for d in self.container.dependencies if isinstance(d, Database))
        self._running = True
        self.container.spawn_managed_thread(self._run, identifier="mailer")

    def stop(self):
        self._running = False
        self.kick()

    def kill(self):
        self.stop()

    def kick(self):
        if not self._wake.ready():
            self._wake.send(True)

    def get_dependency(self, worker_ctx):
        return self

    def _wait_for_schema(self):
        """The Database provider opens its pool and migrates while we start (nameko starts
        extensions side by side): wait for it quietly rather than fail the first rounds."""
        while self._running:
            try:
                with self.db.pool.connection(timeout=1) as conn:
                    row = conn.execute("SELECT to_regclass('mail_outbox') IS NOT NULL AS ok")
                    if row.fetchone()["ok"]:
                        return
            except Exception as exc:  # noqa: BLE001 - pool not open yet: try again shortly
                log.debug("mailer waits for the database", extra={"error": repr(exc)})
            eventlet.sleep(0.2)

    def _run(self):
        self._wait_for_schema()
        while self._running:
            try:
                self.round()
            except Exception:  # noqa: BLE001 - the loop must outlive a bad round
                if self._running:  # not the pool closing under us at shutdown
                    log.exception("mail round failed")
            with eventlet.Timeout(self.poll, False):
                self._wake.wait()
            self._wake = Event()

    def round(self) -> int:
        if self.before_send is not None:
            with self.db.pool.connection() as conn:
                self.before_send(conn)
        if not self.host:
            return 0
        sent = 0
        while True:
            with self.db.pool.connection() as conn:
                row = conn.execute(
                    "SELECT id, recipients, subject, body, attachments FROM mail_outbox"
                    " WHERE sent_at IS NULL AND attempts < %s ORDER BY id LIMIT 1"
                    " FOR UPDATE SKIP LOCKED",
                    (MAX_ATTEMPTS,),
                ).fetchone()
                if row is None:
                    return sent
                try:
                    self.send(row)
                except (OSError, smtplib.SMTPException) as exc:
                    conn.execute(
                        "UPDATE mail_outbox SET attempts = attempts + 1, last_error = %s"
                        " WHERE id = %s",
                        (repr(exc)[:2000], row["id"]),
                    )
                    log.warning("mail not sent", extra={"mail_id": row["id"], "error": repr(exc)})
                    return sent
                conn.execute(
                    "UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = %s",
                    (row["id"],),
                )
                sent += 1

    def send(self, row: dict) -> None:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = ", ".join(row["recipients"])
        msg["Subject"] = row["subject"]
        msg.set_content(row["body"])
        for a in row["attachments"]:
            maintype, _, subtype = a["content_type"].partition("/")
            msg.add_attachment(
                base64.b64decode(a["content_base64"]),
                maintype=maintype,
                subtype=subtype,
                filename=a["filename"],
            )
        if self.tls == "ssl":
            client = smtplib.SMTP_SSL(
                self.host, self.port, timeout=30, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(self.host, self.port, timeout=30)
        with client:
            if self.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if self.user:
                client.login(self.user, self.password)
            client.send_message(msg)
