//! The protocol's workloads on the `scylla` crate: the statements each one prepares and what
//! one operation does. The rows are plain structs decoded through the crate's derives.

use std::env;
use std::hint::black_box;
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use futures::StreamExt;
use scylla::client::session::Session;
use scylla::client::session_builder::SessionBuilder;
use scylla::response::PagingState;
use scylla::statement::batch::{Batch, BatchType};
use scylla::statement::prepared::PreparedStatement;
use scylla::statement::{Consistency, SerialConsistency};
use scylla::value::CqlTimestamp;
use scylla::{DeserializeRow, SerializeRow};
use uuid::Uuid;

pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The page size of the workloads that name one (`driver_select_paged`, `iterate`).
const PAGE_SIZE: i32 = 5000;

const INSERT_PRODUCT: &str = "INSERT INTO coodie_peers.product \
     (id, name, brand, category, price, tags, description) VALUES (?, ?, ?, ?, ?, ?, ?)";

/// The 100-byte value of `kv`: byte b is b % 256.
const KV_VALUE: [u8; 100] = {
    let mut value = [0u8; 100];
    let mut b = 0;
    while b < value.len() {
        value[b] = b as u8;
        b += 1;
    }
    value
};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    Insert,
    InsertTtl,
    InsertIfNotExists,
    Get,
    FindPartition,
    Update,
    SaveDelete,
    Batch10,
    CounterIncrement,
    DriverInsert,
    DriverSelectPaged,
    DriverSelectUnpaged,
    Iterate,
}

impl Workload {
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "insert" => Self::Insert,
            "insert_ttl" => Self::InsertTtl,
            "insert_if_not_exists" => Self::InsertIfNotExists,
            "get" => Self::Get,
            "find_partition" => Self::FindPartition,
            "update" => Self::Update,
            "save_delete" => Self::SaveDelete,
            "batch10" => Self::Batch10,
            "counter_increment" => Self::CounterIncrement,
            "driver_insert" => Self::DriverInsert,
            "driver_select_paged" => Self::DriverSelectPaged,
            "driver_select_unpaged" => Self::DriverSelectUnpaged,
            "iterate" => Self::Iterate,
            _ => return None,
        })
    }
}

// The row structs. Fields that only the decoding touches would warn as never read: decoding
// them is the work measured, and black_box keeps it from being optimised away.

/// Every column of `product`: bound by the inserts, read back by `get`.
#[derive(SerializeRow, DeserializeRow)]
#[allow(dead_code)]
struct Product {
    id: Uuid,
    name: String,
    brand: String,
    category: String,
    price: f64,
    tags: Vec<String>,
    description: String,
}

impl Product {
    /// A product with the seed values, a fresh id and the name `product-<n>`.
    fn fresh(n: u64) -> Self {
        Product {
            id: Uuid::new_v4(),
            name: format!("product-{n}"),
            brand: "Brand".to_owned(),
            category: "general".to_owned(),
            price: 9.99,
            tags: vec!["a".to_owned(), "b".to_owned(), "c".to_owned()],
            description: "benchmark product".to_owned(),
        }
    }
}

#[derive(DeserializeRow)]
#[allow(dead_code)]
struct Review {
    product_id: Uuid,
    created_at: CqlTimestamp,
    author: String,
    rating: i32,
}

#[derive(SerializeRow)]
struct Event<'a> {
    id: Uuid,
    event_type: &'a str,
    payload: &'a str,
}

#[derive(DeserializeRow)]
#[allow(dead_code)]
struct Kv {
    k: i32,
    v: Vec<u8>,
}

#[derive(DeserializeRow)]
#[allow(dead_code)]
struct IterateRow {
    p: i32,
    c: i32,
    v: String,
}

/// The seed id i: `00000000-0000-4000-8000-` and i as 12 hexadecimal digits.
fn seed_id(i: u64) -> Uuid {
    Uuid::from_u128(0x0000_0000_0000_4000_8000_0000_0000_0000 | u128::from(i))
}

/// Connects as the protocol says: COODIE_HOSTS (default 127.0.0.1) on port 9042, plain-text
/// authentication when COODIE_USERNAME is set; every other setting is the crate's default.
pub async fn connect() -> Result<Session, BoxError> {
    let hosts = env::var("COODIE_HOSTS").unwrap_or_else(|_| "127.0.0.1".to_owned());
    let mut builder = SessionBuilder::new();
    for host in hosts.split(',').map(str::trim).filter(|h| !h.is_empty()) {
        builder = builder.known_node(format!("{host}:9042"));
    }
    if let Ok(user) = env::var("COODIE_USERNAME") {
        if !user.is_empty() {
            builder = builder.user(user, env::var("COODIE_PASSWORD").unwrap_or_default());
        }
    }
    Ok(builder.build().await?)
}

