"""The "At a glance" section of bench/peers/report.py: three tables that put side by side what the
per-workload tables spread out, with the ratios the benchmark's targets are read from.

- one request at a time: client CPU µs per operation of each object-mapper workload on coodie's
  fronts and on the peers', the blocking fronts against coodie aio, Python coodie's blocking
  front against coodie's;
- many in flight (256, or the largest count measured): throughput and CPU per operation of
  coodie aio against Python coodie's asynchronous front, the Rust driver and gocqlx;
- the driver workloads: coodie's driver fronts against the Rust driver at every count.

A Python figure is the leaner of its two drivers (cassandra-driver, scylla-driver) for that cell:
the one with the lower median CPU per operation, shown with its own median throughput.
"""

from __future__ import annotations

from figures import number, ratio

ODM_WORKLOADS = ["insert", "insert_ttl", "insert_if_not_exists", "get", "find_partition",
                 "update", "save_delete", "batch10", "counter_increment"]
DRIVER_WORKLOADS = ["driver_insert", "driver_select_paged", "driver_select_unpaged"]


def _cell(summary: dict, program: str, front: str, workload: str, inflight: int) -> dict | None:
    """The medians of a front's cell; for Python, of the variant with the lower median CPU. A
    cell without a successful operation (no or zero throughput and CPU) is left out."""
    found = [cell["median"] for (p, _, f, w, n), cell in summary.items()
             if (p, f, w, n) == (program, front, workload, inflight)
             and cell["median"]["ops_per_s"] and cell["median"]["cpu_us_per_op"]]
    return min(found, key=lambda m: m["cpu_us_per_op"]) if found else None


def _get(cell: dict | None, metric: str) -> float | None:
    return cell[metric] if cell else None


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}x" if value < 10 else f"{value:.0f}x"


def _pair(cell: dict | None) -> str:
    """ops/s and CPU µs/op of a cell, as "ops / cpu"."""
    if not cell:
        return "–"
    return f"{number(cell['ops_per_s'], 0)} / {number(cell['cpu_us_per_op'])}"


def _rows(head: list[str], rows: list[list[str]]) -> list[str]:
    text = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    return text + ["| " + " | ".join(row) + " |" for row in rows]


# The fronts of one_at_a_time's CPU columns, in order.
AT_ONE = [("coodie", "sync"), ("coodie", "sync-caller"), ("coodie", "aio"), ("rust", "driver"),
          ("go", "gocqlx"), ("python", "coodie-sync"), ("python", "coodie-async"),
          ("python", "cqlengine")]


def one_at_a_time(summary: dict) -> list[str]:
    """Client CPU per operation of every object-mapper workload at one in flight."""
    rows = []
    for w in ODM_WORKLOADS:
        cpu = [_get(_cell(summary, program, front, w, 1), "cpu_us_per_op")
               for program, front in AT_ONE]
        if all(v is None for v in cpu):
            continue
        sync, caller, aio, py_sync = cpu[0], cpu[1], cpu[2], cpu[5]
        figures = [number(v) for v in cpu]
        rows.append([w, *figures[:3], _times(ratio(sync, aio)), _times(ratio(caller, aio)),
                     *figures[3:], _times(ratio(py_sync, sync)), _times(ratio(py_sync, caller))])
    if not rows:
        return []
    head = ["workload", "coodie sync", "coodie sync-caller", "coodie aio", "sync ÷ aio",
            "sync-caller ÷ aio", "rust driver", "go gocqlx", "Python coodie sync",
            "Python coodie async", "cqlengine", "Python coodie sync ÷ coodie sync",
            "Python coodie sync ÷ coodie sync-caller"]
    return ["### One request at a time: client CPU µs per operation", ""] + _rows(head, rows)


def in_flight(summary: dict) -> list[str]:
    """coodie aio against the asynchronous peers at 256 in flight (or the largest count)."""
    counts = sorted({key[4] for key in summary if key[3] in ODM_WORKLOADS and key[4] > 1})
    if not counts:
        return []
    n = 256 if 256 in counts else counts[-1]
    rows = []
    for w in ODM_WORKLOADS:
        aio, py, rust, gocqlx = (_cell(summary, p, f, w, n) for p, f in
                                 (("coodie", "aio"), ("python", "coodie-async"),
                                  ("rust", "driver"), ("go", "gocqlx")))
        if not any((aio, py, rust, gocqlx)):
            continue
        rows.append([w, _pair(aio), _pair(py),
                     _times(ratio(_get(aio, "ops_per_s"), _get(py, "ops_per_s"))),
                     _times(ratio(_get(py, "cpu_us_per_op"), _get(aio, "cpu_us_per_op"))),
                     _pair(rust), _pair(gocqlx)])
    if not rows:
        return []
    head = ["workload", "coodie aio", "Python coodie async", "coodie ÷ Python ops/s",
            "Python ÷ coodie CPU", "rust driver", "go gocqlx"]
    return [f"### {n} in flight: ops/s / client CPU µs per operation", ""] + _rows(head, rows)


def _both(ratios: list[float | None], caller_ran: bool) -> str:
    """The driver front's ratio, then the driver-caller front's where it ran ("–" for a missing
    one, so that a figure never reads as the other front's)."""
    return " / ".join(number(v, 2) for v in (ratios if caller_ran else ratios[:1]))


def against_rust(summary: dict) -> list[str]:
    """coodie's driver and driver-caller fronts against the Rust driver, every driver workload at
    every in-flight count."""
    rows = []
    for w in DRIVER_WORKLOADS:
        for n in sorted({key[4] for key in summary if key[3] == w}):
            rust = _cell(summary, "rust", "driver", w, n)
            mine = [_cell(summary, "coodie", f, w, n) for f in ("driver", "driver-caller")]
            if not rust or not any(mine):
                continue
            ops = [ratio(_get(c, "ops_per_s"), rust["ops_per_s"]) for c in mine]
            cpu = [ratio(_get(c, "cpu_us_per_op"), rust["cpu_us_per_op"]) for c in mine]
            rows.append([w, str(n), _pair(mine[0]), _pair(mine[1]), _pair(rust),
                         _both(ops, mine[1] is not None), _both(cpu, mine[1] is not None)])
    if not rows:
        return []
    head = ["workload", "in flight", "coodie driver", "coodie driver-caller", "rust driver",
            "coodie ÷ rust ops/s", "coodie ÷ rust CPU"]
    return (["### The driver against the Rust driver: ops/s / client CPU µs per operation", "",
             "The ratios: coodie driver, then coodie driver-caller where it ran (one at a time).",
             ""] + _rows(head, rows))


def glance(summary: dict) -> list[str]:
    """The section, or nothing when no table has a row."""
    parts = [t for t in (one_at_a_time(summary), in_flight(summary), against_rust(summary)) if t]
    if not parts:
        return []
    text = ["## At a glance", "",
            "Medians over the runs, from the tables below. A Python figure is the leaner of its "
            "two drivers for that cell. `a ÷ b` divides a's figure by b's."]
    for part in parts:
        text += [""] + part
    return text
