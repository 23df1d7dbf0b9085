"""The Python peer of `make bench-peers` (see bench/peers/PROTOCOL.md).

    peer.py run --front F --workload W --inflight N --seconds S [--warmup S]

Fronts: coodie-sync, coodie-async (the Python coodie), cqlengine, driver (the raw driver), on
whichever of cassandra-driver or scylla-driver this environment holds. Prints one JSON line.
"""

import argparse
import json
import sys

from common import Unsupported

WORKLOADS = (
    "insert",
    "insert_ttl",
    "insert_if_not_exists",
    "get",
    "find_partition",
    "update",
    "save_delete",
    "batch10",
    "counter_increment",
    "driver_insert",
    "driver_select_paged",
    "driver_select_unpaged",
    "iterate",
)
FRONTS = ("coodie-sync", "coodie-async", "cqlengine", "driver")
BLOCKING_FRONTS = ("coodie-sync", "cqlengine")


def check_offered(front, workload, inflight):
    if inflight < 1:
        raise Unsupported(f"in-flight count {inflight}")
    if workload.startswith("driver_") and front != "driver":
        raise Unsupported(f"{workload} runs on the driver front only")
    if workload == "iterate" and inflight != 1:
        raise Unsupported("iterate runs one request at a time only")
    if front in BLOCKING_FRONTS and inflight != 1:
        raise Unsupported(f"{front} is a blocking API: in-flight 1 only")


def runner(front):
    """The front's run(workload, inflight, warmup, seconds) -> (library, measured fields). Imported
    late so that an unsupported request answers without loading (or connecting) anything."""
    if front == "coodie-sync":
        from front_coodie import run_sync as run
    elif front == "coodie-async":
        from front_coodie import run_async as run
    elif front == "cqlengine":
        from front_cqlengine import run
    else:
        from front_driver import run
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run one workload and print one JSON line")
    run.add_argument("--front", required=True, choices=FRONTS)
    run.add_argument("--workload", required=True, choices=WORKLOADS)
    run.add_argument("--inflight", type=int, default=1)
    run.add_argument("--seconds", type=float, required=True)
    run.add_argument("--warmup", type=float, default=0.5)
    args = parser.parse_args()

    try:
        check_offered(args.front, args.workload, args.inflight)
    except Unsupported as reason:
        print(f"python: not offered: {reason}", file=sys.stderr)
        return 3

    library, measured = runner(args.front)(args.workload, args.inflight, args.warmup, args.seconds)
    line = {
        "program": "python",
        "library": library,
        "front": args.front,
        "workload": args.workload,
        "inflight": args.inflight,
        **measured,
    }
    print(json.dumps(line), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
