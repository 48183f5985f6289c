"""SQL of the meetings service; every function works inside the caller's transaction (or,
for reads, on the `self.db` session, which has the same fetch methods)."""

import uuid

from psycopg.types.json import Jsonb

from verband_common import mailer

BODY_COLUMNS = (
    "id, network_id, name, kind, mandate, quorum, decision_rule, cadence, location,"
    " agenda_deadline_days, mail_days_before, created_at"
)
MEETING_COLUMNS = (
    "m.id, m.body_id, m.network_id, m.starts_at, m.ends_at, m.status, m.in_series,"
    " m.location, m.sequence, m.change_reason, m.agenda_published_at, m.agenda_mailed_at,"
    " m.quorum_reached, m.iroj_reporter_id, m.held_at"
)
ITEM_COLUMNS = (
    "id, meeting_id, position, kind, title, explanation, documents, decision_asked, ref,"
    " proposed_by, approved_by_meeting, notes"
)


# -- projections of partners' events ---------------------------------------------------------


def upsert_network(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO networks (id, name, kind, region) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (id) DO NOTHING",
        (event["network_id"], event["name"], event["kind"], event["region"]),
    )


def grant_role(tx, network_id, person_id, role, name, email, organisation_id) -> None:
    tx.execute(
        "INSERT INTO people (id, name, email, organisation_id) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (id) DO UPDATE SET name = COALESCE(EXCLUDED.name, people.name),"
        " email = COALESCE(EXCLUDED.email, people.email),"
        " organisation_id = COALESCE(EXCLUDED.organisation_id, people.organisation_id),"
        " updated_at = now()",
        (person_id, name, email, organisation_id),
    )
    tx.execute(
        "INSERT INTO network_roles (network_id, person_id, role) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (network_id, person_id, role),
    )


def revoke_role(tx, network_id, person_id, role) -> None:
    tx.execute(
        "DELETE FROM network_roles WHERE network_id = %s AND person_id = %s AND role = %s",
        (network_id, person_id, role),
    )


def forget_emails(tx) -> int:
    """The e-mail address of someone with no role and no active seat any more: mail goes
    only to present members, so it is not kept (names stay: they are in past minutes)."""
    return tx.execute(
        "UPDATE people p SET email = NULL, updated_at = now() WHERE p.email IS NOT NULL"
        " AND NOT EXISTS (SELECT 1 FROM network_roles r WHERE r.person_id = p.id)"
        " AND NOT EXISTS (SELECT 1 FROM body_members m WHERE m.active"
        "   AND p.id IN (m.person_id, m.delegate_id))"
    ).rowcount


def roles_of(db, person_id) -> dict[str, set[str]]:
    roles: dict[str, set[str]] = {}
    for r in db.fetchall(
        "SELECT network_id, role FROM network_roles WHERE person_id = %s", (person_id,)
    ):
        roles.setdefault(str(r["network_id"]), set()).add(r["role"])
    return roles


def people_with_role(db, network_id, person_ids) -> set[str]:
    rows = db.fetchall(
        "SELECT DISTINCT person_id FROM network_roles WHERE network_id = %s"
        " AND person_id = ANY(%s)",
        (network_id, list(person_ids)),
    )
    return {str(r["person_id"]) for r in rows}


def save_bottleneck(tx, event: dict) -> None:
    tx.execute(
        "INSERT INTO bottlenecks (case_pseudonym, network_id, reason_category, flagged_on)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (
            event["case_pseudonym"],
            event["network_id"],
            event["reason_category"],
            event["flagged_on"],
        ),
    )


def open_bottlenecks(tx, network_id) -> list[dict]:
    return tx.fetchall(
        "SELECT case_pseudonym, reason_category, flagged_on FROM bottlenecks"
        " WHERE network_id = %s AND meeting_id IS NULL ORDER BY flagged_on, case_pseudonym",
        (network_id,),
    )


def take_bottlenecks(tx, network_id, pseudonyms, meeting_id) -> None:
    tx.execute(
        "UPDATE bottlenecks SET meeting_id = %s WHERE network_id = %s"
        " AND case_pseudonym = ANY(%s) AND meeting_id IS NULL",
        (meeting_id, network_id, list(pseudonyms)),
    )


