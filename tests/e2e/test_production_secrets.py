"""Production without public secrets: each image refuses to start with one, naming it.

Runs the images' real entrypoints (no broker or database needed: the refusal comes first).
"""

import time

import docker
import pytest

from verband_testkit import SERVICES, images

PRIVATE_BROKER = "amqp://verband:een-eigen-brokerwachtwoord-van-de-regio@rabbitmq:5672/"


def _run_until_exit(image: str, env: dict, timeout: float = 60) -> tuple[int, str]:
    client = docker.from_env()
    container = client.containers.run(image, environment=env, detach=True)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            container.reload()
            if container.status == "exited":
                code = container.attrs["State"]["ExitCode"]
                return code, container.logs().decode("utf-8", "replace")
            time.sleep(0.2)
        raise AssertionError(f"{image} still runs after {timeout} s with a public secret")
    finally:
        container.remove(force=True)


@pytest.mark.parametrize(
    "process, env, named",
    [
        *[
            (
                service,
                {
                    "AMQP_URI": PRIVATE_BROKER,
                    # docker-compose.yml's demo default database password
                    "DATABASE_URL": f"postgresql://{service}:{service}@postgres:5432/{service}",
                },
                "DATABASE_URL",
            )
            for service in SERVICES
        ],
        (
            "partners",
            {
                "AMQP_URI": "amqp://verband:verband@rabbitmq:5672/",
                "DATABASE_URL": "postgresql://partners:privaat-genoeg-wachtwoord@postgres/partners",
            },
            "AMQP_URI",
        ),
        (
            "partners",
            {
                "AMQP_URI": PRIVATE_BROKER,
                "DATABASE_URL": "postgresql://partners:privaat-genoeg-wachtwoord@postgres/partners",
                "VERBAND_ADMIN_PASSWORD": "demo-only-verband-beheer-2026",
            },
            "VERBAND_ADMIN_PASSWORD",
        ),
        (
            "gateway",
            {
                "AMQP_URI": PRIVATE_BROKER,
                "SECRET_KEY": "verband-demo-only-not-secret",
                "PUBLIC_URL": "https://verband.example.be",
                "SMTP_HOST": "smtp.example.be",
            },
            "SECRET_KEY",
        ),
        (
            "gateway",
            {
                "AMQP_URI": "amqp://verband:verband@rabbitmq:5672/",
                "SECRET_KEY": "een-lange-eigen-sessiesleutel-van-de-regio-0123456789",
                "PUBLIC_URL": "https://verband.example.be",
                "SMTP_HOST": "smtp.example.be",
            },
            "AMQP_URI",
        ),
    ],
)
def test_an_image_in_production_refuses_a_public_secret_and_names_it(process, env, named):
    image = f"verband/{process}:{images()['VERBAND_TAG']}"
    code, log = _run_until_exit(image, {"VERBAND_ENV": "production", **env})
    assert code != 0, log
    assert "not started" in log and named in log, log
