"""Configuration read from the environment, with defaults that work on a developer machine."""

import os

DEFAULT_AMQP_URI = "pyamqp://guest:guest@localhost:5672/"


def env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc


def amqp_uri() -> str:
    # It holds the broker password, so it may also come from a file (AMQP_URI_FILE).
    from verband_common.production import secret

    return secret("AMQP_URI", DEFAULT_AMQP_URI)
