"""Front `cqlengine`: the object mapper that ships inside the driver (cassandra.cqlengine), blocking.

Models name their keyspace and table (no sync_table). LOCAL_ONE is cqlengine's default consistency,
given to connection.setup(). cqlengine sends its statements as unprepared, client-side bound
SimpleStatements: it has no way to use prepared statements.
"""

import sys
import uuid

from cassandra import ConsistencyLevel
from cassandra.cqlengine import columns, connection
from cassandra.cqlengine.models import Model
from cassandra.cqlengine.query import BatchQuery, BatchType

import common
import measure


class Product(Model):
    __keyspace__ = common.KEYSPACE
    __table_name__ = "product"
    id = columns.UUID(primary_key=True)
    name = columns.Text()
    brand = columns.Text()
    category = columns.Text()
    price = columns.Double()
    tags = columns.List(columns.Text)
    description = columns.Text()


class Review(Model):
    __keyspace__ = common.KEYSPACE
    __table_name__ = "review"
    product_id = columns.UUID(partition_key=True)
    created_at = columns.DateTime(primary_key=True, clustering_order="DESC")
    author = columns.Text()
    rating = columns.Integer()


class Event(Model):
    __keyspace__ = common.KEYSPACE
    __table_name__ = "event"
    id = columns.UUID(primary_key=True)
    event_type = columns.Text()
    payload = columns.Text()


class PageViews(Model):
    __keyspace__ = common.KEYSPACE
    __table_name__ = "page_views"
    url = columns.Text(primary_key=True)
    views = columns.Counter()


class IterateRow(Model):
    __keyspace__ = common.KEYSPACE
    __table_name__ = "iterate_rows"
    p = columns.Integer(partition_key=True)
    c = columns.Integer(primary_key=True)
    v = columns.Text()


def product_values(n):
    return {
        "id": uuid.uuid4(),
        "name": f"product-{n}",
        "brand": common.BRAND,
        "category": common.CATEGORY,
        "price": common.PRICE,
        "tags": list(common.TAGS),
        "description": common.DESCRIPTION,
    }


def insert(n):
    Product.create(**product_values(n))


def insert_ttl(n):
    Product.ttl(common.TTL_SECONDS).create(**product_values(n))


def insert_if_not_exists(n):
    Product.if_not_exists().create(**product_values(n))  # raises LWTException when not applied


def get(n):
    Product.get(id=common.PRODUCT_IDS[n % 100])


def find_partition(n):
    list(Review.objects(product_id=common.REVIEW_IDS[n % 50]))


def update(n):
    Product.objects(id=common.PRODUCT_IDS[n % 100]).update(price=common.UPDATED_PRICE)


def save_delete(n):
    Product.create(**product_values(n)).delete()


def batch10(n):
    with BatchQuery(batch_type=BatchType.Unlogged) as batch:
        for _ in range(10):
            Event.batch(batch).create(id=uuid.uuid4(), event_type="click", payload="payload")


def counter_increment(n):
    # A counter column sends the difference to its previous value: `views = views + 1`.
    views = PageViews(url=common.PAGES[n % 100])
    views.views += 1
    views.update()


def iterate():
    # limit(None) lifts cqlengine's default LIMIT 10000. A query set reads (and keeps) every row of
    # the result before it hands out the first one.
    return iter(IterateRow.objects().limit(None).fetch_size(common.PAGE_SIZE))


def first_page():
    """The warm-up of `iterate`: one page only, so that it does not read (and keep) the whole table."""
    return iter(IterateRow.objects().limit(common.PAGE_SIZE).fetch_size(common.PAGE_SIZE))


def run(workload, inflight, warmup, seconds):
    package, version = common.driver_distribution()
    connection.setup(
        common.hosts(), common.KEYSPACE, consistency=ConsistencyLevel.LOCAL_ONE, **common.cluster_options()
    )
    print(f"python: cqlengine on {package}, {common.describe_session(connection.get_session())}", file=sys.stderr)
    try:
        op = globals()[workload]  # the functions above are named after the workloads
        if workload == "iterate":
            result = measure.scan(op, warmup, warm_rows=first_page)
        else:
            result = measure.blocking(op, warmup, seconds)
        return f"cqlengine ({package} {version})", result
    finally:
        connection.get_cluster().shutdown()