# -- bodies and members ----------------------------------------------------------------------


def insert_body(tx, network_id, data: dict) -> dict:
    return tx.fetchone(
        f"INSERT INTO bodies ({BODY_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        f" %s, now()) RETURNING {BODY_COLUMNS}",
        (
            uuid.uuid4(),
            network_id,
            data["name"],
            data["kind"],
            data.get("mandate"),
            Jsonb(data["quorum"]),
            Jsonb(data["decision_rule"]),
            Jsonb(data["cadence"]),
            data.get("location"),
            data["agenda_deadline_days"],
            data["mail_days_before"],
        ),
    )


UPDATABLE = (
    "name",
    "kind",
    "mandate",
    "quorum",
    "decision_rule",
    "cadence",
    "location",
    "agenda_deadline_days",
    "mail_days_before",
)
JSON_COLUMNS = ("quorum", "decision_rule", "cadence")


def update_body(tx, body_id, changes: dict) -> dict:
    sets = [c for c in UPDATABLE if c in changes]
    if sets:
        tx.execute(
            "UPDATE bodies SET " + ", ".join(f"{c} = %s" for c in sets) + " WHERE id = %s",
            [Jsonb(changes[c]) if c in JSON_COLUMNS else changes[c] for c in sets] + [body_id],
        )
    return get_body(tx, body_id)


def get_body(db, body_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {BODY_COLUMNS} FROM bodies WHERE id = %s" + (" FOR UPDATE" if lock else ""),
        (body_id,),
    )


def list_bodies(db, network_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {BODY_COLUMNS} FROM bodies WHERE network_id = %s ORDER BY name", (network_id,)
    )


def insert_member(tx, body_id, m: dict) -> None:
    tx.execute(
        "INSERT INTO body_members (id, body_id, person_id, organisation_id, organisation_name,"
        " delegate_id, role, voting, represents) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            uuid.uuid4(),
            body_id,
            m.get("person_id"),
            m.get("organisation_id"),
            m.get("organisation_name"),
            m.get("delegate_id"),
            m["role"],
            m["voting"],
            m.get("represents"),
        ),
    )


def deactivate_member(tx, body_id, member_id) -> bool:
    cur = tx.execute(
        "UPDATE body_members SET active = false WHERE id = %s AND body_id = %s AND active",
        (member_id, body_id),
    )
    return cur.rowcount == 1


def members_of(db, body_id, include_inactive: bool = False) -> list[dict]:
    """Seats of a body with the name and e-mail of the person who sits there."""
    return db.fetchall(
        "SELECT bm.id, bm.body_id, bm.person_id, bm.organisation_id, bm.organisation_name,"
        " bm.delegate_id, bm.role, bm.voting, bm.active, bm.represents, p.name AS person_name,"
        " p.email AS email, COALESCE(bm.person_id, bm.delegate_id) AS seat_person_id"
        " FROM body_members bm JOIN people p ON p.id = COALESCE(bm.person_id, bm.delegate_id)"
        " WHERE bm.body_id = %s"
        + ("" if include_inactive else " AND bm.active")
        + " ORDER BY CASE bm.role WHEN 'chair' THEN 0 WHEN 'secretary' THEN 1"
        " WHEN 'member' THEN 2 ELSE 3 END, p.name, bm.id",
        (body_id,),
    )


# -- meetings --------------------------------------------------------------------------------


def insert_meeting(tx, body: dict, starts_at, ends_at, in_series: bool, location) -> dict:
    return tx.fetchone(
        "INSERT INTO meetings (id, body_id, network_id, starts_at, ends_at, in_series, location)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (uuid.uuid4(), body["id"], body["network_id"], starts_at, ends_at, in_series, location),
    )


def meeting_starts(tx, body_id) -> set:
    rows = tx.fetchall(
        "SELECT starts_at FROM meetings WHERE body_id = %s AND status <> 'cancelled'",
        (body_id,),
    )
    return {r["starts_at"] for r in rows}


