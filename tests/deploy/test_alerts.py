"""The alert rules (deploy/monitoring/alerts.yaml): the four conditions that need a person are
covered, every rule is complete, and every Verband series a rule reads is one the code exports
(a renamed metric would otherwise leave its alert silent forever)."""

import pathlib
import re

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = yaml.safe_load((ROOT / "deploy" / "monitoring" / "alerts.yaml").read_text())
METRIC_SOURCES = (
    ROOT / "libs" / "verband_common" / "verband_common" / "metrics.py",
    ROOT / "gateway" / "verband_gateway" / "metrics.py",
)


def rules():
    return [r for group in RULES["spec"]["groups"] for r in group["rules"]]


def exported_series() -> set[str]:
    names = set()
    for source in METRIC_SOURCES:
        for kind, name in re.findall(
            r'(Counter|Histogram|Gauge|GaugeMetricFamily)\(\s*"(verband_\w+)"', source.read_text()
        ):
            if kind == "Counter":
                names.add(f"{name}_total")
            elif kind == "Histogram":
                names |= {f"{name}_bucket", f"{name}_count", f"{name}_sum"}
            else:
                names.add(name)
    return names


def test_what_needs_a_person_has_an_alert():
    alerts = {r["alert"]: r for r in rules()}
    needed = {
        "VerbandOutboxNotDraining": "verband_outbox_oldest_unsent_age_seconds",
        "VerbandDeadLettersParked": "verband_dead_letters_parked",
        "VerbandBrokerNodeDown": 'up{app_kubernetes_io_name="rabbitmq"}',
        "VerbandServiceDown": "up{app_kubernetes_io_name=~",
    }
    for alert, series in needed.items():
        assert series in alerts[alert]["expr"], alert
        assert alerts[alert]["labels"]["severity"] in ("page", "ticket")


def test_every_rule_is_complete():
    for rule in rules():
        assert rule["alert"].startswith("Verband")
        assert rule["expr"].strip() and re.fullmatch(r"\d+[smh]", rule["for"]), rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"]


def test_every_verband_series_in_a_rule_is_exported_by_the_code():
    exported = exported_series()
    assert {"verband_entrypoint_calls_total", "verband_http_requests_total"} <= exported
    for rule in rules():
        for series in re.findall(r"\bverband_\w+", rule["expr"]):
            assert series in exported, f"{rule['alert']} reads {series}, which nothing exports"
