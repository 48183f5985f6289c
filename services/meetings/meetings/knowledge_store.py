"""SQL of the network's library (procedures and working agreements, every version of their
file) and its vorming moments with registrations. Each function works inside the caller's
transaction, or for reads on the service's `db` session (same fetch methods).

Only this module's own constant column lists and fixed clauses are spliced into SQL (hence
the S608 exemptions); values always go through psycopg parameters."""

import uuid

PROCEDURE_COLUMNS = (
    "p.id, p.network_id, p.title, p.kind, p.summary, p.owner_id, o.name AS owner_name,"
    " p.review_on, p.status, p.created_at, p.updated_at,"
    " (SELECT max(v.version) FROM procedure_versions v WHERE v.procedure_id = p.id)"
    " AS latest_version"
)
TRAINING_COLUMNS = (
    "t.id, t.network_id, t.title, t.description, t.starts_at, t.place, t.capacity,"
    " t.registration_deadline, t.created_at,"
    " (SELECT count(*) FROM training_registrations r WHERE r.training_id = t.id)::int"
    " AS registered"
)


def _like(text: str) -> str:
    """`text` as an ILIKE pattern matching it anywhere, its own wildcards taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


# -- procedures -----------------------------------------------------------------------------


def insert_procedure(tx, network_id, data: dict, created_by) -> uuid.UUID:
    procedure_id = uuid.uuid4()
    tx.execute(
        "INSERT INTO procedures (id, network_id, title, kind, summary, owner_id, review_on,"
        " status, created_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            procedure_id,
            network_id,
            data["title"],
            data["kind"],
            data["summary"],
            data["owner_id"],
            data["review_on"],
            data["status"],
            created_by,
        ),
    )
    return procedure_id


UPDATABLE = ("title", "kind", "summary", "owner_id", "review_on", "status")


def update_procedure(tx, procedure_id, changes: dict) -> None:
    names = [n for n in UPDATABLE if n in changes]
    if not names:
        return
    # Column names come from UPDATABLE, never from the caller.
    sets = ", ".join(f"{n} = %s" for n in names)
    tx.execute(
        f"UPDATE procedures SET {sets}, updated_at = now() WHERE id = %s",  # noqa: S608
        (*[changes[n] for n in names], procedure_id),
    )


def get_procedure(db, procedure_id, lock: bool = False) -> dict | None:
    return db.fetchone(
        f"SELECT {PROCEDURE_COLUMNS} FROM procedures p LEFT JOIN people o ON o.id = p.owner_id"  # noqa: S608
        " WHERE p.id = %s" + (" FOR UPDATE OF p" if lock else ""),
        (procedure_id,),
    )


def search_procedures(db, network_id, query: dict, today) -> list[dict]:
    """The network's procedures matching every filter given, by title.

    Text: PostgreSQL's full text search with the Dutch dictionary on title and summary
    (finds inflected forms: "afspraken" finds "afspraak"), or a part of the title
    (Dutch writes compounds as one word: "wachtlijst" finds "Warme-wachtlijstbeheer",
    which no dictionary splits)."""
    where = ["p.network_id = %s"]
    params: list = [network_id]
    if query.get("q"):
        where.append(
            "(p.search @@ websearch_to_tsquery('dutch', %s) OR p.title ILIKE %s ESCAPE '\\')"
        )
        params += [query["q"], _like(query["q"])]
    if query.get("kind"):
        where.append("p.kind = %s")
        params.append(query["kind"])
    if query.get("status"):
        where.append("p.status = %s")
        params.append(query["status"])
    if query.get("overdue") is not None:
        overdue = "(p.review_on < %s AND p.status <> 'vervallen')"
        where.append(overdue if query["overdue"] else f"NOT COALESCE({overdue}, false)")
        params.append(today)
    return db.fetchall(
        f"SELECT {PROCEDURE_COLUMNS} FROM procedures p LEFT JOIN people o ON o.id = p.owner_id"  # noqa: S608
        f" WHERE {' AND '.join(where)} ORDER BY lower(p.title), p.id LIMIT 500",
        params,
    )


def insert_procedure_version(tx, procedure_id, doc: dict, uploaded_by) -> int:
    row = tx.fetchone(
        "INSERT INTO procedure_versions (procedure_id, version, filename, content_type, size,"
        " sha256, content, uploaded_by) SELECT %s, COALESCE(max(version), 0) + 1,"
        " %s, %s, %s, %s, %s, %s FROM procedure_versions WHERE procedure_id = %s"
        " RETURNING version",
        (
            procedure_id,
            doc["filename"],
            doc["content_type"],
            len(doc["content"]),
            doc["sha256"],
            doc["content"],
            uploaded_by,
            procedure_id,
        ),
    )
    return row["version"]


def procedure_versions(db, procedure_id) -> list[dict]:
    """Every version of the procedure's file, newest first, without the bytes."""
    return db.fetchall(
        "SELECT v.version, v.filename, v.content_type, v.size, v.sha256, v.uploaded_by,"
        " v.uploaded_at, u.name AS uploaded_by_name FROM procedure_versions v"
        " LEFT JOIN people u ON u.id = v.uploaded_by"
        " WHERE v.procedure_id = %s ORDER BY v.version DESC",
        (procedure_id,),
    )


