"""Personal data kept only as long as needed: the e-mail address of someone who holds no
role and no active seat any more is forgotten by the hourly purge; a member keeps theirs."""

import pytest
from meetings_support import World
from nameko.testing.services import entrypoint_hook, entrypoint_waiter
from verband_servicekit import role_version

from verband_common.contracts import new_event

pytestmark = pytest.mark.service


def test_the_email_of_someone_without_role_or_seat_is_forgotten(verband):
    w = World(verband)
    w.create_body()  # the chair, secretary, partners and coordinator hold a seat
    revoke = new_event(
        "partners",
        "role_revoked",
        w.network,
        {"person_id": str(w.outsider.id), "role": "referrer", "role_version": role_version()},
    )
    with entrypoint_waiter(w.meetings, "on_role_revoked", timeout=15):
        verband.publish("partners", revoke)
    with entrypoint_hook(w.meetings, "people_retention") as purge:
        purge()
    emails = {
        str(r["id"]): r["email"]
        for r in verband.sql(w.meetings.db_url, "SELECT id, email FROM people")
    }
    assert emails[str(w.outsider.id)] is None
    for kept in (w.chair, w.secretary, w.coordinator, w.stranger):
        assert emails[str(kept.id)] == kept.email
