"""The first platform admin, made once by an explicit command - never from a default value
at start-up:

    python -m partners.bootstrap --email beheer@regio.be [--name "..."] < password-file
    python -m partners.bootstrap --email beheer@regio.be --password-file /run/secrets/admin

The password is read from a file or stdin (never from the command line, which other users
of the machine can see). DATABASE_URL names the partners database; its migrations are
applied first. Running it again for the same address changes nothing; once a platform admin
exists, another address is refused: further admins are a matter for that admin.
"""

import argparse
import sys
import uuid
from pathlib import Path

import psycopg

from partners.domain import credentials
from verband_common import config
from verband_common.migrations import apply_migrations
from verband_common.schemas.partners import PASSWORD_MIN_LENGTH

MIGRATIONS = Path(__file__).with_name("migrations")


class Refused(Exception):
    pass


def make_platform_admin(database_url: str, email: str, password: str, name: str) -> bool:
    """Make the first platform admin; False if this address already is one (no change)."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise Refused(f"the password needs at least {PASSWORD_MIN_LENGTH} characters")
    if "@" not in email or any(ch in email for ch in "\r\n ") or len(email) > 320:
        raise Refused(f"not an e-mail address: {email!r}")
    with psycopg.connect(database_url, autocommit=True) as conn:
        apply_migrations(conn, "partners", MIGRATIONS)
    with psycopg.connect(database_url) as conn, conn.transaction():
        # One at a time: two bootstraps racing must not both see "no admin yet".
        conn.execute("LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE")
        row = conn.execute(
            "SELECT platform_admin FROM people WHERE lower(email) = lower(%s)", (email,)
        ).fetchone()
        if row is not None:
            if row[0]:
                return False
            raise Refused(f"{email} is a person on the platform, not a platform admin")
        if conn.execute("SELECT 1 FROM people WHERE platform_admin LIMIT 1").fetchone():
            raise Refused("a platform admin exists already: the bootstrap runs once")
        conn.execute(
            "INSERT INTO people (id, name, email, password_hash, platform_admin)"
            " VALUES (%s, %s, %s, %s, true)",
            (uuid.uuid4(), name, email, credentials.hash_password(password)),
        )
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", default="Platformbeheerder")
    parser.add_argument(
        "--password-file", default="-", help="file holding the password; - (default): stdin"
    )
    args = parser.parse_args(argv)
    if args.password_file == "-":  # noqa: S105 - the name for stdin, no password
        password = sys.stdin.read()
    else:
        password = Path(args.password_file).read_text(encoding="utf-8")
    password = password.rstrip("\r\n")
    database_url = config.env("DATABASE_URL", "postgresql://partners:partners@localhost/partners")
    try:
        made = make_platform_admin(database_url, args.email, password, args.name)
    except Refused as exc:
        print(f"bootstrap refused: {exc}", file=sys.stderr)
        return 1
    print(f"platform admin {args.email} {'made' if made else 'exists already'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