/// Prepares `cql` at LOCAL_ONE (the crate's default is LOCAL_QUORUM).
async fn prepare(session: &Session, cql: &str) -> Result<PreparedStatement, BoxError> {
    let mut statement = session.prepare(cql).await?;
    statement.set_consistency(Consistency::LocalOne);
    Ok(statement)
}

/// The prepared statements of one workload.
enum Op {
    /// `insert`, `insert_ttl` and `insert_if_not_exists`: only the statement differs.
    InsertProduct(PreparedStatement),
    Get(PreparedStatement),
    FindPartition(PreparedStatement),
    Update(PreparedStatement),
    SaveDelete {
        insert: PreparedStatement,
        delete: PreparedStatement,
    },
    Batch10(Batch),
    CounterIncrement(PreparedStatement),
    DriverInsert(PreparedStatement),
    DriverSelectPaged(PreparedStatement),
    DriverSelectUnpaged(PreparedStatement),
    Iterate(PreparedStatement),
}

/// One workload ready to run: the session and its prepared statements.
pub struct Bench {
    session: Session,
    op: Op,
}

/// What one `scan` read.
#[derive(Default)]
pub struct Scan {
    pub rows: u64,
    pub errors: u64,
    /// Each page's time, in nanoseconds.
    pub latencies_ns: Vec<u64>,
}

impl Bench {
    /// Prepares the statements `workload` runs.
    pub async fn prepare(session: Session, workload: Workload) -> Result<Self, BoxError> {
        let s = &session;
        let op = match workload {
            Workload::Insert => Op::InsertProduct(prepare(s, INSERT_PRODUCT).await?),
            Workload::InsertTtl => {
                Op::InsertProduct(prepare(s, &format!("{INSERT_PRODUCT} USING TTL 60")).await?)
            }
            Workload::InsertIfNotExists => {
                let mut insert = prepare(s, &format!("{INSERT_PRODUCT} IF NOT EXISTS")).await?;
                // The crate's default serial consistency is LOCAL_SERIAL.
                insert.set_serial_consistency(Some(SerialConsistency::Serial));
                Op::InsertProduct(insert)
            }
            Workload::Get => Op::Get(
                prepare(
                    s,
                    "SELECT id, name, brand, category, price, tags, description \
                     FROM coodie_peers.product WHERE id = ?",
                )
                .await?,
            ),
            Workload::FindPartition => Op::FindPartition(
                prepare(
                    s,
                    "SELECT product_id, created_at, author, rating \
                     FROM coodie_peers.review WHERE product_id = ?",
                )
                .await?,
            ),
            Workload::Update => Op::Update(
                prepare(s, "UPDATE coodie_peers.product SET price = ? WHERE id = ?").await?,
            ),
            Workload::SaveDelete => Op::SaveDelete {
                insert: prepare(s, INSERT_PRODUCT).await?,
                delete: prepare(s, "DELETE FROM coodie_peers.product WHERE id = ?").await?,
            },
            Workload::Batch10 => {
                let insert = prepare(
                    s,
                    "INSERT INTO coodie_peers.event (id, event_type, payload) VALUES (?, ?, ?)",
                )
                .await?;
                let mut batch = Batch::new(BatchType::Unlogged);
                for _ in 0..10 {
                    batch.append_statement(insert.clone());
                }
                // A batch runs at its own consistency, not at its statements'.
                batch.set_consistency(Consistency::LocalOne);
                Op::Batch10(batch)
            }
            Workload::CounterIncrement => Op::CounterIncrement(
                prepare(
                    s,
                    "UPDATE coodie_peers.page_views SET views = views + 1 WHERE url = ?",
                )
                .await?,
            ),
            Workload::DriverInsert => Op::DriverInsert(
                prepare(s, "INSERT INTO coodie_peers.kv (k, v) VALUES (?, ?)").await?,
            ),
            Workload::DriverSelectPaged => {
                let mut select = prepare(s, "SELECT k, v FROM coodie_peers.kv WHERE k = ?").await?;
                select.set_page_size(PAGE_SIZE);
                Op::DriverSelectPaged(select)
            }
            Workload::DriverSelectUnpaged => Op::DriverSelectUnpaged(
                prepare(s, "SELECT k, v FROM coodie_peers.kv WHERE k = ?").await?,
            ),
            Workload::Iterate => {
                let mut select =
                    prepare(s, "SELECT p, c, v FROM coodie_peers.iterate_rows").await?;
                select.set_page_size(PAGE_SIZE);
                Op::Iterate(select)
            }
        };
        Ok(Bench { session, op })
    }

