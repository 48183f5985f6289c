"""Versioned SQL migrations, applied at service start, safe to run twice and concurrently.

Each service keeps numbered files (`0001_networks.sql`, ...) in its own folder; the shared
plumbing's own files run first. Applied versions are recorded in `schema_migrations`; an
advisory lock keeps two starting instances of one service from applying the same file.
"""

import logging
import re
import zlib
from pathlib import Path

from psycopg.rows import tuple_row

log = logging.getLogger(__name__)

PLUMBING = Path(__file__).with_name("migrations")
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    pass


def migration_files(folder: Path) -> list[Path]:
    files = []
    for path in sorted(Path(folder).iterdir()):
        if path.suffix != ".sql":
            continue
        if not _NAME.match(path.name):
            raise MigrationError(f"{path}: migration names are NNNN_lower_snake.sql")
        files.append(path)
    numbers = [p.name[:4] for p in files]
    if len(numbers) != len(set(numbers)):
        raise MigrationError(f"{folder}: two migrations share a number")
    return files


def apply_migrations(conn, namespace: str, folder: Path) -> list[str]:
    """Apply plumbing and `folder` migrations on an autocommit connection; returns what ran.

    Each file runs in its own transaction holding a transaction-scoped advisory lock, and
    checks again under the lock whether another instance applied it meanwhile. A lock held
    by the session would not do behind a pooler in transaction mode (PgBouncer): lock and
    unlock could land on different server connections and the lock would never be freed.
    """
    plan = [(f"verband_common/{p.name}", p) for p in migration_files(PLUMBING)]
    plan += [(f"{namespace}/{p.name}", p) for p in migration_files(folder)]
    lock_key = zlib.crc32(f"migrations:{namespace}".encode())
    applied_now = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
    for version, path in plan:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (lock_key,))
            # The service pool hands out dict rows; read the column by position either way.
            with conn.cursor(row_factory=tuple_row) as cur:
                cur.execute("SELECT 1 FROM schema_migrations WHERE version = %s", (version,))
                if cur.fetchone() is not None:
                    continue
            conn.execute(path.read_text())
            conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (version,))
        log.info("migration applied", extra={"migration": version})
        applied_now.append(version)
    return applied_now
