#include "session_impl.hpp"

#include <algorithm>
#include <cstdio>
#include <random>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>

#include "coodie/driver/identifiers.hpp"
#include "exec_request.hpp"
#include "plan.hpp"
#include "routing.hpp"

namespace coodie::driver::detail {

namespace {

constexpr std::size_t max_cached_prepared = 16384;
/// Header, flags, consistency, page size, paging state length, timestamps: what a frame adds to
/// its text and values, rounded up so that encoding does not reallocate.
constexpr std::size_t frame_overhead = 64;

/// The OpenSSL context of a session: TLS 1.2 or later, the server verified against the CA.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const tls_options& o) {
  auto ctx = std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
  ctx->set_options(boost::asio::ssl::context::default_workarounds |
                   boost::asio::ssl::context::no_sslv2 | boost::asio::ssl::context::no_sslv3 |
                   boost::asio::ssl::context::no_tlsv1 | boost::asio::ssl::context::no_tlsv1_1);
  auto load = [](const char* what, const std::string& file, auto&& step) {
    boost::system::error_code ec;
    step(ec);
    if (ec) {
      throw usage_error(std::string("cannot load the TLS ") + what + " '" + file +
                        "': " + ec.message());
    }
  };
  if (o.ca_file.empty()) {
    load("default trust store", "", [&](auto& ec) { ctx->set_default_verify_paths(ec); });
  } else {
    load("CA file", o.ca_file, [&](auto& ec) { ctx->load_verify_file(o.ca_file, ec); });
  }
  if (!o.cert_file.empty()) {
    load("certificate file", o.cert_file,
         [&](auto& ec) { ctx->use_certificate_chain_file(o.cert_file, ec); });
  }
  if (!o.key_file.empty()) {
    load("key file", o.key_file, [&](auto& ec) {
      ctx->use_private_key_file(o.key_file, boost::asio::ssl::context::pem, ec);
    });
  }
  ctx->set_verify_mode(boost::asio::ssl::verify_peer);
  return ctx;
}

std::string cache_key(const std::string& keyspace, const std::string& cql) {
  std::string key;
  key.reserve(keyspace.size() + 1 + cql.size());
  key += keyspace;
  key.push_back('\x1f');
  key += cql;
  return key;
}

}  // namespace

session_impl::session_impl(boost::asio::any_io_executor ex, session_options options)
    : executor_(std::move(ex)),
      strand_(boost::asio::make_strand(executor_)),
      options_(std::make_shared<const session_options>(std::move(options))),
      keyspace_(options_->keyspace) {
  if (options_->hosts.empty()) {
    throw usage_error("session_options.hosts is empty: give at least one contact point");
  }
  for (const std::string& h : options_->hosts) {
    contact_points_.push_back(parse_endpoint(h, options_->port));
  }
  metrics_ = std::make_shared<session_metrics_data>();
  retry_ = options_->retry ? options_->retry : std::make_shared<const retry_policy>();
  if (options_->tls.enabled) {
    tls_context_ = make_tls_context(options_->tls);
  }
  if (!options_->discover_peers) {
    for (const endpoint& ep : contact_points_) {
      auto pool = std::make_shared<host_pool>();
      pool->ep = ep;
      pool->metrics = std::make_shared<host_metrics_data>();
      pool->metrics->address = ep.to_string();
      hosts_.push_back(std::move(pool));
    }
    update_metrics_hosts();
  }
  if (!keyspace_.empty()) {
    (void)quote_identifier(keyspace_);
  }
}

std::int64_t session_impl::next_timestamp() noexcept {
  std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::int64_t last = last_timestamp_.load(std::memory_order_relaxed);
  while (true) {
    std::int64_t next = std::max(now, last + 1);
    if (last_timestamp_.compare_exchange_weak(last, next, std::memory_order_relaxed)) {
      return next;
    }
  }
}

