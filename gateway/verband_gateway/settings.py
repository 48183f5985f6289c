"""The gateway's configuration from the environment, checked once at start.

Production is the default mode: a forgotten variable must stop the gateway with a clear
message, not let it run with a guessable session key or drop password-reset mails.
`VERBAND_ENV=demo` or `test` relaxes that for a laptop or a test run.
"""

import datetime as dt
import logging
import os

from verband_common import config, production

log = logging.getLogger(__name__)

MODES = ("production", "demo", "test")

# Known to everyone (listed in verband_common.production.KNOWN_DEFAULTS), so only ever used
# where VERBAND_ENV says demo or test: several gunicorn workers must share one key, or a
# session made by one worker is refused by the next.
_DEMO_SECRET_KEY = "verband-demo-only-not-secret"  # noqa: S105 - deliberately public


class ConfigurationError(RuntimeError):
    """The environment is incomplete or contradictory; the message says what to set."""


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ConfigurationError(f"{name} must be true or false, got {raw!r}")


def from_env(mode: str | None = None) -> dict:
    """Flask config keys for sign-in, sessions, mail and OpenID Connect.

    `mode` overrides VERBAND_ENV (the test suite's app factory passes "test").
    """
    mode = (mode or config.env("VERBAND_ENV", "production")).lower()
    if mode not in MODES:
        raise ConfigurationError(f"VERBAND_ENV must be one of {', '.join(MODES)}, got {mode!r}")
    relaxed = mode != "production"

    try:
        secret = production.secret("SECRET_KEY") or ""
        smtp_password = production.secret("SMTP_PASSWORD") or ""
        oidc_secret = production.secret("OIDC_CLIENT_SECRET") or ""
        if not relaxed:
            # The one list of public values and the one check every process runs.
            production.check(
                {
                    "SECRET_KEY": secret,
                    "SMTP_PASSWORD": smtp_password,
                    "OIDC_CLIENT_SECRET": oidc_secret,
                    "the broker password in AMQP_URI": production.broker_password(),
                },
                mode,
            )
    except production.PublicSecret as exc:
        raise ConfigurationError(str(exc)) from None
    if not secret:
        if not relaxed:
            raise ConfigurationError(
                "SECRET_KEY is not set. The gateway signs its session cookies with it: set it "
                "to a long random value (e.g. `python -c 'import secrets; "
                "print(secrets.token_urlsafe(48))'`), the same for every gateway instance. "
                "Only VERBAND_ENV=demo or test may run without one."
            )
        log.warning("SECRET_KEY not set: using the public demo key (VERBAND_ENV=%s)", mode)
        secret = _DEMO_SECRET_KEY
    elif len(secret) < 32 and not relaxed:
        raise ConfigurationError("SECRET_KEY is too short: use at least 32 random characters.")

    smtp_host = os.environ.get("SMTP_HOST", "")
    mail_dir = os.environ.get("MAIL_DIR", "")
    if not smtp_host and not mail_dir:
        if not relaxed:
            raise ConfigurationError(
                "Neither SMTP_HOST nor MAIL_DIR is set: password-reset mails would be lost. "
                "Set SMTP_HOST (and SMTP_PORT, SMTP_USER, SMTP_PASSWORD, MAIL_FROM)."
            )
        mail_dir = os.path.join(os.environ.get("TMPDIR", "/tmp"), "verband-mail")  # noqa: S108

    public_url = os.environ.get("PUBLIC_URL", "").rstrip("/")
    if not public_url and not relaxed:
        raise ConfigurationError(
            "PUBLIC_URL is not set: the address people open Verband at "
            "(e.g. https://verband.example.be), used in the links of password-reset mails."
        )

    cookie_secure = _flag("SESSION_COOKIE_SECURE", not relaxed)
    if not relaxed and not cookie_secure and public_url.startswith("https://"):
        # Behind https the cookie must never travel over plain http (a downgraded link, a
        # captive portal): it carries the session.
        raise ConfigurationError(
            "SESSION_COOKIE_SECURE=false while PUBLIC_URL is https: the session cookie would "
            "also be sent over plain http. Leave SESSION_COOKIE_SECURE unset in production."
        )

    oidc = {
        "OIDC_ISSUER": os.environ.get("OIDC_ISSUER", ""),
        "OIDC_CLIENT_ID": os.environ.get("OIDC_CLIENT_ID", ""),
        "OIDC_CLIENT_SECRET": oidc_secret,
    }
    if any(oidc.values()) and not all(oidc.values()):
        missing = ", ".join(k for k, v in oidc.items() if not v)
        raise ConfigurationError(f"OpenID Connect is half configured: also set {missing}.")

    return {
        "VERBAND_ENV": mode,
        "SECRET_KEY": secret,
        "SESSION_COOKIE_NAME": "verband_session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Over plain http (a demo on localhost) a Secure cookie is never sent back.
        "SESSION_COOKIE_SECURE": cookie_secure,
        # The partners service ends a session after 24 h in any case.
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=24),
        "AUTH_CACHE_SECONDS": float(config.env("AUTH_CACHE_SECONDS", "5")),
        # The network's offers and settings, kept per process (readcache.py).
        "READ_CACHE_SECONDS": float(config.env("READ_CACHE_SECONDS", "5")),
        # Reset links are built from this, never from the request's Host header, which a
        # caller chooses (a forged host would mail a victim a link to the attacker's site).
        "PUBLIC_URL": public_url,
        "SMTP_HOST": smtp_host,
        "SMTP_PORT": config.env_int("SMTP_PORT", 587),
        "SMTP_USER": os.environ.get("SMTP_USER", ""),
        "SMTP_PASSWORD": smtp_password,
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        "MAIL_FROM": config.env("MAIL_FROM", "Verband <noreply@verband.invalid>"),
        "MAIL_DIR": mail_dir,
        "OIDC_ISSUER": oidc["OIDC_ISSUER"].rstrip("/"),
        "OIDC_CLIENT_ID": oidc["OIDC_CLIENT_ID"],
        "OIDC_CLIENT_SECRET": oidc["OIDC_CLIENT_SECRET"],
        "TRUSTED_PROXIES": config.env_int("TRUSTED_PROXIES", 0),
        # The public offer guide and its HSDS API: requests per client address per minute.
        "PUBLIC_RATE_LIMIT": config.env_int("PUBLIC_RATE_LIMIT", 120),
    }