def meeting_days(tx, body_id) -> list:
    """The local (Brussels) days of the body's meetings that are not cancelled, in order: what
    its rhythm is checked against."""
    rows = tx.fetchall(
        "SELECT DISTINCT (starts_at AT TIME ZONE 'Europe/Brussels')::date AS day FROM meetings"
        " WHERE body_id = %s AND status <> 'cancelled' ORDER BY day",
        (body_id,),
    )
    return [r["day"] for r in rows]


def get_meeting(db, meeting_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {MEETING_COLUMNS}, b.name AS body_name, b.kind AS body_kind"
        " FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.id = %s"
        + (" FOR UPDATE OF m" if lock else ""),
        (meeting_id,),
    )


def list_meetings(db, body_id, start=None, end=None) -> list[dict]:
    return db.fetchall(
        f"SELECT {MEETING_COLUMNS}, b.name AS body_name, b.kind AS body_kind"
        " FROM meetings m JOIN bodies b ON b.id = m.body_id WHERE m.body_id = %s"
        " AND (%s::timestamptz IS NULL OR m.starts_at >= %s)"
        " AND (%s::timestamptz IS NULL OR m.starts_at < %s) ORDER BY m.starts_at",
        (body_id, start, start, end, end),
    )


def meetings_of_person(db, person_id) -> list[dict]:
    return db.fetchall(
        f"SELECT DISTINCT {MEETING_COLUMNS}, b.name AS body_name, b.kind AS body_kind"
        " FROM meetings m JOIN bodies b ON b.id = m.body_id"
        " JOIN body_members bm ON bm.body_id = b.id AND bm.active"
        " JOIN network_roles nr ON nr.network_id = b.network_id"
        "  AND nr.person_id = COALESCE(bm.person_id, bm.delegate_id)"
        " WHERE COALESCE(bm.person_id, bm.delegate_id) = %s ORDER BY m.starts_at",
        (person_id,),
    )


def previous_meeting(db, meeting: dict) -> dict | None:
    return db.fetchone(
        f"SELECT {MEETING_COLUMNS} FROM meetings m WHERE m.body_id = %s AND m.status = 'held'"
        " AND m.starts_at < %s ORDER BY m.starts_at DESC LIMIT 1",
        (meeting["body_id"], meeting["starts_at"]),
    )


def set_meeting(tx, meeting_id, **values) -> None:
    cols = list(values)
    tx.execute(
        "UPDATE meetings SET " + ", ".join(f"{c} = %s" for c in cols) + " WHERE id = %s",
        [values[c] for c in cols] + [meeting_id],
    )


def bump_schedule(tx, meeting_id, starts_at, ends_at, status, reason) -> None:
    tx.execute(
        "UPDATE meetings SET starts_at = %s, ends_at = %s, status = %s, change_reason = %s,"
        " sequence = sequence + 1 WHERE id = %s",
        (starts_at, ends_at, status, reason, meeting_id),
    )


# -- agenda ----------------------------------------------------------------------------------


def items_of(db, meeting_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {ITEM_COLUMNS} FROM agenda_items WHERE meeting_id = %s ORDER BY position, id",
        (meeting_id,),
    )


def insert_item(tx, meeting_id, item: dict, position: int | None = None) -> dict:
    if position is None:
        position = tx.fetchone(
            "SELECT COALESCE(max(position), 0) + 1 AS p FROM agenda_items WHERE meeting_id = %s",
            (meeting_id,),
        )["p"]
    return tx.fetchone(
        "INSERT INTO agenda_items (id, meeting_id, position, kind, title, explanation,"
        " documents, decision_asked, ref, proposed_by, approved_by_meeting)"
        f" VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING {ITEM_COLUMNS}",
        (
            uuid.uuid4(),
            meeting_id,
            position,
            item["kind"],
            item["title"],
            item.get("explanation"),
            Jsonb(item.get("documents") or []),
            item.get("decision_asked"),
            item.get("ref"),
            item.get("proposed_by"),
            item.get("approved_by_meeting", False),
        ),
    )


def set_positions(tx, ordered_ids: list) -> None:
    for position, item_id in enumerate(ordered_ids, start=1):
        tx.execute("UPDATE agenda_items SET position = %s WHERE id = %s", (position, item_id))


def set_item_notes(tx, item_id, notes) -> None:
    tx.execute("UPDATE agenda_items SET notes = %s WHERE id = %s", (notes, item_id))


