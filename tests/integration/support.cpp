#include "support.hpp"

#include <cstdlib>
#include <iostream>
#include <memory>
#include <random>

namespace coodie::test {

namespace {
std::unique_ptr<driver_session> g_session;
std::string g_keyspace;

}  // namespace

session_options options_from_env() {
  session_options o = session_options::from_env();
  // The local node that scripts/cassandra runs takes the default superuser.
  if (o.username.empty()) {
    o.username = "cassandra";
    o.password = "cassandra";
  }
  o.request_timeout = std::chrono::seconds(30);
  return o;
}

std::string unique_keyspace(std::string_view prefix) {
  std::random_device rd;
  unsigned seed = rd();
  std::string ks = std::string(prefix) + "_" + std::to_string(seed % 1000000000u);
  std::cout << "[ keyspace ] " << ks << '\n';
  return ks;
}

std::string live_column_type(driver_session& db, const std::string& keyspace,
                             const std::string& table, const std::string& column) {
  result rows = db.execute(
      statement("SELECT type FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ? "
                "AND column_name = ?",
                keyspace, table, column));
  return rows.empty() ? std::string() : rows.front().get<std::string>(0);
}

void keyspace_suite::create(std::string_view prefix) {
  g_session = std::make_unique<driver_session>(driver_session::connect(options_from_env()));
  g_keyspace = unique_keyspace(prefix);
  g_session->execute("CREATE KEYSPACE " + g_keyspace +
                     " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
}

void keyspace_suite::drop() {
  if (g_session) {
    g_session->execute("DROP KEYSPACE IF EXISTS " + g_keyspace);
    g_session.reset();
  }
}

driver_session& keyspace_suite::db() {
  return *g_session;
}
const std::string& keyspace_suite::ks() {
  return g_keyspace;
}

boost::asio::awaitable<result> execute_coro(driver_session* s, statement st) {
  co_return co_await s->async_execute(st, boost::asio::use_awaitable);
}
boost::asio::awaitable<result> execute_bound_coro(driver_session* s, bound_statement st) {
  // The default token (deferred) is awaitable too.
  co_return co_await s->async_execute(st);
}
boost::asio::awaitable<result> execute_batch_coro(driver_session* s, batch b) {
  co_return co_await s->async_execute(b, boost::asio::use_awaitable);
}
boost::asio::awaitable<prepared_statement> prepare_coro(driver_session* s, std::string cql) {
  co_return co_await s->async_prepare(std::move(cql), boost::asio::use_awaitable);
}
boost::asio::awaitable<std::optional<result>> next_page_coro(pager* p) {
  co_return co_await p->async_next(boost::asio::use_awaitable);
}

}  // namespace coodie::test
