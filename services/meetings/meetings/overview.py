"""SQL for a network's meetings at a glance (the portal's home pages): the coming meetings of
all its bodies, its open and overdue actions, and those of one person. A fixed handful of
queries, whatever the number of bodies."""

from meetings.store import ACTION_SELECT, MEETING_COLUMNS


def coming_meetings(db, network_id, since, limit: int) -> list[dict]:
    return db.fetchall(
        f"SELECT {MEETING_COLUMNS}, b.name AS body_name, b.kind AS body_kind"  # noqa: S608
        " FROM meetings m JOIN bodies b ON b.id = m.body_id"
        " WHERE m.network_id = %s AND m.starts_at >= %s AND m.status = 'scheduled'"
        " ORDER BY m.starts_at, m.id LIMIT %s",
        (network_id, since, limit),
    )


def my_coming_meetings(db, network_id, person_id, since, limit: int) -> list[dict]:
    """Coming meetings of the bodies where the person holds a seat (or delegates for one)."""
    return db.fetchall(
        f"SELECT {MEETING_COLUMNS}, b.name AS body_name, b.kind AS body_kind"  # noqa: S608
        " FROM meetings m JOIN bodies b ON b.id = m.body_id"
        " WHERE m.network_id = %s AND m.starts_at >= %s AND m.status = 'scheduled'"
        " AND EXISTS (SELECT 1 FROM body_members bm WHERE bm.body_id = b.id AND bm.active"
        "   AND COALESCE(bm.person_id, bm.delegate_id) = %s)"
        " ORDER BY m.starts_at, m.id LIMIT %s",
        (network_id, since, person_id, limit),
    )


def action_counts(db, network_id, today) -> dict:
    row = db.fetchone(
        "SELECT count(*) FILTER (WHERE a.done_on IS NULL) AS open,"
        " count(*) FILTER (WHERE a.done_on IS NULL AND a.due_on < %s) AS overdue"
        " FROM actions a JOIN bodies b ON b.id = a.body_id WHERE b.network_id = %s",
        (today, network_id),
    )
    return dict(row)


def overdue_actions(db, network_id, today, limit: int) -> list[dict]:
    return db.fetchall(
        ACTION_SELECT + " WHERE b.network_id = %s AND a.done_on IS NULL AND a.due_on < %s"
        " ORDER BY a.due_on, a.created_at, a.id LIMIT %s",
        (network_id, today, limit),
    )


def my_open_actions(db, network_id, person_id, limit: int) -> list[dict]:
    return db.fetchall(
        ACTION_SELECT + " WHERE b.network_id = %s AND a.done_on IS NULL"
        " AND COALESCE(bm.person_id, bm.delegate_id) = %s"
        " ORDER BY a.due_on, a.created_at, a.id LIMIT %s",
        (network_id, person_id, limit),
    )
