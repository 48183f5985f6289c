"""The rules of the network's library and vorming: an overdue review is flagged unless the
procedure lapsed, a review date lies ahead, a vorming never takes more people than it has
places, nor any after its deadline; who keeps, who adds a version, who registers."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meetings.domain import knowledge as rules
from meetings.domain.access import Principal
from verband_common.errors import Conflict, ValidationFailed
from verband_common.schemas.knowledge import CAPACITY_MAX

TODAY = dt.date(2027, 3, 10)
NOW = dt.datetime(2027, 3, 10, 9, 0, tzinfo=dt.UTC)
NET = "0b7e4c56-9a43-4a8e-9a52-5e1c4a6f0c11"


def procedure(review_on, status="vastgesteld", owner="p-1"):
    return {"review_on": review_on, "status": status, "owner_id": owner}


def training(capacity=10, deadline=NOW + dt.timedelta(days=3), starts=None):
    return {
        "capacity": capacity,
        "registration_deadline": deadline,
        "starts_at": starts or deadline + dt.timedelta(days=1),
    }


def test_a_review_date_passed_is_overdue_while_the_procedure_counts():
    yesterday = TODAY - dt.timedelta(days=1)
    assert rules.review_overdue(procedure(yesterday), TODAY)
    assert rules.review_overdue(procedure(yesterday, "concept"), TODAY)
    assert not rules.review_overdue(procedure(yesterday, "vervallen"), TODAY)
    assert not rules.review_overdue(procedure(TODAY), TODAY)
    assert not rules.review_overdue(procedure(None), TODAY)


def test_a_review_date_lies_in_the_future():
    rules.check_review_date(None, TODAY)
    rules.check_review_date(TODAY + dt.timedelta(days=1), TODAY)
    for day in (TODAY, TODAY - dt.timedelta(days=400)):
        with pytest.raises(ValidationFailed) as err:
            rules.check_review_date(day, TODAY)
        assert "review_on" in err.value.fields


@given(
    capacity=st.integers(min_value=1, max_value=CAPACITY_MAX),
    registered=st.integers(min_value=0, max_value=CAPACITY_MAX + 5),
)
def test_registration_never_goes_beyond_the_places(capacity, registered):
    t = training(capacity)
    if registered < capacity:
        rules.check_registration(t, registered, NOW)
        assert rules.places_left(t, registered) == capacity - registered
        assert rules.registration_open(t, registered, NOW)
    else:
        with pytest.raises(Conflict) as err:
            rules.check_registration(t, registered, NOW)
        assert "volzet" in err.value.message
        assert rules.places_left(t, registered) == 0
        assert not rules.registration_open(t, registered, NOW)


def test_registrations_close_at_the_deadline():
    t = training(deadline=NOW - dt.timedelta(minutes=1))
    with pytest.raises(Conflict) as err:
        rules.check_registration(t, 0, NOW)
    assert "afgesloten" in err.value.message
    assert not rules.registration_open(t, 0, NOW)
    rules.check_registration(training(deadline=NOW), 0, NOW)


def test_unregistering_ends_when_the_vorming_starts():
    rules.check_unregistration(training(starts=NOW + dt.timedelta(hours=1)), NOW)
    with pytest.raises(Conflict):
        rules.check_unregistration(training(deadline=NOW, starts=NOW), NOW)


def test_a_new_vorming_lies_ahead_and_can_still_be_registered_for():
    ahead = NOW + dt.timedelta(days=7)
    rules.check_new_training(ahead, NOW + dt.timedelta(days=1), NOW)
    with pytest.raises(ValidationFailed) as err:
        rules.check_new_training(NOW - dt.timedelta(days=1), NOW - dt.timedelta(days=2), NOW)
    assert "starts_at" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        rules.check_new_training(ahead, NOW, NOW)
    assert "registration_deadline" in err.value.fields


def test_who_keeps_adds_versions_and_registers():
    coordinator = Principal("p-9", {NET: {"coordinator"}})
    admin = Principal("p-8", {NET: {"network_admin"}})
    owner = Principal("p-1", {NET: {"partner_worker"}})
    worker = Principal("p-2", {NET: {"partner_worker"}})
    iroj = Principal("p-3", {NET: {"iroj_viewer"}})
    elsewhere = Principal("p-4", {"another": {"coordinator"}})
    assert rules.can_keep(coordinator, NET) and rules.can_keep(admin, NET)
    assert not any(rules.can_keep(x, NET) for x in (owner, worker, iroj, elsewhere))
    doc = procedure(None, owner="p-1")
    assert rules.can_add_version(owner, NET, doc) and rules.can_add_version(coordinator, NET, doc)
    assert not rules.can_add_version(worker, NET, doc)
    assert rules.can_register(worker, NET) and rules.can_register(coordinator, NET)
    assert not rules.can_register(iroj, NET) and not rules.can_register(elsewhere, NET)
    assert not rules.can_register(Principal(None, {NET: {"partner_worker"}}), NET)
