#include "coodie/driver/retry.hpp"

namespace coodie {

namespace {

bool is_serial(consistency c) {
  return c == consistency::serial || c == consistency::local_serial;
}

}  // namespace

// The matrix (idempotent / not idempotent):
//   broken connection, overloaded, server error, truncate error: next host / fail
//   unavailable: next host once / next host once; never for a conditional statement, whose
//     commit phase may be what was unavailable after Paxos accepted its proposal
//   read timeout with enough replies but no data: same host once / same host once
//   write timeout of the batch log: same host once / fail
//   bootstrapping coordinator, no free stream id: next host / next host
//   anything at SERIAL or LOCAL_SERIAL (LWT), other timeouts, request errors: fail
retry_decision retry_policy::decide(const std::exception_ptr& failure,
                                    const retry_context& ctx) const {
  const bool once = ctx.retries == 0;
  try {
    std::rethrow_exception(failure);
  } catch (const busy_error&) {
    return retry_decision::next_host;
  } catch (const connection_error&) {
    return ctx.idempotent ? retry_decision::next_host : retry_decision::fail;
  } catch (const unavailable_error& e) {
    return once && !ctx.conditional && !is_serial(e.cl()) ? retry_decision::next_host
                                                          : retry_decision::fail;
  } catch (const read_timeout_error& e) {
    return once && !is_serial(e.info().cl) && e.info().received >= e.info().block_for &&
                   !e.data_present()
               ? retry_decision::same_host
               : retry_decision::fail;
  } catch (const write_timeout_error& e) {
    return once && ctx.idempotent && !is_serial(e.info().cl) && e.write_type() == "BATCH_LOG"
               ? retry_decision::same_host
               : retry_decision::fail;
  } catch (const is_bootstrapping_error&) {
    return retry_decision::next_host;
  } catch (const overloaded_error&) {
    return ctx.idempotent ? retry_decision::next_host : retry_decision::fail;
  } catch (const truncate_error&) {
    return ctx.idempotent ? retry_decision::next_host : retry_decision::fail;
  } catch (const server_error& e) {
    // 0x0000: the coordinator failed internally.
    return e.code() == 0x0000 && ctx.idempotent ? retry_decision::next_host : retry_decision::fail;
  } catch (...) {
    return retry_decision::fail;
  }
}

}  // namespace coodie
