"""The protocol's measurement: warm-up, measured window, per-operation latencies, CPU and RSS.

Four drivers of work, one per kind of front:
- `blocking`: one operation at a time, `op(n)` returns when the operation is done;
- `on_asyncio`: `inflight` asyncio tasks, each awaiting `op(n)` in a loop;
- `on_callbacks`: `inflight` chains of driver callbacks, `start(n, done)` calls `done(error)` at the end;
- `scan` / `scan_async`: one pass over an iterator of rows (the `iterate` workload).

The warm-up's operations have all completed when the window opens; an operation belongs to the
window when it starts inside it, and the window closes when the last such operation has completed, so
`wall_s` includes draining what is in flight.
"""

import asyncio
import itertools
import math
import os
import resource
import sys
import threading
import time
from array import array

clock = time.perf_counter_ns


def rss_kib():
    """Resident set now: /proc/self/statm's second field (pages) in KiB."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") // 1024


def cpu_seconds():
    """User + system CPU time of the whole process (every thread)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Window:
    """The measured time: RSS just before it, and the wall and CPU time across it."""

    def begin(self):
        self.rss_start_kib = rss_kib()
        self._cpu = cpu_seconds()
        self._start = clock()

    def end(self):
        self.wall_s = (clock() - self._start) / 1e9
        self.cpu_s = cpu_seconds() - self._cpu
        self.rss_peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux


class Tally:
    """Latencies (ns) of the measured operations that succeeded, and the count of those that failed."""

    def __init__(self):
        self.latencies = array("q")
        self.errors = 0
        self._reported = False

    def record(self, nanoseconds):
        self.latencies.append(nanoseconds)

    def fail(self, error, measured=True):
        if measured:
            self.errors += 1
        if not self._reported:  # the first error tells why; the count tells how often
            self._reported = True
            print(f"python: operation failed: {type(error).__name__}: {error}", file=sys.stderr)


def summary(tally, window, ops=None):
    """The measured fields of the JSON line (a run without a successful operation shows 0 for the
    figures that would divide by zero; its `errors` tells why). `ops` replaces the count of
    latencies where one latency covers several operations (a page of rows)."""
    ordered = sorted(tally.latencies)
    timed = len(ordered)
    ops = timed if ops is None else ops

    def percentile(p):  # nearest rank
        return round(ordered[max(0, math.ceil(p / 100 * timed) - 1)] / 1000, 1) if timed else 0.0

    return {
        "ops": ops,
        "errors": tally.errors,
        "wall_s": round(window.wall_s, 3),
        "ops_per_s": round(ops / window.wall_s, 1) if window.wall_s > 0 else 0.0,
        "p50_us": percentile(50),
        "p99_us": percentile(99),
        "cpu_us_per_op": round(window.cpu_s * 1e6 / ops, 2) if ops else 0.0,
        "rss_start_kib": window.rss_start_kib,
        "rss_peak_kib": window.rss_peak_kib,
    }


def blocking(op, warmup, seconds):
    tally, window = Tally(), Window()
    n = 0
    end = clock() + int(warmup * 1e9)
    while clock() < end:
        try:
            op(n)
        except Exception as error:
            tally.fail(error, measured=False)
        n += 1
    window.begin()
    end = clock() + int(seconds * 1e9)
    while True:
        start = clock()
        if start >= end:
            break
        try:
            op(n)
        except Exception as error:
            tally.fail(error)
        else:
            tally.record(clock() - start)
        n += 1
    window.end()
    return summary(tally, window)


async def on_asyncio(op, inflight, warmup, seconds):
    """The warm-up's operations all complete before the window opens, so that none of their CPU
    lands in it (as the C++ and Rust programs do)."""
    tally, window = Tally(), Window()
    sequence = itertools.count()
    await _tasks(op, inflight, warmup, sequence, tally, measured=False)
    window.begin()
    await _tasks(op, inflight, seconds, sequence, tally, measured=True)
    window.end()
    return summary(tally, window)


async def _tasks(op, inflight, seconds, sequence, tally, measured):
    """`inflight` tasks, each awaiting op(n) in a loop until `seconds` are up; returns when all are
    done."""
    running = True

    async def worker():
        while running:
            n = next(sequence)
            start = clock()
            try:
                await op(n)
            except Exception as error:
                tally.fail(error, measured)
                await asyncio.sleep(0)  # an operation that fails before it waits must not starve the loop
            else:
                if measured:
                    tally.record(clock() - start)

    workers = [asyncio.create_task(worker()) for _ in range(inflight)]
    await asyncio.sleep(seconds)
    running = False
    await asyncio.gather(*workers)


