#!/usr/bin/env python3
"""Writes the seed corpus of fuzz_responses into tests/fuzz/corpus/responses/ (where scripts/fuzz
looks for it).

Each seed is one selector byte (which decoder, see fuzz_responses.cpp) followed by a valid input
for that decoder, built field by field from the CQL native protocol v4 spec. Run it again after
changing the seeds; the files are small and checked in.
"""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "responses")

FRAME, PREFIX, RESULT, ERROR, EVENT, SUPPORTED, AUTHENTICATE, AUTH_TOKEN, LZ4, MARSHAL, OPTION, TOKEN = range(12)
PKG = "org.apache.cassandra.db.marshal."


def short(v): return struct.pack(">H", v)
def int_(v): return struct.pack(">i", v)
def long_(v): return struct.pack(">q", v)
def string(s): b = s.encode(); return short(len(b)) + b
def bytes_(b): return int_(-1) if b is None else int_(len(b)) + b
def string_list(items): return short(len(items)) + b"".join(string(s) for s in items)


def frame(opcode, body, flags=0, stream=0):
    return bytes([0x84, flags]) + struct.pack(">hBI", stream, opcode, len(body)) + body


def rows_body():
    meta = int_(0x0001) + int_(3) + string("ks") + string("users")
    meta += string("id") + short(0x0009)
    meta += string("name") + short(0x000D)
    meta += string("tags") + short(0x0020) + short(0x000D)
    rows = int_(2)
    rows += bytes_(int_(1)) + bytes_(b"ann") + bytes_(int_(2) + bytes_(b"a") + bytes_(b"b"))
    rows += bytes_(int_(2)) + bytes_(None) + bytes_(int_(0))
    return int_(2) + meta + rows


def nested_rows_body():
    meta = int_(0x0001 | 0x0002) + int_(5) + bytes_(b"\x01\x02") + string("ks") + string("t")
    meta += string("address") + short(0x0030) + string("ks") + string("address") + short(2)
    meta += string("street") + short(0x000D) + string("zip") + short(0x0009)
    meta += string("pair") + short(0x0031) + short(2) + short(0x0009) + short(0x000D)
    meta += string("scores") + short(0x0021) + short(0x000D) + short(0x0020) + short(0x0007)
    meta += string("embedding") + short(0x0000) + string(PKG + "VectorType(" + PKG + "FloatType , 3)")
    meta += string("wait") + short(0x0000) + string(PKG + "DurationType")
    return int_(2) + meta + int_(0)


def prepared_body():
    b = int_(4) + short(4) + b"\x01\x02\x03\x04"
    b += int_(0x0001) + int_(2) + int_(1) + short(1) + string("ks") + string("t")
    b += string("name") + short(0x000D) + string("id") + short(0x000C)
    b += int_(0x0001) + int_(1) + string("ks") + string("t") + string("value") + short(0x0009)
    return b


def lz4_literal_block(data):
    # One LZ4 sequence of literals only (fine for short data): token, extra length bytes, literals.
    n = len(data)
    if n < 15:
        return bytes([n << 4]) + data
    rest, extra = n - 15, b""
    while rest >= 255:
        extra += b"\xff"
        rest -= 255
    return bytes([0xF0]) + extra + bytes([rest]) + data


SEEDS = {
    "frame_ready": (FRAME, frame(0x02, b"")),
    "frame_rows": (FRAME, frame(0x08, rows_body(), stream=1)),
    "frame_rows_lz4": (FRAME, frame(0x08, struct.pack(">I", len(rows_body())) + lz4_literal_block(rows_body()), flags=0x01)),
    "frame_warning_error": (FRAME, frame(0x00, string_list(["careful"]) + int_(0x2200) + string("bad"), flags=0x08)),
    "frame_event": (FRAME, frame(0x0C, string("STATUS_CHANGE") + string("UP") + b"\x04\x7f\x00\x00\x01" + int_(9042), stream=-1)),
    "prefix_all": (PREFIX, bytes([0x0E]) + bytes(range(16)) + string_list(["w"]) + short(1) + string("k") + bytes_(b"v") + int_(1)),
    "result_void": (RESULT, int_(1)),
    "result_rows": (RESULT, rows_body()),
    "result_rows_nested": (RESULT, nested_rows_body()),
    "result_set_keyspace": (RESULT, int_(3) + string("shop")),
    "result_prepared": (RESULT, prepared_body()),
    "result_schema_function": (RESULT, int_(5) + string("CREATED") + string("FUNCTION") + string("ks") + string("f") + string_list(["int"])),
    "error_unavailable": (ERROR, int_(0x1000) + string("unavailable") + short(4) + int_(2) + int_(1)),
    "error_write_timeout": (ERROR, int_(0x1100) + string("timeout") + short(6) + int_(1) + int_(2) + string("SIMPLE")),
    "error_read_failure": (ERROR, int_(0x1300) + string("failure") + short(1) + int_(0) + int_(1) + int_(1) + b"\x00"),
    "error_function_failure": (ERROR, int_(0x1400) + string("f failed") + string("ks") + string("f") + string_list(["int"])),
    "error_already_exists": (ERROR, int_(0x2400) + string("exists") + string("ks") + string("t")),
    "error_unprepared": (ERROR, int_(0x2500) + string("unprepared") + short(2) + b"\x00\xff"),
    "event_topology": (EVENT, string("TOPOLOGY_CHANGE") + string("NEW_NODE") + b"\x10" + bytes(15) + b"\x01" + int_(9042)),
    "event_schema": (EVENT, string("SCHEMA_CHANGE") + string("DROPPED") + string("TYPE") + string("ks") + string("address")),
    "supported": (SUPPORTED, short(2) + string("CQL_VERSION") + string_list(["3.4.7"]) + string("COMPRESSION") + string_list(["snappy", "lz4"])),
    "authenticate": (AUTHENTICATE, string("org.apache.cassandra.auth.PasswordAuthenticator")),
    "auth_token": (AUTH_TOKEN, bytes_(b"token")),
    "lz4_body": (LZ4, struct.pack(">I", 11) + lz4_literal_block(b"hello world")),
    "marshal_vector": (MARSHAL, (PKG + "VectorType(" + PKG + "FloatType , 5)").encode()),
    "marshal_udt": (MARSHAL, (PKG + "UserType(ks,61646472657373,737472656574:" + PKG + "UTF8Type,7a6970:" + PKG + "Int32Type)").encode()),
    "marshal_map": (MARSHAL, (PKG + "MapType(" + PKG + "UTF8Type," + PKG + "FrozenType(" + PKG + "ListType(" + PKG + "DoubleType)))").encode()),
    "option_udt": (OPTION, short(0x0030) + string("ks") + string("pt") + short(1) + string("x") + short(0x0022) + short(0x000C)),
    "token_key": (TOKEN, b"kremowki"),
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, (selector, data) in SEEDS.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(bytes([selector]) + data)
    print(f"wrote {len(SEEDS)} seeds to {OUT}")


if __name__ == "__main__":
    main()
