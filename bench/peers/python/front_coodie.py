"""Fronts `coodie-sync` and `coodie-async`: the Python coodie's Document API (coodie.sync / coodie.aio).

Models map onto the existing tables (Settings.keyspace and Settings.name set; no sync_table). LOCAL_ONE
comes from the session's default execution profile, since some coodie calls (QuerySet.update,
CounterDocument.increment, BatchQuery) take no consistency argument.
"""

import asyncio
import sys
import uuid
from datetime import datetime
from importlib import metadata
from typing import Annotated

import common
import measure


def define_models(api):
    """The protocol's tables as models of `api` (coodie.sync or coodie.aio)."""
    from coodie.fields import ClusteringKey, Counter, Double, PrimaryKey

    class Product(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        name: str
        brand: str
        category: str
        price: Annotated[float, Double()]
        tags: list[str]
        description: str

        class Settings:
            name = "product"
            keyspace = common.KEYSPACE

    class Review(api.Document):
        product_id: Annotated[uuid.UUID, PrimaryKey()]
        created_at: Annotated[datetime, ClusteringKey(order="DESC")]
        author: str
        rating: int

        class Settings:
            name = "review"
            keyspace = common.KEYSPACE

    class Event(api.Document):
        id: Annotated[uuid.UUID, PrimaryKey()]
        event_type: str
        payload: str

        class Settings:
            name = "event"
            keyspace = common.KEYSPACE

    class PageViews(api.CounterDocument):
        url: Annotated[str, PrimaryKey()]
        views: Annotated[int, Counter()] = 0

        class Settings:
            name = "page_views"
            keyspace = common.KEYSPACE

    class IterateRow(api.Document):
        p: Annotated[int, PrimaryKey()]
        c: Annotated[int, ClusteringKey()]
        v: str

        class Settings:
            name = "iterate_rows"
            keyspace = common.KEYSPACE

    return Product, Review, Event, PageViews, IterateRow


def connect():
    """init_coodie with the shared cluster options; returns the library string."""
    from coodie.drivers import init_coodie

    package, version = common.driver_distribution()
    driver = init_coodie(
        hosts=common.hosts(),
        keyspace=common.KEYSPACE,
        driver_type="scylla" if package == "scylla-driver" else "cassandra",
        **common.cluster_options(),
    )
    session = driver._session  # coodie keeps the session private: read here for the diagnostic only
    print(f"python: coodie on {package}, {common.describe_session(session)}", file=sys.stderr)
    return f"coodie {metadata.version('coodie')} ({package} {version})"


def new_product(Product, n):
    return Product(
        id=uuid.uuid4(),
        name=f"product-{n}",
        brand=common.BRAND,
        category=common.CATEGORY,
        price=common.PRICE,
        tags=list(common.TAGS),
        description=common.DESCRIPTION,
    )


def new_event(Event):
    return Event(id=uuid.uuid4(), event_type="click", payload="payload")


def sync_operation(workload):
    """One blocking operation `op(n)` of the workload, or a row iterator for `iterate`."""
    from coodie import sync as api

    Product, Review, Event, PageViews, IterateRow = define_models(api)

    def insert(n):
        new_product(Product, n).save()

    def insert_ttl(n):
        new_product(Product, n).save(ttl=common.TTL_SECONDS)

    def insert_if_not_exists(n):
        new_product(Product, n).insert()

    def get(n):
        Product.get(id=common.PRODUCT_IDS[n % 100])

    def find_partition(n):
        Review.find(product_id=common.REVIEW_IDS[n % 50]).all()

    def update(n):
        Product.find(id=common.PRODUCT_IDS[n % 100]).update(price=common.UPDATED_PRICE)

    def save_delete(n):
        product = new_product(Product, n)
        product.save()
        product.delete()

    def batch10(n):
        with api.BatchQuery(logged=False) as batch:
            for _ in range(10):
                new_event(Event).save(batch=batch)

    def counter_increment(n):
        PageViews(url=common.PAGES[n % 100]).increment(views=1)

    def iterate():
        # paged_all() hands back one page and its paging state: the table is streamed page by page.
        query = IterateRow.find().fetch_size(common.PAGE_SIZE)
        state = None
        while True:
            page = query.page(state).paged_all()
            yield from page.data
            state = page.paging_state
            if state is None:
                return

    return locals()[workload]  # the nested functions are named after the workloads


def async_operation(workload):
    """One awaitable operation `op(n)` of the workload, or an async row iterator for `iterate`."""
    from coodie import aio as api

    Product, Review, Event, PageViews, IterateRow = define_models(api)

    async def insert(n):
        await new_product(Product, n).save()

    async def insert_ttl(n):
        await new_product(Product, n).save(ttl=common.TTL_SECONDS)

    async def insert_if_not_exists(n):
        await new_product(Product, n).insert()

    async def get(n):
        await Product.get(id=common.PRODUCT_IDS[n % 100])

    async def find_partition(n):
        await Review.find(product_id=common.REVIEW_IDS[n % 50]).all()

    async def update(n):
        await Product.find(id=common.PRODUCT_IDS[n % 100]).update(price=common.UPDATED_PRICE)

    async def save_delete(n):
        product = new_product(Product, n)
        await product.save()
        await product.delete()

    async def batch10(n):
        async with api.AsyncBatchQuery(logged=False) as batch:
            for _ in range(10):
                await new_event(Event).save(batch=batch)

    async def counter_increment(n):
        await PageViews(url=common.PAGES[n % 100]).increment(views=1)

    async def iterate():
        query = IterateRow.find().fetch_size(common.PAGE_SIZE)
        state = None
        while True:
            page = await query.page(state).paged_all()
            for row in page.data:
                yield row
            state = page.paging_state
            if state is None:
                return

    return locals()[workload]  # the nested functions are named after the workloads


def run_sync(workload, inflight, warmup, seconds):
    from coodie.drivers import get_driver

    library = connect()
    try:
        op = sync_operation(workload)
        if workload == "iterate":
            return library, measure.scan(op, warmup)
        return library, measure.blocking(op, warmup, seconds)
    finally:
        get_driver().close()


def run_async(workload, inflight, warmup, seconds):
    from coodie.drivers import get_driver

    async def main():
        op = async_operation(workload)
        if workload == "iterate":
            return await measure.scan_async(op, warmup)
        return await measure.on_asyncio(op, inflight, warmup, seconds)

    library = connect()
    try:
        return library, asyncio.run(main())
    finally:
        get_driver().close()
