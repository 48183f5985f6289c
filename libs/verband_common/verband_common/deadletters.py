"""Operator's view of the dead-letter queue: list parked events, replay them.

    python -m verband_common.deadletters list [--body]
    python -m verband_common.deadletters replay (--all | --event-id ID ...)

Replaying puts a message back on the queue it was parked from, with its attempt count
reset; the consumer's inbox makes a replay of an already applied event harmless.
"""

import argparse
import json
import sys

from kombu import Connection

from verband_common import config
from verband_common.consumer import (
    ATTEMPTS,
    DEAD_LETTER_QUEUE,
    DL_AT,
    DL_QUEUE,
    DL_REASON,
    DL_SERVICE,
    dead_letter_queue,
)

_DL_HEADERS = (ATTEMPTS, DL_AT, DL_QUEUE, DL_REASON, DL_SERVICE)


def _describe(message) -> dict:
    headers = message.headers or {}
    try:
        body = json.loads(message.body)
    except (TypeError, ValueError):
        body = None
    body = body if isinstance(body, dict) else {}
    return {
        "event_id": body.get("event_id"),
        "event_type": body.get("event_type"),
        "network_id": body.get("network_id"),
        "queue": headers.get(DL_QUEUE),
        "service": headers.get(DL_SERVICE),
        "attempts": headers.get(ATTEMPTS),
        "dead_lettered_at": headers.get(DL_AT),
        "reason": headers.get(DL_REASON),
    }


def _drain(channel):
    """Fetch every parked message without acking it (unacked ones return on close)."""
    queue = dead_letter_queue()(channel)
    queue.declare()
    messages = []
    while True:
        message = queue.get(no_ack=False, accept=["json", "application/json"])
        if message is None:
            return messages
        messages.append(message)


def list_parked(amqp_uri: str, with_body: bool = False) -> list[dict]:
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        try:
            rows = []
            for message in _drain(channel):
                row = _describe(message)
                if with_body:
                    try:
                        row["body"] = json.loads(message.body)
                    except ValueError:  # parked because it was not JSON at all
                        body = message.body
                        row["body"] = (
                            body.decode("utf-8", "replace") if isinstance(body, bytes) else body
                        )
                rows.append(row)
            return rows
        finally:
            channel.close()  # returns every message to the queue


def replay(amqp_uri: str, event_ids: set[str] | None = None) -> list[dict]:
    """Replay all parked messages, or those whose event_id is in `event_ids`."""
    replayed = []
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        producer = conn.Producer(channel=conn.channel())
        try:
            for message in _drain(channel):
                row = _describe(message)
                target = row["queue"]
                if not target or (event_ids is not None and row["event_id"] not in event_ids):
                    continue
                headers = {k: v for k, v in (message.headers or {}).items() if k not in _DL_HEADERS}
                producer.publish(
                    message.body,
                    exchange="",
                    routing_key=target,
                    headers=headers,
                    content_type=message.content_type,
                    content_encoding=message.content_encoding,
                    delivery_mode=2,
                    mandatory=True,
                )
                message.ack()
                replayed.append(row)
        finally:
            channel.close()
    return replayed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="deadletters", description=__doc__.splitlines()[0])
    parser.add_argument("--amqp-uri", default=config.amqp_uri())
    sub = parser.add_subparsers(dest="command", required=True)
    ls = sub.add_parser("list", help=f"list messages parked in {DEAD_LETTER_QUEUE}")
    ls.add_argument("--body", action="store_true", help="also print each event body")
    rp = sub.add_parser("replay", help="put parked messages back on their queues")
    which = rp.add_mutually_exclusive_group(required=True)
    which.add_argument("--all", action="store_true")
    which.add_argument("--event-id", action="append", dest="event_ids")
    args = parser.parse_args(argv)

    if args.command == "list":
        rows = list_parked(args.amqp_uri, args.body)
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        print(f"{len(rows)} parked message(s)", file=sys.stderr)
    else:
        rows = replay(args.amqp_uri, None if args.all else set(args.event_ids))
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        print(f"{len(rows)} message(s) replayed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
