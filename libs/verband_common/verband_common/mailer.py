"""E-mail over real SMTP, through a mail outbox: the one mailing rule of every service that
mails (meetings: agendas and minutes; partners: notifications). Each such service has its own
`mail_outbox` table with the columns `queue_mail` writes and the sender reads.

Mails are rows written in the transaction of what caused them (a published agenda, a
notification): a rolled-back change never mails anyone, and a crash before sending only delays the
mail. A managed thread of the service, woken after each commit and every
`MAIL_POLL_SECONDS`, first queues the agendas whose mailing day has come, then sends what
is queued, oldest first.

One mail never holds back the others. A mail that cannot be composed (a header with a line
break, a broken attachment) is parked at once with the reason: trying again cannot help. A
mail the SMTP server refuses or fails on is tried again after a growing delay
(MAIL_RETRY_SECONDS, doubled per try, at most an hour) while the mails behind it go out, and
is parked after MAIL_MAX_ATTEMPTS tries. Parked mails are shown to the network's admin
(`parked_mails`). When the server itself is unreachable the round ends (the next mail would
fail alike), after counting the try against the mail at hand.

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
from psycopg.types.json import Jsonb

from verband_common import config
from verband_common.db import Database

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
RETRY_SECONDS = 60.0
MAX_RETRY_SECONDS = 3600.0

# The server is away (not this mail's fault): end the round, later mails would fail alike.
SERVER_ERRORS = (
    OSError,
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
    smtplib.SMTPNotSupportedError,
)


class MailNotComposed(ValueError):
    """The stored mail cannot be made into a message at all."""


def retry_delay(attempts: int, base: float = RETRY_SECONDS) -> float:
    return min(base * 2 ** min(max(attempts - 1, 0), 16), MAX_RETRY_SECONDS)


def queue_mail(
    tx, network_id, recipients: list[str], subject: str, body: str, attachments=()
) -> None:
    """A mail in the outbox, inside the caller's transaction: sent once it commits."""
    tx.execute(
        "INSERT INTO mail_outbox (network_id, recipients, subject, body, attachments)"
        " VALUES (%s, %s, %s, %s, %s)",
        (network_id, list(recipients), subject, body, Jsonb(list(attachments))),
    )


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
        self.retry_seconds = float(_setting(cfg, "MAIL_RETRY_SECONDS", str(RETRY_SECONDS)))
        self.max_attempts = int(_setting(cfg, "MAIL_MAX_ATTEMPTS", str(MAX_ATTEMPTS)))
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
            try:
                with self.db.pool.connection() as conn:
                    self.before_send(conn)
            except Exception:  # noqa: BLE001 - what is queued still goes out
                log.exception("queueing due mail failed; sending what is queued")
        if not self.host:
            return 0
        sent = 0
        while self._running:
            with self.db.pool.connection() as conn:
                row = conn.execute(
                    "SELECT id, recipients, subject, body, attachments, attempts FROM mail_outbox"
                    " WHERE sent_at IS NULL AND parked_at IS NULL"
                    " AND (next_attempt_at IS NULL OR next_attempt_at <= now())"
                    " ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                ).fetchone()
                if row is None:
                    return sent
                try:
                    message = self.compose(row)
                except MailNotComposed as exc:
                    self._park(conn, row, f"kan niet opgemaakt worden: {exc.__cause__!r}")
                    continue
                try:
                    self.deliver(message)
                except SERVER_ERRORS as exc:
                    self._failed(conn, row, exc)
                    return sent
                except Exception as exc:  # noqa: BLE001 - this mail's failure, not the queue's
                    self._failed(conn, row, exc)
                    continue
                conn.execute(
                    "UPDATE mail_outbox SET sent_at = now(), attempts = attempts + 1 WHERE id = %s",
                    (row["id"],),
                )
                sent += 1
        return sent

    def _park(self, conn, row, reason: str) -> None:
        conn.execute(
            "UPDATE mail_outbox SET attempts = attempts + 1, last_error = %s, parked_at = now()"
            " WHERE id = %s",
            (reason[:2000], row["id"]),
        )
        log.error("mail parked", extra={"mail_id": row["id"], "reason": reason})

    def _failed(self, conn, row, exc: Exception) -> None:
        attempts = row["attempts"] + 1
        if attempts >= self.max_attempts:
            self._park(conn, row, f"na {attempts} pogingen niet verstuurd: {exc!r}")
            return
        delay = retry_delay(attempts, self.retry_seconds)
        conn.execute(
            "UPDATE mail_outbox SET attempts = %s, last_error = %s,"
            " next_attempt_at = now() + make_interval(secs => %s) WHERE id = %s",
            (attempts, repr(exc)[:2000], delay, row["id"]),
        )
        log.warning(
            "mail not sent; tried again later",
            extra={
                "mail_id": row["id"],
                "attempt": attempts,
                "retry_in_s": delay,
                "error": repr(exc),
            },
        )

    def compose(self, row: dict) -> EmailMessage:
        """The message of a stored mail, or MailNotComposed (from the cause)."""
        try:
            msg = EmailMessage()
            msg["From"] = self.sender
            msg["To"] = ", ".join(row["recipients"])
            msg["Subject"] = row["subject"]
            msg.set_content(row["body"])
            for a in row["attachments"]:
                maintype, _, subtype = a["content_type"].partition("/")
                msg.add_attachment(
                    base64.b64decode(a["content_base64"], validate=True),
                    maintype=maintype,
                    subtype=subtype,
                    filename=a["filename"],
                )
            # Rendering is where some header faults show; do it now, not halfway through SMTP.
            msg.as_bytes()
        except Exception as exc:  # noqa: BLE001 - whatever the cause, this mail cannot be sent
            raise MailNotComposed(str(exc)) from exc
        return msg

    def deliver(self, msg: EmailMessage) -> None:
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