def on_callbacks(start_op, inflight, warmup, seconds):
    """`inflight` chains of callbacks (_chains), for the warm-up and then for the window; the
    warm-up's chains all end before the window opens."""
    tally, window = Tally(), Window()
    sequence = itertools.count()  # next() on it is atomic under the GIL
    _chains(start_op, inflight, warmup, sequence, tally, measured=False)
    window.begin()
    _chains(start_op, inflight, seconds, sequence, tally, measured=True)
    window.end()
    return summary(tally, window)


def _chains(start_op, inflight, seconds, sequence, tally, measured):
    """`inflight` chains: each completion (on the driver's event-loop thread) starts the next
    operation of its chain until `seconds` are up; returns when every chain has ended."""
    stop = False
    lock = threading.Lock()
    running = inflight
    drained = threading.Event()
    # An operation that completes at once (a future already done, an error raised) calls done() inside
    # start_op(); launch() then only counts the request and its caller's loop issues it, so such
    # completions never nest deeper.
    local = threading.local()

    def issue():
        n = next(sequence)
        start = clock()

        def done(error):
            nonlocal running
            if error is None:
                if measured:
                    tally.record(clock() - start)
            else:
                tally.fail(error, measured)
            if not stop:
                launch()
                return
            with lock:
                running -= 1
                if running == 0:
                    drained.set()

        try:
            start_op(n, done)
        except Exception as error:
            done(error)

    def launch():
        if getattr(local, "launching", False):
            local.pending += 1
            return
        local.launching, local.pending = True, 1
        try:
            while local.pending:
                local.pending -= 1
                issue()
        finally:
            local.launching = False

    def start_chains():
        for _ in range(inflight):
            launch()

    # The chains start on a thread of their own: operations that complete at once run their chain
    # on the thread that started it, and that must not be this one, which keeps the time.
    starter = threading.Thread(target=start_chains, name="chains")
    starter.start()
    time.sleep(seconds)
    stop = True
    drained.wait()
    starter.join()


# iterate's page size: its latencies are per page, as every peer program counts them.
PAGE_ROWS = 5000


class _Scan:
    """What a measured pass over iterate_rows keeps: the rows, the sums that keep each row's
    decoding observable (and let a reader check the table), and one latency per page of
    PAGE_ROWS rows, from the previous page's last row to this page's last row."""

    def __init__(self):
        self.tally, self.window = Tally(), Window()
        self.rows = self.total_c = self.total_length = 0

    def begin(self):
        self.window.begin()
        self._previous = clock()

    def row(self, row):
        self.total_c += row.c
        self.total_length += len(row.v)
        self.rows += 1
        if self.rows % PAGE_ROWS == 0:
            now = clock()
            self.tally.record(now - self._previous)
            self._previous = now

    def end(self):
        if self.rows % PAGE_ROWS:
            self.tally.record(clock() - self._previous)
        self.window.end()
        print(f"python: iterate read {self.rows} rows, sum(c) = {self.total_c}, "
              f"sum(len(v)) = {self.total_length}", file=sys.stderr)
        return summary(self.tally, self.window, ops=self.rows)


def scan(rows, warmup, warm_rows=None):
    """`rows()` starts a new pass over the table. The warm-up reads from a first pass for `warmup`
    seconds and drops it; the measured pass reads everything (_Scan). `warm_rows` replaces `rows`
    for the warm-up of a library that reads the whole result before handing out its first row."""
    end = clock() + int(warmup * 1e9)
    for _ in (warm_rows or rows)():
        if clock() >= end:
            break
    measured = _Scan()
    measured.begin()
    try:
        for row in rows():
            measured.row(row)
    except Exception as error:  # counted, as the other programs do: the pass ends there
        measured.tally.fail(error)
    return measured.end()


async def scan_async(rows, warmup):
    """`scan` over an asynchronous iterator."""
    end = clock() + int(warmup * 1e9)
    warm = rows()
    async for _ in warm:
        if clock() >= end:
            break
    await warm.aclose()
    measured = _Scan()
    measured.begin()
    try:
        async for row in rows():
            measured.row(row)
    except Exception as error:
        measured.tally.fail(error)
    return measured.end()
