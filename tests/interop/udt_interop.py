"""The reference Python driver's side of the user type interop test (tests/interop/run-udt-interop
runs both sides): it reads the orders coodie wrote, writes orders of its own for coodie to read,
and compares two JSON dumps of orders in one canonical form.

Usage: udt_interop.py read KS ID... | write KS | compare A.json B.json
Connection: COODIE_HOSTS (host[:port],...), COODIE_PORT, COODIE_USERNAME, COODIE_PASSWORD,
COODIE_TLS_CA (the nodes' CA: TLS on).
"""

import json
import os
import ssl
import sys
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Dict, Optional

from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import Cluster


@dataclass(frozen=True, order=True)
class Address:
    street: str
    city: str
    zip: Optional[int] = None


@dataclass
class Product:
    sku: str
    attributes: Dict[str, str] = field(default_factory=dict)


@dataclass
class LineItem:
    product: Product
    quantity: int
    note: Optional[str] = None


def connect(keyspace):
    port = int(os.environ.get("COODIE_PORT") or 9042)
    hosts = []
    for h in (os.environ.get("COODIE_HOSTS") or "127.0.0.1").split(","):
        host, _, p = h.strip().partition(":") if h.count(":") == 1 else (h.strip(), "", "")
        hosts.append((host, int(p) if p else port))
    auth = PlainTextAuthProvider(os.environ.get("COODIE_USERNAME") or "cassandra",
                                 os.environ.get("COODIE_PASSWORD") or "cassandra")
    tls = None
    if os.environ.get("COODIE_TLS_CA"):
        tls = ssl.create_default_context(cafile=os.environ["COODIE_TLS_CA"])
        tls.check_hostname = False
    cluster = Cluster(contact_points=[h for h, _ in hosts], port=hosts[0][1], auth_provider=auth,
                      ssl_context=tls, protocol_version=5)
    session = cluster.connect(keyspace)
    cluster.register_user_type(keyspace, "iop_address", Address)
    cluster.register_user_type(keyspace, "iop_product", Product)
    cluster.register_user_type(keyspace, "iop_line_item", LineItem)
    return cluster, session


def address_json(a):
    return {"street": a.street, "city": a.city, "zip": a.zip}


def order_json(row):
    # A collection inside a user type value is compared as it comes: null is not empty there.
    def attributes(a):
        return None if a is None else [[k, v] for k, v in a.items()]
    items = [{"product": {"sku": i.product.sku, "attributes": attributes(i.product.attributes)},
              "quantity": i.quantity, "note": i.note} for i in (row.items or [])]
    return {"id": row.id,
            "items": items,
            "ship": address_json(row.ship) if row.ship is not None else None,
            "by_name": [[k, address_json(a)] for k, a in (row.by_name or {}).items()],
            "ranks": [[address_json(a), r] for a, r in (row.ranks or {}).items()],
            "places": [address_json(a) for a in (row.places or [])],
            "pinned": [address_json(row.pinned[0]), row.pinned[1]],
            "home": address_json(row.home)}


def read(keyspace, ids):
    cluster, session = connect(keyspace)
    select = session.prepare("SELECT id, items, ship, by_name, ranks, places, pinned, home "
                             "FROM iop_orders WHERE id = ?")
    out = []
    for i in ids:
        row = session.execute(select, [int(i)]).one()
        if row is None:
            sys.exit(f"udt_interop.py: no order {i} in {keyspace}.iop_orders")
        out.append(order_json(row))
    cluster.shutdown()
    print(json.dumps(out, ensure_ascii=False))


def write(keyspace):
    """Writes orders 101 and 102, sets two fields of 102's non-frozen home alone, and prints the
    orders as they then are."""
    cluster, session = connect(keyspace)
    insert = session.prepare("INSERT INTO iop_orders (id, items, ship, by_name, ranks, places, "
                             "pinned, home) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
    berlin = Address("Unter den Linden 5", "Berlin", 10117)
    lima = Address("Jirón de la Unión", "Lima", None)
    cairo = Address("شارع التحرير", "القاهرة", 11511)
    full = {"id": 101,
            "items": [LineItem(Product("vice", {"size": "L", "jaw": "100 mm"}), 1, None),
                      LineItem(Product("file \"flat\"", {}), 12, "half\\round")],
            "ship": lima,
            "by_name": {"depot": berlin, "": cairo},
            "ranks": {lima: -1, cairo: 2147483647},
            "places": {berlin, lima, cairo},
            "pinned": (berlin, 42),
            "home": cairo}
    sparse = {"id": 102, "items": [], "ship": None, "by_name": {}, "ranks": {}, "places": set(),
              "pinned": (Address("", "", 0), 0), "home": berlin}
    for o in (full, sparse):
        session.execute(insert, [o["id"], o["items"], o["ship"], o["by_name"], o["ranks"],
                                 o["places"], o["pinned"], o["home"]])
    session.execute(session.prepare("UPDATE iop_orders SET home.street = ?, home.zip = ? "
                                    "WHERE id = ?"), ["Friedrichstraße 1", None, 102])
    sparse["home"] = Address("Friedrichstraße 1", "Berlin", None)
    out = [order_json(SimpleNamespace(**o)) for o in (full, sparse)]
    cluster.shutdown()
    print(json.dumps(out, ensure_ascii=False))


def canonical(orders):
    """Orders with their maps and sets in one order; CQL stores an empty collection column as
    null, so a null collection column compares as empty."""
    def sort(items):
        return sorted(items or [], key=lambda x: json.dumps(x, sort_keys=True, ensure_ascii=False))
    out = []
    for o in orders:
        o = dict(o)
        o["items"] = [dict(i, product=dict(i["product"], attributes=(
            None if i["product"]["attributes"] is None else sort(i["product"]["attributes"]))))
            for i in (o["items"] or [])]
        for key in ("by_name", "ranks", "places"):
            o[key] = sort(o[key])
        out.append(o)
    return out


def compare(a_path, b_path):
    with open(a_path, encoding="utf-8") as f:
        a = canonical(json.load(f))
    with open(b_path, encoding="utf-8") as f:
        b = canonical(json.load(f))
    if a != b:
        print(f"udt_interop.py: {a_path} and {b_path} differ", file=sys.stderr)
        for x, y in zip(a, b):
            if x != y:
                print(f"  {json.dumps(x, sort_keys=True, ensure_ascii=False)}\n"
                      f"  {json.dumps(y, sort_keys=True, ensure_ascii=False)}", file=sys.stderr)
        if len(a) != len(b):
            print(f"  {len(a)} orders against {len(b)}", file=sys.stderr)
        sys.exit(1)
    print(f"udt_interop.py: {len(a)} orders identical")


def main(argv):
    if len(argv) >= 3 and argv[1] == "read":
        read(argv[2], argv[3:])
    elif len(argv) == 3 and argv[1] == "write":
        write(argv[2])
    elif len(argv) == 4 and argv[1] == "compare":
        compare(argv[2], argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
