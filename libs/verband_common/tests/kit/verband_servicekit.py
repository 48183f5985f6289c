"""pytest plugin of the service tier: one broker and one database per session, a fresh
RabbitMQ vhost and fresh PostgreSQL databases per test, and helpers to start services.

Loaded by the conftest.py of every service-tier test folder (see `load` there), once per
session whichever folders run. Runs under eventlet (`nameko test`); everything talks to the
containers over loopback ports.
"""

# verband_common.db must be imported before psycopg: it selects psycopg's cooperative wait
# function, which psycopg reads once, when it is first imported. A test proves it works.
import verband_common.db  # noqa: F401,I001  (keep first)

import contextlib
import itertools
import json
import uuid

import eventlet
import psycopg
import pytest
import requests
from kombu import Connection, Queue
from kombu.mixins import ConsumerMixin
from kombu.pools import connections as kombu_connections
from nameko.standalone.rpc import ClusterRpcProxy
from psycopg.rows import dict_row

import verband_testkit as kit
from verband_common.outbox import event_exchange

AMQP_AUTH = (kit.AMQP_USER, kit.AMQP_PASSWORD)


# -- one broker and one database for the whole session -------------------------------------


@pytest.fixture(scope="session")
def verband_infra():
    """(Broker, Database), started side by side on first use and removed at session end."""
    broker_thread = eventlet.spawn(kit.start_broker)
    database_thread = eventlet.spawn(kit.start_database)
    started, errors = [], []
    for thread in (broker_thread, database_thread):
        try:
            started.append(thread.wait())
        except Exception as exc:  # stop whichever did start, then fail
            errors.append(exc)
    if errors:
        for part in started:
            part.container.stop()
        raise errors[0]
    broker, database = started
    kit.wait_for(
        lambda: requests.get(f"{broker.management_url}/api/overview", auth=AMQP_AUTH, timeout=2).ok,
        60,
        what="RabbitMQ management API",
    )
    yield broker, database
    for part in (broker, database):
        with contextlib.suppress(Exception):
            part.container.stop()


# -- per test: a vhost, databases, running services -----------------------------------------


def _port_of(url: str) -> str:
    return url.split("@", 1)[1].split("/", 1)[0]