bool session_impl::on_io_thread() const {
  if (runner) {
    return runner->ctx.get_executor().running_in_this_thread();
  }
  if (const auto* io = executor_.target<boost::asio::io_context::executor_type>()) {
    return io->running_in_this_thread();
  }
  if (const auto* st =
          executor_.target<boost::asio::strand<boost::asio::io_context::executor_type>>()) {
    return st->get_inner_executor().running_in_this_thread();
  }
  return false;
}

std::string session_impl::keyspace() const {
  std::lock_guard lock(keyspace_mutex_);
  return keyspace_;
}

wire::query_parameters session_impl::parameters(const statement_options& o,
                                                const std::optional<page_state>& page) const {
  const session_options& opt = *options_;
  wire::query_parameters qp;
  qp.cl = o.cl.value_or(opt.default_consistency);
  qp.serial_consistency = o.serial_cl ? o.serial_cl : opt.default_serial_consistency;
  qp.page_size = o.page_size.value_or(opt.default_page_size);
  const page_state* ps = page ? &*page : (o.paging_state ? &*o.paging_state : nullptr);
  if (ps != nullptr && !ps->empty()) {
    qp.paging_state = ps->bytes();
  }
  if (o.timestamp) {
    qp.timestamp = o.timestamp;
  } else if (opt.client_timestamps) {
    qp.timestamp = const_cast<session_impl*>(this)->next_timestamp();
  }
  return qp;
}

std::shared_ptr<driver_session::request_spec> session_impl::build(
    const statement& st, const std::optional<page_state>& page) const {
  auto spec = std::make_shared<driver_session::request_spec>();
  spec->k = driver_session::request_spec::kind::query;
  const statement_options& o = st.options();
  spec->frame.reserve(frame_overhead + st.cql().size() + st.values().view().data.size());
  wire::write_query(spec->frame, 0, st.cql(), parameters(o, page), st.values().view());
  spec->cql = st.cql();
  spec->timeout = o.timeout.value_or(options_->request_timeout);
  spec->idempotent = o.idempotent;
  spec->conditional = o.conditional;
  spec->node = o.node;
  mark_tracing(*spec, o);
  return spec;
}

std::shared_ptr<driver_session::request_spec> session_impl::build(
    const bound_statement& st, const std::optional<page_state>& page) const {
  const prepared_statement& ps = st.prepared();
  if (!ps) {
    throw usage_error("the bound statement has no prepared statement");
  }
  ps.check_bound(st.values().size());
  auto spec = std::make_shared<driver_session::request_spec>();
  spec->k = driver_session::request_spec::kind::execute;
  const statement_options& o = st.options();
  spec->frame.reserve(frame_overhead + ps.data()->id.size() + st.values().view().data.size() +
                      (page ? page->bytes().size() : 0));
  wire::write_execute(spec->frame, 0, ps.data()->id, parameters(o, page), st.values().view());
  spec->timeout = o.timeout.value_or(options_->request_timeout);
  spec->idempotent = o.idempotent;
  spec->conditional = o.conditional;
  spec->node = o.node;
  mark_tracing(*spec, o);
  spec->prepared = ps.data();
  const prepared_data& pd = *ps.data();
  if (!pd.pk_indexes.empty() && pd.pk_indexes.front() < pd.variables.size()) {
    spec->token = routing_token(pd.pk_indexes, st.values().view());
    spec->routing_keyspace = pd.variables[pd.pk_indexes.front()].keyspace;
  }
  return spec;
}

