"""Bad input and wrong actors are refused with a Dutch message naming the field, and change
nothing the service stores."""

import datetime as dt
import uuid

import pytest
from meetings_support import World

from verband_common.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed

pytestmark = pytest.mark.service


@pytest.fixture
def held(verband):
    """A beleidsgroep with a published agenda for a meeting of today, attendance recorded."""
    w = World(verband)
    w.body = w.create_body()
    w.first = w.meeting_soon(w.body, 2)
    w.second = w.meeting_soon(w.body, 4)
    with w.rpc(w.kernpartner) as rpc:
        w.item = rpc.meetings.propose_item(w.first["id"], {"title": "Budget 2027"})
    with w.rpc(w.chair) as rpc:
        rpc.meetings.publish_agenda(w.first["id"])
        rpc.meetings.record_attendance(
            w.first["id"],
            {
                "attendance": [
                    {"member_id": m["id"], "status": "present"} for m in w.body["members"]
                ],
                "iroj_reporter_member_id": w.member_id(w.body, w.chair),
            },
        )
    return w


def refused(verband, w, who, call, error=ValidationFailed):
    """Runs `call(rpc)` as `who`; asserts it raises `error` and that nothing changed."""
    before = verband.counts(w.meetings.db_url)
    with w.rpc(who) as rpc, pytest.raises(error) as raised:
        call(rpc)
    assert verband.counts(w.meetings.db_url) == before
    assert raised.value.message  # a Dutch sentence for the person
    return raised.value


def test_a_vote_by_a_member_without_voting_right_is_refused(verband, held):
    w = held
    votes = [
        {"member_id": w.member_id(w.body, w.chair), "choice": "for"},
        {"member_id": w.member_id(w.body, w.coordinator), "choice": "for"},
    ]
    error = refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.record_item(
            w.first["id"],
            w.item["id"],
            {"decision": {"method": "vote", "text": "Budget goedgekeurd.", "votes": votes}},
        ),
    )
    assert error.fields == {
        "decision.votes.1.member_id": ["Dirk Wouters heeft geen stemrecht in dit orgaan."]
    }


def test_an_item_added_after_publication_without_approval_is_refused(verband, held):
    w = held
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.add_item_at_meeting(
            w.first["id"], {"title": "Varia", "approved_by_meeting": False}
        ),
    )
    assert error.fields == {
        "approved_by_meeting": ["De vergadering moet het toevoegen goedkeuren."]
    }
    # nor can a member still propose it the ordinary way
    error = refused(
        verband,
        w,
        w.kernpartner,
        lambda rpc: rpc.meetings.propose_item(w.first["id"], {"title": "Varia"}),
        Conflict,
    )
    assert "meeting_id" in error.fields


def test_approving_minutes_of_a_meeting_not_yet_held_is_refused(verband, held):
    w = held
    error = refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.approve_minutes(w.first["id"], {"in_meeting_id": w.second["id"]}),
        Conflict,
    )
    assert error.fields == {"meeting_id": ["De vergadering heeft nog niet plaatsgevonden."]}
    error = refused(
        verband,
        w,
        w.secretary,
        lambda rpc: rpc.meetings.update_minutes(w.first["id"], {"summary": "Te vroeg."}),
        Conflict,
    )
    assert "meeting_id" in error.fields


def test_an_action_without_owner_is_refused(verband, held):
    w = held
    due = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    error = refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.record_item(
            w.first["id"],
            w.item["id"],
            {"notes": "Besproken.", "actions": [{"title": "Offerte vragen", "due_on": due}]},
        ),
    )
    assert error.fields == {"actions.0.owner_member_id": ["Dit veld is verplicht."]}
    error = refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.record_item(
            w.first["id"],
            w.item["id"],
            {
                "actions": [
                    {"title": "Offerte vragen", "due_on": due, "owner_member_id": str(uuid.uuid4())}
                ]
            },
        ),
    )
    assert error.fields == {"actions.0.owner_member_id": ["Geen lid van dit orgaan."]}


def test_a_cadence_rule_that_yields_no_date_is_refused(verband):
    w = World(verband)
    never = {"kind": "custom", "dates": ["2020-03-03"]}
    error = refused(
        verband,
        w,
        w.coordinator,
        lambda rpc: rpc.meetings.create_body(str(w.network), w.body_payload(cadence=never)),
    )
    assert list(error.fields) == ["cadence"]
    assert "Geen enkele vergaderdatum" in error.fields["cadence"][0]
    ended = {
        "kind": "monthly",
        "week": 1,
        "weekday": 1,
        "phases": [{"every_months": 1, "until": "2021-01-01"}],
    }
    error = refused(
        verband,
        w,
        w.coordinator,
        lambda rpc: rpc.meetings.create_body(str(w.network), w.body_payload(cadence=ended)),
    )
    assert list(error.fields) == ["cadence"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "raad_van_bestuur"}, "kind"),
        ({"name": ""}, "name"),
        ({"cadence": {"kind": "every_days", "days": 2}}, "cadence.days"),
        ({"quorum": {"kind": "minimum"}}, "quorum.count"),
        ({"decision_rule": {"method": "lottery"}}, "decision_rule.method"),
        ({"members": [{"role": "chair"}]}, "members.0.organisation_id"),
        ({"members": [{"person_id": str(uuid.uuid4()), "role": "chair"}]}, "members.0.person_id"),
        ({"chairman": "An"}, "chairman"),
    ],
)
def test_a_malformed_body_is_refused_naming_the_field(verband, overrides, field):
    w = World(verband)
    error = refused(
        verband,
        w,
        w.coordinator,
        lambda rpc: rpc.meetings.create_body(str(w.network), w.body_payload(**overrides)),
    )
    assert field in error.fields


def test_wrong_actors_are_refused(verband, held):
    w = held
    payload = w.body_payload(name="Kernteam", kind="kernteam")
    # nobody signed in
    refused(verband, w, None, lambda rpc: rpc.meetings.list_bodies(str(w.network)), Unauthenticated)
    # a referrer of the network does not set up bodies
    refused(
        verband,
        w,
        w.outsider,
        lambda rpc: rpc.meetings.create_body(str(w.network), payload),
        Forbidden,
    )
    # someone outside the body does not even learn of its meetings; a plain member does not
    # publish
    refused(
        verband,
        w,
        w.outsider,
        lambda rpc: rpc.meetings.raise_signal(w.first["id"], {"kind": "pain_point", "title": "x"}),
        NotFound,
    )
    refused(
        verband,
        w,
        w.kernpartner,
        lambda rpc: rpc.meetings.publish_agenda(w.second["id"]),
        Forbidden,
    )
    # only the secretary drafts minutes
    refused(
        verband,
        w,
        w.chair,
        lambda rpc: rpc.meetings.update_minutes(w.first["id"], {"summary": "x"}),
        Forbidden,
    )
    # someone of another network does not even learn that the body exists
    refused(verband, w, w.stranger, lambda rpc: rpc.meetings.get_body(w.body["id"]), NotFound)
    refused(
        verband,
        w,
        w.stranger,
        lambda rpc: rpc.meetings.create_body(str(w.network), payload),
        NotFound,
    )
    # a malformed id is named
    error = refused(verband, w, w.chair, lambda rpc: rpc.meetings.get_meeting("vergadering-1"))
    assert error.fields == {"meeting_id": ["Geen geldige id."]}
