"""Bad input to every skeleton endpoint is refused with one error shape, names the field at
fault, and writes nothing.

The error body is {"error": {"code", "message", "fields": {field: [messages]}, ...}}; a
path that is not an id at all does not match a route, so it is a plain 404 of that shape.
After each refusal the lists are unchanged and so is reporting's referral count (checked
with a sentinel referral: the count must rise by exactly that one).
"""

import datetime as dt
import json
import time
import uuid

import pytest

from verband_testkit.api import (
    create_team,
    expect,
    publish_offer,
    refer_once_offer_known,
    referral_count,
    referral_input,
    wait_referral_count,
)

TODAY = dt.date.today()
FUTURE = (TODAY + dt.timedelta(days=2)).isoformat()
TOO_OLD = TODAY.replace(year=TODAY.year - 26, day=1).isoformat()
RAW = {"headers": {"Content-Type": "application/json"}}


class World:
    """Two networks, each with an offer that cases already knows (one referral each).

    Each bad request is sent by someone allowed to make the good one: networks by the
    platform admin, offers by network A's coordinator, referrals by A's referrer."""

    def __init__(self, stack):
        self.stack = stack
        self.a = create_team(stack)
        self.b = create_team(stack)
        self.offer_a = publish_offer(self.a)
        self.offer_b = publish_offer(self.b)
        self.referrals = {}
        for team, offer in ((self.a, self.offer_a), (self.b, self.offer_b)):
            refer_once_offer_known(team, offer["id"])
            self.referrals[team.id] = wait_referral_count(team, 1)

    def token(self, actor: str) -> str:
        return self.stack.admin_token if actor == "admin" else self.a.tokens[actor]


@pytest.fixture(scope="module")
def world(stack):
    return World(stack)


def networks(stack):
    return expect(stack.http("GET", "/api/networks/", token=stack.admin_token), 200)


def offers(team):
    return expect(team.http("coordinator", "GET", f"/api/networks/{team.id}/offers"), 200)


def referral(w, **overrides):
    """A valid referral to network A's offer, with some fields replaced."""
    return {"json": {**referral_input(w.offer_a["id"]), **overrides}}


def household(birth_date):
    return {
        "carers": [{"name": "An"}],
        "children": [{"first_name": "Bo", "birth_date": birth_date}],
    }


# (id, method, path, request kwargs from the world, status, fields that must be named)
A = "{a}"
NETWORKS = [
    (
        "malformed-json",
        "POST",
        "/api/networks/",
        lambda w: {"data": '{"name": "x",', **RAW},
        400,
        {"_body"},
    ),
    ("json-array", "POST", "/api/networks/", lambda w: {"json": [{"name": "x"}]}, 422, {"_schema"}),
    (
        "missing-fields",
        "POST",
        "/api/networks/",
        lambda w: {"json": {}},
        422,
        {"name", "kind", "region"},
    ),
    (
        "unknown-field",
        "POST",
        "/api/networks/",
        lambda w: {"json": {"name": "Nieuw", "kind": "RTJ", "region": "Limburg", "owner": "x"}},
        422,
        {"owner"},
    ),
    (
        "wrong-type",
        "POST",
        "/api/networks/",
        lambda w: {"json": {"name": 42, "kind": "RTJ", "region": "Limburg"}},
        422,
        {"name"},
    ),
    (
        "unknown-kind",
        "POST",
        "/api/networks/",
        lambda w: {"json": {"name": "Nieuw", "kind": "XYZ", "region": "Limburg"}},
        422,
        {"kind"},
    ),
    (
        "empty-name",
        "POST",
        "/api/networks/",
        lambda w: {"json": {"name": "", "kind": "RTJ", "region": "Limburg"}},
        422,
        {"name"},
    ),
    (
        "duplicate-name",
        "POST",
        "/api/networks/",
        lambda w: {
            "json": {"name": w.a.network["name"].upper(), "kind": "RTJ", "region": "Limburg"}
        },
        409,
        {"name"},
    ),
    (
        "get-unknown-network",
        "GET",
        f"/api/networks/{uuid.uuid4()}",
        lambda w: {},
        404,
        {"network_id"},
    ),
    ("get-bad-uuid", "GET", "/api/networks/123-not-a-uuid", lambda w: {}, 404, set()),
]


def offer(w, **overrides):
    body = {
        "organisation_id": w.a.organisation["id"],
        "title": "Opvoedingsondersteuning",
        "kind": "parenting_course",
        "capacity": 5,
        "free_places": 5,
        "municipalities": ["71016"],
    }
    body.update(overrides)
    return {"json": body}


