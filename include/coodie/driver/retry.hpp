// Retry policies: what the session does when an attempt of a request fails.
//
// The default policy follows the decision matrix of the reference drivers (DataStax Java, Scylla
// Rust) and never retries a statement that is not marked idempotent when the failure leaves it
// unknown whether the write applied (a broken connection, an overloaded or failing coordinator).
//
// Example:
//   coodie::session_options o;
//   o.retry = std::make_shared<coodie::never_retry_policy>();  // surface every failure
//   auto st = coodie::statement("UPDATE t SET v = 1 WHERE k = 2").set_idempotent(true);
#pragma once

#include <cstdint>
#include <exception>

#include "coodie/error.hpp"

namespace coodie {

enum class retry_decision : std::uint8_t {
  fail,       ///< report the error to the caller
  same_host,  ///< send the request again to the node that answered
  next_host,  ///< send it to the next node of the query plan
};

/// What a policy knows about the failed attempt.
struct retry_context {
  /// The statement is marked idempotent (applying it twice is the same as once).
  bool idempotent = false;
  /// Retries already made for this request (0 on the first failure).
  int retries = 0;
  /// The statement is a lightweight transaction (statement_options::conditional).
  bool conditional = false;
};

class retry_policy {
 public:
  retry_policy() = default;
  retry_policy(const retry_policy&) = default;
  retry_policy& operator=(const retry_policy&) = default;
  virtual ~retry_policy() = default;
  /// Decides after `failure` (a coodie::error, or anything the session caught).
  [[nodiscard]] virtual retry_decision decide(const std::exception_ptr& failure,
                                              const retry_context& ctx) const;
};

/// Never retries.
class never_retry_policy final : public retry_policy {
 public:
  [[nodiscard]] retry_decision decide(const std::exception_ptr& /*failure*/,
                                      const retry_context& /*ctx*/) const override {
    return retry_decision::fail;
  }
};

}  // namespace coodie
