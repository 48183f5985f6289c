"""The feed from a region's cell to the IROJ hub, carried by RabbitMQ's own shovel.

In a cell, the reporting service's `report_published` events (a published report as IROJ
reads it: no personal data, see contracts/reporting.py) are also routed into the durable
quorum queue `iroj.feed`, declared by the reporting service at start when IROJ_FEED is on,
so that nothing published is missed even before the shovel exists. A dynamic shovel on the
cell's broker moves that queue's messages to the hub broker's `reporting.events` exchange,
acking each at the cell only once the hub confirmed it (`on-confirm`): while the hub or the
link is down the messages wait in the queue, and flow when it is back. A message may cross
twice (a link lost between the hub's confirm and the cell's ack); the hub's inbox keeps it
once.

    printf '%s\n%s\n' "$PASSWORD" "amqp://feed:secret@hub:5672/%2F" |
        python -m verband_common.iroj_feed --management http://rabbitmq-1:15672 --user verband

defines (or redefines) the shovel `iroj-feed` through the cell broker's management API
(`make cell` does it when the region's settings name a hub).
"""

import argparse
import sys
from urllib.parse import quote

from kombu import Exchange
from nameko.extensions import DependencyProvider

from verband_common import config
from verband_common.queues import durable_queue

FEED_QUEUE = "iroj.feed"
SHOVEL = "iroj-feed"
# What crosses to the hub: the reporting service's events of these types.
# Not the report-back after each meeting (meetings' iroj_report_back_recorded): IROJ viewers
# read it in their region's cell, where they hold their role, at once; and answering a
# signal in it has to reach that cell's meetings service, which a one-way feed cannot carry.
# Its signals reach the hub anyway, within the next published report.
FED_EVENTS = ("report_published",)


def feed_queues() -> list:
    exchange = Exchange("reporting.events", type="topic", durable=True, auto_delete=False)
    return [
        durable_queue(FEED_QUEUE, exchange=exchange, routing_key=event_type)
        for event_type in FED_EVENTS
    ]


def shovel_definition(hub_uri: str) -> dict:
    """The dynamic shovel, as RabbitMQ's runtime parameter `shovel` takes it."""
    return {
        "src-protocol": "amqp091",
        "src-uri": "amqp://",  # this broker, the cluster node the shovel runs on
        "src-queue": FEED_QUEUE,
        "dest-protocol": "amqp091",
        "dest-uri": hub_uri,
        "dest-exchange": "reporting.events",  # the routing key (event type) is kept
        "ack-mode": "on-confirm",
        "src-delete-after": "never",
        "reconnect-delay": 5,
        # x-shovelled: which cell and shovel a message came through, for the hub's operator.
        "dest-add-forward-headers": True,
    }


class IrojFeed(DependencyProvider):
    """Declares `iroj.feed` and its bindings at start when IROJ_FEED is on (a region's
    cell); off in the hub and in a stack that feeds no hub."""

    def setup(self):
        setting = self.container.config.get("IROJ_FEED") or config.env("IROJ_FEED", "off")
        self.enabled = str(setting).lower() in ("on", "true", "1", "yes")

    def start(self):
        if not self.enabled:
            return
        from kombu import Connection

        with Connection(self.container.config["AMQP_URI"], connect_timeout=10) as conn:
            channel = conn.channel()
            for queue in feed_queues():
                queue(channel).declare()


def configure(management_url: str, user: str, password: str, hub_uri: str, vhost: str = "/"):
    import requests

    r = requests.put(
        f"{management_url.rstrip('/')}/api/parameters/shovel/{quote(vhost, safe='')}/{SHOVEL}",
        json={"value": shovel_definition(hub_uri)},
        auth=(user, password),
        timeout=15,
    )
    r.raise_for_status()


def main(argv=None, stdin=None) -> int:
    p = argparse.ArgumentParser(description="define the shovel from this cell to the IROJ hub")
    p.add_argument("--management", required=True, help="the cell broker's management API")
    p.add_argument("--user", required=True, help="a broker administrator of the cell")
    args = p.parse_args(argv)
    # Secrets on standard input, never on a command line: the administrator's password on
    # the first line, the hub's AMQP URI (with the feed's credentials) on the second.
    lines = (stdin or sys.stdin).read().splitlines()
    if len(lines) < 2 or not lines[0] or not lines[1]:
        print("iroj_feed: give the password and the hub's URI on two lines", file=sys.stderr)
        return 2
    configure(args.management, args.user, lines[0], lines[1])
    print(f"shovel {SHOVEL}: {FEED_QUEUE} -> the IROJ hub's reporting.events")
    return 0


if __name__ == "__main__":
    sys.exit(main())
