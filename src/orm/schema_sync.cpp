// The schema operations that talk to the server: reading the live table, waiting for schema
// agreement, and applying a sync plan. Everything they decide is decided by the pure code in
// ddl.cpp, schema_diff.cpp and schema_options.cpp.
#include <algorithm>
#include <chrono>
#include <exception>
#include <set>
#include <string>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "coodie/driver/identifiers.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "coodie/orm/type_schema.hpp"
#include "schema_detail.hpp"

namespace coodie {

namespace {

constexpr std::chrono::milliseconds index_poll_interval{100};
constexpr int max_sync_rounds = 3;

/// True when the statement creates an index (or a table, whose indexes follow it).
bool creates_index(const std::string& cql) {
  return cql.rfind("CREATE INDEX", 0) == 0 || cql.rfind("CREATE CUSTOM INDEX", 0) == 0;
}

/// A statement that reads system tables: every row in one page.
statement system_query(std::string cql) {
  statement st(std::move(cql));
  st.set_page_size(0).set_idempotent();
  return st;
}

/// One column of a system_schema.tables row as an option value; std::nullopt for a type that is
/// no option (the table id, flags, extensions).
std::optional<option_value> option_cell(const row& r, std::size_t i, const wire::data_type& t) {
  if (r.is_null(i)) {
    return option_value(std::monostate{});
  }
  switch (t.id) {
    case wire::type_id::boolean:
      return option_value(r.get<bool>(i));
    case wire::type_id::int_:
      return option_value(static_cast<double>(r.get<std::int32_t>(i)));
    case wire::type_id::bigint:
      return option_value(static_cast<double>(r.get<std::int64_t>(i)));
    case wire::type_id::double_:
      return option_value(r.get<double>(i));
    case wire::type_id::float_:
      return option_value(static_cast<double>(r.get<float>(i)));
    case wire::type_id::varchar:
    case wire::type_id::ascii:
      return option_value(r.get<std::string>(i));
    case wire::type_id::map:
      if (t.params.size() == 2 && t.params[0].id == wire::type_id::varchar &&
          t.params[1].id == wire::type_id::varchar) {
        return option_value(r.get<std::map<std::string, std::string>>(i));
      }
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

std::map<std::string, option_value> table_options(const result& tr) {
  std::map<std::string, option_value> options;
  const row r = tr.front();
  for (std::size_t i = 0; i < tr.columns().size(); ++i) {
    const wire::column_spec& spec = tr.columns()[i];
    if (spec.name == "keyspace_name" || spec.name == "table_name" || spec.name == "view_name" ||
        spec.name == "base_table_name" || spec.name == "include_all_columns" ||
        spec.name == "where_clause") {
      continue;  // names and a view's definition, not options
    }
    if (std::optional<option_value> v = option_cell(r, i, spec.type)) {
      options.emplace(spec.name, std::move(*v));
    }
  }
  return options;
}

std::vector<system_column_row> column_rows(const result& cr) {
  std::vector<system_column_row> columns;
  for (const row& r : cr) {
    columns.push_back({r.get<std::string>(0), r.get<std::optional<std::string>>(1).value_or(""),
                       r.get<std::string>(2), r.get<std::optional<std::int32_t>>(3).value_or(-1),
                       r.get<std::string>(4)});
  }
  return columns;
}

std::vector<system_index_row> index_rows(const result& ir) {
  std::vector<system_index_row> indexes;
  for (const row& r : ir) {
    indexes.push_back({r.get<std::string>(0), r.get<std::optional<std::string>>(1).value_or(""),
                       r.get<std::optional<std::map<std::string, std::string>>>(2).value_or(
                           std::map<std::string, std::string>{})});
  }
  return indexes;
}

std::string resolve_keyspace(const driver_session& s, const table_schema& t, std::string keyspace) {
  keyspace = std::string(t.keyspace_or(keyspace.empty() ? s.keyspace() : keyspace));
  if (keyspace.empty()) {
    throw usage_error("table " + t.name + (t.model.empty() ? "" : " of model " + t.model) +
                      ": no keyspace given and the session uses none");
  }
  check_name("keyspace", keyspace);
  return keyspace;
}

}  // namespace

boost::asio::awaitable<void> orm::detail::execute_ddl(driver_session& s, std::string cql,
                                                      std::chrono::milliseconds agreement_timeout) {
  statement st(std::move(cql));
  co_await s.async_execute(st, boost::asio::use_awaitable);
  co_await async_wait_schema_agreement(s, agreement_timeout);
}

boost::asio::awaitable<std::optional<existing_table>> async_read_table(driver_session& s,
                                                                       std::string keyspace,
                                                                       std::string table) {
  statement tq =
      system_query("SELECT * FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?");
  tq.bind(keyspace).bind(table);
  result tr = co_await s.async_execute(tq, boost::asio::use_awaitable);
  std::string view_of;
  if (tr.empty()) {
    statement vq =
        system_query("SELECT * FROM system_schema.views WHERE keyspace_name = ? AND view_name = ?");
    vq.bind(keyspace).bind(table);
    tr = co_await s.async_execute(vq, boost::asio::use_awaitable);
    if (tr.empty()) {
      co_return std::nullopt;
    }
    view_of = tr.front().get<std::string>("base_table_name");
  }
  statement cq = system_query(
      "SELECT column_name, clustering_order, kind, position, type FROM system_schema.columns "
      "WHERE keyspace_name = ? AND table_name = ?");
  cq.bind(keyspace).bind(table);
  result cr = co_await s.async_execute(cq, boost::asio::use_awaitable);
  statement iq = system_query(
      "SELECT index_name, kind, options FROM system_schema.indexes "
      "WHERE keyspace_name = ? AND table_name = ?");
  iq.bind(keyspace).bind(table);
  result ir = co_await s.async_execute(iq, boost::asio::use_awaitable);
  existing_table live =
      make_existing_table(keyspace, table, column_rows(cr), index_rows(ir), table_options(tr));
  live.schema.view_of = std::move(view_of);
  co_return live;
}

boost::asio::awaitable<void> async_wait_schema_agreement(driver_session& s,
                                                         std::chrono::milliseconds timeout) {
  // The driver's check: each node asked for its own version, not system.local and system.peers
  // read from whichever coordinators the plan picked (a peer's row can lag its own state).
  co_await s.async_wait_schema_agreement(timeout, boost::asio::use_awaitable);
}

boost::asio::awaitable<void> async_wait_indexes_built(driver_session& s, std::string keyspace,
                                                      std::string table,
                                                      std::chrono::milliseconds timeout) {
  auto executor = co_await boost::asio::this_coro::executor;
  boost::asio::steady_timer timer(executor);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  statement iq = system_query(
      "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = ? AND table_name = ?");
  iq.bind(keyspace).bind(table);
  // IndexInfo is keyed by keyspace (its partition column is named table_name).
  statement bq = system_query("SELECT index_name FROM system.\"IndexInfo\" WHERE table_name = ?");
  bq.bind(keyspace);
  // IndexInfo is node-local: on a cluster, every reachable node is asked.
  std::vector<std::string> nodes;
  for (const host_metrics& h : s.metrics().hosts) {
    if (h.up) {
      nodes.push_back(h.address);
    }
  }
  if (nodes.empty()) {
    nodes.emplace_back();  // the load-balancing plan picks one
  }
  for (;;) {
    result ir = co_await s.async_execute(iq, boost::asio::use_awaitable);
    std::string building;
    for (const std::string& node : nodes) {
      statement on_node = bq;
      on_node.set_node(node);
      result br = co_await s.async_execute(on_node, boost::asio::use_awaitable);
      std::set<std::string> built;
      for (const row& r : br) {
        built.insert(r.get<std::string>(0));
      }
      for (const row& r : ir) {
        std::string name = r.get<std::string>(0);
        if (built.count(name) == 0) {
          building += (building.empty() ? "" : ", ") + name + (node.empty() ? "" : " on " + node);
        }
      }
    }
    if (building.empty()) {
      co_return;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      throw schema_error("table " + keyspace + "." + table + ": indexes still building after " +
                             std::to_string(timeout.count()) + " ms: " + building,
                         table);
    }
    timer.expires_after(index_poll_interval);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

namespace {

/// Plans and applies, re-reading after a lost race with a concurrent sync.
boost::asio::awaitable<sync_result> apply_sync(driver_session& s, table_schema t, std::string ks,
                                               sync_options o) {
  sync_result out;
  std::exception_ptr failure;  // the last statement that failed, and why
  std::string failed;
  for (int round = 0; round < max_sync_rounds; ++round) {
    std::optional<existing_table> live = co_await async_read_table(s, ks, t.name);
    sync_plan plan = plan_table_sync(t, ks, live, o);
    if (round == 0) {
      out.created = plan.creates_table;
    }
    out.differences = std::move(plan.differences);
    if (o.dry_run) {
      out.statements = std::move(plan.statements);
      co_return out;
    }
    // A statement that failed and is still needed after a re-read did not lose a race.
    if (failure && std::find(plan.statements.begin(), plan.statements.end(), failed) !=
                       plan.statements.end()) {
      std::rethrow_exception(failure);
    }
    failure = nullptr;
    for (const std::string& cql : plan.statements) {
      try {
        co_await orm::detail::execute_ddl(s, cql, o.agreement_timeout);
      } catch (const invalid_query_error&) {  // e.g. a column another client added meanwhile
        failure = std::current_exception();
      } catch (const already_exists_error&) {
        failure = std::current_exception();
      }
      if (failure) {
        failed = cql;
        break;
      }
      out.statements.push_back(cql);
      out.applied = true;
    }
    if (failure) {
      if (round + 1 == max_sync_rounds) {
        std::rethrow_exception(failure);
      }
      co_await async_wait_schema_agreement(s, o.agreement_timeout);
      continue;  // re-read: what a concurrent sync did is no longer planned
    }
    if (!plan.creates_table) {
      break;
    }
    // Created: read once more, in case a concurrent creator's table won and lacks something.
  }
  co_return out;
}

}  // namespace

boost::asio::awaitable<sync_result> async_sync_table(driver_session& s, table_schema t,
                                                     std::string keyspace, sync_options o) {
  std::string ks = resolve_keyspace(s, t, std::move(keyspace));
  std::string name = t.name;
  // The user types first, nested ones before those that use them, in the table's keyspace.
  std::vector<wire::data_type> user_types = user_types_of(t);
  std::string user = "model " + t.model + " (table " + name + ")";
  sync_result out =
      co_await orm::detail::async_sync_types(s, std::move(user_types), ks, std::move(user), o);
  sync_result table = co_await apply_sync(s, std::move(t), ks, o);
  out.append(table);
  out.created = table.created;
  if (!o.dry_run && o.index_build_timeout.count() > 0 &&
      std::any_of(out.statements.begin(), out.statements.end(), creates_index)) {
    co_await async_wait_indexes_built(s, ks, name, o.index_build_timeout);
  }
  co_return out;
}

boost::asio::awaitable<void> async_drop_table(driver_session& s, table_schema t,
                                              std::string keyspace,
                                              std::chrono::milliseconds agreement_timeout) {
  const std::string ks = resolve_keyspace(s, t, std::move(keyspace));
  co_await orm::detail::execute_ddl(s, ddl::drop_table(t, ks), agreement_timeout);
}

boost::asio::awaitable<void> async_truncate(driver_session& s, table_schema t,
                                            std::string keyspace) {
  const std::string ks = resolve_keyspace(s, t, std::move(keyspace));
  statement st(ddl::truncate(t, ks));
  co_await s.async_execute(st, boost::asio::use_awaitable);
}

boost::asio::awaitable<void> async_create_keyspace(driver_session& s, keyspace_options k,
                                                   std::chrono::milliseconds agreement_timeout) {
  co_await orm::detail::execute_ddl(s, ddl::create_keyspace(k), agreement_timeout);
}

boost::asio::awaitable<void> async_drop_keyspace(driver_session& s, std::string name,
                                                 std::chrono::milliseconds agreement_timeout) {
  co_await orm::detail::execute_ddl(s, ddl::drop_keyspace(name), agreement_timeout);
}

}  // namespace coodie
