"""A region's cell in containers, as deploy/cells/cell.yml runs it: a three-node RabbitMQ
cluster, PostgreSQL behind PgBouncer, services with several replicas, the gateway.

The fault tests stop a broker node or restart a service replica in one; the e2e tests run
two of them beside an IROJ hub. Every client is given every node (`;`-separated AMQP URIs)
and reconnects to the next when its node goes.
"""

from dataclasses import dataclass, field

from testcontainers.core.container import DockerContainer
from testcontainers.core.network import Network

from verband_testkit import (
    AMQP_PASSWORD,
    AMQP_USER,
    BROKER_PASSWORDS,
    GATEWAY_DEFAULTS,
    SERVICE_DEFAULTS,
    SERVICES,
    Stack,
    gateway_container,
    host_port,
    images,
    service_container,
    start_database,
    wait_for,
)

NODES = ("rabbitmq-1", "rabbitmq-2", "rabbitmq-3")
ERLANG_COOKIE = "test-cell-erlang-cookie"  # a throwaway test cell's


@dataclass
class Cluster:
    """RabbitMQ nodes in one cluster (three in a cell); quacks like testkit's Broker."""

    nodes: dict  # hostname -> DockerContainer

    @property
    def container(self) -> DockerContainer:
        return next(iter(self.nodes.values()))

    def internal_uri_of(self, user: str) -> str:
        """Every node, as a service or the gateway connects inside the cell: its own user."""
        return ";".join(f"amqp://{user}:{BROKER_PASSWORDS[user]}@{n}:5672/" for n in self.nodes)

    def connected_users(self) -> set[str]:
        """The broker users with a client connection open on any running node (RabbitMQ's
        own answer: `rabbitmqctl list_connections user`)."""
        users = set()
        for name in self.running():
            code, out = self.nodes[name].exec(
                ["rabbitmqctl", "-q", "list_connections", "--no-table-headers", "user"]
            )
            assert code == 0, out.decode(errors="replace")
            users |= {line.strip() for line in out.decode().splitlines() if line.strip()}
        return users

    def running(self) -> list[str]:
        out = []
        for name, c in self.nodes.items():
            c.get_wrapped_container().reload()
            if c.get_wrapped_container().status == "running":
                out.append(name)
        return out

    @property
    def amqp_uri(self) -> str:
        """Every running node's published port: the test process fails over as well."""
        return ";".join(
            f"amqp://{AMQP_USER}:{AMQP_PASSWORD}@127.0.0.1:{host_port(self.nodes[n], 5672)}/"
            for n in self.running()
        )

    @property
    def management_url(self) -> str:
        node = self.running()[0]
        return f"http://127.0.0.1:{host_port(self.nodes[node], 15672)}"

    def node_uri(self, name: str) -> str:
        port = host_port(self.nodes[name], 5672)
        return f"amqp://{AMQP_USER}:{AMQP_PASSWORD}@127.0.0.1:{port}/"

    def wait_node(self, name: str, timeout: float = 120):
        from kombu import Connection

        def connects():
            with Connection(self.node_uri(name), connect_timeout=2) as conn:
                conn.connect()
                return True

        wait_for(connects, timeout, interval=0.5, what=f"{name} accepting connections")

    def cluster_members(self, via: str) -> set[str]:
        """The running nodes of the cluster as `via` sees them (RabbitMQ's own answer)."""
        import requests

        r = requests.get(
            f"http://127.0.0.1:{host_port(self.nodes[via], 15672)}/api/nodes",
            auth=(AMQP_USER, AMQP_PASSWORD),
            timeout=10,
        )
        r.raise_for_status()
        return {n["name"].removeprefix("rabbit@") for n in r.json() if n.get("running")}

    def wait_cluster(self, timeout: float = 180):
        for name in self.running():
            wait_for(
                lambda n=name: self.cluster_members(n) == set(self.running()),
                timeout,
                interval=1,
                what=f"{name} seeing every running node in its cluster",
            )

    def wait_ready(self, timeout: float = 120):
        for name in self.running():
            self.wait_node(name, timeout)
        self.wait_cluster(timeout)

    def stop_node(self, name: str, timeout: int = 30):
        self.nodes[name].get_wrapped_container().stop(timeout=timeout)

    def start_node(self, name: str):
        self.nodes[name].get_wrapped_container().start()
        self.wait_node(name)
        self.wait_cluster()


def node_container(name: str, network: Network, names=NODES) -> DockerContainer:
    """Verband's broker image: every node loads the per-service users at boot."""
    c = (
        DockerContainer(f"verband/broker:{images()['VERBAND_TAG']}")
        .with_env("RABBITMQ_DEFAULT_USER", AMQP_USER)
        .with_env("RABBITMQ_DEFAULT_PASS", AMQP_PASSWORD)
        .with_env("RABBITMQ_ERLANG_COOKIE", ERLANG_COOKIE)
        .with_env("RABBITMQ_CLUSTER_NODES", " ".join(f"rabbit@{n}" for n in names))
        .with_exposed_ports(5672, 15672)
        .with_network(network)
        .with_network_aliases(name)
        .with_kwargs(hostname=name)
    )
    for user, password in BROKER_PASSWORDS.items():
        c = c.with_env(f"RABBITMQ_{user.upper()}_PASSWORD", password)
    return c


