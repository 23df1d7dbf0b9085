#include <ctime>
#include <filesystem>
#include <ostream>

#include <boost/json/serialize.hpp>

#include <boost/asio/use_future.hpp>

#include "coodie/driver/identifiers.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/schema.hpp"
#include "output.hpp"

namespace coodie::cli::detail {

std::string paint(bool on, colour c, std::string_view text) {
  if (!on) {
    return std::string(text);
  }
  static constexpr std::string_view codes[] = {"32", "31", "33", "36", "2", "1"};
  return "\x1b[" + std::string(codes[static_cast<std::size_t>(c)]) + 'm' + std::string(text) +
         "\x1b[0m";
}

std::string iso_time(std::chrono::sys_time<std::chrono::milliseconds> t) {
  const std::time_t secs = std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(t));
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 32> buf{};
  std::strftime(buf.data(), buf.size(), "%Y-%m-%dT%H:%M:%S", &tm);
  const auto ms = t.time_since_epoch().count() % 1000;
  std::string out(buf.data());
  out += '.' + std::string(ms < 100 ? (ms < 10 ? "00" : "0") : "") + std::to_string(ms) + 'Z';
  return out;
}

driver_session connect(const settings& s) {
  session_options o =
      s.uri.empty() ? session_options::from_env() : session_options::from_uri(s.uri);
  if (!s.keyspace.empty()) {
    check_name("keyspace", s.keyspace);
    o.keyspace = s.keyspace;
  }
  if (o.keyspace.empty()) {
    throw settings_error(
        "no keyspace: give --keyspace, a keyspace in the URI (cassandra://host/shop) or "
        "COODIE_KEYSPACE");
  }
  if (s.create_keyspace_rf > 0) {
    session_options bare = o;
    bare.keyspace.clear();
    driver_session db = driver_session::connect(std::move(bare));
    db.execute(
        ddl::create_keyspace({.name = o.keyspace, .replication_factor = s.create_keyspace_rf}));
    db.wait(db.async_wait_schema_agreement(std::chrono::seconds(30), boost::asio::use_future));
  }
  return driver_session::connect(std::move(o));
}

std::vector<migrate::migration> load_migrations(const settings& s, const program& p) {
  std::vector<migrate::migration> all;
  std::error_code ec;
  if (s.migrations_dir_given || p.migrations.empty() ||
      std::filesystem::is_directory(s.migrations_dir, ec)) {
    all = migrate::load_directory(s.migrations_dir);
  }
  all.insert(all.end(), p.migrations.begin(), p.migrations.end());
  migrate::sort_migrations(all);
  return all;
}

void print_json(std::ostream& out, const boost::json::value& v) {
  out << boost::json::serialize(v) << '\n';
}

}  // namespace coodie::cli::detail
