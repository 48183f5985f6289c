"""Tier 5: faults under load, on one real stack shared by the fault tests of a run.

Each test starts from a healthy stack, and leaves it healthy (or fails saying why): a fault
that is not recovered from is exactly what these tests are here to find. Besides the
gateway's HTTP API, the tests read the services' databases (to count rows) and RabbitMQ's
management API.
"""

import pytest

from verband_testkit import Stack, attach_stack_logs
from verband_testkit.faults import assert_exactly_once
from verband_testkit.mail import HOSTNAME, PORT, SmtpSink

# meetings mails through a real SMTP server beside the stack; an event no queue is bound to
# is tried again within seconds (in production at most a minute), to keep the tier short.
SERVICE_ENV = {
    **{
        service: {"OUTBOX_UNROUTABLE_MAX_DELAY": 3}
        for service in ("partners", "cases", "meetings", "reporting")
    },
    "meetings": {
        "OUTBOX_UNROUTABLE_MAX_DELAY": 3,
        "SMTP_HOST": HOSTNAME,
        "SMTP_PORT": PORT,
        "SMTP_SENDER": "secretariaat@verband.test",
        "MAIL_POLL_SECONDS": 1,
    },
}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    attach_stack_logs(item, outcome.get_result(), tail=120)


@pytest.fixture(scope="session")
def stack():
    stack = Stack.start(service_env=SERVICE_ENV)
    try:
        stack.smtp = SmtpSink(stack.network)
    except Exception:
        stack.stop()
        raise
    try:
        yield stack
    finally:
        stack.smtp.stop()
        stack.stop()


@pytest.fixture
def healthy(stack):
    """The shared stack, healthy and with every earlier event settled, before the test."""
    stack.wait_healthy(timeout=120)
    assert_exactly_once(stack)
    return stack
