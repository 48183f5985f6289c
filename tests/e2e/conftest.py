"""Tier 4: one real stack (broker, database, four services, gateway) for the whole e2e run.

The tests act only as users do: over the gateway's HTTP API on loopback. Every response the
tests receive is checked for an X-Correlation-ID header on the way (see `stack`).
"""

import pytest

from verband_testkit import Stack, attach_stack_logs
from verband_testkit.mail import HOSTNAME, PORT, SmtpSink

# Partners mails notifications through a real SMTP server beside the stack (stack.smtp),
# quickly, so the tests need not wait long.
SERVICE_ENV = {
    "partners": {
        "SMTP_HOST": HOSTNAME,
        "SMTP_PORT": PORT,
        "SMTP_SENDER": "meldingen@verband.test",
        "MAIL_POLL_SECONDS": 1,
        "MAIL_RETRY_SECONDS": 1,
    }
}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    attach_stack_logs(item, outcome.get_result())


@pytest.fixture(scope="session")
def stack():
    stack = Stack.start(service_env=SERVICE_ENV)
    try:
        stack.smtp = SmtpSink(stack.network)
    except Exception:
        stack.stop()
        raise
    unchecked_http = stack.http

    def http(method, path, **kwargs):
        response = unchecked_http(method, path, **kwargs)
        assert response.headers.get("X-Correlation-ID"), (
            f"{method} {path} answered {response.status_code} without an X-Correlation-ID"
        )
        return response

    stack.http = http
    try:
        yield stack
    finally:
        stack.smtp.stop()
        stack.stop()
