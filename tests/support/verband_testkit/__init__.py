"""Starts Verband's real parts in containers for the tests: broker, database, services, gateway.

Everything talks to the test over published ports on loopback; containers talk to each other
over a private Docker network by name (rabbitmq, postgres), as in docker-compose.yml.
Needs TESTCONTAINERS_RYUK_DISABLED=true where no registry serves the reaper image (the
Makefile sets it); every container is removed by the fixture that started it.
"""

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from testcontainers.core.container import DockerContainer
from testcontainers.core.network import Network

ROOT = Path(__file__).resolve().parents[3]
SERVICES = ("partners", "cases", "meetings", "reporting")
METRICS_PORT = 9100
# rabbitmq_prometheus, the broker's own metrics.
BROKER_METRICS_PORT = 15692
# The broker's operator (the tests publish, inspect and replay with it); each service and the
# gateway connect as their own broker user with their own permissions (deploy/images/broker).
AMQP_USER = AMQP_PASSWORD = "verband"
BROKER_USERS = (*SERVICES, "gateway")
BROKER_PASSWORDS = {user: f"{user}-{os.urandom(8).hex()}" for user in BROKER_USERS}

# The platform admin, made by the one-time bootstrap command (test stacks only).
ADMIN_EMAIL = "beheer@verband.test"
ADMIN_PASSWORD = "test-only-beheerder-wachtwoord"  # noqa: S105 - a throwaway test stack's
SERVICE_DEFAULTS: dict = {}
# Test mode: a generated session key, mails written inside the container.
GATEWAY_DEFAULTS = {
    "VERBAND_ENV": "test",
    "SECRET_KEY": "test-stack-" + os.urandom(16).hex(),
    "PUBLIC_URL": "http://localhost",
    "MAIL_DIR": "/tmp/verband-mail",
}


def images() -> dict:
    """Image names: environment first, then .images.env (written by make images), then defaults."""
    found = {
        "POSTGRES_IMAGE": "postgres:16",
        "RABBITMQ_IMAGE": "rabbitmq:3-management",
        # Only ever built here (deploy/images/build-base.sh), for a region's cell.
        "PGBOUNCER_IMAGE": "verband/pgbouncer:1.18-debian",
        "HAPROXY_IMAGE": "verband/haproxy:2.6-debian",
        "VERBAND_TAG": "dev",
    }
    env_file = ROOT / ".images.env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                found[key.strip()] = value.strip()
    for key in found:
        if os.environ.get(key):
            found[key] = os.environ[key]
    return found


def wait_for(check, timeout: float = 60, interval: float = 0.25, what: str = "condition"):
    """Call `check` until it returns a truthy value (returned) or raises no more; else fail."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            result = check()
            if result:
                return result
        except Exception as exc:  # the thing waited for is not there yet
            last_error = exc
        time.sleep(interval)
    raise TimeoutError(f"{what} not reached within {timeout}s (last error: {last_error!r})")


def host_port(container: DockerContainer, port: int) -> int:
    return int(container.get_exposed_port(port))


@dataclass
class Broker:
    container: DockerContainer

    internal_uri = f"amqp://{AMQP_USER}:{AMQP_PASSWORD}@rabbitmq:5672/"

    @staticmethod
    def internal_uri_of(user: str) -> str:
        """The URI a service or the gateway uses inside the stack: its own broker user."""
        return f"amqp://{user}:{BROKER_PASSWORDS[user]}@rabbitmq:5672/"

    def amqp_uri_of(self, user: str) -> str:
        """The same user's URI from the test process (loopback, published port)."""
        port = host_port(self.container, 5672)
        return f"amqp://{user}:{BROKER_PASSWORDS[user]}@127.0.0.1:{port}/"

    @property
    def amqp_uri(self) -> str:
        return f"amqp://{AMQP_USER}:{AMQP_PASSWORD}@127.0.0.1:{host_port(self.container, 5672)}/"

    @property
    def management_url(self) -> str:
        return f"http://127.0.0.1:{host_port(self.container, 15672)}"

    def wait_ready(self, timeout: float = 90):
        from kombu import Connection

        def connects():
            with Connection(self.amqp_uri, connect_timeout=2) as conn:
                conn.connect()
                return True

        wait_for(connects, timeout, what="RabbitMQ accepting connections")


