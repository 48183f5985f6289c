"""Errors that cross the RPC boundary: flattened field paths, and the same type on both ends."""

import pytest
from marshmallow import ValidationError
from nameko.exceptions import deserialize, serialize

from verband_common.errors import (
    Conflict,
    Forbidden,
    NotFound,
    ValidationFailed,
    flatten_messages,
    from_marshmallow,
)
from verband_common.rpc import parse_id, validated
from verband_common.schemas.partners import NetworkInput


def test_nested_messages_become_dotted_paths():
    messages = {
        "name": ["Dit veld is verplicht."],
        "household": {
            "children": {0: {"birth_date": ["Deze datum ligt in de toekomst."]}},
            "carers": ["Geef minstens één opvoeder."],
        },
        "kind": "Kies een van: RTJ.",  # a bare string becomes a list of one
    }
    assert flatten_messages(messages) == {
        "name": ["Dit veld is verplicht."],
        "household.children.0.birth_date": ["Deze datum ligt in de toekomst."],
        "household.carers": ["Geef minstens één opvoeder."],
        "kind": ["Kies een van: RTJ."],
    }


def test_schema_level_messages_go_under_schema_or_their_prefix():
    assert flatten_messages(["Geef een JSON-object."]) == {"_schema": ["Geef een JSON-object."]}
    assert flatten_messages({"consent": {"_schema": ["x"]}}) == {"consent._schema": ["x"]}
    assert flatten_messages(["x"], "household") == {"household": ["x"]}
    assert flatten_messages({}) == {}


def test_from_marshmallow_keeps_every_field():
    err = ValidationError({"a": {"b": ["x"]}, "c": ["y"]})
    failed = from_marshmallow(err)
    assert isinstance(failed, ValidationFailed)
    assert failed.fields == {"a.b": ["x"], "c": ["y"]}
    assert failed.message == "De invoer is ongeldig."


@pytest.mark.parametrize(
    "error_cls, status",
    [(ValidationFailed, 422), (NotFound, 404), (Conflict, 409), (Forbidden, 403)],
)
def test_errors_survive_the_rpc_boundary_as_themselves(error_cls, status):
    original = error_cls("Iets klopt niet.", {"network_id": ["Onbekend netwerk."]})
    received = deserialize(serialize(original))
    assert type(received) is error_cls
    assert received.message == "Iets klopt niet."
    assert received.fields == {"network_id": ["Onbekend netwerk."]}
    assert received.http_status == status
    assert received.to_body() == {
        "error": {
            "code": error_cls.code,
            "message": "Iets klopt niet.",
            "fields": {"network_id": ["Onbekend netwerk."]},
        }
    }


def test_validated_names_each_bad_field():
    with pytest.raises(ValidationFailed) as refused:
        validated(NetworkInput(), {"name": "", "kind": "club"})
    assert set(refused.value.fields) == {"name", "kind", "region"}
    with pytest.raises(ValidationFailed) as refused:
        validated(NetworkInput(), ["not", "an", "object"])
    assert set(refused.value.fields) == {"_schema"}


@pytest.mark.parametrize("value", ["", "12", None, 42, "g" * 32])
def test_parse_id_names_the_field(value):
    with pytest.raises(ValidationFailed) as refused:
        parse_id(value, "network_id")
    assert refused.value.fields == {"network_id": ["Geen geldige id."]}