std::shared_ptr<driver_session::request_spec> session_impl::build(const batch& b) const {
  auto spec = std::make_shared<driver_session::request_spec>();
  spec->k = driver_session::request_spec::kind::batch;
  std::vector<wire::batch_entry> entries;
  entries.reserve(b.size());
  for (const batch::entry& e : b.entries()) {
    wire::batch_entry be;
    if (e.simple) {
      be.cql = e.simple->cql();
      be.values = e.simple->values().view();
    } else {
      const prepared_statement& ps = e.bound->prepared();
      ps.check_bound(e.bound->values().size(), "batch entry ");
      be.is_prepared = true;
      be.id = ps.data()->id;
      be.values = e.bound->values().view();
      spec->batch_prepared.push_back(ps.data());
    }
    entries.push_back(be);
  }
  const statement_options& o = b.options();
  wire::batch_parameters bp;
  bp.cl = o.cl.value_or(options_->default_consistency);
  bp.serial_consistency = o.serial_cl ? o.serial_cl : options_->default_serial_consistency;
  if (o.timestamp) {
    bp.timestamp = o.timestamp;
  } else if (options_->client_timestamps) {
    bp.timestamp = const_cast<session_impl*>(this)->next_timestamp();
  }
  wire::write_batch(spec->frame, 0, b.type(), entries, bp);
  spec->timeout = o.timeout.value_or(options_->request_timeout);
  spec->idempotent = o.idempotent;
  spec->conditional = o.conditional;
  spec->node = o.node;
  mark_tracing(*spec, o);
  return spec;
}

void session_impl::mark_tracing(driver_session::request_spec& spec,
                                const statement_options& o) const {
  // The header's second byte holds its flags.
  if (o.tracing.value_or(options_->tracing) && spec.frame.size() > 1) {
    spec.frame[1] |= std::byte{wire::frame_flags::tracing};
  }
}

void session_impl::notify(const driver_session::request_spec& spec, const result& r) const {
  if (r.warnings().empty() && !r.trace_id()) {
    return;
  }
  // On the I/O thread: nothing here may throw past this function (the request must complete).
  try {
    response_notes notes;
    if (spec.prepared) {
      notes.statement = spec.prepared->cql;
    } else if (spec.k == driver_session::request_spec::kind::batch) {
      notes.statement = "BATCH";
      if (!spec.batch_prepared.empty()) {
        notes.statement += ": " + spec.batch_prepared.front()->cql;
      }
    } else {
      notes.statement = spec.cql;
    }
    notes.warnings = r.warnings();
    notes.trace_id = r.trace_id();
    if (options_->on_response_notes) {
      options_->on_response_notes(notes);
      return;
    }
    for (const std::string& w : notes.warnings) {
      std::fprintf(stderr, "coodie: server warning: %s (%s)\n", w.c_str(), notes.statement.c_str());
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): the callback's failure is not the request's
  }
}

void session_impl::connect(std::function<void(std::exception_ptr)> done) {
  if (!options_->discover_peers) {
    fill_pools(std::move(done));
    return;
  }
  std::weak_ptr<session_impl> weak = weak_from_this();
  open_control(contact_points_, 0, nullptr, [weak, done = std::move(done)](std::exception_ptr e) {
    auto self = weak.lock();
    if (!self) {
      return;
    }
    if (e) {
      if (self->control_) {
        auto c = std::move(self->control_);
        c->on_close = nullptr;
        c->close(e);
      }
      done(e);
      return;
    }
    self->fill_pools(done);
  });
}

void session_impl::fill_pools(std::function<void(std::exception_ptr)> done) {
  struct progress {
    std::size_t remaining = 1;
    bool any_ok = false;
    std::exception_ptr first_error;
    std::function<void(std::exception_ptr)> done;
  };
  auto p = std::make_shared<progress>();
  p->done = std::move(done);
  auto settle = [p]() {
    if (--p->remaining == 0) {
      p->done(p->any_ok ? nullptr
                        : (p->first_error ? p->first_error
                                          : std::make_exception_ptr(connection_error(
                                                "no host of the local data center is known"))));
    }
  };
  auto one_done = [p, settle](std::exception_ptr e) {
    if (e) {
      if (!p->first_error || (is_connection_error(p->first_error) && !is_connection_error(e))) {
        p->first_error = e;
      }
    } else {
      p->any_ok = true;
    }
    settle();
  };
  for (const host_ptr& pool : hosts_) {
    if (pool->remote && !options_->allow_remote_dc_fallback) {
      continue;
    }
    if (pool->reconnecting) {
      // Its timer is running: let the backoff decide, count what is there.
      p->any_ok = p->any_ok || pool->least_loaded() != nullptr;
      continue;
    }
    std::size_t wanted = wanted_connections(*pool);
    if (pool->connections.size() < wanted) {
      p->remaining += wanted - pool->connections.size();
      open_missing(pool, wanted - pool->connections.size(), one_done);
    }
    p->any_ok = p->any_ok || pool->least_loaded() != nullptr;
  }
  settle();
}

