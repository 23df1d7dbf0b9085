// The out-of-line parts of coodie's exception hierarchy: server_error's message and retry
// classification, and consistency level names.
#include "coodie/error.hpp"

#include <fmt/format.h>

namespace coodie {

namespace {

// The protocol spec's name of an error code (native_protocol_v4.spec section 9).
const char* error_code_name(std::int32_t code) noexcept {
  switch (code) {
    case 0x0000:
      return "Server_error";
    case 0x000A:
      return "Protocol_error";
    case 0x0100:
      return "Bad_credentials";
    case 0x1000:
      return "Unavailable";
    case 0x1001:
      return "Overloaded";
    case 0x1002:
      return "Is_bootstrapping";
    case 0x1003:
      return "Truncate_error";
    case 0x1100:
      return "Write_timeout";
    case 0x1200:
      return "Read_timeout";
    case 0x1300:
      return "Read_failure";
    case 0x1400:
      return "Function_failure";
    case 0x1500:
      return "Write_failure";
    case 0x1600:
      return "CDC_write_failure";
    case 0x1700:
      return "CAS_write_unknown";
    case 0x2000:
      return "Syntax_error";
    case 0x2100:
      return "Unauthorized";
    case 0x2200:
      return "Invalid";
    case 0x2300:
      return "Config_error";
    case 0x2400:
      return "Already_exists";
    case 0x2500:
      return "Unprepared";
    default:
      return "Unknown_error";
  }
}

std::string server_error_what(std::int32_t code, const std::string& message) {
  return fmt::format("{} (0x{:04X}): {}", error_code_name(code), static_cast<std::uint32_t>(code),
                     message);
}

}  // namespace

std::string to_string(consistency c) {
  switch (c) {
    case consistency::any:
      return "ANY";
    case consistency::one:
      return "ONE";
    case consistency::two:
      return "TWO";
    case consistency::three:
      return "THREE";
    case consistency::quorum:
      return "QUORUM";
    case consistency::all:
      return "ALL";
    case consistency::local_quorum:
      return "LOCAL_QUORUM";
    case consistency::each_quorum:
      return "EACH_QUORUM";
    case consistency::serial:
      return "SERIAL";
    case consistency::local_serial:
      return "LOCAL_SERIAL";
    case consistency::local_one:
      return "LOCAL_ONE";
  }
  return fmt::format("UNKNOWN({})", static_cast<std::uint16_t>(c));
}

server_error::server_error(std::int32_t code, std::string message)
    : error(server_error_what(code, message)), code_(code), message_(std::move(message)) {}

bool server_error::is_retryable() const noexcept {
  switch (code_) {
    case 0x1000:  // Unavailable: too few replicas alive right now; another coordinator may see
                  // more.
    case 0x1001:  // Overloaded: this coordinator sheds load; another node may accept.
    case 0x1002:  // Is_bootstrapping: this coordinator is not ready yet.
    case 0x1003:  // Truncate_error: a replica did not answer the truncate in time.
    case 0x1100:  // Write_timeout: replicas were slow; the write may or may not have applied.
    case 0x1200:  // Read_timeout: replicas were slow.
      return true;
    default:
      return false;
  }
}

}  // namespace coodie