# -- the meeting's record --------------------------------------------------------------------


def save_attendance(tx, meeting_id, attendance: dict[str, str]) -> None:
    tx.execute("DELETE FROM attendance WHERE meeting_id = %s", (meeting_id,))
    for member_id, status in attendance.items():
        tx.execute(
            "INSERT INTO attendance (meeting_id, member_id, status) VALUES (%s, %s, %s)",
            (meeting_id, member_id, status),
        )


def attendance_of(db, meeting_id) -> dict[str, str]:
    rows = db.fetchall(
        "SELECT member_id, status FROM attendance WHERE meeting_id = %s", (meeting_id,)
    )
    return {str(r["member_id"]): r["status"] for r in rows}


def insert_decision(
    tx, meeting_id, item_id, text, outcome: dict, case_pseudonym, for_iroj: bool = False
) -> dict:
    return tx.fetchone(
        "INSERT INTO decisions (id, meeting_id, item_id, method, outcome, text, objections,"
        " votes, tally, case_pseudonym, for_iroj)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " RETURNING id, meeting_id, item_id, method, outcome, text, objections, votes, tally,"
        " case_pseudonym, for_iroj, taken_at",
        (
            uuid.uuid4(),
            meeting_id,
            item_id,
            outcome["method"],
            outcome["outcome"],
            text,
            Jsonb(outcome["objections"]),
            Jsonb(outcome["votes"]),
            Jsonb(outcome["tally"]) if outcome["tally"] else None,
            case_pseudonym,
            for_iroj,
        ),
    )


def decisions_of(db, meeting_id) -> list[dict]:
    return db.fetchall(
        "SELECT id, meeting_id, item_id, method, outcome, text, objections, votes, tally,"
        " case_pseudonym, for_iroj, taken_at FROM decisions WHERE meeting_id = %s"
        " ORDER BY taken_at, id",
        (meeting_id,),
    )


def insert_action(tx, body_id, meeting_id, item_id, a: dict) -> dict:
    return tx.fetchone(
        "INSERT INTO actions (id, body_id, meeting_id, item_id, title, owner_id, due_on)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (uuid.uuid4(), body_id, meeting_id, item_id, a["title"], a["owner_member_id"], a["due_on"]),
    )


ACTION_SELECT = (
    "SELECT a.id, a.body_id, a.meeting_id, a.item_id, a.title, a.owner_id, a.due_on,"
    " a.done_on, p.name AS owner_name, COALESCE(bm.person_id, bm.delegate_id) AS owner_person_id,"
    " b.network_id FROM actions a JOIN body_members bm ON bm.id = a.owner_id"
    " JOIN people p ON p.id = COALESCE(bm.person_id, bm.delegate_id)"
    " JOIN bodies b ON b.id = a.body_id"
)


def actions_of_body(db, body_id, open_only: bool = False) -> list[dict]:
    return db.fetchall(
        ACTION_SELECT
        + " WHERE a.body_id = %s"
        + (" AND a.done_on IS NULL" if open_only else "")
        + " ORDER BY a.due_on, a.created_at, a.id",
        (body_id,),
    )


def actions_of_meeting(db, meeting_id) -> list[dict]:
    return db.fetchall(
        ACTION_SELECT + " WHERE a.meeting_id = %s ORDER BY a.created_at, a.id", (meeting_id,)
    )


def get_action(db, action_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        ACTION_SELECT + " WHERE a.id = %s" + (" FOR UPDATE OF a" if lock else ""), (action_id,)
    )


def finish_action(tx, action_id, done_on) -> None:
    tx.execute("UPDATE actions SET done_on = %s WHERE id = %s", (done_on, action_id))


def insert_signal(tx, meeting_id, data: dict, raised_by) -> dict:
    return tx.fetchone(
        "INSERT INTO signals (id, meeting_id, kind, title, description, raised_by)"
        " VALUES (%s, %s, %s, %s, %s, %s)"
        " RETURNING id, meeting_id, kind, title, description, raised_at",
        (uuid.uuid4(), meeting_id, data["kind"], data["title"], data.get("description"), raised_by),
    )