std::size_t session_impl::wanted_connections(const host_pool& pool) const noexcept {
  std::size_t per_host = std::max<std::size_t>(1, options_->connections_per_host);
  if (!pool.sharding) {
    return per_host;
  }
  std::size_t shards = pool.sharding->nr_shards;
  return (per_host + shards - 1) / shards * shards;
}

void session_impl::open_missing(const host_ptr& pool, std::size_t n,
                                const std::function<void(std::exception_ptr)>& done) {
  const auto& sh = pool->sharding;
  bool aware = sh && (tls_context_ ? sh->shard_aware_port_ssl : sh->shard_aware_port).has_value();
  if (!aware) {
    // Unsharded, or no shard-aware port: the server spreads new connections over its shards.
    for (std::size_t i = 0; i < n; ++i) {
      open_connection(pool, done);
    }
    return;
  }
  std::vector<std::uint32_t> have;
  for (const auto& c : pool->connections) {
    if (auto s = c->shard()) {
      have.push_back(*s);
    }
  }
  std::size_t per_shard = wanted_connections(*pool) / sh->nr_shards;
  std::vector<std::uint32_t> shards = shards_to_open(sh->nr_shards, per_shard, have, n);
  for (std::size_t i = 0; i < n; ++i) {
    open_connection(pool, done,
                    i < shards.size() ? std::optional<std::uint32_t>(shards[i]) : std::nullopt);
  }
}

void session_impl::open_connection(const host_ptr& pool,
                                   std::function<void(std::exception_ptr)> done,
                                   std::optional<std::uint32_t> shard) {
  endpoint ep = pool->ep;
  std::optional<shard_target> via;
  if (shard && pool->sharding) {
    const wire::sharding_info& sh = *pool->sharding;
    std::optional<std::uint16_t> port =
        tls_context_ ? sh.shard_aware_port_ssl : sh.shard_aware_port;
    if (port) {
      ep.port = *port;
      via = shard_target{*shard, sh.nr_shards};
    }
  }
  auto conn = std::make_shared<connection>(strand_, std::move(ep), options_, tls_context_);
  conn->host = pool.get();
  pool->connections.push_back(conn);
  std::weak_ptr<session_impl> weak = weak_from_this();
  std::weak_ptr<host_pool> wp = pool;
  auto remove = [weak, wp](connection* c) {
    auto pp = wp.lock();
    auto self = weak.lock();
    if (pp && self) {
      auto& v = pp->connections;
      v.erase(std::remove_if(v.begin(), v.end(), [c](const auto& x) { return x.get() == c; }),
              v.end());
      self->pool_changed(pp);
    }
  };
  conn->on_close = [weak, wp, remove](connection& c) {
    auto self = weak.lock();
    if (!self) {
      return;
    }
    remove(&c);
    if (auto pp = wp.lock()) {
      self->schedule_reconnect(pp);
    }
  };
  conn->async_open(
      keyspace(),
      [weak, wp, conn_raw = conn.get(), remove, done = std::move(done)](std::exception_ptr e) {
        if (e) {
          remove(conn_raw);
        } else if (auto pp = wp.lock()) {
          if (auto self = weak.lock()) {
            if (!pp->sharding && conn_raw->sharding()) {
              // The first connection to a ScyllaDB node: now the pool wants every shard.
              pp->sharding = conn_raw->sharding();
              self->schedule_reconnect(pp, true);
            }
            self->pool_changed(pp);
          }
        }
        done(e);
      },
      via);
}

