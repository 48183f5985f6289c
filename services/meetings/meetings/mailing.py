"""Which mails the meetings service sends: the agenda with its PDF, a number of days
(per body) before the meeting, and the draft minutes."""

import base64

from meetings import store, views
from meetings.domain import documents


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


def recipients(members: list[dict]) -> list[str]:
    return sorted({m["email"] for m in members if m.get("email")})


def queue_agenda(tx, meeting_id) -> None:
    meeting = views.localise(store.get_meeting(tx, meeting_id))
    body = store.get_body(tx, meeting["body_id"])
    members = views.with_display_names(store.members_of(tx, body["id"]))
    items = store.items_of(tx, meeting_id)
    to = recipients(members)
    if to:
        subject, text = documents.agenda_mail(body, meeting, items)
        pdf = documents.agenda_pdf(body, meeting, items)
        name = documents.pdf_name("agenda", body, meeting["local_date"])
        store.queue_mail(tx, to, subject, text, [attachment(name, pdf)])
    tx.execute("UPDATE meetings SET agenda_mailed_at = now() WHERE id = %s", (meeting_id,))


def queue_due_agendas(conn) -> None:
    """Runs in the mailer's rounds: every published agenda whose mailing day has come."""
    tx = ConnTx(conn)
    for row in store.agendas_due(conn):
        queue_agenda(tx, row["id"])
