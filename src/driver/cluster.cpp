// The cluster side of a session: the control connection, discovery of the nodes from
// system.local and system.peers_v2 (or system.peers), the token map and keyspace replication,
// topology/status/schema events, and the schema-agreement wait after DDL.
#include <algorithm>
#include <map>
#include <random>

#include <boost/asio/bind_executor.hpp>

#include "exec_request.hpp"
#include "session_impl.hpp"

namespace coodie::driver::detail {

namespace {

constexpr std::string_view murmur3_partitioner = "org.apache.cassandra.dht.Murmur3Partitioner";

/// Whether a result has a column of that name (system tables differ between versions).
bool has_column(const result& r, std::string_view name) {
  const auto& cols = r.columns();
  return std::any_of(cols.begin(), cols.end(), [&](const auto& c) { return c.name == name; });
}

template <class T>
std::optional<T> optional_column(const result& r, const row& rw, std::string_view name) {
  if (!has_column(r, name)) {
    return std::nullopt;
  }
  return rw.get<std::optional<T>>(name);
}

std::vector<std::int64_t> tokens_of(const result& r, const row& rw) {
  std::vector<std::int64_t> out;
  if (auto texts = optional_column<std::vector<std::string>>(r, rw, "tokens")) {
    out.reserve(texts->size());
    for (const std::string& t : *texts) {
      out.push_back(parse_token(t));
    }
  }
  return out;
}

/// A peers row's address: native_address (peers_v2) or rpc_address (peers); none when null or
/// the wildcard 0.0.0.0 / ::, which says nothing about where to connect.
std::optional<endpoint> peer_endpoint(const result& r, const row& rw, std::uint16_t default_port) {
  std::optional<inet> addr = optional_column<inet>(r, rw, "native_address");
  std::optional<std::int32_t> port = optional_column<std::int32_t>(r, rw, "native_port");
  if (!addr) {
    addr = optional_column<inet>(r, rw, "rpc_address");
  }
  if (!addr || *addr == inet() || addr->to_string() == "::") {
    return std::nullopt;
  }
  endpoint ep;
  ep.host = addr->to_string();
  ep.port =
      (port && *port > 0 && *port <= 65535) ? static_cast<std::uint16_t>(*port) : default_port;
  return ep;
}

wire::query_parameters one_parameters() {
  wire::query_parameters qp;
  qp.cl = consistency::one;
  return qp;
}

bool same_endpoint(const endpoint& a, const endpoint& b) {
  return a.host == b.host && a.port == b.port;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Control connection

void session_impl::open_control(std::vector<endpoint> candidates, std::size_t index,
                                std::exception_ptr first_error,
                                std::function<void(std::exception_ptr)> done) {
  if (closing_) {
    done(std::make_exception_ptr(connection_error("the session was closed")));
    return;
  }
  if (index >= candidates.size()) {
    done(first_error ? first_error
                     : std::make_exception_ptr(connection_error("no contact point to connect to")));
    return;
  }
  endpoint ep = candidates[index];
  auto conn = std::make_shared<connection>(strand_, ep, options_, tls_context_);
  std::weak_ptr<session_impl> weak = weak_from_this();
  conn->async_open("", [weak, conn, candidates = std::move(candidates), index, first_error,
                        done = std::move(done)](std::exception_ptr e) mutable {
    auto self = weak.lock();
    if (!self) {
      return;
    }
    // Credentials and protocol errors are the same on every node: report them at once.
    if (e && !is_connection_error(e)) {
      done(e);
      return;
    }
    if (e) {
      self->open_control(std::move(candidates), index + 1, first_error ? first_error : e,
                         std::move(done));
      return;
    }
    self->control_ = conn;
    conn->on_event = [weak](const wire::event& ev) {
      if (auto s = weak.lock()) {
        s->on_event(ev);
      }
    };
    conn->on_close = [weak](connection& c) {
      auto s = weak.lock();
      if (s && s->control_.get() == &c) {
        s->control_lost();
      }
    };
    auto reg = std::make_shared<callback_request>(
        [weak, done = std::move(done)](std::exception_ptr err, response* resp) mutable {
          auto s = weak.lock();
          if (!s) {
            return;
          }
          if (!err && resp->header.op == wire::opcode::error) {
            err = wire::read_error(resp->body);
          }
          if (err) {
            done(err);
            return;
          }
          s->refresh_topology(std::move(done));
        });
    wire::write_register(reg->frame, 0, {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"});
    reg->timeout = self->options_->request_timeout;
    conn->send(std::move(reg));
  });
}

void session_impl::control_lost() {
  control_.reset();
  if (!closing_) {
    reconnect_control();
  }
}

void session_impl::reconnect_control() {
  using std::chrono::milliseconds;
  control_backoff_ = control_backoff_.count() == 0
                         ? milliseconds(0)
                         : std::min(std::max(control_backoff_ * 2, options_->reconnect_base_delay),
                                    options_->reconnect_max_delay);
  if (!control_timer_) {
    control_timer_ = std::make_unique<boost::asio::steady_timer>(strand_);
  }
  control_timer_->expires_after(control_backoff_);
  if (control_backoff_.count() == 0) {
    control_backoff_ = options_->reconnect_base_delay;
  }
  std::weak_ptr<session_impl> weak = weak_from_this();
  control_timer_->async_wait(
      boost::asio::bind_executor(strand_, [weak](boost::system::error_code ec) {
        auto self = weak.lock();
        if (ec || !self || self->closing_ || self->control_) {
          return;
        }
        // Hosts that have a ready pool first, then the others, then the contact points.
        std::vector<endpoint> candidates;
        for (const host_ptr& h : self->hosts_) {
          if (!h->remote && h->least_loaded() != nullptr) {
            candidates.push_back(h->ep);
          }
        }
        for (const host_ptr& h : self->hosts_) {
          if (h->least_loaded() == nullptr) {
            candidates.push_back(h->ep);
          }
        }
        for (const endpoint& ep : self->contact_points_) {
          candidates.push_back(ep);
        }
        self->open_control(std::move(candidates), 0, nullptr, [weak](std::exception_ptr e) {
          auto s = weak.lock();
          if (!s || s->closing_) {
            return;
          }
          if (e) {
            if (s->control_) {
              s->control_->close(e);  // registered but could not read the topology: try again
            } else {
              s->reconnect_control();
            }
            return;
          }
          s->control_backoff_ = std::chrono::milliseconds(0);
          s->fill_pools([](std::exception_ptr) {});
        });
      }));
}

void session_impl::control_query(std::string cql,
                                 std::function<void(std::exception_ptr, result)> done) {
  if (!control_ || !control_->is_ready()) {
    done(std::make_exception_ptr(connection_error("the control connection is not open")), result());
    return;
  }
  auto req = std::make_shared<callback_request>(
      [done = std::move(done)](std::exception_ptr e, response* resp) {
        if (e) {
          done(e, result());
          return;
        }
        try {
          done(nullptr, result(parse_result(*resp)));
        } catch (...) {
          done(std::current_exception(), result());
        }
      });
  wire::write_query(req->frame, 0, cql, one_parameters(), {});
  req->timeout = options_->request_timeout;
  control_->send(std::move(req));
}

// ---------------------------------------------------------------------------------------------
// Topology

void session_impl::refresh_topology(std::function<void(std::exception_ptr)> done) {
  std::weak_ptr<session_impl> weak = weak_from_this();
  control_query(
      "SELECT * FROM system.local WHERE key = 'local'",
      [weak, done = std::move(done)](std::exception_ptr e, result local) mutable {
        auto self = weak.lock();
        if (!self) {
          return;
        }
        if (e) {
          done(e);
          return;
        }
        auto infos = std::make_shared<std::vector<host_info>>();
        try {
          if (local.empty()) {
            throw protocol_error("system.local has no row");
          }
          row rw = local.front();
          host_info me;
          std::optional<endpoint> ep = peer_endpoint(local, rw, self->options_->port);
          me.ep = ep.value_or(self->control_->remote());
          if (auto port = optional_column<std::int32_t>(local, rw, "rpc_port")) {
            if (*port > 0 && *port <= 65535) {
              me.ep.port = static_cast<std::uint16_t>(*port);
            }
          }
          me.dc = optional_column<std::string>(local, rw, "data_center").value_or("");
          me.rack = optional_column<std::string>(local, rw, "rack").value_or("");
          me.tokens = tokens_of(local, rw);
          self->murmur3_ = optional_column<std::string>(local, rw, "partitioner").value_or("") ==
                           murmur3_partitioner;
          if (self->local_dc_.empty()) {
            self->local_dc_ = self->options_->local_dc.empty() ? me.dc : self->options_->local_dc;
          }
          infos->push_back(std::move(me));
        } catch (...) {
          done(std::current_exception());
          return;
        }
        auto on_peers = [weak, infos, done = std::move(done)](std::exception_ptr err,
                                                              result peers) mutable {
          auto s = weak.lock();
          if (!s) {
            return;
          }
          if (err) {
            done(err);
            return;
          }
          try {
            for (row rw : peers) {
              std::optional<endpoint> ep = peer_endpoint(peers, rw, s->options_->port);
              if (!ep) {
                continue;  // a peer without a usable native address cannot be reached
              }
              host_info h;
              h.ep = *ep;
              h.dc = optional_column<std::string>(peers, rw, "data_center").value_or("");
              h.rack = optional_column<std::string>(peers, rw, "rack").value_or("");
              h.tokens = tokens_of(peers, rw);
              infos->push_back(std::move(h));
            }
          } catch (...) {
            done(std::current_exception());
            return;
          }
          s->apply_topology(std::move(*infos));
          s->refresh_keyspaces(std::move(done));
        };
        self->control_query(
            "SELECT * FROM system.peers_v2",
            [weak, on_peers = std::move(on_peers)](std::exception_ptr err, result peers) mutable {
              auto s = weak.lock();
              if (!s) {
                return;
              }
              bool missing = false;
              if (err) {
                try {
                  std::rethrow_exception(err);
                } catch (const invalid_query_error&) {
                  missing = true;  // before Cassandra 4.0, and ScyllaDB: system.peers only
                } catch (...) {
                }
              }
              if (missing) {
                s->control_query("SELECT * FROM system.peers", std::move(on_peers));
              } else {
                on_peers(err, std::move(peers));
              }
            });
      });
}

void session_impl::refresh_keyspaces(std::function<void(std::exception_ptr)> done) {
  std::weak_ptr<session_impl> weak = weak_from_this();
  control_query("SELECT keyspace_name, replication FROM system_schema.keyspaces",
                [weak, done = std::move(done)](std::exception_ptr e, result r) {
                  auto self = weak.lock();
                  if (!self) {
                    return;
                  }
                  if (e) {
                    done(e);
                    return;
                  }
                  try {
                    std::unordered_map<std::string, replication> ks;
                    for (row rw : r) {
                      auto name = rw.get<std::string>(0);
                      auto map = rw.get<std::map<std::string, std::string>>(1);
                      std::vector<std::pair<std::string, std::string>> options(map.begin(),
                                                                               map.end());
                      ks.emplace(name, replication::parse(name, options));
                    }
                    self->keyspaces_ = std::move(ks);
                    self->rebuild_token_map();
                  } catch (...) {
                    done(std::current_exception());
                    return;
                  }
                  done(nullptr);
                });
}

host_ptr session_impl::find_host(const endpoint& ep) const {
  for (const host_ptr& h : hosts_) {
    if (same_endpoint(h->ep, ep)) {
      return h;
    }
  }
  return nullptr;
}

void session_impl::apply_topology(std::vector<host_info> infos) {
  std::vector<host_ptr> next;
  next.reserve(infos.size());
  for (host_info& info : infos) {
    host_ptr h = find_host(info.ep);
    if (!h) {
      h = std::make_shared<host_pool>();
      h->ep = info.ep;
      h->metrics = std::make_shared<host_metrics_data>();
      h->metrics->address = info.ep.to_string();
    }
    h->dc = std::move(info.dc);
    h->rack = std::move(info.rack);
    h->tokens = std::move(info.tokens);
    h->remote = !local_dc_.empty() && !h->dc.empty() && h->dc != local_dc_;
    {
      std::lock_guard lock(metrics_mutex_);
      h->metrics->dc = h->dc;
      h->metrics->rack = h->rack;
    }
    next.push_back(std::move(h));
  }
  // Hosts that left the cluster (or that were contact points known by another name).
  auto reason = std::make_exception_ptr(connection_error("the host left the cluster"));
  for (const host_ptr& old : hosts_) {
    if (std::find(next.begin(), next.end(), old) == next.end()) {
      old->removed = true;
      if (old->reconnect_timer) {
        old->reconnect_timer->cancel();
      }
      auto conns = std::move(old->connections);
      for (auto& c : conns) {
        c->close(reason);
      }
    }
  }
  hosts_ = std::move(next);
  update_metrics_hosts();
}

void session_impl::rebuild_token_map() {
  std::vector<ring_host> ring;
  std::vector<std::vector<std::int64_t>> tokens;
  ring.reserve(hosts_.size());
  tokens.reserve(hosts_.size());
  for (const host_ptr& h : hosts_) {
    ring.push_back(ring_host{h->dc, h->rack});
    tokens.push_back(h->tokens);
  }
  token_map map(std::move(ring), tokens);
  for (const auto& [name, rep] : keyspaces_) {
    map.set_keyspace(name, rep);
  }
  token_map_ = std::move(map);
}

void session_impl::schedule_topology_refresh() {
  if (refresh_scheduled_ || closing_) {
    return;
  }
  refresh_scheduled_ = true;
  if (!refresh_timer_) {
    refresh_timer_ = std::make_unique<boost::asio::steady_timer>(strand_);
  }
  // Events come in bursts (a node joining sends several): read the tables once per second.
  refresh_timer_->expires_after(std::chrono::seconds(1));
  std::weak_ptr<session_impl> weak = weak_from_this();
  refresh_timer_->async_wait(
      boost::asio::bind_executor(strand_, [weak](boost::system::error_code ec) {
        auto self = weak.lock();
        if (!self) {
          return;
        }
        self->refresh_scheduled_ = false;
        if (ec || self->closing_) {
          return;
        }
        self->refresh_topology([weak](std::exception_ptr e) {
          auto s = weak.lock();
          if (!s || s->closing_) {
            return;
          }
          if (e) {
            s->schedule_topology_refresh();  // try again; the control connection may be moving
            return;
          }
          s->fill_pools([](std::exception_ptr) {});
        });
      }));
}

void session_impl::on_event(const wire::event& ev) {
  if (ev.type == "SCHEMA_CHANGE") {
    if (ev.schema.target == "KEYSPACE") {
      refresh_keyspaces([](std::exception_ptr) {});
    }
    return;
  }
  endpoint ep;
  try {
    ep.host = inet::from_bytes(ev.address).to_string();
  } catch (const codec_error&) {
    return;
  }
  ep.port = ev.port > 0 && ev.port <= 65535 ? static_cast<std::uint16_t>(ev.port) : options_->port;
  if (ev.type == "STATUS_CHANGE" && ev.change == "UP") {
    host_up(ep);
    return;
  }
  if (ev.type == "TOPOLOGY_CHANGE") {
    schedule_topology_refresh();
  }
  // STATUS_CHANGE DOWN: the connections to that node fail by themselves; gossip may also be
  // wrong about a node this client reaches fine, so nothing is closed on its word.
}

void session_impl::host_up(const endpoint& ep) {
  host_ptr h = find_host(ep);
  if (!h) {
    schedule_topology_refresh();
    return;
  }
  // Gossip says UP before the native port may accept connections: start the backoff again from
  // its base so the pool comes back within moments of the port opening.
  h->backoff = std::chrono::milliseconds(0);
  h->eager_until = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  schedule_reconnect(h, true);
}

void session_impl::pool_changed(const host_ptr& pool) {
  std::uint32_t ready = 0;
  std::uint32_t compressed = 0;
  for (const auto& c : pool->connections) {
    ready += c->is_ready() ? 1 : 0;
    compressed += c->is_ready() && c->compressed() ? 1 : 0;
  }
  if (ready == 0 && options_->discover_peers) {
    pool->admitted = false;  // lost: check its schema when it comes back
  } else if (ready > 0 && !pool->admitted && !pool->admitting) {
    pool->admitting = true;
    pool->admit_deadline = std::chrono::steady_clock::now() + options_->schema_agreement_timeout;
    check_admission(pool);
  }
  pool->metrics->connections.store(ready, std::memory_order_relaxed);
  pool->metrics->compressed_connections.store(compressed, std::memory_order_relaxed);
  pool->metrics->up.store(ready > 0 && pool->admitted, std::memory_order_relaxed);
}

void session_impl::host_lags(const host_pool* pool) {
  for (const host_ptr& h : hosts_) {
    if (h.get() == pool && h->admitted && options_->discover_peers) {
      h->admitted = false;
      h->admitting = true;
      h->admit_deadline = std::chrono::steady_clock::now() + options_->schema_agreement_timeout;
      h->metrics->up.store(false, std::memory_order_relaxed);
      check_admission(h);
    }
  }
}

void session_impl::check_admission(const host_ptr& pool) {
  connection* conn = pool->any_ready();
  auto admit = [](host_pool& p) {
    p.admitted = true;
    p.admitting = false;
    p.metrics->up.store(true, std::memory_order_relaxed);
  };
  if (conn == nullptr) {
    pool->admitting = false;  // lost again; the next connection starts over
    return;
  }
  if (!control_ || !control_->is_ready() || control_->remote().host == pool->ep.host ||
      std::chrono::steady_clock::now() >= pool->admit_deadline) {
    admit(*pool);  // nothing to compare with, or waited long enough: better used than idle
    return;
  }
  // Both versions, then compare: the node's own, and the control node's.
  struct versions {
    std::optional<std::string> node;
    std::optional<std::string> control;
    int answers = 0;
  };
  auto v = std::make_shared<versions>();
  std::weak_ptr<session_impl> weak = weak_from_this();
  std::weak_ptr<host_pool> wp = pool;
  auto on_answer = [weak, wp, v, admit]() {
    if (++v->answers < 2) {
      return;
    }
    auto self = weak.lock();
    auto p = wp.lock();
    if (!self || !p || p->removed || self->closing_) {
      return;
    }
    if (v->node && v->node == v->control) {
      admit(*p);
      return;
    }
    if (!p->admit_timer) {
      p->admit_timer = std::make_unique<boost::asio::steady_timer>(self->strand_);
    }
    p->admit_timer->expires_after(self->options_->schema_agreement_interval);
    p->admit_timer->async_wait(boost::asio::bind_executor(self->strand_, [weak, wp](auto ec) {
      auto s = weak.lock();
      auto pp = wp.lock();
      if (!ec && s && pp && !pp->removed) {
        s->check_admission(pp);
      }
    }));
  };
  auto ask = [&](connection* c, std::optional<std::string> versions::*field) {
    ask_schema_version(c, [v, field, on_answer](std::optional<std::string> version) {
      (*v).*field = std::move(version);  // none: compared as different, asked again later
      on_answer();
    });
  };
  ask(conn, &versions::node);
  ask(control_.get(), &versions::control);
}

// ---------------------------------------------------------------------------------------------
// Schema agreement

struct agreement_state {
  std::chrono::milliseconds timeout{0};
  std::chrono::steady_clock::time_point deadline;
  std::function<void(std::exception_ptr)> done;
  std::unique_ptr<boost::asio::steady_timer> timer;
  std::size_t waiting = 0;
  std::vector<std::pair<std::string, std::string>> versions;  // host, schema_version
};

void session_impl::await_schema_agreement(std::function<void(std::exception_ptr)> done,
                                          std::optional<std::chrono::milliseconds> timeout) {
  const std::chrono::milliseconds limit = timeout.value_or(options_->schema_agreement_timeout);
  // After DDL, a session that does not discover peers has no one to compare with; a caller who
  // asks explicitly gets the check among the hosts it is connected to.
  if ((!options_->discover_peers && !timeout) || limit.count() <= 0) {
    done(nullptr);
    return;
  }
  auto st = std::make_shared<agreement_state>();
  st->timeout = limit;
  st->deadline = std::chrono::steady_clock::now() + limit;
  st->done = std::move(done);
  st->timer = std::make_unique<boost::asio::steady_timer>(strand_);
  schema_round(std::move(st));
}

void session_impl::schema_round(std::shared_ptr<agreement_state> st) {
  st->versions.clear();
  std::vector<connection*> targets;
  for (const host_ptr& h : hosts_) {
    if (connection* c = h->least_loaded()) {
      targets.push_back(c);
    }
  }
  if (targets.empty()) {
    st->done(nullptr);  // nothing to compare with; the request itself already succeeded
    return;
  }
  std::weak_ptr<session_impl> weak = weak_from_this();
  st->waiting = targets.size();
  auto one_done = [weak, st]() {
    if (--st->waiting != 0) {
      return;
    }
    auto self = weak.lock();
    if (!self) {
      return;
    }
    bool agree = !st->versions.empty();  // no node answered: not yet
    for (const auto& v : st->versions) {
      agree = agree && v.second == st->versions.front().second;
    }
    if (agree) {
      st->done(nullptr);
      return;
    }
    if (std::chrono::steady_clock::now() >= st->deadline || self->closing_) {
      std::string detail;
      for (const auto& [host, version] : st->versions) {
        detail += (detail.empty() ? "" : ", ") + host + " has " + version;
      }
      if (detail.empty()) {
        detail = "no node answered";
      }
      st->done(std::make_exception_ptr(
          schema_error("the nodes did not agree on the schema within " +
                           std::to_string(st->timeout.count()) + " ms: " + detail,
                       "")));
      return;
    }
    st->timer->expires_after(self->options_->schema_agreement_interval);
    st->timer->async_wait(
        boost::asio::bind_executor(self->strand_, [weak, st](boost::system::error_code) {
          if (auto s = weak.lock()) {
            s->schema_round(st);
          }
        }));
  };
  for (connection* c : targets) {
    ask_schema_version(c, [st, host = c->remote().to_string(),
                           one_done](std::optional<std::string> version) {
      if (version) {  // a node that cannot answer now is left out of this round, like a down one
        st->versions.emplace_back(host, std::move(*version));
      }
      one_done();
    });
  }
}

void session_impl::ask_schema_version(connection* c,
                                      std::function<void(std::optional<std::string>)> done) {
  auto req = std::make_shared<callback_request>(
      [done = std::move(done)](std::exception_ptr e, response* resp) {
        std::optional<std::string> version;
        if (!e) {
          try {
            result r(parse_result(*resp));
            if (!r.empty()) {
              if (auto id = r.front().get<std::optional<uuid>>(0)) {
                version = id->to_string();
              }
            }
          } catch (...) {
            version.reset();  // an error result or a malformed row: no version
          }
        }
        done(std::move(version));
      });
  wire::write_query(req->frame, 0, "SELECT schema_version FROM system.local WHERE key = 'local'",
                    one_parameters(), {});
  req->timeout = options_->request_timeout;
  c->send(std::move(req));
}

// ---------------------------------------------------------------------------------------------
// Metrics

void session_impl::update_metrics_hosts() {
  std::vector<std::shared_ptr<host_metrics_data>> list;
  list.reserve(hosts_.size());
  for (const host_ptr& h : hosts_) {
    list.push_back(h->metrics);
  }
  std::lock_guard lock(metrics_mutex_);
  metrics_hosts_ = std::move(list);
}

}  // namespace coodie::driver::detail
