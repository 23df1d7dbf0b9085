// The sync front of coodie_peer: the ODM's blocking calls (coodie::sync::session) on the models
// of coodie_peer_data.hpp, one operation at a time, as a user of coodie writes them.
#include <cstdint>
#include <string>
#include <vector>

#include "coodie/coodie.hpp"
#include "coodie_peer.hpp"
#include "coodie_peer_data.hpp"

namespace coodie_peer {

namespace {

using coodie::col;

/// The cell of a workload whose operation n is op(n).
template <class Op>
outcome blocking_cell(const run_config& cfg, const Op& op) {
  return measure([&] { run_blocking(cfg.warmup, op); },
                 [&] { return run_blocking(cfg.seconds, op); });
}

/// Reads iterate_rows through a stream until its end or the deadline, a page at a time.
records scan(coodie::sync::session& s, clock_type::time_point deadline) {
  scan_record rec(deadline);
  try {
    coodie::sync::stream<IterateRow> rows = s.find<IterateRow>().fetch_size(5000).stream();
    while (IterateRow* r = rows.next()) {
      if (!rec.row_read(r->c, r->v.size(), rows.rows_held())) {
        break;
      }
    }
  } catch (...) {
    rec.failed(std::current_exception());
  }
  return rec.take();
}

}  // namespace

outcome run_sync(const run_config& cfg, const coodie::session_options& o) {
  if (cfg.inflight != 1) {
    throw unsupported("the sync front is blocking: it runs --inflight 1 only");
  }
  const std::string& w = cfg.workload;
  if (w.starts_with("driver_")) {
    throw unsupported(w + " runs on the driver front only");
  }
  coodie::sync::session s = coodie::sync::connect(o);
  if (w == "insert") {
    return blocking_cell(cfg, [&](long n) { s.save(fresh_product(n)); });
  }
  if (w == "insert_ttl") {
    return blocking_cell(cfg, [&](long n) { s.save(fresh_product(n), {.ttl = 60}); });
  }
  if (w == "insert_if_not_exists") {
    return blocking_cell(cfg, [&](long n) { consume(s.insert(fresh_product(n)).applied); });
  }
  if (w == "get") {
    return blocking_cell(cfg, [&](long n) {
      const Product p = s.get<Product>(seed_product_id(n));
      consume(p.name.size());
    });
  }
  if (w == "find_partition") {
    return blocking_cell(cfg, [&](long n) {
      const std::vector<Review> rows =
          s.find<Review>().where(col<&Review::product_id> == review_partition(n)).all();
      consume(rows.size());
    });
  }
  if (w == "update") {
    const std::vector<Product> products = seed_product_list();
    return blocking_cell(cfg, [&](long n) {
      s.update(products[static_cast<std::size_t>(n % seed_products)],
               coodie::members<&Product::price>);
    });
  }
  if (w == "save_delete") {
    return blocking_cell(cfg, [&](long n) {
      const Product p = fresh_product(n);
      s.save(p);
      s.remove(p);
    });
  }
  if (w == "batch10") {
    return blocking_cell(cfg, [&](long) { s.execute(event_batch(s)); });
  }
  if (w == "counter_increment") {
    return blocking_cell(cfg, [&](long n) {
      s.increment(PageViews{page_url(n)}, coodie::by<&PageViews::views>(1));
    });
  }
  if (w == "iterate") {
    return measure([&] { scan(s, deadline_after(cfg.warmup)); },
                   [&] { return scan(s, no_deadline); });
  }
  throw unsupported("the sync front does not offer workload " + w);
}

}  // namespace coodie_peer
