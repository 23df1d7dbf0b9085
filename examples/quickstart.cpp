// The quickstart: connect, create a keyspace and a table, write rows, page through them, print
// them. Run with `make run` (it starts a local Cassandra unless COODIE_HOSTS is set).
#include <cstdlib>
#include <iostream>
#include <string>

#include "coodie/coodie.hpp"

namespace {
std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return (v != nullptr && *v != '\0') ? v : fallback;
}
}  // namespace

int main() try {
  // [snippet:connect]
  coodie::session_options options;
  options.hosts = {env_or("COODIE_HOSTS", "127.0.0.1")};
  options.username = env_or("COODIE_USERNAME", "cassandra");
  options.password = env_or("COODIE_PASSWORD", "cassandra");
  coodie::session db = coodie::session::connect(options);
  // [/snippet:connect]

  // [snippet:schema]
  db.execute(
      "CREATE KEYSPACE IF NOT EXISTS quickstart WITH replication = "
      "{'class': 'SimpleStrategy', 'replication_factor': 1}");
  db.execute(
      "CREATE TABLE IF NOT EXISTS quickstart.products ("
      "category text, name text, price decimal, tags set<text>, added timestamp, "
      "PRIMARY KEY (category, name))");
  // [/snippet:schema]

  // [snippet:write]
  coodie::prepared_statement insert = db.prepare(
      "INSERT INTO quickstart.products (category, name, price, tags, added) "
      "VALUES (?, ?, ?, ?, toTimestamp(now()))");
  const char* names[] = {"anvil", "bolt", "crank", "drill", "easel", "file", "gauge"};
  int i = 0;
  for (const char* name : names) {
    db.execute(insert.bind(std::string("tools"), std::string(name),
                           coodie::decimal::parse(std::to_string(10 + i) + ".99"),
                           std::set<std::string>{"steel", i % 2 == 0 ? "heavy" : "light"}));
    ++i;
  }
  // [/snippet:write]

  // [snippet:read]
  coodie::statement select("SELECT name, price, tags FROM quickstart.products WHERE category = ?",
                           std::string("tools"));
  select.set_page_size(3);  // small pages, to show paging
  coodie::pager pages = db.pages(select);
  int page_number = 0;
  while (std::optional<coodie::result> page = pages.next()) {
    std::cout << "page " << ++page_number << ":\n";
    page->for_each<std::string, coodie::decimal, std::set<std::string>>(
        [](const std::string& name, const coodie::decimal& price,
           const std::set<std::string>& tags) {
          std::cout << "  " << name << "  " << price.to_string() << "  {";
          const char* sep = "";
          for (const auto& t : tags) {
            std::cout << sep << t;
            sep = ", ";
          }
          std::cout << "}\n";
        });
  }
  // [/snippet:read]
  return 0;
} catch (const coodie::error& e) {
  std::cerr << "quickstart failed: " << e.what() << '\n';
  return 1;
}
