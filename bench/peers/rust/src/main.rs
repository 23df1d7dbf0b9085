//! rust-peer: one cell of coodie's peer benchmarks on the `scylla` crate (the ScyllaDB Rust
//! driver) and tokio. The contract it follows is bench/peers/PROTOCOL.md:
//!
//!     rust-peer run --front driver --workload W --inflight N --seconds S [--warmup S] [--workers N]
//!
//! prints one JSON line on stdout; exit status 3 when a workload or in-flight count is not offered.

mod measure;
mod workloads;

use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use measure::{Report, Window};
use workloads::{nanos, Bench, BoxError, Workload};

const USAGE: &str = "usage: rust-peer run --front driver --workload W --inflight N \
                     --seconds S [--warmup S] [--workers N]";

/// Why the program stops without its JSON line, and with which exit status.
enum Failure {
    /// A malformed command line (2).
    Usage(String),
    /// The protocol's "not offered here" (3).
    Unsupported(String),
    /// Anything else that went wrong (1).
    Failed(String),
}

impl<E: Into<BoxError>> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure::Failed(error.into().to_string())
    }
}

struct Args {
    front: String,
    workload: String,
    inflight: usize,
    seconds: f64,
    warmup: f64,
    /// Tokio's worker threads; None keeps tokio's default (one per core).
    workers: Option<usize>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, Failure> {
    let usage = |why: &str| Failure::Usage(format!("{why}\n{USAGE}"));
    match args.next().as_deref() {
        Some("run") => {}
        Some("setup") => {
            return Err(Failure::Unsupported(
                "setup is coodie_peer's alone".to_owned(),
            ))
        }
        _ => return Err(usage("expected the command run")),
    }
    let (mut front, mut workload, mut inflight, mut seconds) = (None, None, None, None);
    let (mut warmup, mut workers) = (0.5, None);
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .ok_or_else(|| usage(&format!("{flag} needs a value")))?;
        let bad = || usage(&format!("bad value for {flag}: {value}"));
        let seconds_value = || match value.parse::<f64>() {
            Ok(s) if s.is_finite() && s >= 0.0 => Ok(s),
            _ => Err(bad()),
        };
        let count_value = || match value.parse::<usize>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(bad()),
        };
        match flag.as_str() {
            "--front" => front = Some(value.clone()),
            "--workload" => workload = Some(value.clone()),
            "--inflight" => inflight = Some(count_value()?),
            "--seconds" => seconds = Some(seconds_value()?),
            "--warmup" => warmup = seconds_value()?,
            "--workers" => workers = Some(count_value()?),
            _ => return Err(usage(&format!("unknown option {flag}"))),
        }
    }
    Ok(Args {
        front: front.ok_or_else(|| usage("--front is required"))?,
        workload: workload.ok_or_else(|| usage("--workload is required"))?,
        inflight: inflight.ok_or_else(|| usage("--inflight is required"))?,
        seconds: seconds.ok_or_else(|| usage("--seconds is required"))?,
        warmup,
        workers,
    })
}

fn main() -> ExitCode {
    match run_cell() {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            let (code, message) = match failure {
                Failure::Usage(message) => (2, message),
                Failure::Unsupported(message) => (3, message),
                Failure::Failed(message) => (1, message),
            };
            eprintln!("rust-peer: {message}");
            ExitCode::from(code)
        }
    }
}

fn run_cell() -> Result<String, Failure> {
    let args = parse_args(std::env::args().skip(1))?;
    if args.front != "driver" {
        return Err(Failure::Unsupported(format!(
            "no front {}: the only one is driver",
            args.front
        )));
    }
    let workload = Workload::from_name(&args.workload)
        .ok_or_else(|| Failure::Unsupported(format!("no workload {}", args.workload)))?;
    if workload == Workload::Iterate && args.inflight != 1 {
        return Err(Failure::Unsupported(
            "iterate runs at --inflight 1 only".to_owned(),
        ));
    }
    // The multi-threaded runtime, by default with tokio's default worker threads (one per
    // core): what a user of the crate gets from #[tokio::main].
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    if let Some(workers) = args.workers {
        runtime.worker_threads(workers);
    }
    let report = runtime
        .enable_all()
        .build()?
        .block_on(measure_cell(&args, workload))?;
    let library = concat!("scylla ", env!("SCYLLA_VERSION"));
    Ok(report.json(library, &args.workload, args.inflight))
}

/// Connects, prepares, warms up, then measures.
async fn measure_cell(args: &Args, workload: Workload) -> Result<Report, BoxError> {
    let bench = Arc::new(Bench::prepare(workloads::connect().await?, workload).await?);
    let warmup = Duration::from_secs_f64(args.warmup);
    if workload == Workload::Iterate {
        // The warm-up reads for --warmup seconds; the measure reads the whole table once.
        bench.scan(Some(Instant::now() + warmup)).await;
        let window = Window::open();
        let scan = bench.scan(None).await;
        return Ok(window.close(scan.rows, scan.errors, scan.latencies_ns));
    }
    // n numbers the operations of the whole run, warm-up included.
    let sequence = Arc::new(AtomicU64::new(0));
    drive(&bench, args.inflight, Instant::now() + warmup, &sequence).await?;
    let window = Window::open();
    let until = window.started() + Duration::from_secs_f64(args.seconds);
    let outcome = drive(&bench, args.inflight, until, &sequence).await?;
    if outcome.errors > 0 {
        eprintln!(
            "rust-peer: {} operations failed in the measured time",
            outcome.errors
        );
    }
    Ok(window.close(
        outcome.latencies_ns.len() as u64,
        outcome.errors,
        outcome.latencies_ns,
    ))
}

/// What the operations of one phase did.
#[derive(Default)]
struct Outcome {
    /// One entry per operation that succeeded, in nanoseconds.
    latencies_ns: Vec<u64>,
    errors: u64,
}

/// Keeps `inflight` operations in flight until `until`: one task per slot, each starting its
/// next operation when the previous one completes. Returns once every task has finished.
async fn drive(
    bench: &Arc<Bench>,
    inflight: usize,
    until: Instant,
    sequence: &Arc<AtomicU64>,
) -> Result<Outcome, BoxError> {
    let tasks: Vec<_> = (0..inflight)
        .map(|_| tokio::spawn(slot(Arc::clone(bench), until, Arc::clone(sequence))))
        .collect();
    let mut outcome = Outcome::default();
    for task in tasks {
        let part = task.await?;
        outcome.latencies_ns.extend(part.latencies_ns);
        outcome.errors += part.errors;
    }
    Ok(outcome)
}

/// Tells the first failed operation's error, and only that one.
static ERROR_SHOWN: AtomicBool = AtomicBool::new(false);

async fn slot(bench: Arc<Bench>, until: Instant, sequence: Arc<AtomicU64>) -> Outcome {
    let mut outcome = Outcome::default();
    while Instant::now() < until {
        let n = sequence.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        match bench.run(n).await {
            Ok(()) => outcome.latencies_ns.push(nanos(started.elapsed())),
            Err(error) => {
                outcome.errors += 1;
                if !ERROR_SHOWN.swap(true, Ordering::Relaxed) {
                    eprintln!("rust-peer: operation {n} failed: {error}");
                }
            }
        }
    }
    outcome
}
