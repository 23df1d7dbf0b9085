// The aio front of coodie_peer: the ODM's calls as coroutines (coodie::aio::session), --inflight
// lanes co_spawned on the session's executor, each awaiting its next operation until the time
// is up. Each operation is a small struct with a member coroutine, so every lane holds its own
// copy and no capturing lambda is ever awaited; values are named before co_await (GCC 12).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include "coodie/coodie.hpp"
#include "coodie_peer.hpp"
#include "coodie_peer_data.hpp"

namespace coodie_peer {

namespace {

using coodie::col;
using awaitable = boost::asio::awaitable<void>;

struct insert_op {
  coodie::aio::session* s;
  awaitable operator()(long n) const {
    const Product p = fresh_product(n);
    co_await s->save(p);
  }
};
struct insert_ttl_op {
  coodie::aio::session* s;
  awaitable operator()(long n) const {
    const Product p = fresh_product(n);
    const coodie::write_options ttl{.ttl = 60};
    co_await s->save(p, ttl);
  }
};
struct insert_if_not_exists_op {
  coodie::aio::session* s;
  awaitable operator()(long n) const {
    const Product p = fresh_product(n);
    const coodie::lwt_result<Product> r = co_await s->insert(p);
    consume(r.applied);
  }
};
struct get_op {
  coodie::aio::session* s;
  awaitable operator()(long n) const {
    const coodie::uuid id = seed_product_id(n);
    const Product p = co_await s->get<Product>(id);
    consume(p.name.size());
  }
};
struct find_partition_op {
  coodie::aio::session* s;
  awaitable operator()(long n) const {
    const coodie::aio::query<Review> q =
        s->find<Review>().where(col<&Review::product_id> == review_partition(n));
    const std::vector<Review> rows = co_await q.all();
    consume(rows.size());
  }
};
struct update_op {
  coodie::aio::session* s;
  const std::vector<Product>* products;
  awaitable operator()(long n) const {
    const Product& p = (*products)[static_cast<std::size_t>(n % seed_products)];
    co_await s->update(p, coodie::members<&Product::price>);
  }
};
struct save_delete_op {
  coodie::aio::session* s;
  awaitable operator()(long n) const {
    const Product p = fresh_product(n);
    co_await s->save(p);
    co_await s->remove(p);
  }
};
struct batch10_op {
  coodie::aio::session* s;
  awaitable operator()(long) const {
    coodie::write_batch b = event_batch(*s);
    co_await s->execute(std::move(b));
  }
};
struct counter_increment_op {
  coodie::aio::session* s;
  awaitable operator()(long n) const {
    const PageViews page{page_url(n)};
    coodie::counter_change<PageViews> by = coodie::by<&PageViews::views>(1);
    co_await s->increment(page, std::move(by));
  }
};

/// Reads iterate_rows through a stream until its end or the deadline, a page at a time.
boost::asio::awaitable<records> scan(coodie::aio::session s, clock_type::time_point deadline) {
  scan_record rec(deadline);
  try {
    const coodie::aio::query<IterateRow> q = s.find<IterateRow>().fetch_size(5000);
    coodie::aio::stream<IterateRow> rows = co_await q.stream();
    while (IterateRow* r = co_await rows.next()) {
      if (!rec.row_read(r->c, r->v.size(), rows.rows_held())) {
        break;
      }
    }
  } catch (...) {
    rec.failed(std::current_exception());
  }
  co_return rec.take();
}

/// The cell of a workload whose operation n is `co_await op(n)`, in cfg.inflight lanes.
template <class Op>
outcome lanes_cell(const run_config& cfg, const boost::asio::any_io_executor& ex, const Op& op) {
  return measure([&] { run_lanes(ex, cfg.inflight, cfg.warmup, op); },
                 [&] { return run_lanes(ex, cfg.inflight, cfg.seconds, op); });
}

}  // namespace

outcome run_aio(const run_config& cfg, const coodie::session_options& o) {
  const std::string& w = cfg.workload;
  if (w.starts_with("driver_")) {
    throw unsupported(w + " runs on the driver front only");
  }
  // A driver session with an I/O thread of its own; the lanes run on its executor.
  coodie::aio::session s(coodie::driver_session::connect(o));
  const boost::asio::any_io_executor ex = s.driver().get_executor();
  coodie::aio::session* sp = &s;
  if (w == "insert") {
    return lanes_cell(cfg, ex, insert_op{sp});
  }
  if (w == "insert_ttl") {
    return lanes_cell(cfg, ex, insert_ttl_op{sp});
  }
  if (w == "insert_if_not_exists") {
    return lanes_cell(cfg, ex, insert_if_not_exists_op{sp});
  }
  if (w == "get") {
    return lanes_cell(cfg, ex, get_op{sp});
  }
  if (w == "find_partition") {
    return lanes_cell(cfg, ex, find_partition_op{sp});
  }
  if (w == "update") {
    const std::vector<Product> products = seed_product_list();
    return lanes_cell(cfg, ex, update_op{sp, &products});
  }
  if (w == "save_delete") {
    return lanes_cell(cfg, ex, save_delete_op{sp});
  }
  if (w == "batch10") {
    return lanes_cell(cfg, ex, batch10_op{sp});
  }
  if (w == "counter_increment") {
    return lanes_cell(cfg, ex, counter_increment_op{sp});
  }
  if (w == "iterate") {
    auto scan_until = [&](clock_type::time_point deadline) {
      return boost::asio::co_spawn(ex, scan(s, deadline), boost::asio::use_future).get();
    };
    return measure([&] { scan_until(deadline_after(cfg.warmup)); },
                   [&] { return scan_until(no_deadline); });
  }
  throw unsupported("the aio front does not offer workload " + w);
}

}  // namespace coodie_peer