def signals_of(db, meeting_id) -> list[dict]:
    return db.fetchall(
        "SELECT id, meeting_id, kind, title, description, raised_at FROM signals"
        " WHERE meeting_id = %s ORDER BY raised_at, id",
        (meeting_id,),
    )


# -- minutes ---------------------------------------------------------------------------------

MINUTES_COLUMNS = (
    "meeting_id, status, summary, amendments, sent_at, approved_at, approved_in_meeting_id,"
    " updated_at"
)


def get_minutes(db, meeting_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {MINUTES_COLUMNS} FROM minutes WHERE meeting_id = %s"
        + (" FOR UPDATE" if lock else ""),
        (meeting_id,),
    )


def save_minutes(tx, meeting_id, summary) -> None:
    tx.execute(
        "INSERT INTO minutes (meeting_id, status, summary) VALUES (%s, 'draft', %s)"
        " ON CONFLICT (meeting_id) DO UPDATE SET summary = EXCLUDED.summary,"
        " status = 'draft', updated_at = now()",
        (meeting_id, summary),
    )


def mark_minutes_sent(tx, meeting_id) -> None:
    tx.execute(
        "UPDATE minutes SET status = 'sent', sent_at = now() WHERE meeting_id = %s",
        (meeting_id,),
    )


def approve_minutes(tx, meeting_id, in_meeting_id, amendments: list[str]) -> None:
    tx.execute(
        "UPDATE minutes SET status = 'approved', approved_at = now(),"
        " approved_in_meeting_id = %s, amendments = %s, updated_at = now()"
        " WHERE meeting_id = %s",
        (in_meeting_id, Jsonb(amendments), meeting_id),
    )


# -- mail ------------------------------------------------------------------------------------


# The outbox row is written as every mailing service writes it (verband_common.mailer).
queue_mail = mailer.queue_mail


def park_mail(tx, network_id, recipients: list[str], subject: str, reason: str) -> None:
    """A mail that could not even be written: parked at once, for the network admin."""
    tx.execute(
        "INSERT INTO mail_outbox (network_id, recipients, subject, body, attachments,"
        " attempts, last_error, parked_at) VALUES (%s, %s, %s, '', '[]', 1, %s, now())",
        (network_id, recipients, subject, reason[:2000]),
    )


def parked_mails(db, network_id, limit: int) -> list[dict]:
    return db.fetchall(
        "SELECT id, subject, recipients, created_at, attempts, last_error, parked_at"
        " FROM mail_outbox WHERE network_id = %s AND parked_at IS NOT NULL"
        " ORDER BY parked_at DESC, id DESC LIMIT %s",
        (network_id, limit),
    )


def agendas_due(conn) -> list[dict]:
    """Published agendas whose mailing day (meeting day minus the body's days) has come."""
    return conn.execute(
        "SELECT m.id FROM meetings m JOIN bodies b ON b.id = m.body_id"
        " WHERE m.agenda_published_at IS NOT NULL AND m.agenda_mailed_at IS NULL"
        " AND m.status = 'scheduled'"
        " AND (m.starts_at AT TIME ZONE 'Europe/Brussels')::date - b.mail_days_before"
        "     <= (now() AT TIME ZONE 'Europe/Brussels')::date"
        " ORDER BY m.starts_at FOR UPDATE OF m SKIP LOCKED"
    ).fetchall()


# -- documents and guests of a meeting -------------------------------------------------------

VERSION_COLUMNS = (
    "v.document_id, v.version, v.filename, v.content_type, v.size, v.sha256, v.uploaded_by,"
    " v.uploaded_at, p.name AS uploaded_by_name"
)


def insert_document(tx, meeting_id, item_id) -> dict:
    return tx.fetchone(
        "INSERT INTO meeting_documents (id, meeting_id, item_id) VALUES (%s, %s, %s)"
        " RETURNING id, meeting_id, item_id, created_at",
        (uuid.uuid4(), meeting_id, item_id),
    )


def get_document(db, document_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        "SELECT d.id, d.meeting_id, d.item_id, d.created_at FROM meeting_documents d"
        " WHERE d.id = %s" + (" FOR UPDATE" if lock else ""),
        (document_id,),
    )