@dataclass
class Database:
    container: DockerContainer
    password: str = "verband"

    def url(self, service: str) -> str:
        """A connection URL for the test process (loopback, published port)."""
        port = host_port(self.container, 5432)
        return f"postgresql://{service}:{service}@127.0.0.1:{port}/{service}"

    def admin_url(self) -> str:
        port = host_port(self.container, 5432)
        return f"postgresql://postgres:{self.password}@127.0.0.1:{port}/postgres"

    @staticmethod
    def internal_url(service: str) -> str:
        return f"postgresql://{service}:{service}@postgres:5432/{service}"

    def wait_ready(self, timeout: float = 90):
        import psycopg

        def connects():
            # The last service database exists only once the init script has finished.
            with psycopg.connect(self.url(SERVICES[-1]), connect_timeout=2) as conn:
                return conn.execute("SELECT 1").fetchone()

        wait_for(connects, timeout, what="PostgreSQL with the service databases")


def start_broker(network: Network | None = None, users: bool = False) -> Broker:
    """RabbitMQ with its operator only (the service tier, benchmarks of one service), or with
    `users`: Verband's broker image, with a user per service and the gateway (the stack)."""
    image = f"verband/broker:{images()['VERBAND_TAG']}" if users else images()["RABBITMQ_IMAGE"]
    c = (
        DockerContainer(image)
        .with_env("RABBITMQ_DEFAULT_USER", AMQP_USER)
        .with_env("RABBITMQ_DEFAULT_PASS", AMQP_PASSWORD)
        .with_exposed_ports(5672, 15672, BROKER_METRICS_PORT)
    )
    if users:
        for user, password in BROKER_PASSWORDS.items():
            c = c.with_env(f"RABBITMQ_{user.upper()}_PASSWORD", password)
    if network is not None:
        c = c.with_network(network).with_network_aliases("rabbitmq")
    c.with_kwargs(hostname="rabbitmq")
    broker = Broker(c.start())
    broker.wait_ready()
    return broker


def start_database(network: Network | None = None) -> Database:
    c = (
        DockerContainer(images()["POSTGRES_IMAGE"])
        .with_env("POSTGRES_PASSWORD", "verband")
        .with_volume_mapping(
            str(ROOT / "deploy/postgres/init"), "/docker-entrypoint-initdb.d", "ro"
        )
        .with_exposed_ports(5432)
    )
    if network is not None:
        c = c.with_network(network).with_network_aliases("postgres")
    db = Database(c.start())
    db.wait_ready()
    return db


def service_container(service: str, network: Network, **env) -> DockerContainer:
    c = (
        DockerContainer(f"verband/{service}:{images()['VERBAND_TAG']}")
        .with_network(network)
        .with_env("AMQP_URI", Broker.internal_uri_of(service))
        .with_env("DATABASE_URL", Database.internal_url(service))
        # Prometheus metrics (the image serves them on 9100), published for the metrics tests.
        .with_exposed_ports(METRICS_PORT)
        # A throwaway stack's passwords are public (written here): test mode allows them.
        .with_env("VERBAND_ENV", "test")
    )
    for key, value in env.items():
        c = c.with_env(key, str(value))
    return c


def gateway_container(network: Network, **env) -> DockerContainer:
    c = (
        DockerContainer(f"verband/gateway:{images()['VERBAND_TAG']}")
        .with_network(network)
        .with_env("AMQP_URI", Broker.internal_uri_of("gateway"))
        .with_exposed_ports(8000, METRICS_PORT)
    )
    for key, value in env.items():
        c = c.with_env(key, str(value))
    return c


def rpc_health(amqp_uri: str, service: str, timeout: float = 5) -> dict:
    from nameko.standalone.rpc import ClusterRpcProxy

    with ClusterRpcProxy({"AMQP_URI": amqp_uri}, timeout=timeout) as proxy:
        return proxy[service].health()


