"""Load with a fault in the middle, and the ledgers that prove nothing was lost or doubled.

Fault tests may read the services' databases (published postgres port) and RabbitMQ's
management API; users never can. Everything a user does still goes through the gateway.
"""

import itertools
import threading
import time
from dataclasses import dataclass, field

from verband_testkit import wait_for
from verband_testkit.api import referral_input


@dataclass
class Attempt:
    index: int
    marker: str
    status: int | None  # None: no HTTP answer at all (connection refused, client timeout)
    body: dict | None = None
    error: str | None = None
    after_fault: bool = False


@dataclass
class Stream:
    """Referrals posted from several threads; `fault` runs in its own thread once
    `fault_after` attempts have been made, while the stream goes on.

    The stream stops when `total` attempts are made, the fault has finished, and at least
    `after_fault` referrals were accepted after it finished (so recovery is exercised).
    """

    stack: object
    network_id: str
    offer_id: str
    token: str  # the referrer's, who posts every referral of the stream
    total: int = 200
    workers: int = 6
    fault: object = None
    fault_after: int = 60
    after_fault: int = 0
    tag: str = "stream"
    deadline_s: float = 240
    attempts: list = field(default_factory=list)
    fault_error: BaseException | None = None

    def run(self) -> "Stream":
        counter = itertools.count()
        lock = threading.Lock()
        fault_done = threading.Event()
        accepted_after = [0]
        started = time.monotonic()
        if self.fault is None:
            fault_done.set()

        def run_fault():
            try:
                self.fault()
            except BaseException as exc:  # reported by run(), after the stream
                self.fault_error = exc
            finally:
                fault_done.set()

        fault_thread = threading.Thread(target=run_fault, name="fault", daemon=True)

        def keep_going(i):
            if time.monotonic() - started > self.deadline_s:
                return False
            if i < self.total:
                return True
            with lock:
                return not fault_done.is_set() or accepted_after[0] < self.after_fault

        def worker():
            while True:
                i = next(counter)
                if i == self.fault_after and self.fault is not None:
                    fault_thread.start()
                if not keep_going(i):
                    return
                if i >= self.total:
                    time.sleep(0.05)  # past the planned load: a gentle trickle until recovered
                marker = f"{self.tag}#{i}"
                after = fault_done.is_set() and self.fault is not None
                payload = referral_input(self.offer_id, question=f"Vraag {marker}")
                try:
                    r = self.stack.http(
                        "POST",
                        f"/api/networks/{self.network_id}/referrals",
                        token=self.token,
                        json=payload,
                        timeout=30,
                    )
                    body = (
                        r.json()
                        if r.headers.get("Content-Type", "").startswith("application/json")
                        else None
                    )
                    attempt = Attempt(i, marker, r.status_code, body, after_fault=after)
                except Exception as exc:  # no answer: counted as not accepted
                    attempt = Attempt(i, marker, None, error=repr(exc), after_fault=after)
                with lock:
                    self.attempts.append(attempt)
                    if attempt.status == 201 and after:
                        accepted_after[0] += 1

        threads = [threading.Thread(target=worker, name=f"stream-{n}") for n in range(self.workers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if self.fault is not None:
            fault_thread.join(timeout=120)
            if self.fault_error is not None:
                raise AssertionError(f"the fault itself failed: {self.fault_error!r}")
            assert fault_done.is_set(), "the fault never ran to its end"
            assert accepted_after[0] >= self.after_fault, (
                f"only {accepted_after[0]} referrals accepted after the fault "
                f"(wanted {self.after_fault}): {self.summary()}"
            )
        return self

    @property
    def accepted(self) -> list[Attempt]:
        return [a for a in self.attempts if a.status == 201]

    @property
    def refused(self) -> list[Attempt]:
        return [a for a in self.attempts if a.status != 201]

    def summary(self) -> dict:
        out = {}
        for a in self.attempts:
            out[a.status] = out.get(a.status, 0) + 1
        return out


def scalar(stack, service: str, query: str, params=()):
    return next(iter(stack.sql(service, query, params)[0].values()))


def dead_letters(stack) -> int:
    import requests

    try:
        return stack.management("/api/queues/%2F/verband.dead-letters")["messages"]
    except requests.HTTPError as exc:
        if exc.response is not None and exc.response.status_code == 404:
            return 0  # never declared: nothing was ever parked
        raise


def ledgers(stack) -> dict:
    """Every count that must agree when each event was applied exactly once."""
    q = {
        "partners.networks": ("partners", "SELECT count(*) FROM networks"),
        "partners.offers": ("partners", "SELECT count(*) FROM offers"),
        "partners.outbox.network_created": (
            "partners",
            "SELECT count(*) FROM outbox WHERE event_type = 'network_created'",
        ),
        "partners.outbox.offer_published": (
            "partners",
            "SELECT count(*) FROM outbox WHERE event_type = 'offer_published'",
        ),
        "partners.outbox.unsent": ("partners", "SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
        "meetings.networks": ("meetings", "SELECT count(*) FROM networks"),
        "meetings.inbox": (
            "meetings",
            "SELECT count(*) FROM inbox WHERE consumer = 'meetings.on_network_created'",
        ),
        "cases.offers": ("cases", "SELECT count(*) FROM offers"),
        "cases.inbox.offer_published": (
            "cases",
            "SELECT count(*) FROM inbox WHERE consumer = 'cases.on_offer_published'",
        ),
        "cases.referrals": ("cases", "SELECT count(*) FROM referrals"),
        "cases.outbox.referral_received": (
            "cases",
            "SELECT count(*) FROM outbox WHERE event_type = 'referral_received'",
        ),
        "cases.outbox.unsent": ("cases", "SELECT count(*) FROM outbox WHERE sent_at IS NULL"),
        "reporting.inbox.referral_received": (
            "reporting",
            "SELECT count(*) FROM inbox WHERE consumer = 'reporting.on_referral_received'",
        ),
        "reporting.event_log": (
            "reporting",
            "SELECT count(*) FROM event_log WHERE event_type = 'referral_received'",
        ),
        "reporting.event_log.referrals": (
            "reporting",
            "SELECT count(DISTINCT body->>'referral_id') FROM event_log"
            " WHERE event_type = 'referral_received'",
        ),
        "reporting.counted": (
            "reporting",
            "SELECT coalesce(sum(referrals), 0)::int FROM referral_counts",
        ),
    }
    found = {name: scalar(stack, service, sql) for name, (service, sql) in q.items()}
    found["dead_letters"] = dead_letters(stack)
    return found


def ledger_problems(led: dict) -> list[str]:
    """What disagrees; empty when every event went out once and was applied once."""
    groups = [
        (
            "networks",
            [
                "partners.networks",
                "partners.outbox.network_created",
                "meetings.networks",
                "meetings.inbox",
            ],
        ),
        (
            "offers",
            [
                "partners.offers",
                "partners.outbox.offer_published",
                "cases.inbox.offer_published",
                "cases.offers",
            ],
        ),
        (
            "referrals",
            [
                "cases.referrals",
                "cases.outbox.referral_received",
                "reporting.inbox.referral_received",
                "reporting.event_log",
                "reporting.event_log.referrals",
                "reporting.counted",
            ],
        ),
        ("nothing pending", ["partners.outbox.unsent", "cases.outbox.unsent", "dead_letters"]),
    ]
    problems = []
    for name, keys in groups:
        values = {k: led[k] for k in keys}
        target = 0 if name == "nothing pending" else led[keys[0]]
        if any(v != target for v in values.values()):
            problems.append(f"{name}: {values}")
    return problems


def assert_exactly_once(stack, timeout: float = 90) -> dict:
    """Wait until every ledger agrees (events in flight arrive); fail with the disagreement."""
    last = {}

    def agree():
        last["ledgers"] = ledgers(stack)
        return not ledger_problems(last["ledgers"])

    try:
        wait_for(agree, timeout, interval=0.5, what="ledgers agreeing")
    except TimeoutError:
        led = last.get("ledgers") or ledgers(stack)
        raise AssertionError(
            "events lost or applied twice: " + "; ".join(ledger_problems(led))
        ) from None
    # Agreement must hold, not just pass by: look once more a moment later.
    time.sleep(0.5)
    led = ledgers(stack)
    assert not ledger_problems(led), ledger_problems(led)
    return led


def referrals_in_cases(stack, network_id) -> dict[str, str]:
    """referral id -> stream marker, for the network's referrals cases committed."""
    rows = stack.sql(
        "cases",
        "SELECT id::text AS id, question FROM referrals WHERE network_id = %s",
        (network_id,),
    )
    return {r["id"]: r["question"].removeprefix("Vraag ") for r in rows}


def counted_in_reporting(stack, network_id) -> set[str]:
    """The referral ids reporting has in its event log for the network."""
    rows = stack.sql(
        "reporting",
        "SELECT body->>'referral_id' AS id FROM event_log"
        " WHERE event_type = 'referral_received' AND network_id = %s",
        (network_id,),
    )
    return {r["id"] for r in rows}
