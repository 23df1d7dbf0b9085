#!/usr/bin/env python3
"""The report of scripts/bench-peers, from what it left in DIR.

Reads DIR/results.jsonl (one JSON line of bench/peers/PROTOCOL.md per cell and run, with "run"
and, for the Python peers, "variant"), DIR/meta.json (where and how it ran) and DIR/failed.txt
(the cells that failed), takes the median over the runs of each (program, variant, front,
workload, in-flight count), and writes:

- DIR/results.json: the medians, the ratios to coodie and every run's raw line;
- DIR/report.md: the header, the tables "At a glance" (glance.py), then one table per workload;
- DIR/throughput-<workload>.png and DIR/cpu-<workload>.png (against the in-flight count) and
  DIR/latency.png (p50 and p99 at one in flight), when matplotlib is installed (Debian's
  python3-matplotlib, for /usr/bin/python3); without it the report says the plots are missing.

Usage: bench/peers/report.py DIR
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from figures import number, ratio
from glance import glance

# The fronts in the order of scripts/bench-peers: (program, variant, front).
FRONTS = [("coodie", "", "sync"), ("coodie", "", "sync-caller"), ("coodie", "", "aio"),
          ("coodie", "", "driver"), ("coodie", "", "driver-caller"),
          ("rust", "", "driver"), ("go", "", "gocql"), ("go", "", "gocqlx")]
FRONTS += [("python", variant, front) for variant in ("cassandra-driver", "scylla-driver")
           for front in ("coodie-sync", "coodie-async", "cqlengine", "driver")]
WORKLOADS = ["insert", "insert_ttl", "insert_if_not_exists", "get", "find_partition", "update",
             "save_delete", "batch10", "counter_increment", "driver_insert", "driver_select_paged",
             "driver_select_unpaged", "iterate"]

# What each front is compared with: blocking fronts with coodie sync (one at a time), fronts that
# run the CQL by hand with coodie driver, the other (asynchronous object-mapper) fronts with
# coodie aio; the last two at the same in-flight count.
BLOCKING = {("coodie", "sync"), ("coodie", "sync-caller"), ("python", "coodie-sync"),
            ("python", "cqlengine")}
DRIVER_FRONTS = {"driver", "driver-caller", "gocql"}

FIELDS = ("program", "library", "front", "workload", "inflight", "ops", "errors", "ops_per_s",
          "p50_us", "p99_us", "cpu_us_per_op", "rss_start_kib", "rss_peak_kib", "run")
METRICS = ("ops_per_s", "p50_us", "p99_us", "cpu_us_per_op", "rss_growth_mib")


def label(program: str, variant: str, front: str) -> str:
    return f"{program} {front}" + (f" ({variant})" if variant else "")


def reference(program: str, front: str, inflight: int) -> tuple[str, int]:
    """The coodie front, and its in-flight count, that a front's ratios divide by."""
    if (program, front) in BLOCKING:
        return "sync", 1
    return ("driver" if front in DRIVER_FRONTS else "aio"), inflight


def order(key: tuple) -> tuple:
    """Sorts cells by workload, in-flight count, then front, in the protocol's orders."""
    program, variant, front, workload, inflight = key
    known = (program, variant, front)
    return (WORKLOADS.index(workload) if workload in WORKLOADS else len(WORKLOADS), workload,
            inflight, FRONTS.index(known) if known in FRONTS else len(FRONTS), known)


def load(path: Path) -> list[dict]:
    lines = []
    for line_no, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            line = json.loads(text)
        except ValueError as e:
            sys.exit(f"report: {path}:{line_no}: not JSON ({e})")
        missing = [f for f in FIELDS if f not in line]
        if missing:
            sys.exit(f"report: {path}:{line_no}: no {', '.join(missing)}")
        lines.append(line)
    return lines


