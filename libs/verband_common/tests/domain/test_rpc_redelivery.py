"""An RPC request the broker delivers again (its consumer's connection was lost, perhaps
after the first delivery ran) is answered NotRepeated, never run twice."""

from types import SimpleNamespace

from verband_common.errors import NotRepeated
from verband_common.rpc import SurvivingRpc


class Consumer:
    def __init__(self):
        self.answers = []

    def handle_result(self, message, result, exc_info):
        self.answers.append((message, result, exc_info))
        return result, exc_info


class Container:
    def __init__(self):
        self.spawned = []

    def spawn_worker(self, entrypoint, args, kwargs, context_data=None, handle_result=None):
        self.spawned.append((args, kwargs))


def entrypoint():
    rpc = SurvivingRpc()
    rpc.method_name = "submit_referral"
    rpc.rpc_consumer = Consumer()
    rpc.container = Container()
    rpc.check_signature = lambda args, kwargs: None
    return rpc


def message(redelivered: bool):
    return SimpleNamespace(
        delivery_info={"redelivered": redelivered, "routing_key": "cases.submit_referral"},
        headers={},
    )


def test_a_redelivered_request_is_answered_not_repeated_and_not_run():
    rpc = entrypoint()
    again = message(redelivered=True)
    rpc.handle_message({"args": ["x"], "kwargs": {}}, again)
    assert rpc.container.spawned == []
    ((answered, result, exc_info),) = rpc.rpc_consumer.answers
    assert answered is again and result is None
    assert exc_info[0] is NotRepeated and exc_info[1].http_status == 503


def test_a_first_delivery_runs():
    rpc = entrypoint()
    rpc.handle_message({"args": ["x"], "kwargs": {"y": 1}}, message(redelivered=False))
    assert rpc.container.spawned == [(["x"], {"y": 1})]
    assert rpc.rpc_consumer.answers == []
