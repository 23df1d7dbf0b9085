// The operations and vector search rows of orm_bench (counter increments, batches and ANN
// queries, ODM against the raw driver).
//
// Example:
//   coodie::bench::operation_rows(sync_session, aio_session, cfg);
//   coodie::bench::ann_rows(sync_session, aio_session, cfg);
#pragma once

#include "coodie/orm/session.hpp"
#include "orm_measure.hpp"

namespace coodie::bench {

/// Prints the table rows "counter increment" and "batch of 10 rows", one at a time and with
/// cfg.inflight in flight (skipped unless cfg.only selects them).
void operation_rows(coodie::sync::session& s, coodie::aio::session& as, const settings& cfg);

/// Prints the rows "ANN top 10" (whole documents, and id + similarity_cosine), one at a time,
/// and the first with min(cfg.inflight, 8) in flight (orm_bench_ann.cpp; skipped unless cfg.only
/// selects them). Loads 2,000 64-dimensional documents into coodie_bench.bench_ann_doc once.
void ann_rows(coodie::sync::session& s, coodie::aio::session& as, const settings& cfg);

}  // namespace coodie::bench
