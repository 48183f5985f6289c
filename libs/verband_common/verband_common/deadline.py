"""The caller's deadline, carried with each RPC: work whose caller has given up is not done.

The gateway puts the moment it stops waiting for an answer (seconds since the epoch, as
text) into the RPC's context data; nameko carries context data in the message headers, and
on to any RPC a service makes in turn. A service refuses a request that arrives after it
(rpc.SurvivingRpc) and checks it again just before a transaction commits (db.Session), so
a write is never applied after its caller answered the user that it failed.

The machines' clocks are assumed to agree to well within DEADLINE_MARGIN (NTP, or one host).
The margin also leaves the answer time to travel back before the caller stops waiting.
"""

import time

from verband_common.errors import DeadlineExceeded

CONTEXT_KEY = "deadline"
MARGIN = 0.25  # seconds


def stamp(timeout: float, now: float | None = None) -> str:
    """The context value for a call whose caller waits `timeout` seconds from now."""
    return f"{(time.time() if now is None else now) + timeout:.3f}"


def of(context_data: dict) -> float | None:
    value = context_data.get(CONTEXT_KEY)
    if value in (None, ""):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None  # a caller's garbage is no deadline; the RPC's expiry still bounds it


def check(context_data: dict, what: str = "request") -> None:
    """Raise DeadlineExceeded when the caller has given up (or is about to)."""
    deadline = of(context_data)
    if deadline is not None and time.time() > deadline - MARGIN:
        raise DeadlineExceeded(
            "De aanvraag kwam te laat aan; er is niets gewijzigd. Probeer opnieuw.",
            {"_deadline": [f"{what} past its caller's deadline"]},
        )
