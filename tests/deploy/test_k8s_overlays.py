"""The Kubernetes overlays: every region's overlay renders (kubectl kustomize), each resource is
valid against the Kubernetes schemas (kubernetes-validate, offline, strict), and the cell keeps
the promises deploy/k8s/README.md makes: probes, limits, security contexts, disruption budgets,
a default-deny network with only the gateway open, Secrets referenced and never committed."""

import pathlib
import subprocess
import urllib.parse

import kubernetes_validate
import pytest
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
OVERLAYS = ROOT / "deploy" / "k8s" / "overlays"
REGIONS = ("meetjesland-deinze", "asse-meise-vilvoorde", "limburg", "iroj-hub")
# The Kubernetes release the schemas are checked against (the oldest one a region may run).
KUBERNETES_VERSION = "1.30.0"
# The Secrets a region creates before the first apply (deploy/k8s/README.md).
REGION_SECRETS = {
    "verband-db",
    "verband-broker",
    "verband-gateway",
    "verband-smtp",
    "verband-admin",
}
SERVICES = ("partners", "cases", "meetings", "reporting")
WORKLOADS = ("Deployment", "StatefulSet", "Job")


def render(region: str) -> list[dict]:
    out = subprocess.run(
        ["kubectl", "kustomize", str(OVERLAYS / region)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, f"overlay {region} does not render:\n{out.stderr}"
    return [doc for doc in yaml.safe_load_all(out.stdout) if doc]


@pytest.fixture(scope="module", params=REGIONS)
def cell(request):
    return request.param, render(request.param)


def by_kind(docs, kind):
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def pod_specs(docs):
    for d in docs:
        if d["kind"] in WORKLOADS:
            yield d["kind"], d["metadata"]["name"], d["spec"]["template"]["spec"]


def test_every_overlay_is_there():
    assert sorted(p.name for p in OVERLAYS.iterdir() if p.is_dir()) == sorted(REGIONS)


def test_every_resource_is_valid_against_the_kubernetes_schemas(cell):
    region, docs = cell
    assert len(docs) > 30
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{region}: {doc['kind']}/{doc['metadata']['name']}: {exc.message}")


def test_the_validator_rejects_a_field_kubernetes_does_not_know():
    # Guards the test above: a misspelt field must fail, not pass silently.
    deployment = by_kind(render("limburg"), "Deployment")["cases"]
    deployment["spec"]["replica"] = 3
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


def test_everything_lives_in_the_regions_namespace(cell):
    region, docs = cell
    namespace = f"verband-{region}"
    assert by_kind(docs, "Namespace")[namespace]["metadata"]["labels"][
        "pod-security.kubernetes.io/enforce"
    ] == ("restricted")
    for doc in docs:
        if doc["kind"] != "Namespace":
            assert doc["metadata"].get("namespace") == namespace, doc["metadata"]["name"]


def test_no_secret_is_committed_and_each_referenced_one_is_documented(cell):
    region, docs = cell
    assert not by_kind(docs, "Secret"), "a Secret with values in the repository"
    referenced = set()
    for _, _, spec in pod_specs(docs):
        for volume in spec.get("volumes", []):
            if "secret" in volume:
                referenced.add(volume["secret"]["secretName"])
        for container in spec.get("initContainers", []) + spec["containers"]:
            for env in container.get("env", []):
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    referenced.add(ref["name"])
            assert "value" not in str(container.get("envFrom", "")), "secret values inline"
    assert referenced <= REGION_SECRETS, referenced - REGION_SECRETS
    assert {"verband-db", "verband-broker"} <= referenced


def test_each_service_has_its_own_broker_user_and_database_login(cell):
    region, docs = cell
    deployments = by_kind(docs, "Deployment")
    running = [s for s in SERVICES if s in deployments]
    for svc in running:
        env = {
            e["name"]: e
            for e in deployments[svc]["spec"]["template"]["spec"]["containers"][0]["env"]
        }
        assert env["AMQP_PASSWORD"]["valueFrom"]["secretKeyRef"] == {
            "name": "verband-broker",
            "key": f"{svc}-password",
        }
        assert env["AMQP_URI"]["value"].startswith(f"amqp://{svc}:$(AMQP_PASSWORD)@rabbitmq:")
        assert env["DB_PASSWORD"]["valueFrom"]["secretKeyRef"]["key"] == f"{svc}-password"
        # Through PgBouncer (transaction pooling), never straight to PostgreSQL.
        assert f"@pgbouncer:6432/{svc}" in env["DATABASE_URL"]["value"]
        assert env["DB_PREPARED_STATEMENTS"]["value"] == "off"
    if region == "iroj-hub":
        assert running == ["partners", "reporting"], "the hub must hold no family data"
    else:
        assert running == list(SERVICES)


def test_every_container_has_probes_limits_and_a_locked_down_security_context(cell):
    _, docs = cell
    for kind, name, spec in pod_specs(docs):
        pod_security = spec["securityContext"]
        assert pod_security["runAsNonRoot"] is True, name
        assert pod_security["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in spec.get("initContainers", []) + spec["containers"]:
            security = container["securityContext"]
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["capabilities"]["drop"] == ["ALL"], name
            resources = container["resources"]
            assert {"cpu", "memory"} <= set(resources["requests"]), name
            assert {"cpu", "memory"} <= set(resources["limits"]), name
        if kind != "Job":
            for container in spec["containers"]:
                assert "livenessProbe" in container and "readinessProbe" in container, name


def test_services_are_probed_on_their_health_and_the_gateway_on_alive(cell):
    _, docs = cell
    deployments = by_kind(docs, "Deployment")
    for svc in SERVICES:
        if svc in deployments:
            container = deployments[svc]["spec"]["template"]["spec"]["containers"][0]
            for probe in ("livenessProbe", "readinessProbe"):
                assert container[probe]["exec"]["command"] == [
                    "python",
                    "-m",
                    "verband_common.healthcheck",
                    svc,
                ]
    gateway = deployments["gateway"]["spec"]["template"]["spec"]["containers"][0]
    assert gateway["livenessProbe"]["httpGet"]["path"] == "/alive"


def test_every_long_running_part_has_a_disruption_budget(cell):
    _, docs = cell
    budgets = {
        tuple(sorted(p["spec"]["selector"]["matchLabels"].items()))
        for p in by_kind(docs, "PodDisruptionBudget").values()
    }
    for d in docs:
        if d["kind"] == "Deployment" or (d["kind"] == "StatefulSet" and d["spec"]["replicas"] > 1):
            selector = tuple(sorted(d["spec"]["selector"]["matchLabels"].items()))
            assert selector in budgets, f"{d['kind']}/{d['metadata']['name']} has no PDB"


def test_the_broker_is_a_three_node_cluster_with_quorum_queues(cell):
    _, docs = cell
    broker = by_kind(docs, "StatefulSet")["rabbitmq"]
    assert broker["spec"]["replicas"] == 3
    config = next(c for n, c in by_kind(docs, "ConfigMap").items() if n.startswith("rabbitmq-"))
    assert "rabbit_peer_discovery_k8s" in config["data"]["rabbitmq.conf"]
    assert "rabbitmq_prometheus" in config["data"]["enabled_plugins"]
    assert '"default_queue_type": "quorum"' in config["data"]["definitions.json"]
    assert by_kind(docs, "PodDisruptionBudget")["rabbitmq"]["spec"]["maxUnavailable"] == 1
    assert by_kind(docs, "StatefulSet")["postgres"]["spec"]["replicas"] == 1
    assert "pgbouncer" in by_kind(docs, "Deployment")


def test_only_the_gateway_can_be_reached_from_outside(cell):
    _, docs = cell
    policies = by_kind(docs, "NetworkPolicy")
    deny = policies["default-deny"]["spec"]
    assert deny["podSelector"] == {} and set(deny["policyTypes"]) == {"Ingress", "Egress"}
    assert "ingress" not in deny and "egress" not in deny
    for name, policy in policies.items():
        for rule in policy["spec"].get("ingress", []):
            if "from" not in rule:  # open to every source
                assert policy["spec"]["podSelector"] == {
                    "matchLabels": {"app.kubernetes.io/component": "gateway"}
                }, f"{name} opens more than the gateway"
                assert [p["port"] for p in rule["ports"]] == [8000], name
    ingress = by_kind(docs, "Ingress")["gateway"]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "gateway", "port": {"name": "http"}}
    # The metrics port is not behind the Ingress: the gateway Service has only HTTP.
    assert [p["name"] for p in by_kind(docs, "Service")["gateway"]["spec"]["ports"]] == ["http"]


def test_scaling_is_one_setting_per_service_in_each_overlay(cell):
    region, docs = cell
    overlay = yaml.safe_load((OVERLAYS / region / "kustomization.yaml").read_text())
    counts = {r["name"]: r["count"] for r in overlay["replicas"]}
    deployments = by_kind(docs, "Deployment")
    for name, count in counts.items():
        assert deployments[name]["spec"]["replicas"] == count
    assert set(counts) == set(deployments) - {"pgbouncer"}


def settings(path: pathlib.Path) -> dict:
    return dict(
        line.split("=", 1)
        for line in path.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )


def test_each_overlay_says_what_the_regions_settings_file_says(cell):
    # One place per region: the compose cell's deploy/regions/REGION.env. The overlay's
    # cell.env and replica counts must not drift from it.
    region, docs = cell
    regional = settings(ROOT / "deploy" / "regions" / f"{region}.env")
    overlay = settings(OVERLAYS / region / "cell.env")
    shared = set(overlay) & set(regional)
    assert {"PUBLIC_URL", "OIDC_ISSUER", "SMTP_HOST", "MAIL_FROM"} <= shared
    for key in shared:
        assert overlay[key] == regional[key], f"{region}: {key}"
    host = urllib.parse.urlsplit(regional["PUBLIC_URL"]).hostname
    assert by_kind(docs, "Ingress")["gateway"]["spec"]["rules"][0]["host"] == host
    deployments = by_kind(docs, "Deployment")
    for part in (*SERVICES, "gateway"):
        count = int(regional[f"{part.upper()}_REPLICAS"])
        replicas = deployments[part]["spec"]["replicas"] if part in deployments else 0
        assert replicas == count, f"{region}: {part} runs {replicas}, the region says {count}"