void session_impl::schedule_reconnect(const host_ptr& pool, bool now) {
  if (closing_ || pool->removed || (pool->remote && !options_->allow_remote_dc_fallback) ||
      pool->connections.size() >= wanted_connections(*pool)) {
    return;
  }
  if (pool->reconnecting) {
    if (!now) {
      return;
    }
    pool->reconnect_timer->cancel();  // its handler sees reconnecting cleared by nobody: re-arm
  }
  pool->reconnecting = true;
  using std::chrono::milliseconds;
  milliseconds delay(0);
  if (!now) {
    bool eager = std::chrono::steady_clock::now() < pool->eager_until;
    pool->backoff = pool->backoff.count() == 0 || eager
                        ? options_->reconnect_base_delay
                        : std::min(pool->backoff * 2, options_->reconnect_max_delay);
    thread_local std::minstd_rand rng(std::random_device{}());
    delay = pool->backoff +
            milliseconds(std::uniform_int_distribution<long>(0, pool->backoff.count() / 5)(rng));
  }
  if (!pool->reconnect_timer) {
    pool->reconnect_timer = std::make_unique<boost::asio::steady_timer>(strand_);
  }
  pool->reconnect_timer->expires_after(delay);
  std::weak_ptr<session_impl> weak = weak_from_this();
  std::weak_ptr<host_pool> wp = pool;
  pool->reconnect_timer->async_wait(
      boost::asio::bind_executor(strand_, [weak, wp](boost::system::error_code ec) {
        auto self = weak.lock();
        auto pp = wp.lock();
        if (ec || !self || !pp || self->closing_ || pp->removed) {
          return;
        }
        std::size_t wanted = self->wanted_connections(*pp);
        auto missing =
            std::make_shared<std::size_t>(wanted - std::min(wanted, pp->connections.size()));
        if (*missing == 0) {
          pp->reconnecting = false;
          return;
        }
        auto ok = std::make_shared<bool>(false);
        std::size_t n = *missing;
        self->open_missing(pp, n, [weak, wp, missing, ok](std::exception_ptr e) {
          *ok = *ok || !e;
          if (--*missing != 0) {
            return;
          }
          auto s = weak.lock();
          auto p = wp.lock();
          if (!s || !p) {
            return;
          }
          p->reconnecting = false;
          if (*ok) {
            p->backoff = std::chrono::milliseconds(0);
          }
          s->schedule_reconnect(p);
        });
      }));
}

connection* session_impl::pick(const driver_session::request_spec& spec,
                               std::span<const host_pool* const> tried) {
  if (closing_ || hosts_.empty()) {
    return nullptr;
  }
  auto was_tried = [&](const host_pool* h) {
    return std::find(tried.begin(), tried.end(), h) != tried.end();
  };
  if (!spec.node.empty()) {
    for (const host_ptr& h : hosts_) {
      if ((h->ep.host == spec.node || h->ep.to_string() == spec.node) && !was_tried(h.get())) {
        return h->any_ready(spec.token);
      }
    }
    return nullptr;
  }
  std::span<const std::uint32_t> replicas;
  if (spec.token && options_->token_aware && murmur3_ && !token_map_.empty()) {
    replicas = token_map_.replicas(spec.routing_keyspace, *spec.token);
  }
  return plan_pick(
      hosts_, replicas, options_->allow_remote_dc_fallback, cursor_,
      [&](const host_pool& h) { return was_tried(&h); },
      [&](const host_pool& h) { return h.least_loaded(spec.token); });
}

