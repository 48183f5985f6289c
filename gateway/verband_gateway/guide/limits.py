"""A per-client-address request budget for the public guide, which anyone may call without
signing in: a fixed window of one minute, counted in this gateway process.

Each gunicorn worker counts on its own, so a client gets at most workers x the limit; that
bounds scraping and accidental loops, which is all a public read-only catalogue needs."""

import threading
import time

from flask import current_app, request

from verband_common.errors import VerbandError

WINDOW_SECONDS = 60
# Beyond this many addresses in one window, the oldest window's counts are dropped first:
# a flood of spoofed addresses cannot grow the table without bound.
MAX_CLIENTS = 50_000


class RateLimited(VerbandError):
    code = "too_many_requests"
    http_status = 429


class Budget:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._window = None
        self._counts: dict[str, int] = {}

    def spend(self, client: str, limit: int) -> bool:
        """Whether `client` may make one more request in this window."""
        window = int(self._clock() // WINDOW_SECONDS)
        with self._lock:
            if window != self._window or len(self._counts) >= MAX_CLIENTS:
                self._window, self._counts = window, {}
            used = self._counts.get(client, 0) + 1
            self._counts[client] = used
        return used <= limit


def check() -> None:
    """Refuse (429, with Retry-After) a client over its budget for this minute."""
    budget = current_app.extensions.setdefault("public_budget", Budget())
    limit = current_app.config["PUBLIC_RATE_LIMIT"]
    if not budget.spend(request.remote_addr or "", limit):
        raise RateLimited(
            "Te veel verzoeken na elkaar. Probeer het over een minuut opnieuw.",
            {"_client": [f"Hoogstens {limit} verzoeken per minuut."]},
        )
