"""Notifications in the partners service, where people, their addresses and their roles are:
whom a cases event tells (the rules are `partners.domain.notifications`), the inbox rows and
their mails, and a person's inbox and mail preference.

Everything an event gives is written in the consumer's transaction, with the event's inbox
row: a redelivered event tells no one twice and mails no one twice. Mails go through the
service's mail outbox (verband_common.mailer), so they leave only once the notice is stored.
A person who chose a daily overview gets one mail a day (`queue_digests`, run by the mail
sender's rounds) instead of one per notice.

The portal's address for the links in mails: PUBLIC_URL in the environment.
"""

import uuid
from itertools import groupby

from partners.domain import notifications as rules
from verband_common import config, mailer
from verband_common.notifications import DEFAULT_MAIL_PREFERENCE
from verband_common.roles import CASE_COORDINATORS, CASE_WORKERS


def portal_url() -> str:
    return config.env("PUBLIC_URL", "http://localhost:8080")


def facts_of(tx, event_type: str, event: dict) -> dict:
    """What the directory adds to an event for its notices: the network's name and, for a
    waiting-list entry or a warm contact due, the offer's title and organisation."""
    row = tx.fetchone("SELECT name FROM networks WHERE id = %s", (event["network_id"],))
    facts = {"network_name": row["name"] if row else None}
    if event_type in ("waiting_list_entry_added", "warm_contact_due"):
        offer = tx.fetchone(
            "SELECT title, organisation_id FROM offers WHERE id = %s", (event["offer_id"],)
        )
        if offer:
            facts.update(offer_title=offer["title"], organisation_id=offer["organisation_id"])
    return facts


def audience(tx, network_id, who: tuple) -> list[dict]:
    """The people (id, e-mail, mail preference) a notice is for."""
    select = (
        "SELECT DISTINCT p.id, p.email, pref.mail FROM people p"
        " LEFT JOIN notification_preferences pref ON pref.person_id = p.id"
    )
    if who[0] == "coordinators":
        return tx.fetchall(
            select + " JOIN roles r ON r.person_id = p.id"
            " WHERE r.network_id = %s AND r.role = ANY(%s)",
            (network_id, sorted(CASE_COORDINATORS)),
        )
    if who[0] == "person":
        return tx.fetchall(select + " WHERE p.id = %s", (who[1],))
    if who[0] == "workers":
        return tx.fetchall(
            select + " JOIN roles r ON r.person_id = p.id"
            " WHERE r.network_id = %s AND r.role = ANY(%s) AND p.organisation_id = %s",
            (network_id, sorted(CASE_WORKERS), who[1]),
        )
    raise ValueError(f"unknown audience {who!r}")


def tell(tx, event_type: str, event: dict) -> int:
    """Write the notices of one event (inbox rows and their mails); answers how many mails
    were queued, so the caller can wake the sender."""
    found = rules.notices(event_type, event, facts_of(tx, event_type, event))
    mailed = 0
    for notice in found:
        for person in audience(tx, event["network_id"], notice.audience):
            added = tx.execute(
                "INSERT INTO notifications (id, person_id, network_id, event_id, kind, title,"
                " body, link, urgent, digest_pending)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (event_id, person_id, kind) DO NOTHING",
                (
                    uuid.uuid4(),
                    person["id"],
                    event["network_id"],
                    event["event_id"],
                    notice.kind,
                    notice.title,
                    notice.body,
                    notice.link,
                    notice.urgent,
                    rules.in_digest(notice.kind, person["mail"]),
                ),
            )
            if added.rowcount and rules.mail_now(notice.kind, person["mail"]):
                subject, body = rules.mail_text(
                    notice.title, notice.body, portal_url(), notice.link
                )
                mailer.queue_mail(tx, event["network_id"], [person["email"]], subject, body)
                mailed += 1
    return mailed


def queue_digests(conn) -> int:
    """Queue the daily overview of each person whose oldest waiting notice has waited
    DIGEST_HOURS; answers how many. The rows are locked (SKIP LOCKED): two instances of the
    service never mail the same overview twice."""
    rows = conn.execute(
        "SELECT n.id, n.person_id, n.network_id, n.title, n.link, p.email"
        " FROM notifications n JOIN people p ON p.id = n.person_id"
        " WHERE n.digest_pending AND n.person_id IN ("
        "   SELECT person_id FROM notifications WHERE digest_pending GROUP BY person_id"
        "   HAVING min(created_at) <= now() - make_interval(hours => %s))"
        " ORDER BY n.person_id, n.created_at, n.id FOR UPDATE OF n SKIP LOCKED",
        (rules.DIGEST_HOURS,),
    ).fetchall()
    queued = 0
    for _, group in groupby(rows, key=lambda r: r["person_id"]):
        notices = list(group)
        subject, body = rules.digest_text(notices, portal_url())
        mailer.queue_mail(conn, notices[0]["network_id"], [notices[0]["email"]], subject, body)
        conn.execute(
            "UPDATE notifications SET digest_pending = false WHERE id = ANY(%s)",
            ([n["id"] for n in notices],),
        )
        queued += 1
    return queued


def inbox(db, person_id, limit: int, before=None) -> list[dict]:
    return db.fetchall(
        "SELECT id, network_id, kind, title, body, link, urgent, created_at, read_at"
        " FROM notifications WHERE person_id = %s"
        " AND (%s::timestamptz IS NULL OR created_at < %s)"
        " ORDER BY created_at DESC, id DESC LIMIT %s",
        (person_id, before, before, limit),
    )


def unread_count(db, person_id) -> int:
    return db.fetchone(
        "SELECT count(*) AS n FROM notifications WHERE person_id = %s AND read_at IS NULL",
        (person_id,),
    )["n"]


def newest_unread_crisis(db, person_id) -> dict | None:
    return db.fetchone(
        "SELECT id, network_id, kind, title, body, link, urgent, created_at, read_at"
        " FROM notifications"
        " WHERE person_id = %s AND read_at IS NULL AND urgent"
        " ORDER BY created_at DESC, id DESC LIMIT 1",
        (person_id,),
    )


def mark_read(tx, person_id, ids: list, everything: bool) -> int:
    """Mark the person's own notifications read (ids of someone else's are ignored)."""
    cur = tx.execute(
        "UPDATE notifications SET read_at = now() WHERE person_id = %s AND read_at IS NULL"
        " AND (%s OR id = ANY(%s))",
        (person_id, everything, list(ids)),
    )
    return cur.rowcount


def preference(db, person_id) -> str:
    row = db.fetchone(
        "SELECT mail FROM notification_preferences WHERE person_id = %s", (person_id,)
    )
    return row["mail"] if row else DEFAULT_MAIL_PREFERENCE


def set_preference(tx, person_id, mail: str) -> None:
    tx.execute(
        "INSERT INTO notification_preferences (person_id, mail) VALUES (%s, %s)"
        " ON CONFLICT (person_id) DO UPDATE SET mail = EXCLUDED.mail, updated_at = now()",
        (person_id, mail),
    )
