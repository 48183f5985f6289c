"""What the gateway does for delivery and retries: 503 with Retry-After, a broken RPC proxy
replaced, the deadline and the idempotency key carried to the services, and the network
admin's view of the e-mails that could not be sent."""

import uuid

import pytest

from verband_common.errors import DeadlineExceeded
from verband_gateway.rpc import RpcClient, ServiceUnavailable


def referral(offer_id, question="Hulp bij de opvoeding."):
    return {
        "offer_id": offer_id,
        "source_sector": "ocmw",
        "municipality": "44083",
        "concern": "some",
        "question": question,
        "household": {
            "carers": [{"name": "An"}],
            "children": [{"first_name": "Lotte", "birth_date": "2018-03-02"}],
        },
        "consent": {"given_by": "An", "given_on": "2026-11-20", "sharing": ["network_partners"]},
    }


# --- 503 says when to come back -----------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        ServiceUnavailable("De berichtenbus is niet bereikbaar."),
        DeadlineExceeded("De aanvraag kwam te laat aan."),
    ],
)
def test_an_unreachable_service_is_503_with_retry_after(
    client, services, network, coordinator, exc
):
    services.fail("cases", "receive_referral", exc)
    response = client.post(
        f"/api/networks/{network['id']}/referrals",
        json=referral(str(uuid.uuid4())),
        headers=coordinator,
    )
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json["error"]["code"] == exc.code


def test_a_portal_page_says_503_with_retry_after(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["coordinator"]})
    services.fail(
        "meetings", "get_meeting", ServiceUnavailable("De berichtenbus is niet bereikbaar.")
    )
    response = client.get(f"/vergaderingen/{uuid.uuid4()}")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "niet bereikbaar" in response.get_data(as_text=True)


# --- a broken proxy is replaced, not reused ----------------------------------------------


class BrokenProxy:
    """nameko's standalone proxy after the broker went away: its consumer is unusable."""

    def __getitem__(self, service):
        return self

    def __getattr__(self, method):
        def call(*args, **kwargs):
            raise RuntimeError("This consumer has been disconnected, and can no longer be used")

        return call


class WorkingProxy:
    def __getitem__(self, service):
        return self

    def __getattr__(self, method):
        return lambda *args, **kwargs: {"answered_by": "new proxy"}


class Runner:
    def __init__(self, proxy):
        self.proxy = proxy
        self.stopped = False

    def start(self):
        return self.proxy

    def stop(self):
        self.stopped = True


def test_a_broken_proxy_is_503_and_replaced(monkeypatch):
    import verband_gateway.rpc as rpc_module

    runners = [Runner(BrokenProxy()), Runner(WorkingProxy())]
    made = []

    def new_runner(config, timeout, context_data):
        runner = runners[len(made)]
        made.append(runner)
        return runner

    monkeypatch.setattr(rpc_module, "_RpcProxy", new_runner)
    client = RpcClient("memory://", timeout=2)
    with pytest.raises(ServiceUnavailable):
        client.call("cases", "receive_referral", "n", {})
    assert runners[0].stopped, "the broken proxy is closed"
    # The next call opens a new proxy instead of reusing the broken one.
    assert client.call("cases", "receive_referral", "n", {}) == {"answered_by": "new proxy"}
    assert made == runners


def test_a_service_s_own_error_keeps_the_proxy(monkeypatch):
    from nameko.exceptions import RemoteError

    import verband_gateway.rpc as rpc_module

    class Failing(WorkingProxy):
        def __getattr__(self, method):
            def call(*args, **kwargs):
                raise RemoteError("KeyError", "a bug in the service")

            return call

    runner = Runner(Failing())
    monkeypatch.setattr(rpc_module, "_RpcProxy", lambda *a, **k: runner)
    client = RpcClient("memory://", timeout=2)
    for _ in range(2):
        with pytest.raises(RemoteError):
            client.call("cases", "receive_referral", "n", {})
    assert not runner.stopped


# --- Idempotency-Key ------------------------------------------------------------------------


def post_referral(client, network, coordinator, body, key=None):
    headers = {**coordinator, **({"Idempotency-Key": key} if key is not None else {})}
    return client.post(f"/api/networks/{network['id']}/referrals", json=body, headers=headers)


