"""A few rarely changing reads, kept for some seconds in each gateway process.

Every portal page of a network shows the network's offers or settings, which change a few
times a week; asking partners for them on every page cost an RPC each (bench/README.md,
"What the portal benchmark shows"). The gateway is no nameko service and hears no events,
so an answer is trusted for `READ_CACHE_SECONDS` (5 by default, as the principals'
AUTH_CACHE_SECONDS) and then asked again; a change made through this process drops its
answers at once (`call` in __init__.py), another process sees it when its copy expires.

Only answers that are the same for everyone allowed to read them are kept, and a page
reads them only after it has checked the reader's role in that network, so a cached answer
never reaches someone partners would have refused. A refusal is never kept.
"""

import copy
import json
import threading
import time

# (service, method) whose answers depend only on their arguments, not on who asks.
CACHEABLE = frozenset({("partners", "list_offers"), ("partners", "get_network")})


class ReadCache:
    def __init__(self, ttl: float, max_entries: int = 1024):
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def key(service: str, method: str, args: tuple) -> str:
        return json.dumps([service, method, args], sort_keys=True, default=str)

    def fetch(self, service: str, method: str, args: tuple, load):
        """The kept answer to service.method(*args), or `load()`'s (then kept)."""
        if (service, method) not in CACHEABLE:
            raise ValueError(f"{service}.{method} is not a cacheable read")
        key = self.key(service, method, args)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] >= now:
            # A copy: pages may add to what they are given.
            return copy.deepcopy(entry[1])
        answer = load()
        if self.ttl > 0:
            with self._lock:
                if len(self._entries) >= self.max_entries:
                    # A miss costs one RPC; an unbounded dict costs the process.
                    self._entries.clear()
                self._entries[key] = (now + self.ttl, copy.deepcopy(answer))
        return answer

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