std::string session_impl::unavailable_message() const {
  if (closing_) {
    return "the session is closed";
  }
  std::string hosts;
  for (const auto& pool : hosts_) {
    hosts += (hosts.empty() ? "" : ", ") + pool->ep.to_string();
  }
  if (hosts.empty()) {
    for (const auto& ep : contact_points_) {
      hosts += (hosts.empty() ? "" : ", ") + ep.to_string();
    }
  }
  return "no open connection to " + hosts + " (reconnecting)";
}

std::shared_ptr<const prepared_data> session_impl::find_prepared(std::string_view cql) const {
  thread_local std::string key;
  {
    std::lock_guard lock(keyspace_mutex_);
    key.assign(keyspace_);
  }
  key.push_back('\x1f');
  key.append(cql);
  std::lock_guard lock(prepared_mutex_);
  auto it = prepared_.find(std::string_view(key));
  return it == prepared_.end() ? nullptr : it->second;
}

void session_impl::forget_prepared() {
  std::lock_guard lock(prepared_mutex_);
  prepared_.clear();
}

void session_impl::prepare(std::string cql, prepared_callback done) {
  std::string key = cache_key(keyspace(), cql);
  std::shared_ptr<const prepared_data> cached;
  {
    std::lock_guard lock(prepared_mutex_);
    if (auto it = prepared_.find(key); it != prepared_.end()) {
      cached = it->second;
    }
  }
  if (cached) {
    done(nullptr, std::move(cached));
    return;
  }
  auto& waiters = preparing_[key];
  waiters.push_back(std::move(done));
  if (waiters.size() > 1) {
    return;
  }
  connection* conn = pick();
  if (conn == nullptr) {
    auto ws = std::move(waiters);
    preparing_.erase(key);
    auto e = std::make_exception_ptr(connection_error(unavailable_message()));
    for (auto& w : ws) {
      w(e, nullptr);
    }
    return;
  }
  send_prepare(std::move(key), std::move(cql), conn, true);
}

void session_impl::reprepare(const std::shared_ptr<const prepared_data>& data, connection* conn,
                             prepared_callback done) {
  std::string key = cache_key(data->keyspace, data->cql);
  auto& waiters = preparing_[key];
  waiters.push_back(std::move(done));
  if (waiters.size() > 1) {
    return;
  }
  send_prepare(std::move(key), data->cql, conn, false);
}

void session_impl::send_prepare(std::string key, std::string cql, connection* conn,
                                bool everywhere) {
  std::weak_ptr<session_impl> weak = weak_from_this();
  std::string ks = keyspace();
  host_pool* origin = conn->host;
  auto req = std::make_shared<callback_request>(
      [weak, key, cql, ks, origin, everywhere](std::exception_ptr e, response* resp) {
        auto self = weak.lock();
        if (!self) {
          return;
        }
        std::shared_ptr<const prepared_data> data;
        if (!e) {
          try {
            std::shared_ptr<result_data> r = parse_result(*resp);
            const auto* p = std::get_if<wire::prepared_result>(&r->parsed);
            if (p == nullptr) {
              throw protocol_error("PREPARE was answered with a RESULT that is not Prepared");
            }
            auto d = std::make_shared<prepared_data>();
            d->cql = cql;
            d->keyspace = ks;
            d->id.assign(p->id.begin(), p->id.end());
            d->pk_indexes = p->pk_indexes;
            d->variables = p->variables;
            d->result_columns = p->result.columns;
            data = std::move(d);
          } catch (...) {
            e = std::current_exception();
          }
        }
        if (data) {
          std::lock_guard lock(self->prepared_mutex_);
          if (self->prepared_.size() >= max_cached_prepared) {
            self->prepared_.erase(self->prepared_.begin());
          }
          self->prepared_[key] = data;
        }
        auto deliver = [weak, key, e, data]() {
          auto s = weak.lock();
          if (!s) {
            return;
          }
          auto node = s->preparing_.extract(key);
          if (!node.empty()) {
            for (auto& w : node.mapped()) {
              w(e, data);
            }
          }
        };
        if (data && everywhere) {
          // Prepare on every other host too, so the first request routed there does not meet
          // UNPREPARED; their failures only cost that round trip later.
          self->prepare_on_other_hosts(cql, origin, std::move(deliver));
          return;
        }
        deliver();
      });
  wire::write_prepare(req->frame, 0, cql);
  req->timeout = options_->request_timeout;
  conn->send(std::move(req));
}

