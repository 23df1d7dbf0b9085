// inet: 4 or 16 address bytes, their text forms and the out-of-line part of its cql_traits.
#include "coodie/wire/values.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "coodie/wire/traits.hpp"

namespace coodie {

inet inet::from_bytes(std::span<const std::byte> bytes) {
  if (bytes.size() != 4 && bytes.size() != 16) {
    throw codec_error(fmt::format("wrong size for a CQL inet value: expected 4 or 16 bytes, got {}",
                                  bytes.size()));
  }
  inet a;
  a.size_ = static_cast<std::uint8_t>(bytes.size());
  std::copy(bytes.begin(), bytes.end(), a.bytes_.begin());
  return a;
}

std::optional<inet> inet::try_parse(std::string_view text) noexcept {
  char buf[64];
  if (text.size() >= sizeof buf || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  inet a;
  if (inet_pton(AF_INET, buf, a.bytes_.data()) == 1) {
    a.size_ = 4;
    return a;
  }
  if (inet_pton(AF_INET6, buf, a.bytes_.data()) == 1) {
    a.size_ = 16;
    return a;
  }
  return std::nullopt;
}

inet inet::parse(std::string_view text) {
  if (std::optional<inet> a = try_parse(text)) {
    return *a;
  }
  throw codec_error(fmt::format("malformed inet address '{}'", text));
}

std::string inet::to_string() const {
  char buf[INET6_ADDRSTRLEN] = {};
  inet_ntop(is_v4() ? AF_INET : AF_INET6, bytes_.data(), buf, sizeof buf);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// cql_traits

void cql_traits<inet>::decode(wire::bytes_view b, inet& out) {
  out = inet::from_bytes(b);
}

}  // namespace coodie