def insert_version(tx, document_id, doc: dict, uploaded_by) -> None:
    tx.execute(
        "INSERT INTO meeting_document_versions (document_id, version, filename, content_type,"
        " size, sha256, content, uploaded_by) SELECT %s, COALESCE(max(version), 0) + 1,"
        " %s, %s, %s, %s, %s, %s FROM meeting_document_versions WHERE document_id = %s",
        (
            document_id,
            doc["filename"],
            doc["content_type"],
            len(doc["content"]),
            doc["sha256"],
            doc["content"],
            uploaded_by,
            document_id,
        ),
    )


def documents_of(db, meeting_id) -> list[dict]:
    """The meeting's documents, each with its versions (newest first), without the bytes."""
    docs = db.fetchall(
        "SELECT id, meeting_id, item_id, created_at FROM meeting_documents"
        " WHERE meeting_id = %s ORDER BY created_at, id",
        (meeting_id,),
    )
    versions = db.fetchall(
        f"SELECT {VERSION_COLUMNS} FROM meeting_document_versions v"
        " JOIN meeting_documents d ON d.id = v.document_id"
        " LEFT JOIN people p ON p.id = v.uploaded_by"
        " WHERE d.meeting_id = %s ORDER BY v.version DESC",
        (meeting_id,),
    )
    by_doc: dict = {}
    for v in versions:
        by_doc.setdefault(v["document_id"], []).append(v)
    return [{**d, "versions": by_doc.get(d["id"], [])} for d in docs]


def version_content(db, document_id, version=None) -> dict | None:
    return db.fetchone(
        "SELECT filename, content_type, content, version FROM meeting_document_versions"
        " WHERE document_id = %s AND (%s::integer IS NULL OR version = %s)"
        " ORDER BY version DESC LIMIT 1",
        (document_id, version, version),
    )


def seat_bodies(db, network_id, person_id) -> set:
    """The ids of the network's bodies where the person holds a seat (or delegates for one)."""
    rows = db.fetchall(
        "SELECT DISTINCT b.id FROM bodies b JOIN body_members bm ON bm.body_id = b.id"
        " WHERE b.network_id = %s AND bm.active"
        " AND COALESCE(bm.person_id, bm.delegate_id) = %s",
        (network_id, person_id),
    )
    return {r["id"] for r in rows}


def guest_meetings(db, body_id, person_id) -> set:
    """The ids of the body's meetings the person is invited to as a guest."""
    rows = db.fetchall(
        "SELECT g.meeting_id FROM meeting_guests g JOIN meetings m ON m.id = g.meeting_id"
        " WHERE m.body_id = %s AND g.person_id = %s",
        (body_id, person_id),
    )
    return {r["meeting_id"] for r in rows}


def is_guest(db, meeting_id, person_id) -> bool:
    return (
        db.fetchone(
            "SELECT 1 AS yes FROM meeting_guests WHERE meeting_id = %s AND person_id = %s",
            (meeting_id, person_id),
        )
        is not None
    )


def add_guest(tx, meeting_id, person_id, invited_by) -> bool:
    cur = tx.execute(
        "INSERT INTO meeting_guests (meeting_id, person_id, invited_by) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING",
        (meeting_id, person_id, invited_by),
    )
    return cur.rowcount == 1


def remove_guest(tx, meeting_id, person_id) -> bool:
    cur = tx.execute(
        "DELETE FROM meeting_guests WHERE meeting_id = %s AND person_id = %s",
        (meeting_id, person_id),
    )
    return cur.rowcount == 1


def guests_of(db, meeting_id) -> list[dict]:
    return db.fetchall(
        "SELECT g.person_id, p.name, p.email, g.invited_at FROM meeting_guests g"
        " JOIN people p ON p.id = g.person_id WHERE g.meeting_id = %s ORDER BY p.name, g.person_id",
        (meeting_id,),
    )


def network_people(db, network_id) -> list[dict]:
    """The people with a role in the network, as partners' events made them known here."""
    return db.fetchall(
        "SELECT DISTINCT p.id, p.name FROM people p JOIN network_roles r ON r.person_id = p.id"
        " WHERE r.network_id = %s ORDER BY p.name, p.id",
        (network_id,),
    )