OFFERS_PATH = f"/api/networks/{A}/offers"
OFFERS = [
    (
        "malformed-json",
        "POST",
        OFFERS_PATH,
        lambda w: {"data": "{'title': 1}", **RAW},
        400,
        {"_body"},
    ),
    ("json-array", "POST", OFFERS_PATH, lambda w: {"json": [offer(w)["json"]]}, 422, {"_schema"}),
    (
        "missing-fields",
        "POST",
        OFFERS_PATH,
        lambda w: {"json": {"title": "x"}},
        422,
        {"organisation_id", "kind", "capacity", "free_places", "municipalities"},
    ),
    ("unknown-field", "POST", OFFERS_PATH, lambda w: offer(w, price=10), 422, {"price"}),
    ("capacity-as-text", "POST", OFFERS_PATH, lambda w: offer(w, capacity="5"), 422, {"capacity"}),
    ("capacity-as-float", "POST", OFFERS_PATH, lambda w: offer(w, capacity=5.5), 422, {"capacity"}),
    (
        "negative-capacity",
        "POST",
        OFFERS_PATH,
        lambda w: offer(w, capacity=-1, free_places=0),
        422,
        {"capacity"},
    ),
    (
        "free-over-capacity",
        "POST",
        OFFERS_PATH,
        lambda w: offer(w, capacity=3, free_places=4),
        422,
        {"free_places"},
    ),
    (
        "bad-nis-code",
        "POST",
        OFFERS_PATH,
        lambda w: offer(w, municipalities=["2300"]),
        422,
        {"municipalities.0"},
    ),
    (
        "no-municipality",
        "POST",
        OFFERS_PATH,
        lambda w: offer(w, municipalities=[]),
        422,
        {"municipalities"},
    ),
    ("unknown-status", "POST", OFFERS_PATH, lambda w: offer(w, status="open"), 422, {"status"}),
    (
        "bad-uuid-in-path",
        "POST",
        "/api/networks/not-a-uuid/offers",
        lambda w: offer(w),
        404,
        set(),
    ),
    (
        "unknown-network",
        "POST",
        f"/api/networks/{uuid.uuid4()}/offers",
        lambda w: offer(w),
        404,
        {"network_id"},
    ),
    ("list-bad-uuid", "GET", "/api/networks/xyz/offers", lambda w: {}, 404, set()),
    (
        "list-unknown-network",
        "GET",
        f"/api/networks/{uuid.uuid4()}/offers",
        lambda w: {},
        404,
        set(),
    ),
    (
        "other-networks-list",
        "POST",
        "/api/networks/{b}/offers",
        lambda w: offer(w),
        404,
        set(),
    ),
]

REFERRALS_PATH = f"/api/networks/{A}/referrals"
REFERRALS = [
    (
        "malformed-json",
        "POST",
        REFERRALS_PATH,
        lambda w: {"data": '{"offer_id": ', **RAW},
        400,
        {"_body"},
    ),
    (
        "json-array",
        "POST",
        REFERRALS_PATH,
        lambda w: {"json": [referral(w)["json"]]},
        422,
        {"_schema"},
    ),
    (
        "missing-fields",
        "POST",
        REFERRALS_PATH,
        lambda w: {"json": {"offer_id": w.offer_a["id"], "concern": "some"}},
        422,
        {"source_sector", "municipality", "question", "household", "consent"},
    ),
    (
        "unknown-field",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, family_name="Peeters"),
        422,
        {"family_name"},
    ),
    (
        "unknown-nested-field",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, household={**household("2016-05-01"), "address": "Markt 1"}),
        422,
        {"household.address"},
    ),
    (
        "household-as-list",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, household=[]),
        422,
        {"household"},
    ),
    (
        "concern-as-number",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, concern=3),
        422,
        {"concern"},
    ),
    (
        "unknown-concern",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, concern="extreme"),
        422,
        {"concern"},
    ),
    (
        "bad-nis-code",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, municipality="Genk"),
        422,
        {"municipality"},
    ),
    (
        "birth-date-in-future",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, household=household(FUTURE)),
        422,
        {"household.children.0.birth_date"},
    ),
    (
        "child-older-than-24",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, household=household(TOO_OLD)),
        422,
        {"household.children.0.birth_date"},
    ),
    (
        "not-a-date",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, household=household("01/02/2016")),
        422,
        {"household.children.0.birth_date"},
    ),
    (
        "no-children",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, household={"carers": [{"name": "An"}], "children": []}),
        422,
        {"household.children"},
    ),
    (
        "consent-in-future",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(
            w, consent={"given_by": "An", "given_on": FUTURE, "sharing": ["network_partners"]}
        ),
        422,
        {"consent.given_on"},
    ),
    (
        "offer-id-not-a-uuid",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, offer_id="aanbod-1"),
        422,
        {"offer_id"},
    ),
    (
        "unknown-offer",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, offer_id=str(uuid.uuid4())),
        422,
        {"offer_id"},
    ),
    (
        "other-networks-offer",
        "POST",
        REFERRALS_PATH,
        lambda w: referral(w, offer_id=w.offer_b["id"]),
        422,
        {"offer_id"},
    ),
    (
        "bad-uuid-in-path",
        "POST",
        "/api/networks/12345/referrals",
        lambda w: referral(w),
        404,
        set(),
    ),
    (
        "unknown-network",
        "POST",
        f"/api/networks/{uuid.uuid4()}/referrals",
        lambda w: referral(w),
        404,
        set(),
    ),
    (
        "other-network",
        "POST",
        "/api/networks/{b}/referrals",
        lambda w: {"json": referral_input(w.offer_b["id"])},
        404,
        set(),
    ),
]

