"""Agenda deadlines, items after publication, standing items; minutes approval and lock."""

import datetime as dt
import uuid

import pytest

from meetings.domain import agenda, minutes
from verband_common.errors import Conflict, ValidationFailed

UTC = dt.UTC
STARTS = dt.datetime(2027, 3, 9, 13, 0, tzinfo=UTC)


def meeting(**overrides):
    return {
        "id": uuid.uuid4(),
        "body_id": "b1",
        "status": "scheduled",
        "starts_at": STARTS,
        "local_date": STARTS.date(),
        "agenda_published_at": None,
        **overrides,
    }


def test_a_proposal_before_the_deadline_is_accepted_and_after_it_refused():
    agenda.check_can_propose(meeting(), 7, STARTS - dt.timedelta(days=8))
    with pytest.raises(ValidationFailed) as refused:
        agenda.check_can_propose(meeting(), 7, STARTS - dt.timedelta(days=6))
    assert "meeting_id" in refused.value.fields


def test_after_publication_a_proposal_is_refused():
    with pytest.raises(Conflict):
        agenda.check_can_propose(meeting(agenda_published_at=STARTS), 0, STARTS)


def test_an_item_added_after_publication_needs_the_meeting_and_its_approval():
    published = meeting(agenda_published_at=STARTS - dt.timedelta(days=7))
    with pytest.raises(ValidationFailed) as refused:
        agenda.check_can_add_at_meeting(published, False, STARTS.date())
    assert refused.value.fields == {
        "approved_by_meeting": ["De vergadering moet het toevoegen goedkeuren."]
    }
    with pytest.raises(Conflict):  # the day before the meeting: not at the meeting
        agenda.check_can_add_at_meeting(published, True, STARTS.date() - dt.timedelta(days=1))
    with pytest.raises(Conflict):  # not yet published: propose it instead
        agenda.check_can_add_at_meeting(meeting(), True, STARTS.date())
    agenda.check_can_add_at_meeting(published, True, STARTS.date())


def test_the_order_names_every_item_once():
    agenda.check_order(["a", "b"], ["b", "a"])
    for wrong in (["a"], ["a", "a"], ["a", "b", "c"]):
        with pytest.raises(ValidationFailed):
            agenda.check_order(["a", "b"], wrong)


def test_standing_items_previous_minutes_actions_bottlenecks_and_iroj():
    previous = {"id": uuid.uuid4(), "local_date": dt.date(2027, 2, 9)}
    head, tail = agenda.standing_items(
        previous,
        [{"title": "Nota", "owner_name": "An", "due_on": dt.date(2027, 3, 1)}],
        [
            {
                "case_pseudonym": "ab" * 16,
                "reason_category": "no_capacity",
                "flagged_on": dt.date(2027, 3, 1),
            }
        ],
    )
    assert [i["kind"] for i in head] == ["previous_minutes", "open_actions"]
    assert [i["kind"] for i in tail] == ["bottleneck_case", "iroj_report"]
    assert "2027-02-09" in head[0]["title"]
    assert tail[0]["ref"] == "ab" * 16
    head, tail = agenda.standing_items(None, [], [])
    assert head == [] and [i["kind"] for i in tail] == ["iroj_report"]


def test_minutes_of_a_meeting_not_yet_held_cannot_be_approved():
    later = meeting(starts_at=STARTS + dt.timedelta(days=30))
    with pytest.raises(Conflict) as refused:
        minutes.check_approvable(None, meeting(), later)
    assert "meeting_id" in refused.value.fields


def test_minutes_are_approved_at_a_later_meeting_of_the_same_body_once_sent():
    held = meeting(status="held")
    later = meeting(starts_at=STARTS + dt.timedelta(days=30))
    sent = {"status": "sent"}
    minutes.check_approvable(sent, held, later)
    with pytest.raises(Conflict) as refused:
        minutes.check_approvable(sent, held, meeting(starts_at=STARTS - dt.timedelta(days=1)))
    assert "in_meeting_id" in refused.value.fields
    with pytest.raises(Conflict):
        minutes.check_approvable(sent, held, {**later, "body_id": "other"})
    with pytest.raises(Conflict) as refused:
        minutes.check_approvable({"status": "draft"}, held, later)
    assert "minutes" in refused.value.fields


def test_approved_minutes_are_locked():
    held = meeting(status="held")
    minutes.check_editable({"status": "sent"}, held)
    with pytest.raises(Conflict) as refused:
        minutes.check_editable({"status": "approved"}, held)
    assert refused.value.fields == {"minutes": ["Goedgekeurde verslagen liggen vast."]}
