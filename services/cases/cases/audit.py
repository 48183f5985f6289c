"""The audit log: who read or changed which case, when, what and why.

Written in the same transaction as the read or change it records, so a change is never
without its entry; a refused attempt is written in a transaction of its own (the refusal
rolls back the caller's). Searchable by the network admin (`search_audit_log`).
"""

from psycopg.types.json import Jsonb

# Why, when the caller does not say: the purpose each kind of access serves.
PURPOSES = {
    "create_referral": "aanmelding",
    "submit_draft": "aanmelding",
    "save_draft": "aanmelding",
    "list_drafts": "aanmelding",
    "read_case": "begeleiding",
    "list_cases": "begeleiding",
    "read_waiting_list": "wachtlijstbeheer",
    "explain_priority": "wachtlijstbeheer",
    "read_overdue_contacts": "wachtlijstbeheer",
    "read_pickup_clocks": "opvolging termijnen",
    "read_waiting_board": "wachtlijstbeheer",
    "read_coordinator_home": "opvolging termijnen",
    "read_follow_up": "opvolging door verwijzer",
    "read_plan": "begeleiding",
    "read_plan_history": "begeleiding",
    "answer_referral": "antwoord op de aanmelding",
    "update_plan_action": "begeleiding",
    "add_journal_entry": "begeleiding",
    "read_journal": "begeleiding",
    "list_likely_duplicates": "dubbele dossiers nakijken",
    # Merging two records of one family: proposed, undone or confirmed by a coordinator.
    "propose_family_merge": "dubbele dossiers samenvoegen",
    "undo_family_merge": "dubbele dossiers samenvoegen",
    "confirm_family_merge": "dubbele dossiers samenvoegen",
    "list_family_merges": "dubbele dossiers samenvoegen",
    "export_family": "inzageverzoek",
    "erase_family": "wissingsverzoek",
    "retention": "bewaartermijn verstreken",
    "search_audit_log": "toezicht op toegang",
    "access_denied": "geweigerde toegang",
}


def record(db, network_id, case_id, actor, action: str, purpose: str | None = None, **detail):
    db.execute(
        "INSERT INTO audit_log (network_id, case_id, actor, action, purpose, detail)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (
            network_id,
            case_id,
            str(actor) if actor is not None else "system",
            action,
            purpose or PURPOSES.get(action, action),
            Jsonb(_jsonable(detail)),
        ),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def search(db, network_id, f: dict) -> list[dict]:
    case = str(f["case_id"]) if f.get("case_id") else None
    return db.fetchall(
        "SELECT id, network_id, case_id, actor, action, purpose, detail, at FROM audit_log"
        " WHERE network_id = %(network)s"
        " AND (%(case)s::uuid IS NULL OR case_id = %(case)s::uuid"
        "      OR detail -> 'case_ids' ? %(case)s::text)"
        " AND (%(actor)s::text IS NULL OR actor = %(actor)s)"
        " AND (%(action)s::text IS NULL OR action = %(action)s)"
        " AND (%(since)s::date IS NULL OR at >= %(since)s::date)"
        " AND (%(until)s::date IS NULL OR at < %(until)s::date + 1)"
        " ORDER BY id DESC LIMIT %(limit)s",
        {
            "network": network_id,
            "case": case,
            "actor": f.get("actor"),
            "action": f.get("action"),
            "since": f.get("since"),
            "until": f.get("until"),
            "limit": f.get("limit", 200),
        },
    )


def of_case(db, case_id) -> list[dict]:
    return db.fetchall(
        "SELECT actor, action, purpose, at FROM audit_log"
        " WHERE case_id = %s OR detail -> 'case_ids' ? %s::text ORDER BY id",
        (case_id, str(case_id)),
    )