class Verband:
    """What a service-tier test works with; everything it creates is removed after the test."""

    def __init__(self, broker, database, container_factory):
        self.broker = broker
        self.database = database
        self._container_factory = container_factory
        self._host = _port_of(database.admin_url())
        self.vhost = "t-" + uuid.uuid4().hex[:10]
        self.amqp_uri = broker.amqp_uri.rstrip("/") + "/" + self.vhost
        self.containers = []
        self.databases = []
        api = f"{broker.management_url}/api"
        requests.put(f"{api}/vhosts/{self.vhost}", auth=AMQP_AUTH, timeout=10).raise_for_status()
        requests.put(
            f"{api}/permissions/{self.vhost}/{kit.AMQP_USER}",
            auth=AMQP_AUTH,
            json={"configure": ".*", "write": ".*", "read": ".*"},
            timeout=10,
        ).raise_for_status()

    # databases

    def new_database(self, owner: str = "postgres") -> str:
        """A fresh, empty database owned by `owner` (a service's role); returns its URL."""
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.database.admin_url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner}"')
        self.databases.append(name)
        password = self.database.password if owner == "postgres" else owner
        return f"postgresql://{owner}:{password}@{self._host}/{name}"

    def admin_url(self, db_url: str) -> str:
        """The superuser's URL of the database `db_url` points at."""
        name = db_url.rsplit("/", 1)[1]
        return f"postgresql://postgres:{self.database.password}@{self._host}/{name}"

    def sql(self, db_url: str, query: str, params=None) -> list[dict]:
        """Run `query` as superuser in that database (autocommit); rows as dicts."""
        with psycopg.connect(self.admin_url(db_url), autocommit=True, row_factory=dict_row) as conn:
            cur = conn.execute(query, params)
            return cur.fetchall() if cur.description else []

    def count(self, db_url: str, table: str, where: str = "true", params=None) -> int:
        return self.sql(db_url, f"SELECT count(*) AS n FROM {table} WHERE {where}", params)[0]["n"]

    def counts(self, db_url: str) -> dict[str, int]:
        """Rows per table of the public schema: a fingerprint of everything a service stored."""
        tables = [
            r["tablename"]
            for r in self.sql(
                db_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {t: self.count(db_url, t) for t in tables}

    # services

    def config(self, db_url: str, **extra) -> dict:
        return {
            "AMQP_URI": self.amqp_uri,
            "DATABASE_URL": db_url,
            "max_workers": 10,
            "serializer": "json",
            "rpc_exchange": "nameko-rpc",
            "EVENT_MAX_ATTEMPTS": 5,
            **extra,
        }

    def start(self, service_cls, db_url: str | None = None, admin: bool = True, **extra):
        """Start `service_cls` in a nameko container on a fresh database (or `db_url`).
        For partners, `admin`: then run the one-time bootstrap of the platform admin
        (ADMIN_EMAIL / ADMIN_PASSWORD), as a region's IT does after the first start."""
        if db_url is None:
            owner = service_cls.name if service_cls.name in kit.SERVICES else "postgres"
            db_url = self.new_database(owner)
        container = self._container_factory(service_cls, self.config(db_url, **extra))
        container.db_url = db_url
        container.start()
        self.containers.append(container)
        if service_cls.name == "partners" and admin:
            from partners.bootstrap import make_platform_admin

            make_platform_admin(db_url, ADMIN_EMAIL, ADMIN_PASSWORD, "Platformbeheerder")
        return container

    def rpc(self, context_data: dict | None = None, timeout: float = 15):
        return ClusterRpcProxy(
            {"AMQP_URI": self.amqp_uri, "serializer": "json"},
            context_data=context_data,
            timeout=timeout,
        )

    # messages

    def publish(
        self,
        source: str,
        body,
        routing_key: str | None = None,
        headers: dict | None = None,
        raw: bytes | None = None,
    ) -> None:
        """Publish one message to `<source>.events`, as another service's relay would."""
        routing_key = routing_key or body["event_type"]
        with Connection(self.amqp_uri) as conn:
            producer = conn.Producer()
            exchange = event_exchange(source)
            if raw is not None:
                producer.publish(
                    raw,
                    exchange=exchange,
                    routing_key=routing_key,
                    content_type="application/json",
                    content_encoding="utf-8",
                    headers=headers or {},
                    declare=[exchange],
                    delivery_mode=2,
                )
            else:
                producer.publish(
                    json.dumps(body),
                    exchange=exchange,
                    routing_key=routing_key,
                    content_type="application/json",
                    content_encoding="utf-8",
                    headers=headers or {},
                    declare=[exchange],
                    delivery_mode=2,
                )

    def tap(self, source: str, routing_key: str = "#") -> str:
        """Bind a fresh queue to `<source>.events`; returns its name (read it with `drain`)."""
        name = "tap-" + uuid.uuid4().hex[:8]
        with Connection(self.amqp_uri) as conn:
            Queue(
                name,
                exchange=event_exchange(source),
                routing_key=routing_key,
                durable=False,
                auto_delete=False,
            )(conn.channel()).declare()
        return name

    def drain(self, queue: str) -> list:
        """Every message waiting in `queue` (acked), as kombu messages."""
        got = []
        with Connection(self.amqp_uri) as conn:
            q = Queue(queue, no_declare=True)(conn.channel())
            while (message := q.get(no_ack=True)) is not None:
                got.append(message)
        return got

    def queue_depth(self, queue: str) -> int:
        with Connection(self.amqp_uri) as conn:
            declared = Queue(queue, durable=True)(conn.channel()).queue_declare(passive=True)
            return declared.message_count

    # teardown

    def close(self):
        # As nameko's own fixtures do: consumers told to stop, then the vhost deleted (which
        # cancels them at once instead of after their 1 s read timeout), then the kill.
        for container in self.containers:
            for extension in container.extensions:
                if isinstance(extension, ConsumerMixin):
                    extension.should_stop = True
        with contextlib.suppress(Exception):
            requests.delete(
                f"{self.broker.management_url}/api/vhosts/{self.vhost}", auth=AMQP_AUTH, timeout=10
            )
        for container in reversed(self.containers):
            with contextlib.suppress(Exception):
                container.kill()
        # Pooled connections of the vhost are dead now; drop them (as nameko's fixtures do).
        for key, pool in list(kombu_connections.items()):
            if isinstance(key, (list, tuple)) and len(key) > 4 and key[4] == self.vhost:
                with contextlib.suppress(Exception):
                    pool.force_close_all()
        if self.databases:
            with (
                contextlib.suppress(Exception),
                psycopg.connect(self.database.admin_url(), autocommit=True) as conn,
            ):
                for name in self.databases:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def verband(verband_infra, container_factory):
    broker, database = verband_infra
    v = Verband(broker, database, container_factory)
    try:
        yield v
    finally:
        v.close()


def wait_until(check, timeout: float = 15, what: str = "condition"):
    """Poll `check` (cooperatively, under eventlet) until it returns something truthy."""
    return kit.wait_for(check, timeout, interval=0.05, what=what)


# -- sample payloads ------------------------------------------------------------------------

ADMIN_EMAIL = "admin@verband.test"
ADMIN_PASSWORD = "alleen-voor-tests-een-lang-wachtwoord"

NETWORK = {
    "name": "1G1P Asse-Meise-Vilvoorde",
    "kind": "1G1P",
    "region": "Vlaams-Brabant/Brussel",
    "municipalities": ["23002", "23050", "23088"],
}
ORGANISATION = {
    "name": "Huis van het Kind Asse",
    "kbo": "0207.437.468",
    "sector": "huis_van_het_kind",
    "municipalities": ["23002"],
}
# An offer as partners takes it, except `organisation_id`: see `offer()`.
OFFER = {
    "title": "Gezinscoaching",
    "kind": "family_coaching",
    "capacity": 10,
    "free_places": 4,
    "municipalities": ["23002", "23050"],
}


def offer(organisation_id, **overrides) -> dict:
    return {**OFFER, "organisation_id": str(organisation_id), **overrides}


def admin_actor(verband) -> str:
    """The actor reference of the platform admin a started partners service bootstrapped."""
    with verband.rpc() as rpc:
        return rpc.partners.open_session(ADMIN_EMAIL, ADMIN_PASSWORD, {})["principal"]["actor"]


MEMBER_PASSWORD = "een-lang-en-geheim-wachtwoord"


def join_network(verband, rpc, network_id, name, email, organisation_id=None, roles=()) -> dict:
    """Invite a new person into a network (as the actor of `rpc`) and accept as them, with
    MEMBER_PASSWORD: the only way into a network. Returns their first session's principal."""
    sent = rpc.partners.invite_person(
        network_id,
        {"name": name, "email": email, "organisation_id": organisation_id, "roles": list(roles)},
    )
    with verband.rpc() as anonymous:
        opened = anonymous.partners.accept_invitation_as_new(sent["token"], MEMBER_PASSWORD, {})
    return opened["principal"]


def seed_partners(verband, network=None, organisation=None) -> dict:
    """A network with one partner organisation (kernpartner), made by the platform admin of
    a running partners service. Returns {"actor", "network", "organisation"}; call partners
    as that actor with `verband.rpc(context_data={"actor": seed["actor"]})`."""
    actor = admin_actor(verband)
    with verband.rpc(context_data={"actor": actor}) as rpc:
        made = rpc.partners.create_network(network or NETWORK)
        org = rpc.partners.create_organisation(organisation or ORGANISATION)
        rpc.partners.add_membership(
            made["id"],
            {"organisation_id": org["id"], "role": "kernpartner", "starts_on": "2025-01-01"},
        )
    return {"actor": actor, "network": made, "organisation": org}


# Personal data a referral carries; none of it may leave the cases service.
CARER = "Mieke Vermeulen-Janssens"
CHILD = "Lotte"
QUESTION = "Moeder is alleen met drie kinderen en de oudste spijbelt sinds de scheiding."
CONSENT_BY = "Mieke Vermeulen"


def years_ago(years: int, days: int = 0):
    """The date `years` years (and `days` days) before today; 29 February becomes the 28th."""
    import datetime as dt

    today = dt.date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return day - dt.timedelta(days=days)


def referral(offer_id, **overrides) -> dict:
    """A valid referral (aanmelding) of one family to `offer_id`."""
    payload = {
        "offer_id": str(offer_id),
        "source_sector": "ocmw",
        "municipality": "23002",
        "concern": "serious",
        "question": QUESTION,
        "household": {
            "carers": [{"name": CARER}],
            "children": [
                {"first_name": CHILD, "birth_date": years_ago(7).isoformat()},
                {"first_name": "Jens", "birth_date": years_ago(13).isoformat()},
            ],
        },
        "consent": {
            "given_by": CONSENT_BY,
            "given_on": years_ago(0, days=1).isoformat(),
            "sharing": ["network_partners"],
        },
    }
    payload.update(overrides)
    return payload


def offer_published(network_id, offer_id=None, **overrides) -> dict:
    """A valid partners.offer_published event body, as the partners relay sends it."""
    from verband_common.contracts import new_event

    body = new_event(
        "partners",
        "offer_published",
        network_id,
        {
            "offer_id": str(offer_id or uuid.uuid4()),
            "title": OFFER["title"],
            "kind": OFFER["kind"],
            "capacity": OFFER["capacity"],
            "free_places": OFFER["free_places"],
            "municipalities": OFFER["municipalities"],
            "status": "active",
            "warm_waiting_list": True,
        },
    )
    body.update(overrides)
    return body


def until_calls(n: int, ok: bool | None = True):
    """entrypoint_waiter callback: done after `n` workers that succeeded (ok=True), failed
    (ok=False) or either (ok=None)."""
    seen = []

    def callback(worker_ctx, result, exc_info):
        if ok is None or (exc_info is None) == ok:
            seen.append(worker_ctx)
        return len(seen) >= n

    callback.seen = seen
    return callback


def until_events(n: int):
    """entrypoint_waiter callback for a batching consumer: done once successful workers
    together handled `n` events (a worker's first argument is its list of events)."""
    handled = []

    def callback(worker_ctx, result, exc_info):
        if exc_info is None:
            handled.extend(worker_ctx.args[0])
        return len(handled) >= n

    callback.handled = handled
    return callback


_ROLE_VERSIONS = itertools.count(1)


def role_version() -> int:
    """A version for a role_granted / role_revoked a test makes: each later than the last,
    as partners stamps them (partners.store.next_role_version)."""
    return next(_ROLE_VERSIONS)
