"""No production process with a secret written in the repository; secrets from files."""

import subprocess
import sys

import pytest

from verband_common import production

PRIVATE_DB = "postgresql://cases:een-eigen-wachtwoord-van-de-regio@postgres:5432/cases"
PRIVATE_BROKER = "amqp://cases:nog-een-eigen-wachtwoord@rabbitmq:5672/"


@pytest.fixture
def env(monkeypatch):
    for name in ("VERBAND_ENV", *production.FILE_VARIABLES):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(f"{name}_FILE", raising=False)
    return monkeypatch


def test_a_secret_comes_from_its_file_before_the_environment(env, tmp_path):
    path = tmp_path / "database_url"
    path.write_text(PRIVATE_DB + "\n")
    env.setenv("DATABASE_URL_FILE", str(path))
    assert production.secret("DATABASE_URL") == PRIVATE_DB
    env.setenv("DATABASE_URL", PRIVATE_DB)
    with pytest.raises(production.PublicSecret, match="only one"):
        production.secret("DATABASE_URL")


def test_an_unreadable_secret_file_is_named(env, tmp_path):
    env.setenv("SECRET_KEY_FILE", str(tmp_path / "absent"))
    with pytest.raises(production.PublicSecret, match="SECRET_KEY_FILE"):
        production.secret("SECRET_KEY")


def test_the_password_inside_a_connection_url():
    assert production.url_password("amqp://u:p%40ss@h:5672/") == "p@ss"
    assert production.url_password("amqp://h:5672/") is None
    assert production.url_password(None) is None


@pytest.mark.parametrize("process", ["partners", "cases", "meetings", "reporting", "gateway"])
def test_every_process_refuses_the_compose_defaults_in_production(env, process):
    env.setenv("AMQP_URI", "amqp://verband:verband@rabbitmq:5672/")
    env.setenv("DATABASE_URL", f"postgresql://{process}:{process}@postgres:5432/{process}")
    with pytest.raises(production.PublicSecret, match="AMQP_URI") as refused:
        production.check(production.process_secrets(process))
    if process != "gateway":
        assert "DATABASE_URL" in str(refused.value)
    env.setenv("VERBAND_ENV", "demo")
    production.check(production.process_secrets(process))


def test_every_node_of_a_cluster_list_is_checked(env):
    env.setenv("DATABASE_URL", PRIVATE_DB)
    env.setenv("AMQP_URI", f"{PRIVATE_BROKER};amqp://cases:guest@rabbitmq-2:5672/")
    with pytest.raises(production.PublicSecret, match="AMQP_URI"):
        production.check(production.process_secrets("cases"))
    env.setenv("AMQP_URI", f"{PRIVATE_BROKER};{PRIVATE_BROKER.replace('rabbitmq', 'rabbitmq-2')}")
    production.check(production.process_secrets("cases"))


def test_an_unset_secret_falls_back_to_a_public_default_and_is_refused(env):
    # No AMQP_URI, no DATABASE_URL: the service would use config.yml's guest/service defaults.
    with pytest.raises(production.PublicSecret) as refused:
        production.check(production.process_secrets("cases"))
    assert "AMQP_URI" in str(refused.value) and "DATABASE_URL" in str(refused.value)


def test_the_platform_admin_password_of_the_demo_is_refused(env):
    env.setenv("AMQP_URI", PRIVATE_BROKER)
    env.setenv("DATABASE_URL", PRIVATE_DB)
    env.setenv("VERBAND_ADMIN_PASSWORD", "demo-only-verband-beheer-2026")
    with pytest.raises(production.PublicSecret, match="VERBAND_ADMIN_PASSWORD"):
        production.check(production.process_secrets("partners"))
    env.setenv("VERBAND_ADMIN_PASSWORD", "een-echt-geheim-wachtwoord")
    production.check(production.process_secrets("partners"))


def test_an_unknown_mode_is_refused(env):
    env.setenv("VERBAND_ENV", "prod")
    with pytest.raises(production.PublicSecret, match="VERBAND_ENV"):
        production.mode()


def _entrypoint(env_vars: dict, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "verband_common.production", "cases", "--", *command],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": ":".join(sys.path), **env_vars},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_the_entrypoint_stops_with_the_secret_named_before_running_the_command():
    done = _entrypoint(
        {"AMQP_URI": "amqp://verband:verband@rabbitmq:5672/", "DATABASE_URL": PRIVATE_DB},
        "sh",
        "-c",
        "echo started",
    )
    assert done.returncode == 78
    assert "AMQP_URI" in done.stderr and "started" not in done.stdout


def test_the_entrypoint_hands_the_file_secrets_to_the_command(tmp_path):
    path = tmp_path / "amqp_uri"
    path.write_text(PRIVATE_BROKER)
    done = _entrypoint(
        {"AMQP_URI_FILE": str(path), "DATABASE_URL": PRIVATE_DB},
        "sh",
        "-c",
        'echo "$AMQP_URI|${AMQP_URI_FILE:-}"',
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == PRIVATE_BROKER + "|"
