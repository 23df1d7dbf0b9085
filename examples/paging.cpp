// Reading many rows without holding them all: web-style pagination, where each request returns
// one page and a token that the client sends back for the next, and streaming, where a loop reads
// every row while only one page is in memory.
#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

// --8<-- [start:model]
namespace logbook {

struct Event {
  std::string day;  // partition key: one partition per day
  std::int32_t n = 0;
  std::string message;
};

}  // namespace logbook

template <>
inline constexpr auto coodie::model<logbook::Event> = coodie::table("events")
                                                          .keyspace("coodie_example_paging")
                                                          .partition_key<&logbook::Event::day>()
                                                          .clustering_key<&logbook::Event::n>();
// --8<-- [end:model]

namespace {

using coodie::col;
using logbook::Event;

constexpr std::int32_t days = 4;
constexpr std::int32_t events_per_day = 250;
constexpr std::int32_t page_size = 20;

std::string day_name(std::int32_t d) {
  return "2024-05-0" + std::to_string(d + 1);
}

// --8<-- [start:events-page]
/// What a web handler for GET /events?day=...&page=... does: run the query for one page, from
/// the token the client sent (none for the first page). Nothing is kept between requests: the
/// token carries where the previous page ended.
coodie::page_of<Event> events_page(coodie::sync::session& s, const std::string& day,
                                   std::optional<std::string> page_token) {
  return s.find<Event>()
      .where(col<&Event::day> == day)
      .fetch_size(page_size)  // rows per page
      .page(std::move(page_token));
}
// --8<-- [end:events-page]

}  // namespace

int main() try {
  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  s.create_keyspace({.name = "coodie_example_paging", .replication_factor = 1});
  s.drop_table<Event>();  // start every run from an empty table
  s.sync_table<Event>();
  for (std::int32_t d = 0; d < days; ++d) {
    for (std::int32_t n = 0; n < events_per_day; ++n) {
      s.save(Event{day_name(d), n, "event " + std::to_string(n)});
    }
  }

  // --- pagination -----------------------------------------------------------------------------
  // --8<-- [start:pagination]
  // The client asks for the first page, then passes back `next` until there is none.
  std::optional<std::string> token;
  std::vector<std::int32_t> seen;
  int pages = 0;
  do {
    coodie::page_of<Event> page = events_page(s, day_name(0), token);
    ++pages;
    examples::check(page.items.size() <= static_cast<std::size_t>(page_size), "page size");
    for (const Event& e : page.items) {
      seen.push_back(e.n);
    }
    if (pages == 1 && page.next) {
      // An opaque string, safe in a URL: /events?day=2024-05-01&page=<token>
      std::cout << "first page: " << page.items.size() << " events, next token " << *page.next
                << '\n';
    }
    token = page.next;
  } while (token);
  std::cout << "paginated " << seen.size() << " events in " << pages << " pages\n";
  examples::check(seen.size() == static_cast<std::size_t>(events_per_day), "every event once");
  examples::check(std::is_sorted(seen.begin(), seen.end()) &&
                      std::adjacent_find(seen.begin(), seen.end()) == seen.end(),
                  "pages continue where the previous one ended");
  // --8<-- [end:pagination]

  // --- streaming ------------------------------------------------------------------------------
  // --8<-- [start:stream]
  // stream() reads page after page as the loop advances: memory holds one page (the fetch size)
  // however many rows the query returns. next() gives a pointer to the current row, valid until
  // the following call, and nullptr after the last row.
  auto st = s.find<Event>().fetch_size(100).stream();
  std::size_t rows = 0;
  std::size_t most_held = 0;
  while (Event* e = st.next()) {
    ++rows;
    most_held = std::max(most_held, st.rows_held());
    examples::check(e->message == "event " + std::to_string(e->n), "the row's message");
  }
  std::cout << "streamed " << rows << " events in " << st.pages_read() << " pages, at most "
            << most_held << " rows held at once\n";
  examples::check(rows == static_cast<std::size_t>(days * events_per_day), "every row streamed");
  examples::check(most_held <= 100, "never more than one page held");
  // --8<-- [end:stream]

  // --8<-- [start:range]
  // A stream is also a range (sync front only).
  std::int64_t sum = 0;
  for (Event& e : s.find<Event>().where(col<&Event::day> == day_name(1)).stream()) {
    sum += e.n;
  }
  examples::check(sum == std::int64_t{events_per_day} * (events_per_day - 1) / 2, "sum of n");
  // --8<-- [end:range]

  std::cout << "paging: ok\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "paging failed: " << e.what() << '\n';
  return 1;
}
