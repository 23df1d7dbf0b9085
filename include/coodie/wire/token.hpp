// Murmur3Partitioner tokens: Cassandra's variant of MurmurHash3_x64_128 (seed 0, signed tail
// bytes), for single and composite partition keys.
//
// Example:
//   std::int64_t t = coodie::wire::murmur3_token(coodie::wire::as_bytes("test"));
//   // t == -6017608668500074083
//   coodie::wire::byte_buffer key;
//   coodie::wire::append_key_component(key, int_1_bytes);
//   coodie::wire::append_key_component(key, coodie::wire::as_bytes("a"));
//   std::int64_t composite = coodie::wire::murmur3_token(key);
#pragma once

#include <cstdint>

#include "coodie/wire/codec.hpp"

namespace coodie::wire {

/// The token of a serialized partition key. An empty key has the minimum token.
std::int64_t murmur3_token(bytes_view key) noexcept;

/// Appends one component of a composite partition key: u16 big-endian length, bytes, 0x00.
/// Throws codec_error when the component is longer than 65535 bytes.
void append_key_component(byte_buffer& key, bytes_view component);

}  // namespace coodie::wire
