"""SQL for a network's meetings at a glance (the portal's home pages): the coming meetings of
all its bodies, its open and overdue actions, and those of one person. A fixed handful of
queries, whatever the number of bodies."""

from meetings.store import ACTION_SELECT, MEETING_COLUMNS

# Who sees which body (meetings.domain.access.sees_body) as SQL: everything for an organiser
# (the first parameter true), else the bodies the person (second parameter) sits in.
SEES_BODY = (
    " (%s OR EXISTS (SELECT 1 FROM body_members sb WHERE sb.body_id = b.id AND sb.active"
    "   AND COALESCE(sb.person_id, sb.delegate_id) = %s))"
)


def coming_meetings(db, network_id, since, limit: int, organiser: bool, person_id) -> list[dict]:
    """Coming meetings of the bodies the actor sees, and those they are invited to."""
    return db.fetchall(
        f"SELECT {MEETING_COLUMNS}, b.name AS body_name, b.kind AS body_kind"  # noqa: S608
        " FROM meetings m JOIN bodies b ON b.id = m.body_id"
        " WHERE m.network_id = %s AND m.starts_at >= %s AND m.status = 'scheduled'"
        " AND (" + SEES_BODY + " OR EXISTS (SELECT 1 FROM meeting_guests g"
        "   WHERE g.meeting_id = m.id AND g.person_id = %s))"
        " ORDER BY m.starts_at, m.id LIMIT %s",
        (network_id, since, organiser, person_id, person_id, limit),
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


def rhythm_days(db, network_id, kinds, since) -> list[dict]:
    """Per body of the network of one of `kinds`: the local days of its meetings that are not
    cancelled, from `since` on, plus the last one before it (its gap may reach into the
    window). A body without any meeting comes with `day` None. One query, whatever the number
    of bodies."""
    return db.fetchall(
        "WITH days AS (SELECT m.body_id, (m.starts_at AT TIME ZONE 'Europe/Brussels')::date AS day"
        "   FROM meetings m WHERE m.network_id = %s AND m.status <> 'cancelled'),"
        " earlier AS (SELECT DISTINCT ON (body_id) body_id, day FROM days WHERE day < %s"
        "   ORDER BY body_id, day DESC)"
        " SELECT b.id AS body_id, b.name AS body_name, b.kind AS body_kind, d.day"
        " FROM bodies b LEFT JOIN ("
        "   SELECT body_id, day FROM days WHERE day >= %s UNION SELECT body_id, day FROM earlier"
        " ) d ON d.body_id = b.id"
        " WHERE b.network_id = %s AND b.kind = ANY(%s) ORDER BY b.name, b.id, d.day",
        (network_id, since, since, network_id, list(kinds)),
    )


def action_counts(db, network_id, today, organiser: bool, person_id) -> dict:
    """Open and overdue actions of the bodies the actor sees."""
    row = db.fetchone(
        "SELECT count(*) FILTER (WHERE a.done_on IS NULL) AS open,"  # noqa: S608 - constant SQL
        " count(*) FILTER (WHERE a.done_on IS NULL AND a.due_on < %s) AS overdue"
        " FROM actions a JOIN bodies b ON b.id = a.body_id WHERE b.network_id = %s AND" + SEES_BODY,
        (today, network_id, organiser, person_id),
    )
    return dict(row)


def overdue_actions(db, network_id, today, limit: int, organiser: bool, person_id) -> list[dict]:
    return db.fetchall(
        ACTION_SELECT
        + " WHERE b.network_id = %s AND a.done_on IS NULL AND a.due_on < %s AND"
        + SEES_BODY
        + " ORDER BY a.due_on, a.created_at, a.id LIMIT %s",
        (network_id, today, organiser, person_id, limit),
    )


def my_open_actions(db, network_id, person_id, limit: int) -> list[dict]:
    return db.fetchall(
        ACTION_SELECT + " WHERE b.network_id = %s AND a.done_on IS NULL"
        " AND COALESCE(bm.person_id, bm.delegate_id) = %s"
        " ORDER BY a.due_on, a.created_at, a.id LIMIT %s",
        (network_id, person_id, limit),
    )
