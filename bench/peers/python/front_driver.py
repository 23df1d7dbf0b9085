"""Front `driver`: the raw driver with prepared statements, every row decoded into a dataclass
(the "Raw + dataclass" floor of the Python coodie's own benchmarks).

Inflight 1 runs session.execute(); more run that many chains of session.execute_async() callbacks.
Rows come as plain tuples (tuple_factory) and are unpacked into slotted dataclasses.
"""

import sys
import uuid
from dataclasses import dataclass
from datetime import datetime

from cassandra.cluster import Cluster
from cassandra.query import BatchStatement, BatchType, tuple_factory

import common
import measure


@dataclass(slots=True)
class Product:
    id: uuid.UUID
    name: str
    brand: str
    category: str
    price: float
    tags: list
    description: str


@dataclass(slots=True)
class Review:
    product_id: uuid.UUID
    created_at: datetime
    author: str
    rating: int


@dataclass(slots=True)
class Kv:
    k: int
    v: bytes


@dataclass(slots=True)
class IterateRow:
    p: int
    c: int
    v: str


INSERT_PRODUCT = (
    "INSERT INTO product (id, name, brand, category, price, tags, description) VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def product_values(n):
    return (
        uuid.uuid4(),
        f"product-{n}",
        common.BRAND,
        common.CATEGORY,
        common.PRICE,
        common.TAGS,
        common.DESCRIPTION,
    )


def workload_plan(session, workload):
    """Prepares what the workload needs and returns (plan, decode): plan(n) lists the round trips of
    operation n as (statement, values), decode(rows) reads the last one's rows (None: nothing to read).
    """
    prepare = session.prepare

    if workload in ("insert", "insert_ttl", "insert_if_not_exists"):
        suffix = {
            "insert": "",
            "insert_ttl": f" USING TTL {common.TTL_SECONDS}",
            "insert_if_not_exists": " IF NOT EXISTS",
        }
        statement = prepare(INSERT_PRODUCT + suffix[workload])
        return (lambda n: [(statement, product_values(n))]), None

    if workload == "get":
        statement = prepare("SELECT id, name, brand, category, price, tags, description FROM product WHERE id = ?")
        return (lambda n: [(statement, (common.PRODUCT_IDS[n % 100],))]), lambda rows: [Product(*row) for row in rows]

    if workload == "find_partition":
        statement = prepare("SELECT product_id, created_at, author, rating FROM review WHERE product_id = ?")
        return (lambda n: [(statement, (common.REVIEW_IDS[n % 50],))]), lambda rows: [Review(*row) for row in rows]

    if workload == "update":
        statement = prepare("UPDATE product SET price = ? WHERE id = ?")
        return (lambda n: [(statement, (common.UPDATED_PRICE, common.PRODUCT_IDS[n % 100]))]), None

    if workload == "save_delete":
        insert, delete = prepare(INSERT_PRODUCT), prepare("DELETE FROM product WHERE id = ?")

        def plan(n):
            values = product_values(n)
            return [(insert, values), (delete, (values[0],))]

        return plan, None

    if workload == "batch10":
        statement = prepare("INSERT INTO event (id, event_type, payload) VALUES (?, ?, ?)")

        def plan(n):
            batch = BatchStatement(batch_type=BatchType.UNLOGGED)
            for _ in range(10):
                batch.add(statement, (uuid.uuid4(), "click", "payload"))
            return [(batch, None)]

        return plan, None

    if workload == "counter_increment":
        statement = prepare("UPDATE page_views SET views = views + 1 WHERE url = ?")
        return (lambda n: [(statement, (common.PAGES[n % 100],))]), None

    if workload == "driver_insert":
        statement = prepare("INSERT INTO kv (k, v) VALUES (?, ?)")
        return (lambda n: [(statement, (n % common.KV_KEYS, common.KV_VALUE))]), None

    if workload in ("driver_select_paged", "driver_select_unpaged"):
        statement = prepare("SELECT k, v FROM kv WHERE k = ?")
        # Bound statements inherit the page size; None turns paging off (one answer with everything).
        statement.fetch_size = common.PAGE_SIZE if workload == "driver_select_paged" else None
        return (lambda n: [(statement, (n % common.KV_KEYS,))]), lambda rows: [Kv(*row) for row in rows]

    raise AssertionError(workload)


def blocking_operation(session, plan, decode):
    def op(n):
        for statement, values in plan(n):
            rows = session.execute(statement, values)
        if decode:
            decode(rows)

    return op


def callback_operation(session, plan, decode):
    """start(n, done): the round trips of operation n one after another, on the driver's callbacks.
    An exception raised inside a callback would be lost in the driver's log, so each one is caught
    and handed to done()."""

    def start(n, done):
        steps = plan(n)

        def issue(index):
            statement, values = steps[index]
            future = session.execute_async(statement, values)
            future.add_callbacks(completed, done, callback_args=(index,))

        def completed(rows, index):
            try:
                if index + 1 < len(steps):
                    issue(index + 1)
                    return
                if decode:
                    decode(rows)
            except Exception as error:
                done(error)
            else:
                done(None)

        issue(0)

    return start


def run(workload, inflight, warmup, seconds):
    package, version = common.driver_distribution()
    cluster = Cluster(common.hosts(), **common.cluster_options(row_factory=tuple_factory))
    try:
        session = cluster.connect(common.KEYSPACE)
        print(f"python: driver {package}, {common.describe_session(session)}", file=sys.stderr)
        if workload == "iterate":
            statement = session.prepare("SELECT p, c, v FROM iterate_rows")
            statement.fetch_size = common.PAGE_SIZE

            def rows():  # the result set fetches the next page when the current one is read
                for row in session.execute(statement):
                    yield IterateRow(*row)

            result = measure.scan(rows, warmup)
        else:
            plan, decode = workload_plan(session, workload)
            if inflight == 1:
                result = measure.blocking(blocking_operation(session, plan, decode), warmup, seconds)
            else:
                result = measure.on_callbacks(callback_operation(session, plan, decode), inflight, warmup, seconds)
        return f"{package} {version}", result
    finally:
        cluster.shutdown()