void session_impl::prepare_on_other_hosts(const std::string& cql, const host_pool* origin,
                                          std::function<void()> done) {
  auto remaining = std::make_shared<std::size_t>(1);
  auto one_done = [remaining, done = std::move(done)]() {
    if (--*remaining == 0) {
      done();
    }
  };
  for (const host_ptr& h : hosts_) {
    connection* c = h.get() == origin ? nullptr : h->least_loaded();
    if (c == nullptr) {
      continue;
    }
    ++*remaining;
    auto req = std::make_shared<callback_request>(
        [one_done](std::exception_ptr /*e*/, response* /*resp*/) { one_done(); });
    wire::write_prepare(req->frame, 0, cql);
    req->timeout = options_->request_timeout;
    c->send(std::move(req));
  }
  one_done();
}

void session_impl::keyspace_changed(const std::string& ks, connection* origin,
                                    std::function<void()> done) {
  {
    std::lock_guard lock(keyspace_mutex_);
    keyspace_ = ks;
  }
  // The server runs the requests of one connection concurrently, so a USE sent ahead of a
  // query on the same connection may still run after it: the caller's USE completes only when
  // every other connection has answered its own.
  auto remaining = std::make_shared<std::size_t>(1);
  auto one_done = [remaining, done = std::move(done)]() {
    if (--*remaining == 0) {
      done();
    }
  };
  std::string use = "USE " + quote_identifier(ks);
  for (auto& pool : hosts_) {
    for (auto& c : pool->connections) {
      if (c.get() == origin || !c->is_ready()) {
        continue;
      }
      ++*remaining;
      std::weak_ptr<connection> weak_conn = c;
      auto req = std::make_shared<callback_request>(
          [weak_conn, one_done](std::exception_ptr e, response* r) {
            if (auto conn = weak_conn.lock()) {
              if (!e && r->header.op == wire::opcode::error) {
                e = wire::read_error(r->body);
              }
              if (e) {
                conn->close(e);  // a connection in another keyspace must not stay in the pool
              }
            }
            one_done();
          });
      wire::write_query(req->frame, 0, use, wire::query_parameters{}, {});
      req->timeout = options_->request_timeout;
      c->send(std::move(req));
    }
  }
  one_done();
}

void session_impl::take_slot() {
  auto running = static_cast<std::int64_t>(++running_);
  if (running > metrics_->peak_in_flight.load(std::memory_order_relaxed)) {
    metrics_->peak_in_flight.store(running, std::memory_order_relaxed);
  }
}

void session_impl::admit(std::shared_ptr<admitted_request> r) {
  const std::size_t limit = options_->max_in_flight;
  if (limit == 0 || (running_ < limit && waiting_.empty())) {
    take_slot();
    r->start();
    return;
  }
  if (closing_ || waiting_.size() >= options_->max_waiting) {
    auto e = std::make_exception_ptr(
        busy_error(closing_ ? std::string("the session is closing")
                            : "the session runs " + std::to_string(running_) +
                                  " requests (max_in_flight) and " +
                                  std::to_string(waiting_.size()) + " more wait (max_waiting)"));
    // Posted: the caller hears of it after admit() returns, as of any other answer.
    boost::asio::post(strand_, [r = std::move(r), e = std::move(e)] { r->reject(e); });
    return;
  }
  waiting_.push_back(std::move(r));
  metrics_->waiting.store(static_cast<std::int64_t>(waiting_.size()), std::memory_order_relaxed);
}

