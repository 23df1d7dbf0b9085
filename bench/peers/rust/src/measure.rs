//! The measured window and the protocol's JSON line: CPU from getrusage(RUSAGE_SELF), the
//! resident set from /proc/self/statm and ru_maxrss, latency percentiles by nearest rank.

use std::fs;
use std::time::{Duration, Instant};

/// User + system CPU time of the whole process (every thread) and its peak resident set in KiB.
fn rusage() -> (Duration, u64) {
    // SAFETY: getrusage only writes the struct it is given; all-zero is a valid rusage.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    // On Linux ru_maxrss is in KiB.
    (
        time(usage.ru_utime) + time(usage.ru_stime),
        usage.ru_maxrss as u64,
    )
}

/// The resident set now, in KiB: statm's second field (pages) times the page size.
fn rss_now_kib() -> u64 {
    let pages = fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|statm| statm.split_whitespace().nth(1)?.parse::<u64>().ok())
        .unwrap_or(0);
    // SAFETY: sysconf has no preconditions.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as u64;
    pages * page_size / 1024
}

/// The measured time, opened just before its first operation starts.
pub struct Window {
    rss_start_kib: u64,
    cpu_start: Duration,
    started: Instant,
}

impl Window {
    pub fn open() -> Self {
        let rss_start_kib = rss_now_kib();
        let (cpu_start, _) = rusage();
        Window {
            rss_start_kib,
            cpu_start,
            started: Instant::now(),
        }
    }

    pub fn started(&self) -> Instant {
        self.started
    }

    /// Closes the window once its last operation completed.
    pub fn close(self, ops: u64, errors: u64, mut latencies_ns: Vec<u64>) -> Report {
        let wall = self.started.elapsed();
        let (cpu_end, rss_peak_kib) = rusage();
        latencies_ns.sort_unstable();
        Report {
            ops,
            errors,
            wall,
            cpu: cpu_end.saturating_sub(self.cpu_start),
            p50_us: percentile_us(&latencies_ns, 50.0),
            p99_us: percentile_us(&latencies_ns, 99.0),
            rss_start_kib: self.rss_start_kib,
            rss_peak_kib,
        }
    }
}

/// The p-th percentile of sorted latencies by nearest rank, in microseconds.
fn percentile_us(sorted_ns: &[u64], p: f64) -> Option<f64> {
    if sorted_ns.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted_ns.len() as f64).ceil().max(1.0) as usize;
    Some(sorted_ns[rank - 1] as f64 / 1000.0)
}

pub struct Report {
    ops: u64,
    errors: u64,
    wall: Duration,
    cpu: Duration,
    p50_us: Option<f64>,
    p99_us: Option<f64>,
    rss_start_kib: u64,
    rss_peak_kib: u64,
}

/// A number with `decimals` decimals (latencies keep nanoseconds), or 0 when there is none (no
/// operation completed: the protocol's zero).
fn number(value: Option<f64>, decimals: usize) -> String {
    match value {
        Some(v) if v.is_finite() => format!("{v:.decimals$}"),
        _ => format!("{:.decimals$}", 0.0),
    }
}

impl Report {
    /// The protocol's JSON line. The strings are the program's own names: none needs escaping.
    pub fn json(&self, library: &str, workload: &str, inflight: usize) -> String {
        let wall_s = self.wall.as_secs_f64();
        let per_op = |total: f64| (self.ops > 0).then(|| total / self.ops as f64);
        format!(
            concat!(
                "{{\"program\": \"rust\", \"library\": \"{}\", \"front\": \"driver\", ",
                "\"workload\": \"{}\", \"inflight\": {}, \"ops\": {}, \"errors\": {}, ",
                "\"wall_s\": {:.3}, \"ops_per_s\": {}, \"p50_us\": {}, \"p99_us\": {}, ",
                "\"cpu_us_per_op\": {}, \"rss_start_kib\": {}, \"rss_peak_kib\": {}}}"
            ),
            library,
            workload,
            inflight,
            self.ops,
            self.errors,
            wall_s,
            number(Some(self.ops as f64 / wall_s), 1),
            number(self.p50_us, 3),
            number(self.p99_us, 3),
            number(per_op(self.cpu.as_secs_f64() * 1e6), 2),
            self.rss_start_kib,
            self.rss_peak_kib,
        )
    }
}
