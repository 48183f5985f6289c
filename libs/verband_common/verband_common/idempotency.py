"""Idempotency keys: a client's retry of a write gets the first answer, not a second write.

A client sends `Idempotency-Key: <key>` with a write. The gateway checks the key, takes a
fingerprint of the request (method, path, and the JSON body in a canonical form) and passes
both with every RPC the request makes, the key numbered per RPC (`<key>#1`, `#2`, ...), so
that a request making two RPCs to one method keeps their answers apart. The owning service
stores each answer under (caller, RPC, key) in the transaction of the write itself
(db.Session.idempotent): a write and its stored answer are both there or both absent. A key
sent again with another request is refused (422): it would otherwise answer for something
else. Keys are scoped per caller (the actor), so one caller cannot read another's answers.
"""

import hashlib
import json
import re

HEADER = "Idempotency-Key"
CONTEXT_KEY = "idempotency_key"
CONTEXT_FINGERPRINT = "idempotency_fingerprint"
MAX_LENGTH = 200

KEY_PATTERN = r"^[\x21-\x7e]{1,200}$"  # visible ASCII, no spaces
_KEY = re.compile(KEY_PATTERN)


def valid_key(value: str) -> bool:
    return bool(_KEY.match(value))


def fingerprint(method: str, path: str, body: bytes, json_body=None) -> str:
    """Equal for a retry of the same request; JSON compared by content, not by spelling."""
    digest = hashlib.sha256()
    digest.update(f"{method.upper()} {path}\n".encode())
    if json_body is not None:
        digest.update(
            json.dumps(json_body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
                "utf-8", "surrogatepass"
            )
        )
    else:
        digest.update(body or b"")
    return digest.hexdigest()
