// The operations rows of orm_bench (counter increments and batches, ODM against the raw driver).
//
// Example:
//   coodie::bench::operation_rows(sync_session, aio_session, cfg);
#pragma once

#include "coodie/orm/session.hpp"
#include "orm_measure.hpp"

namespace coodie::bench {

/// Prints the table rows "counter increment" and "batch of 10 rows", one at a time and with
/// cfg.inflight in flight (skipped unless cfg.only selects them).
void operation_rows(coodie::sync::session& s, coodie::aio::session& as, const settings& cfg);

}  // namespace coodie::bench
