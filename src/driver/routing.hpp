// The routing token of a request: the Murmur3 token of its partition key, read from the bound
// values of a prepared statement.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "coodie/wire/messages.hpp"

namespace coodie::driver::detail {

/// The token of the partition a prepared statement writes or reads, from the bind markers that
/// hold its partition-key columns (`pk_indexes`, in key order). nullopt when the statement has no
/// such markers, a key value is null or unset, or the values are malformed (the server will say
/// why). A composite key is serialized as Cassandra does: for each component a u16 length, the
/// bytes and a 0x00.
std::optional<std::int64_t> routing_token(std::span<const std::uint16_t> pk_indexes,
                                          wire::bound_values values);

}  // namespace coodie::driver::detail