void session_impl::release() {
  --running_;
  if (waiting_.empty() || closing_ || running_ >= options_->max_in_flight) {
    return;
  }
  std::shared_ptr<admitted_request> next = std::move(waiting_.front());
  waiting_.pop_front();
  metrics_->waiting.store(static_cast<std::int64_t>(waiting_.size()), std::memory_order_relaxed);
  take_slot();
  // Posted, not inline: a request that ends inside start() would otherwise start the next one
  // from within it, as deep as the queue is long.
  boost::asio::post(strand_, [next = std::move(next)] { next->start(); });
}

void session_impl::close(std::function<void()> done) {
  closing_ = true;
  auto waiting = std::move(waiting_);
  waiting_.clear();
  metrics_->waiting.store(0, std::memory_order_relaxed);
  for (auto& r : waiting) {
    r->reject(std::make_exception_ptr(connection_error("the session was closed")));
  }
  std::vector<std::shared_ptr<connection>> all;
  for (auto* t : {control_timer_.get(), refresh_timer_.get()}) {
    if (t != nullptr) {
      t->cancel();
    }
  }
  if (control_) {
    control_->on_close = nullptr;
    control_->on_event = nullptr;
    all.push_back(std::move(control_));
  }
  for (auto& pool : hosts_) {
    for (auto* t : {pool->reconnect_timer.get(), pool->admit_timer.get()}) {
      if (t != nullptr) {
        t->cancel();
      }
    }
    for (auto& c : pool->connections) {
      all.push_back(c);
    }
  }
  auto reason = std::make_exception_ptr(connection_error("the session was closed"));
  for (auto& c : all) {
    c->close(reason);
  }
  for (auto& pool : hosts_) {
    pool->connections.clear();
  }
  done();
}

// ---------------------------------------------------------------------------------------------
// pager_state

void pager_state::next(pending<std::optional<result>> h) {
  if (!started_) {
    started_ = true;
    fetch();
  }
  if (ready_ || error_) {
    deliver(std::move(h));
    return;
  }
  if (done_ && !in_flight_) {
    h(nullptr, std::nullopt);
    return;
  }
  if (waiter_) {
    h(std::make_exception_ptr(usage_error("a pager can have one next() in progress at a time")),
      std::nullopt);
    return;
  }
  waiter_.emplace(std::move(h));
}

void pager_state::deliver(pending<std::optional<result>> h) {
  if (error_) {
    std::exception_ptr e = std::move(error_);
    error_ = nullptr;
    done_ = true;
    h(e, std::nullopt);
    return;
  }
  result r = std::move(*ready_);
  ready_.reset();
  if (r.has_more_pages()) {
    next_state_ = r.paging_state();
    fetch();
  } else {
    done_ = true;
  }
  h(nullptr, std::optional<result>(std::move(r)));
}

void pager_state::fetch() {
  in_flight_ = true;
  auto self = shared_from_this();
  auto on_done = [self](std::exception_ptr e, result r) {
    self->on_page(std::move(e), std::move(r));
  };
  std::shared_ptr<driver_session::request_spec> spec;
  try {
    spec = std::visit([&](const auto& st) { return session_->build(st, next_state_); }, statement_);
  } catch (...) {
    on_done(std::current_exception(), result());
    return;
  }
  submit_request(session_, std::move(spec), std::move(on_done));
}

void pager_state::on_page(std::exception_ptr e, result r) {
  in_flight_ = false;
  if (e) {
    error_ = std::move(e);
  } else {
    ready_ = std::move(r);
  }
  if (waiter_) {
    auto h = std::move(*waiter_);
    waiter_.reset();
    deliver(std::move(h));
  }
}

}  // namespace coodie::driver::detail