INDICATORS = [
    (
        "bad-uuid-in-path",
        "GET",
        "/api/networks/nope/indicators/referrals",
        lambda w: {},
        404,
        set(),
    ),
]


def refused(stack, world, actor, method, path, make_kwargs, status, fields):
    """Send the bad request; check the status and the error body; return the body."""
    r = stack.http(
        method,
        path.format(a=world.a.id, b=world.b.id),
        token=world.token(actor),
        **make_kwargs(world),
    )
    assert r.status_code == status, f"{r.status_code}: {r.text[:500]}"
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert error["correlation_id"] == r.headers["X-Correlation-ID"]
    expected_code = {
        400: "bad_request",
        404: "not_found",
        409: "conflict",
        422: "validation_failed",
    }[status]
    assert error["code"] == expected_code
    if fields:
        named = error.get("fields", {})
        # A field is named by itself or by a path inside it ("household._schema").
        missing = {f for f in fields if not any(n == f or n.startswith(f + ".") for n in named)}
        assert not missing, f"expected {sorted(missing)} named, got {named}"
        for messages in named.values():
            assert messages and all(isinstance(m, str) and m for m in messages), named
    return error


def cases(table, actor):
    return [pytest.param(actor, *case[1:], id=case[0]) for case in table]


ARGS = "actor,method,path,make_kwargs,status,fields"


@pytest.mark.parametrize(ARGS, cases(NETWORKS, "admin"))
def test_bad_network_input_is_refused_and_writes_nothing(
    stack, world, actor, method, path, make_kwargs, status, fields
):
    before = networks(stack)
    refused(stack, world, actor, method, path, make_kwargs, status, fields)
    assert networks(stack) == before


@pytest.mark.parametrize(ARGS, cases(OFFERS, "coordinator"))
def test_bad_offer_input_is_refused_and_writes_nothing(
    stack, world, actor, method, path, make_kwargs, status, fields
):
    before = (networks(stack), offers(world.a), offers(world.b))
    refused(stack, world, actor, method, path, make_kwargs, status, fields)
    assert (networks(stack), offers(world.a), offers(world.b)) == before


@pytest.mark.parametrize(ARGS, cases(REFERRALS + INDICATORS, "referrer"))
def test_bad_referral_input_is_refused_and_counts_nowhere(
    stack, world, actor, method, path, make_kwargs, status, fields
):
    before_lists = (networks(stack), offers(world.a), offers(world.b))
    refused(stack, world, actor, method, path, make_kwargs, status, fields)
    assert (networks(stack), offers(world.a), offers(world.b)) == before_lists

    # Events leave cases in commit order; a sentinel referral per network must raise each
    # count by exactly one. Had the bad one been accepted, a count would overshoot.
    for team, off in ((world.a, world.offer_a), (world.b, world.offer_b)):
        expect(
            team.http(
                "referrer",
                "POST",
                f"/api/networks/{team.id}/referrals",
                json=referral_input(off["id"]),
            ),
            201,
        )
        world.referrals[team.id] += 1
    for team in (world.a, world.b):
        wait_referral_count(team, world.referrals[team.id], timeout=30)
    time.sleep(0.3)  # a late duplicate would show now
    for team in (world.a, world.b):
        assert referral_count(team) == world.referrals[team.id]


def test_a_body_that_is_not_json_is_refused(stack, world):
    """Form data or plain text instead of JSON: refused, nothing written."""
    before = networks(stack)
    for kwargs in (
        {
            "data": "name=Nieuw&kind=RTJ&region=L",
            "headers": {"Content-Type": "application/x-www-form-urlencoded"},
        },
        {
            "data": json.dumps({"name": "Nieuw", "kind": "RTJ", "region": "Limburg"}),
            "headers": {"Content-Type": "text/plain"},
        },
    ):
        r = stack.http("POST", "/api/networks/", token=stack.admin_token, **kwargs)
        assert r.status_code in (400, 415, 422), r.text
        assert r.json()["error"]["code"] and r.json()["error"]["message"]
    assert networks(stack) == before
