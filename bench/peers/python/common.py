"""What every front shares: the connection settings, the seed data and the installed versions."""

import os
import uuid
from importlib import metadata

KEYSPACE = "coodie_peers"
PORT = 9042

# The seed values of bench/peers/PROTOCOL.md.
BRAND = "Brand"
CATEGORY = "general"
PRICE = 9.99
UPDATED_PRICE = 19.99
TAGS = ["a", "b", "c"]
DESCRIPTION = "benchmark product"
TTL_SECONDS = 60
PAGE_SIZE = 5000
KV_KEYS = 10_000
KV_VALUE = bytes(b % 256 for b in range(100))


def seed_id(i):
    """The protocol's seed UUID number i: 00000000-0000-4000-8000-<i as 12 hex digits>."""
    return uuid.UUID(f"00000000-0000-4000-8000-{i:012x}")


PRODUCT_IDS = [seed_id(i) for i in range(100)]
REVIEW_IDS = [seed_id(1000 + i) for i in range(50)]
PAGES = [f"page-{i}" for i in range(100)]


class Unsupported(Exception):
    """This front does not offer the workload or the in-flight count (exit status 3)."""


def hosts():
    return [h.strip() for h in os.environ.get("COODIE_HOSTS", "127.0.0.1").split(",") if h.strip()]


def cluster_options(row_factory=None):
    """Cluster() keyword arguments every front uses: port, authentication and a default execution
    profile with LOCAL_ONE (SERIAL for conditional statements). The rest stays the driver's default.
    """
    from cassandra import ConsistencyLevel
    from cassandra.auth import PlainTextAuthProvider
    from cassandra.cluster import EXEC_PROFILE_DEFAULT, ExecutionProfile

    profile = {"consistency_level": ConsistencyLevel.LOCAL_ONE, "serial_consistency_level": ConsistencyLevel.SERIAL}
    if row_factory is not None:
        profile["row_factory"] = row_factory
    options = {"port": PORT, "execution_profiles": {EXEC_PROFILE_DEFAULT: ExecutionProfile(**profile)}}
    user = os.environ.get("COODIE_USERNAME")
    if user:
        options["auth_provider"] = PlainTextAuthProvider(user, os.environ.get("COODIE_PASSWORD", ""))
    return options


def driver_distribution():
    """(name, version) of the package that provides the `cassandra` module in this environment."""
    for name in ("scylla-driver", "cassandra-driver"):
        try:
            return name, metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    raise RuntimeError("neither scylla-driver nor cassandra-driver is installed")


def describe_session(session):
    """One diagnostic line: which reactor and protocol version the driver ended up with."""
    cluster = session.cluster
    return f"reactor {cluster.connection_class.__name__}, protocol v{cluster.protocol_version}"
