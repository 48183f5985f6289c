"""Event contracts: what a valid event is, what is refused, and that nothing personal can
leave the cases service."""

import datetime as dt
import uuid

import pytest
from marshmallow import ValidationError, fields, validate

from verband_common.contracts import (
    EVENTS,
    Envelope,
    UnknownEvent,
    contract,
    event_json,
    load_event,
    new_event,
)

NETWORK_CREATED = {"name": "Kerngroep RTJ Limburg", "kind": "RTJ", "region": "Limburg"}


def network_created(**overrides) -> dict:
    body = new_event("partners", "network_created", uuid.uuid4(), NETWORK_CREATED)
    body.update(overrides)
    return body


def test_a_valid_event_loads_and_dumps_back_to_the_same_json():
    body = network_created()
    event = load_event("partners", "network_created", body)
    assert isinstance(event["event_id"], uuid.UUID)
    assert isinstance(event["network_id"], uuid.UUID)
    assert event["occurred_at"].tzinfo is not None
    assert event["version"] == 1 and event["source"] == "partners"
    assert event_json(event) == body


def test_every_event_carries_the_envelope():
    for key, schema in EVENTS.items():
        declared = schema().fields
        for name in ("event_id", "occurred_at", "network_id", "version", "event_type", "source"):
            assert declared[name].required, (key, name)


def test_an_unknown_field_is_refused():
    with pytest.raises(ValidationError) as refused:
        load_event("partners", "network_created", network_created(chair="Jan Peeters"))
    assert "chair" in refused.value.messages


def test_a_missing_network_id_is_refused():
    body = network_created()
    del body["network_id"]
    with pytest.raises(ValidationError) as refused:
        load_event("partners", "network_created", body)
    assert "network_id" in refused.value.messages


@pytest.mark.parametrize("version", [2, 0, "1", None, 1.0])
def test_a_version_without_contract_is_refused(version):
    with pytest.raises(UnknownEvent):
        load_event("partners", "network_created", network_created(version=version))


def test_an_unknown_event_type_and_a_non_object_are_refused():
    with pytest.raises(UnknownEvent):
        load_event("partners", "network_dissolved", network_created())
    for body in (None, [], "network_created", 7):
        with pytest.raises(UnknownEvent):
            load_event("partners", "network_created", body)


def test_a_naive_timestamp_is_refused():
    body = network_created(occurred_at=dt.datetime(2026, 1, 5, 9, 30).isoformat())
    with pytest.raises(ValidationError) as refused:
        load_event("partners", "network_created", body)
    assert "occurred_at" in refused.value.messages


def test_a_producer_cannot_build_an_event_that_breaks_its_contract():
    with pytest.raises(ValidationError):
        new_event("partners", "network_created", uuid.uuid4(), {**NETWORK_CREATED, "kind": "x"})
    with pytest.raises(UnknownEvent):
        new_event("partners", "network_created", uuid.uuid4(), NETWORK_CREATED, version=9)


def test_a_contract_cannot_be_registered_twice():
    with pytest.raises(ValueError):

        @contract("partners", "network_created")
        class Again(Envelope):
            pass


# -- privacy: events leaving cases carry no personal data --------------------------------------

# Words that name personal data or free text about a family. (A pseudonym is fine.)
PERSONAL = {
    "name",
    "names",
    "firstname",
    "first",
    "last",
    "surname",
    "birth",
    "birthday",
    "born",
    "address",
    "street",
    "phone",
    "email",
    "mail",
    "question",
    "text",
    "note",
    "notes",
    "comment",
    "comments",
    "remark",
    "remarks",
    "description",
    "summary",
    "story",
    "message",
    "household",
    "carer",
    "carers",
    "child",
    "children",
    "consent",
}
# The envelope's own fields, checked by the registry lookup rather than by content.
ENVELOPE = set(Envelope().fields)


def walk(schema_fields: dict, prefix: str = ""):
    for name, field in schema_fields.items():
        path = f"{prefix}{name}"
        yield path, name, field
        if isinstance(field, fields.List):
            yield from walk({"[]": field.inner}, path)
        elif isinstance(field, fields.Nested):
            yield from walk(field.schema.fields, path + ".")


def leaks(schema) -> list[str]:
    """Fields of `schema` that could hold personal data: a telling name, a free-form type, or
    text that is neither one of a list nor a fixed pattern."""
    found = []
    for path, name, field in walk(schema.fields):
        if path in ENVELOPE:
            continue
        words = set(name.lower().split("_")) | {name.lower()}
        free_form = isinstance(field, (fields.Raw, fields.Mapping))
        free_text = type(field) is fields.String and not any(
            isinstance(v, (validate.OneOf, validate.Regexp)) for v in field.validators
        )
        if words & PERSONAL or free_form or free_text:
            found.append(path)
    return found


CASES_EVENTS = sorted(key for key in EVENTS if key[0] == "cases")


def test_cases_publishes_events():
    assert ("cases", "referral_received", 1) in CASES_EVENTS


@pytest.mark.parametrize("key", CASES_EVENTS, ids=lambda k: f"{k[1]}-v{k[2]}")
def test_no_cases_event_has_a_field_that_could_hold_personal_data(key):
    assert leaks(EVENTS[key]()) == []


def test_the_check_catches_names_free_text_and_free_form_fields():
    class Leaky(Envelope):
        family_pseudonym = fields.String(validate=validate.Regexp(r"^[0-9a-f]{32}$"))
        concern = fields.String(validate=validate.OneOf(["some", "serious"]))
        summary = fields.String(validate=validate.OneOf(["a"]))
        child_first_name = fields.String(validate=validate.Length(max=20))
        sector = fields.String()
        extra = fields.Dict()
        tags = fields.List(fields.String())
        birth_date = fields.Date()

    assert leaks(Leaky()) == [
        "summary",
        "child_first_name",
        "sector",
        "extra",
        "tags[]",
        "birth_date",
    ]


@pytest.mark.parametrize("field, value", [("event_type", "offer_published"), ("source", "cases")])
def test_a_body_naming_another_event_than_its_route_is_refused(field, value):
    body = {**network_created(), field: value}
    with pytest.raises(ValidationError) as refused:
        load_event("partners", "network_created", body)
    assert set(refused.value.messages) == {field}