def test_the_idempotency_key_travels_with_each_rpc_of_the_write(
    client, services, network, coordinator
):
    body = referral(str(uuid.uuid4()))
    assert post_referral(client, network, coordinator, body, "retry-me-1").status_code == 201
    # The same request again (keys reordered: the same JSON) has the same fingerprint.
    again = dict(reversed(list(body.items())))
    assert post_referral(client, network, coordinator, again, "retry-me-1").status_code == 201
    other = referral(body["offer_id"], question="Een andere vraag.")
    assert post_referral(client, network, coordinator, other, "retry-me-1").status_code == 201
    first, second, third = (c.idempotency for c in services.calls_to("receive_referral"))
    assert first[0] == second[0] == third[0] == "retry-me-1#1"
    assert first[1] == second[1] != third[1]  # the service refuses a key reused for another
    # Resolving who signs in acts for nobody: it carries no key.
    assert all(c.idempotency is None for c in services.calls_to("resolve_session"))


def test_without_a_key_each_write_carries_a_key_of_its_own(client, services, network, coordinator):
    """A request the broker hands to a second replica must find the first run's answer, so
    every write is keyed; the gateway's key is new for each request, so two requests that
    are alike both write."""
    body = referral(str(uuid.uuid4()))
    post_referral(client, network, coordinator, body)
    post_referral(client, network, coordinator, body)
    first, second = (c.idempotency for c in services.calls_to("receive_referral"))
    assert first[0].startswith("request:") and first[0].endswith("#1")
    assert first[0] != second[0]
    # Reads are not keyed: nothing to repeat.
    client.get(f"/api/networks/{network['id']}/referrals", headers=coordinator)
    assert all(c.idempotency is None for c in services.calls if c.method != "receive_referral")


@pytest.mark.parametrize("key", ["", "met spatie", "x" * 201, "é-accent"])
def test_a_bad_idempotency_key_is_422_naming_the_header(
    client, services, network, coordinator, key
):
    response = post_referral(client, network, coordinator, referral(str(uuid.uuid4())), key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json["error"]["fields"]
    assert services.calls_to("receive_referral") == []


# --- the e-mails that could not be sent ---------------------------------------------------

PARKED = {
    "id": 7,
    "subject": "Agenda Kernteam - 3/12/2026",
    "recipients": ["an@example.be"],
    "created_at": "2026-12-01T08:00:00+00:00",
    "attempts": 1,
    "last_error": "kan niet opgemaakt worden: ValueError('Header values may not contain linefeed')",
    "parked_at": "2026-12-01T08:00:02+00:00",
}


def test_the_network_admin_reads_the_parked_mails(client, services, network, bearer):
    services.answer("meetings", "parked_mails", lambda nid: [PARKED])
    response = client.get(
        f"/api/networks/{network['id']}/parked-mails",
        headers=bearer({network["id"]: ["network_admin"]}),
    )
    assert response.status_code == 200
    [mail] = response.json
    assert mail["id"] == 7 and mail["recipients"] == ["an@example.be"]
    assert mail["last_error"].startswith("kan niet opgemaakt worden")
    assert services.calls_to("parked_mails")[0].args == (network["id"],)


def test_the_settings_page_lists_parked_mails_for_the_network_admin_only(
    client, services, network, portal_sign_in
):
    services.answer("meetings", "parked_mails", lambda nid: [PARKED])
    portal_sign_in({network["id"]: ["network_admin"]})
    page = client.get("/netwerk/instellingen").get_data(as_text=True)
    assert "Tegengehouden e-mails" in page
    assert "Agenda Kernteam - 3/12/2026" in page and "an@example.be" in page
    assert "01/12/2026" in page and "Header values may not contain linefeed" in page


def test_the_coordinator_s_settings_page_has_no_parked_mails(
    client, services, network, portal_sign_in
):
    portal_sign_in({network["id"]: ["coordinator"]})
    page = client.get("/netwerk/instellingen").get_data(as_text=True)
    assert "Tegengehouden e-mails" not in page
    assert services.calls_to("parked_mails") == []


def test_no_parked_mails_is_said_so(client, services, network, portal_sign_in):
    portal_sign_in({network["id"]: ["network_admin"]})
    page = client.get("/netwerk/instellingen").get_data(as_text=True)
    assert "Geen: elke e-mail van het netwerk vertrok." in page