    /// Runs operation number `n` of every workload but `iterate` (which `scan` runs).
    pub async fn run(&self, n: u64) -> Result<(), BoxError> {
        let session = &self.session;
        match &self.op {
            Op::InsertProduct(insert) => {
                session.execute_unpaged(insert, Product::fresh(n)).await?;
            }
            Op::Get(get) => {
                let result = session.execute_unpaged(get, (seed_id(n % 100),)).await?;
                let product: Product = result.into_rows_result()?.single_row()?;
                black_box(product);
            }
            Op::FindPartition(find) => {
                let result = session
                    .execute_unpaged(find, (seed_id(1000 + n % 50),))
                    .await?;
                let reviews = result
                    .into_rows_result()?
                    .rows::<Review>()?
                    .collect::<Result<Vec<_>, _>>()?;
                black_box(reviews);
            }
            Op::Update(update) => {
                // The protocol leaves the price open: n keeps every write a different value.
                session
                    .execute_unpaged(update, (n as f64, seed_id(n % 100)))
                    .await?;
            }
            Op::SaveDelete { insert, delete } => {
                let product = Product::fresh(n);
                let id = product.id;
                session.execute_unpaged(insert, product).await?;
                session.execute_unpaged(delete, (id,)).await?;
            }
            Op::Batch10(batch) => {
                let events: [Event; 10] = std::array::from_fn(|_| Event {
                    id: Uuid::new_v4(),
                    event_type: "click",
                    payload: "payload",
                });
                session.batch(batch, &events[..]).await?;
            }
            Op::CounterIncrement(increment) => {
                session
                    .execute_unpaged(increment, (format!("page-{}", n % 100),))
                    .await?;
            }
            Op::DriverInsert(insert) => {
                session
                    .execute_unpaged(insert, (kv_key(n), &KV_VALUE[..]))
                    .await?;
            }
            Op::DriverSelectPaged(select) => {
                // Page by page until the server says there is no more (one page here).
                let mut rows = Vec::new();
                let mut paging_state = PagingState::start();
                loop {
                    let (result, next) = session
                        .execute_single_page(select, (kv_key(n),), paging_state)
                        .await?;
                    for row in result.into_rows_result()?.rows::<Kv>()? {
                        rows.push(row?);
                    }
                    match next.into_paging_control_flow() {
                        ControlFlow::Break(()) => break,
                        ControlFlow::Continue(state) => paging_state = state,
                    }
                }
                black_box(rows);
            }
            Op::DriverSelectUnpaged(select) => {
                let result = session.execute_unpaged(select, (kv_key(n),)).await?;
                let rows = result
                    .into_rows_result()?
                    .rows::<Kv>()?
                    .collect::<Result<Vec<_>, _>>()?;
                black_box(rows);
            }
            Op::Iterate(_) => unreachable!("iterate runs through Bench::scan"),
        }
        Ok(())
    }

    /// `iterate`: reads `iterate_rows` as a typed stream, one row at a time, until the end of
    /// the table or, when given, the deadline (the warm-up). A failure ends the scan.
    ///
    /// Its operations are rows, and its latencies pages': from the end of the previous page
    /// (or the start) to the decoding of the page's last row, as coodie_peer counts them. The
    /// stream hides page boundaries, so a page is every PAGE_SIZE rows (what the server sends
    /// while the table lasts) and the rest at the end.
    pub async fn scan(&self, until: Option<Instant>) -> Scan {
        let Op::Iterate(select) = &self.op else {
            unreachable!("scan runs only the iterate workload")
        };
        let mut scan = Scan::default();
        let mut page_started = Instant::now();
        let mut rows = match self.session.execute_iter(select.clone(), ()).await {
            Ok(pager) => match pager.rows_stream::<IterateRow>() {
                Ok(rows) => rows,
                Err(error) => return scan.failed(error.into()),
            },
            Err(error) => return scan.failed(error.into()),
        };
        // The running sums keep the decoding's work alive.
        let (mut sum_c, mut sum_len) = (0i64, 0usize);
        loop {
            match rows.next().await {
                Some(Ok(row)) => {
                    scan.rows += 1;
                    sum_c += i64::from(row.c);
                    sum_len += row.v.len();
                }
                Some(Err(error)) => return scan.failed(error.into()),
                None => {
                    if scan.rows % PAGE_SIZE as u64 != 0 {
                        scan.latencies_ns.push(nanos(page_started.elapsed()));
                    }
                    break;
                }
            }
            if scan.rows % PAGE_SIZE as u64 == 0 {
                let now = Instant::now();
                scan.latencies_ns.push(nanos(now - page_started));
                page_started = now;
                if until.is_some_and(|deadline| now >= deadline) {
                    break;
                }
            }
        }
        eprintln!(
            "rust-peer: iterate read {} rows, sum(c) {sum_c}, sum(len(v)) {sum_len}",
            scan.rows
        );
        scan
    }
}

impl Scan {
    fn failed(mut self, error: BoxError) -> Self {
        eprintln!(
            "rust-peer: iterate failed after {} rows: {error}",
            self.rows
        );
        self.errors += 1;
        self
    }
}

/// The `kv` key of operation n.
fn kv_key(n: u64) -> i32 {
    (n % 10_000) as i32
}

pub fn nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