def procedure_file(db, procedure_id, version=None) -> dict | None:
    return db.fetchone(
        "SELECT filename, content_type, content, version FROM procedure_versions"
        " WHERE procedure_id = %s AND (%s::integer IS NULL OR version = %s)"
        " ORDER BY version DESC LIMIT 1",
        (procedure_id, version, version),
    )


# -- vorming --------------------------------------------------------------------------------


def insert_training(tx, network_id, data: dict, created_by) -> uuid.UUID:
    training_id = uuid.uuid4()
    tx.execute(
        "INSERT INTO trainings (id, network_id, title, description, starts_at, place, capacity,"
        " registration_deadline, created_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            training_id,
            network_id,
            data["title"],
            data["description"],
            data["starts_at"],
            data["place"],
            data["capacity"],
            data["registration_deadline"],
            created_by,
        ),
    )
    return training_id


def get_training(db, training_id, lock: bool = False) -> dict | None:
    """The vorming with its number of registrations. `lock`: its row is held until the
    transaction ends, so registrations for it are counted and added one at a time."""
    if lock:
        db.execute("SELECT 1 FROM trainings WHERE id = %s FOR UPDATE", (training_id,))
    return db.fetchone(
        f"SELECT {TRAINING_COLUMNS} FROM trainings t WHERE t.id = %s",  # noqa: S608
        (training_id,),
    )


def search_trainings(db, network_id, query: dict, now) -> list[dict]:
    """Upcoming ones soonest first, past ones latest first; text in title, description or
    place (a handful of vorming moments a year: a plain ILIKE does)."""
    where = ["t.network_id = %s"]
    params: list = [network_id]
    if query.get("q"):
        where.append(
            "(t.title ILIKE %s ESCAPE '\\' OR t.description ILIKE %s ESCAPE '\\'"
            " OR t.place ILIKE %s ESCAPE '\\')"
        )
        params += [_like(query["q"])] * 3
    when = query.get("when")
    if when == "upcoming":
        where.append("t.starts_at >= %s")
        params.append(now)
    elif when == "past":
        where.append("t.starts_at < %s")
        params.append(now)
    order = "t.starts_at DESC" if when == "past" else "t.starts_at"
    return db.fetchall(
        f"SELECT {TRAINING_COLUMNS} FROM trainings t WHERE {' AND '.join(where)}"  # noqa: S608
        f" ORDER BY {order}, t.id LIMIT 500",
        params,
    )


def my_registrations(db, person_id, training_ids) -> set[str]:
    rows = db.fetchall(
        "SELECT training_id FROM training_registrations"
        " WHERE person_id = %s AND training_id = ANY(%s)",
        (person_id, list(training_ids)),
    )
    return {str(r["training_id"]) for r in rows}


def register(tx, training_id, person_id) -> bool:
    row = tx.fetchone(
        "INSERT INTO training_registrations (training_id, person_id) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING RETURNING person_id",
        (training_id, person_id),
    )
    return row is not None


def unregister(tx, training_id, person_id) -> bool:
    row = tx.fetchone(
        "DELETE FROM training_registrations WHERE training_id = %s AND person_id = %s"
        " RETURNING person_id",
        (training_id, person_id),
    )
    return row is not None


def registrations(db, training_id) -> list[dict]:
    return db.fetchall(
        "SELECT r.person_id, p.name, r.registered_at FROM training_registrations r"
        " LEFT JOIN people p ON p.id = r.person_id"
        " WHERE r.training_id = %s ORDER BY r.registered_at, r.person_id",
        (training_id,),
    )
