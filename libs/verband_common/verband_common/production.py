"""Secrets from files or the environment, and the refusal to run in production with a public one.

Every process of the stack (four services, gateway) reads its secrets through `secret()`: a
value comes from the file named by `<NAME>_FILE` (a Docker or Kubernetes secret mounted as a
file) or else from the variable `<NAME>` itself. Outside the demo (`VERBAND_ENV=production`,
the default everywhere but docker-compose.yml's demo) a process refuses to start while any
of its secrets is one of the values written in this repository: they are public, whoever
read the code knows them. `check()` names each such secret, so that the region's IT knows
what to set.
"""

import os
import sys
from urllib.parse import unquote, urlsplit

MODES = ("production", "demo", "test")
# Modes in which the public demo and test values may be used; anything else is production.
RELAXED_MODES = ("demo", "test")

# Every default secret value the repository writes down: docker-compose.yml's demo values,
# the image defaults, the demo data and the test kits. Each is public, so none may guard a
# real deployment. Add a value here whenever the repository gains another default secret.
KNOWN_DEFAULTS = frozenset(
    {
        # broker: the images' and verband_common.config's default user, compose's demo user
        "guest",
        "verband",
        # databases and broker users: compose's and the init script's defaults (the names)
        "gateway",
        "postgres",
        "partners",
        "cases",
        "meetings",
        "reporting",
        # compose's demo platform admin, the gateway's demo session key, the demo accounts
        "demo-only-verband-beheer-2026",
        "verband-demo-only-not-secret",
        "demo-verband-2026!",
        # test kits (service tier, end to end)
        "test-only-beheerder-wachtwoord",
        "alleen-voor-tests-een-lang-wachtwoord",
    }
)


class PublicSecret(RuntimeError):
    """A secret of a production process is missing from its file or is publicly known."""


def mode() -> str:
    """VERBAND_ENV: production (the default), demo or test."""
    value = (os.environ.get("VERBAND_ENV") or "production").strip().lower()
    if value not in MODES:
        raise PublicSecret(f"VERBAND_ENV must be one of {', '.join(MODES)}, got {value!r}")
    return value


def relaxed() -> bool:
    return mode() in RELAXED_MODES


def secret(name: str, default: str | None = None) -> str | None:
    """`<NAME>_FILE`'s content when that is set, else `<NAME>`, else `default`.

    A trailing line break (as `echo` writes one into a file) is not part of the secret.
    Setting both is refused: which one wins would be a guess.
    """
    path = os.environ.get(f"{name}_FILE", "")
    value = os.environ.get(name, "")
    if path:
        if value:
            raise PublicSecret(f"Both {name} and {name}_FILE are set: set only one of them.")
        try:
            with open(path, encoding="utf-8") as f:
                return f.read().rstrip("\r\n")
        except OSError as exc:
            raise PublicSecret(f"{name}_FILE names {path!r}, which cannot be read: {exc}") from None
    return value if value else default


def url_password(url: str | None) -> str | None:
    """The password inside a connection URL (amqp://user:pass@host/, postgresql://...)."""
    if not url:
        return None
    try:
        password = urlsplit(url).password
    except ValueError:
        return None
    return unquote(password) if password is not None else None


def load_files_into_environment(names) -> None:
    """Put the content of each `<NAME>_FILE` into `<NAME>`, for programs that only read the
    environment (nameko's config.yml placeholders); run before handing over to them."""
    for name in names:
        if os.environ.get(f"{name}_FILE"):
            os.environ[name] = secret(name) or ""
            del os.environ[f"{name}_FILE"]


def public_ones(secrets: dict[str, str | None]) -> list[str]:
    """The names in `secrets` whose value is one of the repository's known defaults."""
    return [
        name for name, value in secrets.items() if value is not None and value in KNOWN_DEFAULTS
    ]


def check(secrets: dict[str, str | None], mode_: str | None = None) -> None:
    """Raise PublicSecret naming every secret with a known default value, unless demo or test.

    `secrets` maps a description a person recognises ("the broker password in AMQP_URI")
    to the value in use; `mode_` overrides VERBAND_ENV.
    """
    if (mode_ or mode()) in RELAXED_MODES:
        return
    public = public_ones(secrets)
    if public:
        raise PublicSecret(
            "VERBAND_ENV=production, but these secrets still have a default value that is "
            f"written in Verband's repository, so anyone may know it: {'; '.join(public)}. "
            "Set your own (as an environment variable or in a file named by <NAME>_FILE, see "
            "README.md, 'Secrets'), or run with VERBAND_ENV=demo on a machine of your own."
        )


# What each process holds secret, as (description, value) readers; `python -m
# verband_common.production PROCESS` checks them before the process starts.
def broker_password() -> str | None:
    """The password AMQP_URI gives; of a list of a cluster's nodes (`uri;uri;...`), a public
    one if any node's is, since each is a way in."""
    from verband_common import config

    passwords = [url_password(uri) for uri in config.amqp_uri().split(";")]
    return next((p for p in passwords if p in KNOWN_DEFAULTS), passwords[0])


def _amqp() -> dict:
    return {"the broker password in AMQP_URI": broker_password()}


def _database(service: str) -> dict:
    # Unset, a service falls back to its config.yml default, which has the public password.
    url = secret("DATABASE_URL", f"postgresql://{service}:{service}@localhost:5432/{service}")
    return {"the database password in DATABASE_URL": url_password(url)}


def process_secrets(process: str) -> dict[str, str | None]:
    """The secrets `process` (a service's name or "gateway") runs with."""
    found = _amqp()
    if process == "gateway":
        found["SECRET_KEY"] = secret("SECRET_KEY")
        found["OIDC_CLIENT_SECRET"] = secret("OIDC_CLIENT_SECRET")
        found["SMTP_PASSWORD"] = secret("SMTP_PASSWORD")
        return found
    found.update(_database(process))
    if process == "partners":
        found["VERBAND_ADMIN_PASSWORD"] = secret("VERBAND_ADMIN_PASSWORD")
    if process == "meetings":
        found["SMTP_PASSWORD"] = secret("SMTP_PASSWORD")
    return found


# The variables a process may take from files (<NAME>_FILE); the others hold no secret.
FILE_VARIABLES = (
    "AMQP_URI",
    "DATABASE_URL",
    "SECRET_KEY",
    "SMTP_PASSWORD",
    "OIDC_CLIENT_SECRET",
    "VERBAND_ADMIN_PASSWORD",
)


def main(argv=None) -> int:
    """`python -m verband_common.production PROCESS -- COMMAND...`: the images' entrypoint.

    Loads the secrets from their files into the environment, refuses a public one in
    production (exit 78, EX_CONFIG, with one line naming each), then runs COMMAND.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 3 or args[1] != "--":
        print("usage: python -m verband_common.production PROCESS -- COMMAND...", file=sys.stderr)
        return 2
    process, command = args[0], args[2:]
    try:
        check(process_secrets(process))
        load_files_into_environment(FILE_VARIABLES)
    except PublicSecret as exc:
        print(f"Verband {process} not started: {exc}", file=sys.stderr, flush=True)
        return 78
    os.execvp(command[0], command)  # noqa: S606 - the image's own command, as given
    return 0  # not reached: exec replaced this process


if __name__ == "__main__":
    sys.exit(main())
