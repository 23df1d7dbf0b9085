// The driver front of coodie_peer: coodie's driver session with the protocol's statements,
// prepared once and bound per operation, and every column of every row decoded by hand with
// row.get<T>(i) into the plain structs of coodie_peer_data.hpp. One operation at a time it
// calls execute (blocking); with more in flight, async_execute with completion callbacks.
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "coodie/coodie.hpp"
#include "coodie_peer.hpp"
#include "coodie_peer_data.hpp"

namespace coodie_peer {

namespace {

Product decode_product(const coodie::row& r) {
  return Product{r.get<coodie::uuid>(0), r.get<std::string>(1), r.get<std::string>(2),
                 r.get<std::string>(3),  r.get<double>(4),      r.get<std::vector<std::string>>(5),
                 r.get<std::string>(6)};
}
Review decode_review(const coodie::row& r) {
  return Review{r.get<coodie::uuid>(0), r.get<timestamp>(1), r.get<std::string>(2),
                r.get<std::int32_t>(3)};
}
Kv decode_kv(const coodie::row& r) {
  return Kv{r.get<std::int32_t>(0), r.get<coodie::blob>(1)};
}
coodie::bound_statement bind_product(const coodie::prepared_statement& ps, const Product& p) {
  return ps.bind(p.id, p.name, p.brand, p.category, p.price, p.tags, p.description);
}

// The workloads of one request per operation: make(n) is operation n's statement, take(r)
// decodes its answer (and throws when it is not what the workload expects).

/// insert, insert_ttl: a fresh product.
struct insert_workload {
  coodie::prepared_statement ps;
  [[nodiscard]] coodie::bound_statement make(long n) const {
    return bind_product(ps, fresh_product(n));
  }
  void take(const coodie::result&) const {}
};
/// insert_if_not_exists: a fresh product; the answer's [applied] column.
struct insert_lwt_workload {
  coodie::prepared_statement ps;
  [[nodiscard]] coodie::bound_statement make(long n) const {
    return bind_product(ps, fresh_product(n));
  }
  void take(const coodie::result& r) const { consume(r.front().get<bool>(0)); }
};
/// get: unpaged, as docs/driver.md tells a user to send a read that fits one page.
struct get_workload {
  coodie::prepared_statement ps;
  [[nodiscard]] coodie::bound_statement make(long n) const {
    coodie::bound_statement b = ps.bind(seed_product_id(n));
    b.set_page_size(0);
    return b;
  }
  void take(const coodie::result& r) const {
    if (r.size() != 1) {
      throw std::runtime_error("get: the seed product is missing (run coodie_peer setup)");
    }
    consume(decode_product(r.front()).name.size());
  }
};
struct find_partition_workload {
  coodie::prepared_statement ps;
  [[nodiscard]] coodie::bound_statement make(long n) const { return ps.bind(review_partition(n)); }
  void take(const coodie::result& r) const {
    std::vector<Review> rows;
    rows.reserve(r.size());
    for (coodie::row row : r) {
      rows.push_back(decode_review(row));
    }
    consume(rows.size());
  }
};
struct update_workload {
  coodie::prepared_statement ps;
  [[nodiscard]] coodie::bound_statement make(long n) const {
    return ps.bind(9.99, seed_product_id(n));
  }
  void take(const coodie::result&) const {}
};
struct batch10_workload {
  coodie::prepared_statement ps;
  [[nodiscard]] coodie::batch make(long) const {
    coodie::batch b(coodie::wire::batch_type::unlogged);
    for (int i = 0; i < batch_rows; ++i) {
      const Event e = fresh_event();
      b.add(ps.bind(e.id, e.event_type, e.payload));
    }
    return b;
  }
  void take(const coodie::result&) const {}
};
struct counter_workload {
  coodie::prepared_statement ps;
  [[nodiscard]] coodie::bound_statement make(long n) const { return ps.bind(page_url(n)); }
  void take(const coodie::result&) const {}
};
struct kv_insert_workload {
  coodie::prepared_statement ps;
  coodie::blob value = kv_value();
  [[nodiscard]] coodie::bound_statement make(long n) const {
    return ps.bind(static_cast<std::int32_t>(n % kv_keys), value);
  }
  void take(const coodie::result&) const {}
};
/// driver_select_paged (page size 5000) and driver_select_unpaged (page size 0).
struct kv_select_workload {
  coodie::prepared_statement ps;
  std::int32_t page_size = 0;
  [[nodiscard]] coodie::bound_statement make(long n) const {
    coodie::bound_statement b = ps.bind(static_cast<std::int32_t>(n % kv_keys));
    b.set_page_size(page_size);
    return b;
  }
  void take(const coodie::result& r) const {
    for (coodie::row row : r) {
      consume(decode_kv(row).v.size());
    }
  }
};

/// w.take(r), its failure as an exception_ptr (completion callbacks must not throw).
template <class W>
std::exception_ptr take_guarded(const W& w, const coodie::result& r) noexcept {
  try {
    w.take(r);
    return nullptr;
  } catch (...) {
    return std::current_exception();
  }
}

/// The cell of a blocking op(n) at --inflight 1, or of a callback op(n, done) with more.
template <class BlockingOp, class AsyncOp>
outcome cell(const run_config& cfg, const BlockingOp& blocking, const AsyncOp& async) {
  if (cfg.inflight == 1) {
    return measure([&] { run_blocking(cfg.warmup, blocking); },
                   [&] { return run_blocking(cfg.seconds, blocking); });
  }
  return measure([&] { run_callbacks(cfg.inflight, cfg.warmup, async); },
                 [&] { return run_callbacks(cfg.inflight, cfg.seconds, async); });
}

/// The cell of a workload of one request per operation.
template <class W>
outcome single_request_cell(const run_config& cfg, coodie::driver_session& db, const W& w) {
  auto blocking = [&](long n) { w.take(db.execute(w.make(n))); };
  auto async = [&](long n, auto done) {
    db.async_execute(w.make(n), [&w, done](std::exception_ptr e, coodie::result r) {
      done(e ? e : take_guarded(w, r));
    });
  };
  return cell(cfg, blocking, async);
}

/// save_delete: an insert of a fresh product, then the delete of its row.
outcome save_delete_cell(const run_config& cfg, coodie::driver_session& db) {
  const coodie::prepared_statement insert = db.prepare(insert_product_cql);
  const coodie::prepared_statement remove = db.prepare(delete_product_cql);
  auto blocking = [&](long n) {
    const Product p = fresh_product(n);
    db.execute(bind_product(insert, p));
    db.execute(remove.bind(p.id));
  };
  auto async = [&](long n, auto done) {
    const Product p = fresh_product(n);
    db.async_execute(bind_product(insert, p),
                     [&db, &remove, id = p.id, done](std::exception_ptr e, coodie::result) {
                       if (e) {
                         done(e);
                         return;
                       }
                       db.async_execute(remove.bind(id), [done](std::exception_ptr e2,
                                                                coodie::result) { done(e2); });
                     });
  };
  return cell(cfg, blocking, async);
}

/// Reads iterate_rows page by page until its end or the deadline.
records scan(coodie::driver_session& db, const coodie::prepared_statement& ps,
             clock_type::time_point deadline) {
  scan_record rec(deadline);
  try {
    coodie::bound_statement st = ps.bind();
    st.set_page_size(5000);
    coodie::pager pages = db.pages(std::move(st));
    bool more = true;
    while (std::optional<coodie::result> page = more ? pages.next() : std::nullopt) {
      for (coodie::row row : *page) {
        const IterateRow r{row.get<std::int32_t>(0), row.get<std::int32_t>(1),
                           row.get<std::string>(2)};
        more = rec.row_read(r.c, r.v.size(), page->size());
      }
    }
  } catch (...) {
    rec.failed(std::current_exception());
  }
  return rec.take();
}

}  // namespace

outcome run_driver(const run_config& cfg, const coodie::session_options& o) {
  coodie::driver_session db = coodie::driver_session::connect(o);
  const std::string& w = cfg.workload;
  auto prepared = [&](const char* cql) { return db.prepare(cql); };
  if (w == "insert") {
    return single_request_cell(cfg, db, insert_workload{prepared(insert_product_cql)});
  }
  if (w == "insert_ttl") {
    return single_request_cell(cfg, db, insert_workload{prepared(insert_product_ttl_cql)});
  }
  if (w == "insert_if_not_exists") {
    return single_request_cell(cfg, db, insert_lwt_workload{prepared(insert_product_lwt_cql)});
  }
  if (w == "get") {
    return single_request_cell(cfg, db, get_workload{prepared(select_product_cql)});
  }
  if (w == "find_partition") {
    return single_request_cell(cfg, db, find_partition_workload{prepared(select_reviews_cql)});
  }
  if (w == "update") {
    return single_request_cell(cfg, db, update_workload{prepared(update_price_cql)});
  }
  if (w == "save_delete") {
    return save_delete_cell(cfg, db);
  }
  if (w == "batch10") {
    return single_request_cell(cfg, db, batch10_workload{prepared(insert_event_cql)});
  }
  if (w == "counter_increment") {
    return single_request_cell(cfg, db, counter_workload{prepared(increment_cql)});
  }
  if (w == "driver_insert") {
    return single_request_cell(cfg, db, kv_insert_workload{prepared(insert_kv_cql)});
  }
  if (w == "driver_select_paged") {
    return single_request_cell(cfg, db, kv_select_workload{prepared(select_kv_cql), 5000});
  }
  if (w == "driver_select_unpaged") {
    return single_request_cell(cfg, db, kv_select_workload{prepared(select_kv_cql), 0});
  }
  if (w == "iterate") {
    const coodie::prepared_statement ps = prepared(select_iterate_cql);
    return measure([&] { scan(db, ps, deadline_after(cfg.warmup)); },
                   [&] { return scan(db, ps, no_deadline); });
  }
  throw unsupported("the driver front does not offer workload " + w);
}

}  // namespace coodie_peer
