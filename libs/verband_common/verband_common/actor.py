"""Who is acting: carried from the gateway into every RPC the request causes.

The gateway signs people in and puts a reference to the acting principal into the worker
context; nameko copies it into the message headers (`nameko.actor`) exactly as it does the
correlation id. A reference is `person:<uuid>` for someone signed in, or `token:<uuid>` for
an integration's API token (scoped to one network and role). It names the actor and
nothing more: every service decides for itself, from its own data, what that actor may do
(defence in depth; the gateway checks too).
"""

import uuid
from dataclasses import dataclass

from nameko.extensions import DependencyProvider

CONTEXT_KEY = "actor"
HEADER = "nameko." + CONTEXT_KEY
KINDS = ("person", "token")


@dataclass(frozen=True)
class ActorRef:
    kind: str
    id: uuid.UUID

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"

    @classmethod
    def parse(cls, value) -> "ActorRef | None":
        """The reference in `value`, or None when it is absent or malformed."""
        if not isinstance(value, str) or ":" not in value:
            return None
        kind, _, raw = value.partition(":")
        if kind not in KINDS:
            return None
        try:
            return cls(kind, uuid.UUID(raw))
        except ValueError:
            return None


def person(person_id) -> str:
    return str(ActorRef("person", uuid.UUID(str(person_id))))


def token(token_id) -> str:
    return str(ActorRef("token", uuid.UUID(str(token_id))))


class Actor(DependencyProvider):
    """Gives an entrypoint the acting principal's reference (None: nobody signed in)."""

    def get_dependency(self, worker_ctx):
        return ActorRef.parse(worker_ctx.data.get(CONTEXT_KEY))
