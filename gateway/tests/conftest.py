"""Gateway tier: the Flask app with a fake of what lies outside it (the services over RPC)."""

import datetime as dt
import uuid

import pytest

from verband_gateway import create_app


class FakeServices:
    """Stands in for the RPC client: answers like the services do, records every call."""

    def __init__(self):
        self.calls = []
        self.answers = {}
        self.errors = {}

    def answer(self, service, method, value):
        self.answers[(service, method)] = value

    def fail(self, service, method, exc):
        self.errors[(service, method)] = exc

    def call(self, service, method, *args, correlation_id=None):
        self.calls.append((service, method, args, correlation_id))
        if (service, method) in self.errors:
            raise self.errors[(service, method)]
        value = self.answers.get((service, method))
        return value(*args) if callable(value) else value

    def methods_called(self):
        return [(s, m) for s, m, _, _ in self.calls]


NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC).isoformat()


def network_row(**over):
    return {
        "id": str(uuid.uuid4()),
        "name": "RTJ De Tafels",
        "kind": "RTJ",
        "region": "Meetjesland en Deinze",
        "created_at": NOW,
        **over,
    }


@pytest.fixture
def services():
    return FakeServices()


@pytest.fixture
def app(services):
    return create_app({"TESTING": True}, rpc=services)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def network():
    return network_row()