def median_of(values) -> float | None:
    """The median of the values a run reported (a program may print null for a run without a
    successful operation); None when there are none."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def summarize(lines: list[dict]) -> dict:
    """One entry per cell: its raw lines (in run order), the medians and the error counts."""
    cells: dict[tuple, list[dict]] = {}
    for line in lines:
        key = (line["program"], line.get("variant") or "", line["front"], line["workload"],
               int(line["inflight"]))
        cells.setdefault(key, []).append(line)
    summary = {}
    for key in sorted(cells, key=order):
        runs = sorted(cells[key], key=lambda line: line["run"])
        summary[key] = {
            "libraries": sorted({line["library"] for line in runs}),
            "median": {m: median_of(value(line, m) for line in runs) for m in METRICS},
            "errors": sum(line["errors"] for line in runs),
            "runs_with_errors": sum(1 for line in runs if line["errors"]),
            "runs": runs,
        }
    for key, cell in summary.items():
        program, variant, front, workload, inflight = key
        ref_front, ref_inflight = reference(program, front, inflight)
        ref = summary.get(("coodie", "", ref_front, workload, ref_inflight))
        cell["ratios"] = ref and {
            "reference": f"coodie {ref_front}",
            "ops_per_s": ratio(cell["median"]["ops_per_s"], ref["median"]["ops_per_s"]),
            "cpu_us_per_op": ratio(cell["median"]["cpu_us_per_op"], ref["median"]["cpu_us_per_op"]),
        }
    return summary


def value(line: dict, metric: str) -> float:
    """A metric of one run; the RSS growth in MiB from the two resident sets (none when the peak
    reads below the start: the kernel keeps the two counters apart)."""
    if metric == "rss_growth_mib":
        return max(0, line["rss_peak_kib"] - line["rss_start_kib"]) / 1024
    return line[metric]


def header(meta: dict, summary: dict, runs: int) -> list[str]:
    libraries: dict[str, set] = {}
    for (program, variant, *_), cell in summary.items():
        libraries.setdefault(program + (f" ({variant})" if variant else ""), set()).update(cell["libraries"])
    memory = meta.get("memory_gib")
    machine = (f"{meta.get('cores', '?')} cores, {meta.get('cpu', 'unknown CPU')}, "
               + (f"{memory:.1f} GiB" if memory else "unknown memory"))
    text = [
        "# coodie against its peers",
        "",
        f"- commit: {meta.get('commit', 'unknown')}",
        f"- date: {meta.get('date', 'unknown')}",
        f"- machine: {machine}",
        f"- server: {meta.get('server', 'unknown')}",
    ]
    if "seconds" in meta:
        text.append(f"- measured: {runs} run{'s' if runs != 1 else ''} of every cell, {meta['seconds']:g} s each after "
                     f"{meta.get('warmup', 0.5):g} s of warm-up, the fronts interleaved; every figure "
                     f"is the median over the runs")
    text.append("- libraries:")
    text += [f"  - {name}: {', '.join(sorted(found))}" for name, found in libraries.items()]
    text += [
        "",
        "The ratios compare each row with a coodie front measured in the same runs, named in the "
        "column `vs`: `ops/s ×` is the row's operations per second divided by the reference's "
        "(above 1: faster than coodie), `CPU ×` its client CPU per operation divided by the "
        "reference's (above 1: it spends more CPU than coodie). The reference is coodie aio at "
        "the same in-flight count for the asynchronous object-mapper fronts (go gocqlx, python "
        "coodie-async), coodie sync at one in flight for the blocking fronts (python coodie-sync, "
        "cqlengine), and coodie driver at the same in-flight count for the fronts that run the "
        "CQL by hand (rust driver, go gocql, python driver).",
        "",
        "Latencies are per operation, from issue to completion; CPU is the client process's own "
        "user and system time over the measured window (getrusage), divided by the operations. "
        "For `iterate`, ops/s and CPU µs/op count rows, and `RSS growth` is the peak resident "
        "set during the read minus the resident set before it.",
    ]
    return text


def table(workload: str, cells: list[tuple[tuple, dict]], runs: int) -> list[str]:
    iterate = workload == "iterate"
    columns = ["front", "in flight", "ops/s", "p50 µs", "p99 µs", "CPU µs/op", "ops/s ×",
               "CPU ×", "vs"] + (["RSS growth MiB"] if iterate else [])
    align = ["---"] + ["---:"] * 7 + ["---"] + (["---:"] if iterate else [])
    text = [f"## {workload}", "", "| " + " | ".join(columns) + " |", "|" + "|".join(align) + "|"]
    notes = []
    for (program, variant, front, _, inflight), cell in cells:
        name = label(program, variant, front)
        median, ratios = cell["median"], cell["ratios"] or {}
        if cell["runs_with_errors"]:
            name += " ⚠"
            notes.append(f"⚠ {label(program, variant, front)}, {inflight} in flight: "
                         f"{cell['errors']} failed operations in {cell['runs_with_errors']} of "
                         f"{len(cell['runs'])} runs (not counted in ops)")
        if len(cell["runs"]) < runs:
            notes.append(f"{label(program, variant, front)}, {inflight} in flight: "
                         f"{len(cell['runs'])} of {runs} runs measured")
        row = [name, str(inflight), number(median["ops_per_s"], 0), number(median["p50_us"]),
               number(median["p99_us"]), number(median["cpu_us_per_op"]),
               number(ratios.get("ops_per_s"), 2), number(ratios.get("cpu_us_per_op"), 2),
               ratios.get("reference", "–")]
        if iterate:
            row.append(number(median["rss_growth_mib"], 1))
        text.append("| " + " | ".join(row) + " |")
    if notes:
        text += [""] + [f"- {note}" for note in notes]
    return text


def write_json(out: Path, meta: dict, summary: dict) -> None:
    cells = []
    for (program, variant, front, workload, inflight), cell in summary.items():
        cells.append({"program": program, "variant": variant or None, "front": front,
                      "workload": workload, "inflight": inflight, **cell})
    with open(out / "results.json", "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "cells": cells}, f, indent=1, ensure_ascii=False)
        f.write("\n")


# --- plots -------------------------------------------------------------------------------------

MARKERS = {"coodie": "o", "rust": "s", "go": "^", "python": "D"}
# One color per program and front; the variant of a Python front is told by dashes.
COLORS = list(dict.fromkeys((program, front) for program, _, front in FRONTS))


def style(key: tuple, colors) -> dict:
    """A front's look, the same in every plot: its color, its program's marker, and dashes and
    hollow markers for the Python fronts on scylla-driver."""
    program, variant, front = key
    index = COLORS.index((program, front)) if (program, front) in COLORS else len(COLORS)
    scylla = variant == "scylla-driver"
    return {"color": colors(index % 20), "marker": MARKERS.get(program, "x"),
            "markerfacecolor": "none" if scylla else None, "linestyle": "--" if scylla else "-",
            "label": label(*key)}


def plot(out: Path, summary: dict) -> list[str]:
    """Draws the PNGs; returns their names."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator

    colors = matplotlib.colormaps["tab20"]
    by_workload: dict[str, dict[tuple, list]] = {}
    for (program, variant, front, workload, inflight), cell in summary.items():
        by_workload.setdefault(workload, {}).setdefault((program, variant, front), []).append(
            (inflight, cell["median"]))
    written = []
    for workload, fronts in by_workload.items():
        counts = sorted({n for points in fronts.values() for n, _ in points})
        for metric, name, unit, what in (
                ("ops_per_s", "throughput", "operations per second", "throughput"),
                ("cpu_us_per_op", "cpu", "client CPU µs per operation", "client CPU per operation")):
            fig, ax = plt.subplots(figsize=(10, 6))
            if len(counts) > 1:
                for key, points in fronts.items():
                    points.sort(key=lambda p: p[0])
                    ax.plot([n for n, _ in points], [m[metric] for _, m in points],
                            **style(key, colors))
                ax.set_xscale("log")
                ax.set_xticks(counts, [str(n) for n in counts])
                ax.xaxis.set_minor_locator(NullLocator())
                ax.set_xlabel("requests in flight (log scale)")
                ax.set_yscale("log")
                ax.set_ylabel(f"{unit} (log scale)")
                ax.set_title(f"{workload}: {what} by in-flight count (median over runs)")
                ax.grid(True, alpha=0.3)
                ax.legend(bbox_to_anchor=(1.02, 1), loc="upper left", fontsize="small")
            else:  # one count (iterate): a bar per front
                keys = list(fronts)
                looks = [style(key, colors) for key in keys]
                ax.barh(range(len(keys)), [fronts[k][0][1][metric] for k in keys],
                        color=[look["color"] for look in looks],
                        hatch=["//" if k[1] == "scylla-driver" else "" for k in keys])
                ax.set_yticks(range(len(keys)), [look["label"] for look in looks])
                ax.invert_yaxis()
                ax.set_xlabel(unit)
                ax.set_title(f"{workload}: {what}, {counts[0]} in flight (median over runs)")
                ax.grid(True, axis="x", alpha=0.3)
            fig.tight_layout()
            fig.savefig(out / f"{name}-{workload}.png", dpi=110)
            plt.close(fig)
            written.append(f"{name}-{workload}.png")
    written.append(latency_plot(out, summary, plt, colors))
    return written


