"""The caller's deadline: a request that arrives after it is refused before any work starts;
one in time runs; garbage in the header is no deadline."""

import time
from types import SimpleNamespace

import pytest

from verband_common import deadline
from verband_common.errors import DeadlineExceeded
from verband_common.rpc import SurvivingRpc


class Container:
    def __init__(self):
        self.spawned = []

    def spawn_worker(self, entrypoint, args, kwargs, context_data=None, handle_result=None):
        self.spawned.append(context_data)


def request(deadline_value=None):
    headers = {} if deadline_value is None else {"nameko.deadline": deadline_value}
    return SimpleNamespace(
        delivery_info={"redelivered": False, "routing_key": "cases.receive_referral"},
        headers=headers,
    )


def entrypoint():
    rpc = SurvivingRpc()
    rpc.method_name = "receive_referral"
    rpc.container = Container()
    rpc.check_signature = lambda args, kwargs: None
    return rpc


def test_a_request_after_its_deadline_is_refused_without_a_worker():
    rpc = entrypoint()
    with pytest.raises(DeadlineExceeded) as refused:
        rpc.handle_message({"args": [], "kwargs": {}}, request(deadline.stamp(-0.5)))
    assert refused.value.http_status == 503
    assert rpc.container.spawned == []


def test_a_request_in_time_runs_and_carries_its_deadline_on():
    rpc = entrypoint()
    stamp = deadline.stamp(5)
    rpc.handle_message({"args": [], "kwargs": {}}, request(stamp))
    assert rpc.container.spawned == [{"deadline": stamp}]


def test_within_the_margin_counts_as_late():
    # The answer needs time to travel back: just before the deadline is already too late.
    with pytest.raises(DeadlineExceeded):
        deadline.check({"deadline": deadline.stamp(deadline.MARGIN / 2)})
    deadline.check({"deadline": deadline.stamp(deadline.MARGIN + 1)})


@pytest.mark.parametrize("value", [None, "", "soon", "nan-ish"])
def test_no_or_unreadable_deadline_is_no_deadline(value):
    deadline.check({} if value is None else {"deadline": value})
    assert deadline.of({"deadline": f"{time.time() + 3:.3f}"}) > time.time()
