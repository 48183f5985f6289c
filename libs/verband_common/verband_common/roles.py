"""Role projections that a late event cannot overtake: the rule every consumer of
partners' role_granted / role_revoked follows.

Partners stamps each role change with a version that grows with every change of the same
(network, person, role) (partners.store.next_role_version). A consumer applies a change only
if its version is higher than the highest it has applied for that role, and records it in
`role_versions` in the same transaction. So a grant that arrives after the revoke that
followed it (broker order, redelivery, a retry, a parked event replayed by an operator)
changes nothing: the revoke's tombstone has the higher version.
"""


def newer_role_change(tx, event: dict, granted: bool) -> bool:
    """Record `event` as the role's newest change and say True, or False when a change with
    the same or a higher version was applied before (then leave the projection alone).

    The row lock taken here is held until the caller's transaction ends, so two changes of
    one role are applied one after the other, never interleaved.
    """
    row = tx.fetchone(
        "INSERT INTO role_versions (network_id, person_id, role, version, granted)"
        " VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (network_id, person_id, role) DO UPDATE"
        " SET version = EXCLUDED.version, granted = EXCLUDED.granted, changed_at = now()"
        " WHERE role_versions.version < EXCLUDED.version"
        " RETURNING version",
        (event["network_id"], event["person_id"], event["role"], event["role_version"], granted),
    )
    return row is not None