def latency_plot(out: Path, summary: dict, plt, colors) -> str:
    """p50 (top) and p99 (bottom) at one in flight: a group of bars per workload, a bar per front."""
    at_one = {key: cell["median"] for key, cell in summary.items() if key[4] == 1}
    workloads = list(dict.fromkeys(key[3] for key in at_one))
    fronts = sorted({key[:3] for key in at_one},
                    key=lambda k: (FRONTS.index(k) if k in FRONTS else len(FRONTS), k))
    width = 0.8 / max(len(fronts), 1)
    fig, axes = plt.subplots(2, 1, figsize=(max(10, 1.2 * len(workloads) + 4), 9), sharex=True)
    for ax, metric, name in zip(axes, ("p50_us", "p99_us"), ("p50", "p99")):
        for i, key in enumerate(fronts):
            xs = [j + (i - (len(fronts) - 1) / 2) * width for j, w in enumerate(workloads)
                  if key + (w, 1) in at_one]
            ys = [at_one[key + (w, 1)][metric] for w in workloads if key + (w, 1) in at_one]
            look = style(key, colors)
            ax.bar(xs, ys, width, color=look["color"], label=look["label"],
                   hatch="//" if key[1] == "scylla-driver" else None)
        ax.set_yscale("log")
        ax.set_ylabel(f"{name} latency µs (log scale)")
        ax.set_title(f"{name} latency per operation, one request in flight (median over runs)")
        ax.grid(True, axis="y", alpha=0.3)
    axes[-1].set_xticks(range(len(workloads)), workloads, rotation=30, ha="right")
    axes[0].legend(bbox_to_anchor=(1.02, 1), loc="upper left", fontsize="small")
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)
    plt.close(fig)
    return "latency.png"


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: bench/peers/report.py DIR", file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    results = out / "results.jsonl"
    if not results.is_file():
        print(f"report: no {results}", file=sys.stderr)
        return 1
    meta_file = out / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.is_file() else {}
    summary = summarize(load(results))
    runs = meta.get("runs") or max((len(c["runs"]) for c in summary.values()), default=0)
    write_json(out, meta, summary)

    text = header(meta, summary, runs)
    try:
        plots = plot(out, summary) if summary else []
        text += ["", "Plots: " + ", ".join(f"[{p}]({p})" for p in plots) + "."]
    except ImportError:
        print("report: matplotlib not found, no plots (apt-get install python3-matplotlib)",
              file=sys.stderr)
        text += ["", "Plots: not drawn (matplotlib is not installed)."]
    at_a_glance = glance(summary)
    if at_a_glance:
        text += [""] + at_a_glance
    workloads: dict[str, list] = {}
    for key, cell in summary.items():
        workloads.setdefault(key[3], []).append((key, cell))
    for workload, cells in workloads.items():
        text += [""] + table(workload, cells, runs)
    if not summary:
        text += ["", "No cell was measured."]
    failed = out / "failed.txt"
    if failed.is_file() and failed.read_text(encoding="utf-8").strip():
        text += ["", "## Failed cells", "", "Their stderr is in logs/.", ""]
        text += [f"- {line}" for line in failed.read_text(encoding="utf-8").splitlines() if line]
    (out / "report.md").write_text("\n".join(text) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
