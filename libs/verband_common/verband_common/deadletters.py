"""Operator's view of the dead-letter queue: list parked events, replay them.

    python -m verband_common.deadletters list [--body]
    python -m verband_common.deadletters replay (--all | --event-id ID ...)

Replaying puts a message back on the queue it was parked from, with its attempt count reset;
the consumer's inbox makes a replay of an already applied event harmless. A parked message
is acked (so removed from the dead-letter queue) only once the broker has confirmed the copy
on its queue (publisher confirms; published mandatory, so a copy whose queue no longer
exists, or that the broker refuses, is not acked and stays parked). A broker that goes away
during a replay therefore loses nothing: what was not confirmed is still parked, and running
the replay again after the broker is back puts it through (a copy confirmed but not yet
acked is replayed twice, which the inbox makes harmless). The inbox remembers an event
INBOX_RETENTION_DAYS (30): a message parked longer ago than that should be checked by hand
before it is replayed.
"""

import argparse
import json
import logging
import sys
import uuid

from kombu import Connection, Exchange

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
from verband_common.outbox import ConfirmingPublisher

log = logging.getLogger(__name__)
REPLAY_BATCH = 100  # confirms are awaited per batch; acks follow the confirms

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


class ReplayInterrupted(RuntimeError):
    """The broker went away midway: `replayed` went through, the rest is still parked."""

    def __init__(self, replayed: list[dict], cause: Exception):
        super().__init__(f"replay interrupted after {len(replayed)} message(s): {cause!r}")
        self.replayed = replayed


def replay(amqp_uri: str, event_ids: set[str] | None = None) -> list[dict]:
    """Replay all parked messages, or those whose event_id is in `event_ids`.

    Raises ReplayInterrupted when the broker goes away midway.
    """
    replayed = []
    try:
        _replay(amqp_uri, event_ids, replayed)
    except Exception as exc:
        raise ReplayInterrupted(replayed, exc) from exc
    return replayed


def _replay(amqp_uri: str, event_ids: set[str] | None, replayed: list[dict]) -> None:
    publisher = ConfirmingPublisher(amqp_uri, Exchange(""))
    with Connection(amqp_uri) as conn:
        channel = conn.channel()
        try:
            batch = []
            for message in _drain(channel):
                row = _describe(message)
                target = row["queue"]
                if not target or (event_ids is not None and row["event_id"] not in event_ids):
                    continue
                batch.append((message, row))
                if len(batch) >= REPLAY_BATCH:
                    replayed.extend(_replay_batch(publisher, batch))
                    batch = []
            replayed.extend(_replay_batch(publisher, batch))
        finally:
            publisher.close()
            try:
                channel.close()  # returns every message not acked to the queue
            except Exception as exc:  # noqa: BLE001 - a lost connection returns them too
                log.debug("dead-letter channel closed uncleanly", extra={"error": repr(exc)})


def _replay_batch(publisher: ConfirmingPublisher, batch: list) -> list[dict]:
    if not batch:
        return []
    outgoing = []
    for message, row in batch:
        headers = {k: v for k, v in (message.headers or {}).items() if k not in _DL_HEADERS}
        message_id = message.properties.get("message_id") or uuid.uuid4().hex
        properties = {
            "content_type": message.content_type or "application/octet-stream",
            "content_encoding": message.content_encoding or "binary",
        }
        outgoing.append((row["queue"], message.body, headers, message_id, properties))
    undelivered = publisher.publish(outgoing)  # once the broker confirmed or refused each
    done = []
    for (message, row), (_, _, _, message_id, _) in zip(batch, outgoing, strict=True):
        if message_id in undelivered:
            log.warning(
                "not replayed: it did not reach its queue; it stays parked",
                extra={
                    "queue": row["queue"],
                    "event_id": row["event_id"],
                    "reason": undelivered[message_id],
                },
            )
            continue
        message.ack()
        done.append(row)
    return done


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
        try:
            rows = replay(args.amqp_uri, None if args.all else set(args.event_ids))
        except ReplayInterrupted as exc:
            for row in exc.replayed:
                print(json.dumps(row, ensure_ascii=False))
            print(f"{exc}; the rest is still parked: run the replay again", file=sys.stderr)
            return 1
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        print(f"{len(rows)} message(s) replayed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