def start_cluster(network: Network, names=NODES) -> Cluster:
    """The first node alone, then the others, which join it (as cell.yml orders them)."""
    first = node_container(names[0], network, names).start()
    cluster = Cluster({names[0]: first})
    try:
        cluster.wait_node(names[0])
        for name in names[1:]:
            cluster.nodes[name] = node_container(name, network, names).start()
        cluster.wait_ready()
    except Exception:
        for c in cluster.nodes.values():
            c.stop()
        raise
    return cluster


def start_pgbouncer(network: Network) -> DockerContainer:
    c = (
        DockerContainer(images()["PGBOUNCER_IMAGE"])
        .with_env("PGBOUNCER_DATABASES", " ".join(SERVICES))
        .with_env("PGBOUNCER_POOL_SIZE", "8")
        .with_network(network)
        .with_network_aliases("pgbouncer")
    )
    for service in SERVICES:
        c = c.with_env(f"{service.upper()}_DB_PASSWORD", service)
    return c.start()


@dataclass
class CellStack(Stack):
    """A Stack whose broker is a three-node cluster and whose services reach PostgreSQL through
    PgBouncer; `replicas` names how many instances of each service run."""

    pgbouncer: DockerContainer | None = None
    replicas: dict = field(default_factory=dict)
    more: dict = field(default_factory=dict)  # service -> its instances after the first

    @classmethod
    def start(
        cls,
        replicas: dict | None = None,
        service_env: dict | None = None,
        gateway_env: dict | None = None,
        nodes: tuple = NODES,
        services: tuple = SERVICES,
    ) -> "CellStack":
        """`nodes` the broker nodes' host names (a stack whose broker another network also
        reaches, as the IROJ hub's, needs names of its own); `services` the services that
        run (the hub runs only partners and reporting: its gateway's /health is not green)."""
        network = Network()
        network.create()
        try:
            database = start_database(network)
            cluster = start_cluster(network, nodes)
        except Exception:
            network.remove()
            raise
        stack = cls(network, cluster, database)
        stack.replicas = {s: (replicas or {}).get(s, 1) for s in SERVICES}
        try:
            stack.pgbouncer = start_pgbouncer(network)
            common = {
                "DB_PREPARED_STATEMENTS": "off",
                "MAX_WORKERS": 8,
                "DB_POOL_MAX": 6,
            }
            stack.service_env = {
                s: {
                    **common,
                    "AMQP_URI": cluster.internal_uri_of(s),
                    "DATABASE_URL": f"postgresql://{s}:{s}@pgbouncer:6432/{s}",
                    **SERVICE_DEFAULTS.get(s, {}),
                    **(service_env or {}).get(s, {}),
                }
                for s in SERVICES
            }
            for service in services:
                stack.services[service] = service_container(
                    service, network, **stack.service_env[service]
                ).start()
                for _ in range(stack.replicas[service] - 1):
                    stack.start_instance(service)
            for service in services:
                stack.wait_service(service)
            # The first platform admin, as a region's IT makes it after the first start.
            stack.bootstrap_admin()
            stack.gateway = gateway_container(
                network,
                **{
                    **GATEWAY_DEFAULTS,
                    "AMQP_URI": cluster.internal_uri_of("gateway"),
                    # A cell starts a dozen containers on what may be a small, busy machine.
                    "RPC_TIMEOUT": 20,
                    **(gateway_env or {}),
                },
            ).start()
            if set(services) == set(SERVICES):
                stack.wait_healthy(timeout=120)
            else:
                wait_for(lambda: stack.http("GET", "/alive").status_code == 200, 60, what="/alive")
        except Exception:
            stack.print_logs()
            stack.stop()
            raise
        return stack

    def instances(self, service: str) -> list[DockerContainer]:
        """Every instance of `service`, the first one started first."""
        return [self.services[service], *self.more.get(service, [])]

    def start_instance(self, service: str) -> DockerContainer:
        c = super().start_instance(service)
        self.more.setdefault(service, []).append(c)
        return c

    def logs(self, tail: int = 40) -> str:
        parts = [super().logs(tail)]
        for name, c in list(self.broker.nodes.items())[1:]:
            try:
                logs = c.get_wrapped_container().logs(tail=tail).decode(errors="replace")
                parts.append(f"----- {name} -----\n{logs}")
            except Exception as exc:  # a container that is gone has no logs to show
                parts.append(f"----- {name}: no logs ({exc!r})")
        return "\n".join(parts)

    def stop(self):
        for c in [self.pgbouncer, *list(self.broker.nodes.values())[1:]]:
            if c is not None:
                try:
                    c.stop()
                except Exception:  # already gone
                    pass
        super().stop()


def containers_of(stack: CellStack) -> list[DockerContainer]:
    """Every container of the cell, in the order they start."""
    services = [c for s in stack.services for c in stack.instances(s)]
    return [
        stack.database.container,
        *stack.broker.nodes.values(),
        *([stack.pgbouncer] if stack.pgbouncer else []),
        *services,
        stack.gateway,
    ]


def stop_cell(stack: CellStack):
    """The whole cell goes offline (containers stopped, their data kept)."""
    for c in reversed(containers_of(stack)):
        c.get_wrapped_container().stop(timeout=20)


def start_cell(stack: CellStack):
    """The cell comes back: its data as it was, its services reconnecting."""
    for c in containers_of(stack):
        c.get_wrapped_container().start()
        if c in stack.broker.nodes.values():
            name = next(n for n, node in stack.broker.nodes.items() if node is c)
            stack.broker.wait_node(name)
    stack.database.wait_ready()
    for service in stack.services:
        stack.wait_service(service, timeout=120)
    wait_for(lambda: stack.http("GET", "/alive").status_code == 200, 90, what="/alive")
