"""Which mails the meetings service sends: the agenda with its PDF, a number of days
(per body) before the meeting, and the draft minutes."""

import base64
import logging
import os

from meetings import store, views
from meetings.domain import documents

log = logging.getLogger(__name__)

# Where people open Verband (the gateway's PUBLIC_URL, no trailing slash); the agenda mail
# links the meeting's page there for its documents. Empty: the mail names them, no link.
PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")


class ConnTx:
    """A plain connection with the fetch methods the store functions use."""

    def __init__(self, conn):
        self.conn = conn

    def execute(self, query, params=None):
        return self.conn.execute(query, params)

    def fetchone(self, query, params=None):
        return self.conn.execute(query, params).fetchone()

    def fetchall(self, query, params=None):
        return self.conn.execute(query, params).fetchall()


def attachment(filename: str, content: bytes, content_type: str = "application/pdf") -> dict:
    return {
        "filename": filename,
        "content_type": content_type,
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


def with_files(items: list[dict], files: list[dict]) -> tuple[list[dict], list[dict]]:
    """The agenda's items, each with its uploaded documents (`files`), and the documents of
    the meeting as a whole."""
    by_item: dict[str, list] = {}
    loose = []
    for f in files:
        if f["item_id"] is None:
            loose.append(f)
        else:
            by_item.setdefault(str(f["item_id"]), []).append(f)
    return [{**i, "files": by_item.get(str(i["id"]), [])} for i in items], loose


def recipients(members: list[dict]) -> list[str]:
    return sorted({m["email"] for m in members if m.get("email")})


def queue_agenda(tx, meeting_id) -> None:
    meeting = views.localise(store.get_meeting(tx, meeting_id))
    body = store.get_body(tx, meeting["body_id"])
    members = views.with_display_names(store.members_of(tx, body["id"]))
    items = store.items_of(tx, meeting_id)
    files = [views.document(d) for d in store.documents_of(tx, meeting_id)]
    # The meeting's guests get its agenda too: they were invited to this one.
    to = recipients([*members, *store.guests_of(tx, meeting_id)])
    if to:
        link = f"{PUBLIC_URL}/vergaderingen/{meeting_id}" if PUBLIC_URL else ""
        names = [documents.file_label(f) for f in files]
        subject, text = documents.agenda_mail(body, meeting, items, names, link)
        pdf = documents.agenda_pdf(body, meeting, *with_files(items, files))
        name = documents.pdf_name("agenda", body, meeting["local_date"])
        store.queue_mail(tx, meeting["network_id"], to, subject, text, [attachment(name, pdf)])
    tx.execute("UPDATE meetings SET agenda_mailed_at = now() WHERE id = %s", (meeting_id,))


def queue_due_agendas(conn) -> None:
    """Runs in the mailer's rounds: every published agenda whose mailing day has come.

    Each agenda in a savepoint of its own: one that cannot be written (its PDF or its mail)
    is parked as a mail with the reason, and marked handled, instead of failing every round
    and so holding back every later agenda of every network."""
    tx = ConnTx(conn)
    for row in store.agendas_due(conn):
        try:
            with conn.transaction():
                queue_agenda(tx, row["id"])
        except Exception as exc:  # noqa: BLE001 - parked with the reason, never retried blind
            log.exception("agenda mail could not be written; parked", extra={"meeting": row["id"]})
            with conn.transaction():
                meeting = store.get_meeting(tx, row["id"])
                store.park_mail(
                    tx,
                    meeting["network_id"],
                    [],
                    f"Agenda {meeting['body_name']} - {meeting['starts_at']:%Y-%m-%d}",
                    f"de agenda kon niet opgemaakt worden: {exc!r}",
                )
                tx.execute(
                    "UPDATE meetings SET agenda_mailed_at = now() WHERE id = %s", (row["id"],)
                )