# -- IROJ's answers to signals ---------------------------------------------------------------


def signal_with_body(db, signal_id) -> dict | None:
    return db.fetchone(
        "SELECT s.id, s.title, m.body_id, m.network_id FROM signals s"
        " JOIN meetings m ON m.id = s.meeting_id WHERE s.id = %s",
        (signal_id,),
    )


def save_iroj_answer(tx, signal: dict, event: dict) -> bool:
    """Keep IROJ's answer to a signal once (False if this signal's answer is already here)."""
    return (
        tx.execute(
            "INSERT INTO iroj_answers (signal_id, body_id, network_id, signal_title, answer,"
            " answered_on) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (signal_id) DO NOTHING",
            (
                signal["id"],
                signal["body_id"],
                signal["network_id"],
                signal["title"],
                event["answer"],
                event["answered_on"],
            ),
        ).rowcount
        == 1
    )


def next_open_agenda(tx, body_id, now) -> dict | None:
    """The body's next planned meeting whose agenda is still open (not yet published)."""
    return tx.fetchone(
        "SELECT id FROM meetings WHERE body_id = %s AND status = 'scheduled'"
        " AND agenda_published_at IS NULL AND starts_at > %s"
        " ORDER BY starts_at, id LIMIT 1 FOR UPDATE",
        (body_id, now),
    )


def waiting_iroj_answers(tx, body_id) -> list[dict]:
    return tx.fetchall(
        "SELECT signal_id, signal_title, answer, answered_on FROM iroj_answers"
        " WHERE body_id = %s AND meeting_id IS NULL ORDER BY received_at, signal_id FOR UPDATE",
        (body_id,),
    )


def place_iroj_answers(tx, signal_ids, meeting_id) -> None:
    tx.execute(
        "UPDATE iroj_answers SET meeting_id = %s WHERE signal_id = ANY(%s) AND meeting_id IS NULL",
        (meeting_id, list(signal_ids)),
    )


# -- members cast their own vote ------------------------------------------------------------

VOTE_SELECT = (
    "SELECT v.id, v.meeting_id, v.item_id, v.proposal, v.for_iroj, v.opened_by, v.opened_at,"
    " v.closed_at, v.decision_id, m.body_id, m.network_id, i.title AS item_title"
    " FROM item_votes v JOIN meetings m ON m.id = v.meeting_id"
    " JOIN agenda_items i ON i.id = v.item_id"
)


def get_vote(db, vote_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        VOTE_SELECT + " WHERE v.id = %s" + (" FOR UPDATE OF v" if lock else ""), (vote_id,)
    )


def votes_of(db, meeting_id) -> list[dict]:
    return db.fetchall(
        VOTE_SELECT + " WHERE v.meeting_id = %s ORDER BY v.opened_at, v.id", (meeting_id,)
    )


def open_vote_of_item(db, item_id) -> dict | None:
    return db.fetchone(
        "SELECT id FROM item_votes WHERE item_id = %s AND closed_at IS NULL", (item_id,)
    )


def insert_vote(tx, meeting_id, item_id, data: dict, opened_by) -> dict:
    return tx.fetchone(
        "INSERT INTO item_votes (id, meeting_id, item_id, proposal, for_iroj, opened_by)"
        " VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
        (uuid.uuid4(), meeting_id, item_id, data["proposal"], data["for_iroj"], opened_by),
    )


def cast_ballot(tx, vote_id, member_id, choice: str) -> None:
    """The member's one ballot: a second replaces the first (the primary key keeps one)."""
    tx.execute(
        "INSERT INTO ballots (vote_id, member_id, choice) VALUES (%s, %s, %s)"
        " ON CONFLICT (vote_id, member_id) DO UPDATE SET choice = EXCLUDED.choice, cast_at = now()",
        (vote_id, member_id, choice),
    )


def ballots_of(db, vote_id) -> list[dict]:
    return db.fetchall(
        "SELECT member_id, choice FROM ballots WHERE vote_id = %s ORDER BY cast_at, member_id",
        (vote_id,),
    )


def ballot_of(db, vote_id, member_id) -> str | None:
    row = db.fetchone(
        "SELECT choice FROM ballots WHERE vote_id = %s AND member_id = %s", (vote_id, member_id)
    )
    return row["choice"] if row else None


