"""Idempotency keys: which keys are accepted, and when two requests count as the same."""

import pytest

from verband_common import idempotency


@pytest.mark.parametrize("key", ["a", "ref-9f1c0e2a-7d", "x" * 200, "A.b_c~d:e/f#1"])
def test_sane_keys_are_accepted(key):
    assert idempotency.valid_key(key)


@pytest.mark.parametrize("key", ["", "met spatie", "x" * 201, "é", "tab\there", "nul\x00"])
def test_other_keys_are_refused(key):
    assert not idempotency.valid_key(key)


def test_the_same_json_spelled_otherwise_is_the_same_request():
    a = idempotency.fingerprint("post", "/api/x?", b'{"a":1,"b":[1,2]}', {"a": 1, "b": [1, 2]})
    b = idempotency.fingerprint(
        "POST", "/api/x?", b'{ "b": [1, 2], "a": 1 }', {"b": [1, 2], "a": 1}
    )
    assert a == b


@pytest.mark.parametrize(
    "other",
    [
        ("POST", "/api/x?", {"a": 2, "b": [1, 2]}),
        ("POST", "/api/y?", {"a": 1, "b": [1, 2]}),
        ("PATCH", "/api/x?", {"a": 1, "b": [1, 2]}),
        ("POST", "/api/x?", {"a": 1, "b": [2, 1]}),
    ],
)
def test_another_method_path_or_body_is_another_request(other):
    base = idempotency.fingerprint("POST", "/api/x?", b"", {"a": 1, "b": [1, 2]})
    method, path, body = other
    assert idempotency.fingerprint(method, path, b"", body) != base
