"""`make bench`: Verband's benchmarks, each beside a baseline measured in the same run.

Starts the real stack in containers (RabbitMQ, PostgreSQL, the four service images, the
gateway image; tests/support/verband_testkit), runs every benchmark against it, prints one
line per benchmark with both figures and their ratio, then a summary, and removes the
containers. Exits non-zero only if a benchmark could not run; a missed aim is reported,
not failed: absolute figures depend on the machine and on whatever else it is doing.

Options (or the environment variable in brackets):
  --only NAME       pipeline, gateway, waiting_list, portal, reporting or scale (BENCH_ONLY)
  --events N        events per pipeline round (BENCH_EVENTS, default 5000)
  --rounds N        pipeline rounds, each baseline then pipeline (BENCH_ROUNDS, default 2)
  --networks N      networks the events spread over (BENCH_NETWORKS, default 20)
  --calls N         sequential calls per latency probe (BENCH_CALLS, default 500)
  --families N      families on the benchmarked waiting list (BENCH_FAMILIES, default 10000)
  --users N         concurrent signed-in portal users (BENCH_USERS, default 50)
  --seconds N       seconds of load per portal page (BENCH_SECONDS, default 15)
  --history-families N  families in reporting's synthetic history (BENCH_HISTORY_FAMILIES,
                    default 100000: 16 networks x 5 years, about 1.9 million events)
  --scale-events N  events per scale-out pipeline measurement (BENCH_SCALE_EVENTS, 3000)
"""

import argparse
import os
import signal
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "libs/verband_common"), str(ROOT / "tests/support")]
os.environ.setdefault("TESTCONTAINERS_RYUK_DISABLED", "true")
os.environ.setdefault("TESTCONTAINERS_CONNECTION_MODE", "docker_host")

import logging  # noqa: E402
import warnings  # noqa: E402

warnings.filterwarnings("ignore", category=DeprecationWarning)
warnings.filterwarnings("ignore", message=r"(?s).*Eventlet is deprecated")
# amqp chatters about replies to channels being closed by the readiness probes.
logging.getLogger("amqp").setLevel(logging.ERROR)

import gateway_latency  # noqa: E402
import pipeline  # noqa: E402
import portal  # noqa: E402
import quarterly_report  # noqa: E402
import scale  # noqa: E402
import waiting_list  # noqa: E402
from common import Result  # noqa: E402

from verband_testkit import Stack, images  # noqa: E402

BENCHMARKS = ("pipeline", "gateway", "waiting_list", "portal", "reporting", "scale")


def arguments() -> argparse.Namespace:
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", choices=BENCHMARKS, default=env("BENCH_ONLY") or None)
    p.add_argument("--events", type=int, default=int(env("BENCH_EVENTS", "5000")))
    p.add_argument("--rounds", type=int, default=int(env("BENCH_ROUNDS", "2")))
    p.add_argument("--networks", type=int, default=int(env("BENCH_NETWORKS", "20")))
    p.add_argument("--calls", type=int, default=int(env("BENCH_CALLS", "500")))
    p.add_argument("--families", type=int, default=int(env("BENCH_FAMILIES", "10000")))
    p.add_argument("--users", type=int, default=int(env("BENCH_USERS", "50")))
    p.add_argument("--seconds", type=float, default=float(env("BENCH_SECONDS", "15")))
    p.add_argument(
        "--history-families", type=int, default=int(env("BENCH_HISTORY_FAMILIES", "100000"))
    )
    p.add_argument("--scale-events", type=int, default=int(env("BENCH_SCALE_EVENTS", "3000")))
    return p.parse_args()


def main() -> int:
    args = arguments()
    # A `kill` should remove the containers too, as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tag = images()["VERBAND_TAG"]
    print(
        f"bench: services run as containers (verband/<service>:{tag}, `nameko run` with the"
        f" images' default config), broker {images()['RABBITMQ_IMAGE']},"
        f" database {images()['POSTGRES_IMAGE']}; this process talks to them on loopback",
        flush=True,
    )
    started = time.monotonic()
    stack = Stack.start()
    print(f"bench: stack up in {time.monotonic() - started:.0f} s", flush=True)

    plan = {
        "pipeline": lambda: pipeline.run(
            stack, args.events, args.rounds, args.networks, warmup=min(500, args.events)
        ),
        "gateway": lambda: gateway_latency.run(stack, args.calls, warmup=100),
        "waiting_list": lambda: waiting_list.run(
            stack, args.families, min(args.calls, 200), warmup=20
        ),
        "portal": lambda: portal.run(stack, users=args.users, seconds=args.seconds),
        "reporting": lambda: quarterly_report.run(stack, families=args.history_families),
        "scale": lambda: scale.run(
            stack, events=args.scale_events, users=min(args.users, 30), seconds=args.seconds
        ),
    }
    results: list[Result] = []
    failed: list[str] = []
    try:
        for name in BENCHMARKS:
            if args.only and name != args.only:
                continue
            t0 = time.monotonic()
            try:
                result = plan[name]()
            except Exception:
                failed.append(name)
                print(f"{name}: FAILED TO RUN", flush=True)
                traceback.print_exc()
                stack.print_logs(tail=20)
                continue
            results.append(result)
            print(result.line, flush=True)
            for detail in result.details:
                print(f"    {detail}", flush=True)
            print(f"    ({time.monotonic() - t0:.0f} s)", flush=True)
    finally:
        stack.stop()

    print("\nsummary")
    for r in results:
        print(f"  {r.name:<18} ratio {r.ratio:5.2f}  aim {r.aim:<7} {'met' if r.met else 'MISSED'}")
    for name in failed:
        print(f"  {name:<18} failed to run")
    print(f"  total {time.monotonic() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