def ballot_count(db, vote_id) -> int:
    return db.fetchone("SELECT count(*) AS n FROM ballots WHERE vote_id = %s", (vote_id,))["n"]


def close_vote(tx, vote_id, decision_id) -> None:
    tx.execute(
        "UPDATE item_votes SET closed_at = now(), decision_id = %s WHERE id = %s",
        (decision_id, vote_id),
    )


def get_decision(db, decision_id) -> dict | None:
    return db.fetchone(
        "SELECT id, outcome, tally, votes FROM decisions WHERE id = %s", (decision_id,)
    )


# -- the written procedure between meetings --------------------------------------------------

PROCEDURE_COLUMNS = (
    "id, body_id, network_id, title, proposal, deadline, started_by, started_at, closed_at,"
    " outcome, ratified_in_item"
)


def insert_procedure(tx, body: dict, data: dict, started_by) -> dict:
    return tx.fetchone(
        "INSERT INTO written_procedures (id, body_id, network_id, title, proposal, deadline,"
        f" started_by) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {PROCEDURE_COLUMNS}",
        (
            uuid.uuid4(),
            body["id"],
            body["network_id"],
            data["title"],
            data["proposal"],
            data["deadline"],
            started_by,
        ),
    )


def get_procedure(db, procedure_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {PROCEDURE_COLUMNS} FROM written_procedures WHERE id = %s"  # noqa: S608
        + (" FOR UPDATE" if lock else ""),
        (procedure_id,),
    )


def procedures_of(db, body_id) -> list[dict]:
    return db.fetchall(
        f"SELECT {PROCEDURE_COLUMNS} FROM written_procedures WHERE body_id = %s"  # noqa: S608
        " ORDER BY started_at DESC, id",
        (body_id,),
    )


def due_procedures(tx, now) -> list[dict]:
    """Open procedures whose deadline has passed, locked, skipping those another replica is
    closing."""
    return tx.fetchall(
        f"SELECT {PROCEDURE_COLUMNS} FROM written_procedures"  # noqa: S608
        " WHERE closed_at IS NULL AND deadline <= %s ORDER BY deadline, id"
        " FOR UPDATE SKIP LOCKED",
        (now,),
    )


def answer_procedure(tx, procedure_id, member_id, answer: str, reason) -> None:
    """The member's one answer: a second replaces the first until the procedure closes."""
    tx.execute(
        "INSERT INTO written_answers (procedure_id, member_id, answer, reason)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT (procedure_id, member_id) DO UPDATE"
        " SET answer = EXCLUDED.answer, reason = EXCLUDED.reason, answered_at = now()",
        (procedure_id, member_id, answer, reason if answer == "object" else None),
    )


def answers_of(db, procedure_id) -> list[dict]:
    return db.fetchall(
        "SELECT a.member_id, a.answer, a.reason, a.answered_at,"
        " COALESCE(bm.organisation_name, p.name) AS name"
        " FROM written_answers a JOIN body_members bm ON bm.id = a.member_id"
        " JOIN people p ON p.id = COALESCE(bm.person_id, bm.delegate_id)"
        " WHERE a.procedure_id = %s ORDER BY a.answered_at, a.member_id",
        (procedure_id,),
    )


def close_procedure(tx, procedure_id, outcome: str, item_id) -> None:
    tx.execute(
        "UPDATE written_procedures SET closed_at = now(), outcome = %s, ratified_in_item = %s"
        " WHERE id = %s",
        (outcome, item_id, procedure_id),
    )


def waiting_ratifications(tx, body_id) -> list[dict]:
    """Closed procedures of the body that no agenda carries yet."""
    return tx.fetchall(
        f"SELECT {PROCEDURE_COLUMNS} FROM written_procedures"  # noqa: S608
        " WHERE body_id = %s AND closed_at IS NOT NULL AND ratified_in_item IS NULL"
        " ORDER BY closed_at, id",
        (body_id,),
    )


def place_ratification(tx, procedure_id, item_id) -> None:
    tx.execute(
        "UPDATE written_procedures SET ratified_in_item = %s WHERE id = %s",
        (item_id, procedure_id),
    )
