"""Container health check: `python -m verband_common.healthcheck SERVICE` exits 0 if the
service answers its health RPC (which also checks its database) within the timeout."""

import functools
import json
import sys

from nameko.standalone.rpc import ClusterRpcProxy

from verband_common import config
from verband_common.rpc import OwnedReplyListener


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 1:
        print("usage: python -m verband_common.healthcheck SERVICE", file=sys.stderr)
        return 2
    service = args[0]
    try:
        with ClusterRpcProxy(
            {"AMQP_URI": config.amqp_uri()},
            timeout=config.env_int("HEALTHCHECK_TIMEOUT", 5),
            # Its replies come to a queue the service's own broker user may read.
            reply_listener_cls=functools.partial(OwnedReplyListener, f"health-{service}"),
        ) as proxy:
            print(json.dumps(proxy[service].health()))
        return 0
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy, said plainly
        print(f"{service} is not healthy: {exc!r}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