@dataclass
class Stack:
    """The whole platform in containers, as docker-compose.yml runs it."""

    network: Network
    broker: Broker
    database: Database
    services: dict = field(default_factory=dict)
    gateway: DockerContainer | None = None

    # Further instances of a service (scaling), stopped with the stack.
    extra: list = field(default_factory=list)
    service_env: dict = field(default_factory=dict)

    @classmethod
    def start(cls, service_env: dict | None = None, gateway_env: dict | None = None) -> "Stack":
        network = Network()
        network.create()
        stack = cls(network, start_broker(network, users=True), start_database(network))
        stack.service_env = {
            service: {**SERVICE_DEFAULTS.get(service, {}), **(service_env or {}).get(service, {})}
            for service in SERVICES
        }
        try:
            for service in SERVICES:
                stack.services[service] = service_container(
                    service, network, **stack.service_env.get(service, {})
                ).start()
            for service in SERVICES:
                stack.wait_service(service)
            stack.bootstrap_admin()
            stack.gateway = gateway_container(
                network, **{**GATEWAY_DEFAULTS, **(gateway_env or {})}
            ).start()
            wait_for(
                lambda: stack.http("GET", "/health").status_code == 200, 60, what="gateway /health"
            )
        except Exception:
            stack.print_logs()
            stack.stop()
            raise
        return stack

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{host_port(self.gateway, 8000)}"

    def http(self, method: str, path: str, token: str | None = None, **kwargs):
        """One request to the gateway; `token` signs it (Authorization: Bearer)."""
        import requests

        kwargs.setdefault("timeout", 15)
        if token is not None:
            kwargs["headers"] = {**kwargs.get("headers", {}), "Authorization": f"Bearer {token}"}
        return requests.request(method, self.base_url + path, **kwargs)

    def login(self, email: str, password: str) -> str:
        """Sign in through the API; returns the bearer token."""
        r = self.http("POST", "/api/auth/login", json={"email": email, "password": password})
        if r.status_code != 200:
            raise AssertionError(f"sign-in as {email} refused: {r.status_code} {r.text[:300]}")
        return r.json()["token"]

    @property
    def admin_token(self) -> str:
        token = getattr(self, "_admin_token", None)
        if token is None:
            token = self._admin_token = self.login(ADMIN_EMAIL, ADMIN_PASSWORD)
        return token

    def bootstrap_admin(self) -> None:
        """Run the partners service's one-time bootstrap of the platform admin, as a
        region's IT does: the password on stdin, never on the command line."""
        result = (
            self.services["partners"]
            .get_wrapped_container()
            .exec_run(
                [
                    "sh",
                    "-c",
                    'printf %s "$BOOTSTRAP_PASSWORD" | python -m partners.bootstrap --email "$0"',
                    ADMIN_EMAIL,
                ],
                environment={"BOOTSTRAP_PASSWORD": ADMIN_PASSWORD},
            )
        )
        if result.exit_code != 0:
            raise RuntimeError(f"bootstrap failed: {result.output.decode(errors='replace')}")

    def wait_service(self, service: str, timeout: float = 90):
        wait_for(
            lambda: rpc_health(self.broker.amqp_uri, service),
            timeout,
            what=f"{service} answering its health RPC",
        )

    def wait_healthy(self, timeout: float = 90):
        """Until the gateway's /health is 200: every service answers and reaches its database."""
        wait_for(
            lambda: self.http("GET", "/health", timeout=10).status_code == 200,
            timeout,
            interval=0.5,
            what="gateway /health 200",
        )

    def start_instance(self, service: str) -> DockerContainer:
        """Start one more instance of `service` (same image and environment, same network)."""
        c = service_container(service, self.network, **self.service_env.get(service, {}))
        self.extra.append(c)
        return c.start()

    def stop_instance(self, container: DockerContainer):
        try:
            container.stop()
        finally:
            if container in self.extra:
                self.extra.remove(container)

    def sql(self, service: str, query: str, params=()) -> list[dict]:
        """Read a service's database through the published port (fault tests count rows)."""
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(
            self.database.url(service), connect_timeout=5, row_factory=dict_row
        ) as conn:
            return conn.execute(query, params).fetchall()

    def management(self, path: str):
        """GET from RabbitMQ's management API, e.g. management("/api/queues")."""
        import requests

        r = requests.get(
            self.broker.management_url + path, auth=(AMQP_USER, AMQP_PASSWORD), timeout=10
        )
        r.raise_for_status()
        return r.json()

    def logs(self, tail: int = 40) -> str:
        parts = []
        for name, c in [
            ("broker", self.broker.container),
            *self.services.items(),
            *((f"extra-{i}", c) for i, c in enumerate(self.extra)),
            ("gateway", self.gateway),
        ]:
            if c is None:
                continue
            try:
                logs = c.get_wrapped_container().logs(tail=tail).decode(errors="replace")
                parts.append(f"----- {name} -----\n{logs}")
            except Exception as exc:  # a container that is gone has no logs to show
                parts.append(f"----- {name}: no logs ({exc!r})")
        return "\n".join(parts)

    def print_logs(self, tail: int = 40):
        print(self.logs(tail))

    def stop(self):
        for c in [
            self.gateway,
            *self.extra,
            *self.services.values(),
            self.broker.container,
            self.database.container,
        ]:
            if c is not None:
                try:
                    c.stop()
                except Exception:  # already gone
                    pass
        try:
            self.network.remove()
        except Exception:  # still in use by a container being removed
            pass


def attach_stack_logs(item, report, fixture: str = "stack", tail: int = 80):
    """From a pytest_runtest_makereport hook: on failure, add the stack's logs to the report."""
    if report.failed and report.when in ("setup", "call"):
        stack = getattr(item, "funcargs", {}).get(fixture)
        if isinstance(stack, Stack):
            report.sections.append(("stack logs", stack.logs(tail)))
