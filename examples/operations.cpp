// The operations an application needs beyond save and get, with the blocking front: conditional
// writes (a unique user name, an update only if the row still holds what we read), counters,
// changes to collections in place (a tag set, a list of lines, a map of settings), batches (an
// order and its lines together) and the partition-aware bulk writer.
#include <cstdint>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "coodie/coodie.hpp"
#include "example_check.hpp"

namespace app {

struct Account {  // one row per user name: the name is unique
  std::string name;
  std::string email;
  std::int64_t balance = 0;
};

// --8<-- [start:page-views]
struct PageViews {  // a counter table: keys, then counters only
  std::string page;
  std::int64_t views = 0;
  std::int64_t likes = 0;
};
// --8<-- [end:page-views]

// --8<-- [start:note]
struct Note {
  std::string owner;
  std::int32_t id = 0;
  std::set<std::string> tags;
  std::vector<std::string> lines;
  std::map<std::string, std::string> settings;
};
// --8<-- [end:note]

struct Order {
  std::string id;
  std::string customer;
  std::int64_t total_cents = 0;
};

struct OrderLine {  // one partition per order
  std::string order;
  std::int32_t line = 0;
  std::string item;
  std::int64_t cents = 0;
};

// --8<-- [start:order-total]
struct OrderTotal {  // one row per order: GROUP BY the partition key
  std::string order;
  coodie::count_of<&OrderLine::cents> lines;
  coodie::sum_of<&OrderLine::cents> cents;
};

struct LineAge {  // when a line's price was written, and how long it has left
  std::int32_t line = 0;
  coodie::writetime_of<&OrderLine::cents> written;
  coodie::ttl_of<&OrderLine::cents> expires_in;
};
// --8<-- [end:order-total]

// --8<-- [start:item-cents]
struct ItemCents {  // a partial struct for a hand-written statement, read by column name
  std::string item;
  std::int64_t cents = 0;
};
// --8<-- [end:item-cents]

}  // namespace app

template <>
inline constexpr auto coodie::model<app::Account> = coodie::table("accounts")
                                                        .keyspace("coodie_example_operations")
                                                        .partition_key<&app::Account::name>();
// --8<-- [start:page-views-model]
template <>
inline constexpr auto coodie::model<app::PageViews> =
    coodie::table("page_views")
        .keyspace("coodie_example_operations")
        .partition_key<&app::PageViews::page>()
        .type<&app::PageViews::views>(coodie::cql::counter)
        .type<&app::PageViews::likes>(coodie::cql::counter);
// --8<-- [end:page-views-model]
template <>
inline constexpr auto coodie::model<app::Note> = coodie::table("notes")
                                                     .keyspace("coodie_example_operations")
                                                     .partition_key<&app::Note::owner>()
                                                     .clustering_key<&app::Note::id>();

template <>
inline constexpr auto coodie::model<app::Order> =
    coodie::table("orders").keyspace("coodie_example_operations").partition_key<&app::Order::id>();
template <>
inline constexpr auto coodie::model<app::OrderLine> = coodie::table("order_lines")
                                                          .keyspace("coodie_example_operations")
                                                          .partition_key<&app::OrderLine::order>()
                                                          .clustering_key<&app::OrderLine::line>();

int main() try {
  using app::Account;
  using app::ItemCents;
  using app::LineAge;
  using app::Note;
  using app::Order;
  using app::OrderLine;
  using app::OrderTotal;
  using app::PageViews;
  using coodie::col;
  coodie::sync::session s = coodie::sync::connect(coodie::session_options::from_env());
  s.create_keyspace({.name = "coodie_example_operations", .replication_factor = 1});
  s.drop_table<Account>();
  s.drop_table<PageViews>();
  s.drop_table<Note>();
  s.drop_table<Order>();
  s.drop_table<OrderLine>();
  s.sync_table<Account>();
  s.sync_table<PageViews>();
  s.sync_table<Note>();
  s.sync_table<Order>();
  s.sync_table<OrderLine>();

  // --- conditional writes (lightweight transactions) -------------------------------------------
  // --8<-- [start:unique-name]
  // A unique name: the first insert applies, a second one gets the row that is there.
  s.insert(Account{"ann", "ann@example.com", 100});
  coodie::lwt_result<Account> taken = s.insert(Account{"ann", "other@example.com", 0});
  examples::check(!taken.applied && taken.existing && taken.existing->email == "ann@example.com",
                  "a second insert of a taken name is refused and shows the owner");
  // --8<-- [end:unique-name]

  // --8<-- [start:compare-and-set]
  // Compare and set: debit only if the balance is still what we read.
  Account ann = s.get<Account>("ann");
  Account debited = ann;
  debited.balance -= 30;
  coodie::lwt_result<Account> debit = s.update(debited, coodie::members<&Account::balance>,
                                               coodie::when(col<&Account::balance> == ann.balance));
  examples::check(debit.applied, "the debit applies when the balance is unchanged");
  // The same debit again is stale: not applied, and the current balance comes back.
  coodie::lwt_result<Account> stale = s.update(debited, coodie::members<&Account::balance>,
                                               coodie::when(col<&Account::balance> == ann.balance));
  examples::check(!stale.applied && stale.existing && stale.existing->balance == 70,
                  "a stale debit is refused with the balance as it is");
  std::cout << "balance after one debit: " << stale.existing->balance << '\n';
  // --8<-- [end:compare-and-set]
  // --8<-- [start:if-exists]
  // Delete only an existing row.
  examples::check(!s.remove(Account{"nobody", "", 0}, coodie::if_exists).applied,
                  "IF EXISTS on a missing row applies nothing");
  // --8<-- [end:if-exists]

  // --- counters --------------------------------------------------------------------------------
  // --8<-- [start:counters]
  const PageViews home{"/home", 0, 0};
  for (int i = 0; i < 5; ++i) {
    s.increment(home, coodie::by<&PageViews::views>(1));
  }
  s.increment(home, {coodie::by<&PageViews::views>(10), coodie::by<&PageViews::likes>(3)});
  s.decrement(home, coodie::by<&PageViews::likes>(1));
  PageViews counted = s.get<PageViews>("/home");
  // --8<-- [end:counters]
  examples::check(counted.views == 15 && counted.likes == 2, "counters add up");
  std::cout << "/home: " << counted.views << " views, " << counted.likes << " likes\n";

  // --- collections changed in place ------------------------------------------------------------
  // --8<-- [start:collections]
  const Note n{"ann", 1, {"draft"}, {"first line"}, {{"font", "serif"}}};
  s.save(n);
  s.update(n, {coodie::set_add<&Note::tags>({"work", "urgent"}),
               coodie::set_remove<&Note::tags>({"draft"}),
               coodie::list_append<&Note::lines>({"last line"}),
               coodie::list_prepend<&Note::lines>({"title"}),
               coodie::map_put<&Note::settings>("theme", "dark"),
               coodie::map_erase<&Note::settings>("font")});
  s.update(n, {coodie::list_set<&Note::lines>(1, "first line, edited")});
  // --8<-- [end:collections]
  Note changed = s.get<Note>("ann", 1);
  examples::check(changed.tags == std::set<std::string>{"urgent", "work"}, "tags changed");
  examples::check(
      changed.lines == std::vector<std::string>{"title", "first line, edited", "last line"},
      "lines changed in order");
  examples::check(changed.settings == std::map<std::string, std::string>{{"theme", "dark"}},
                  "settings changed");
  // --8<-- [start:collections-query]
  // Every note of an owner at once.
  s.find<Note>().where(col<&Note::owner> == "ann").update({coodie::set_add<&Note::tags>({"seen"})});
  // --8<-- [end:collections-query]
  examples::check(s.get<Note>("ann", 1).tags.contains("seen"), "a query updates its rows");
  std::cout << "note 1 has " << changed.lines.size() << " lines and " << changed.tags.size()
            << " tags\n";

  // --- batches ---------------------------------------------------------------------------------
  // --8<-- [start:batch]
  // An order and its lines: a logged batch writes all of them or none.
  coodie::write_batch b = s.batch();
  b.save(Order{"o-1", "ann", 1250});
  b.save(OrderLine{"o-1", 1, "pen", 250});
  b.save(OrderLine{"o-1", 2, "notebook", 1000});
  s.execute(b);
  // --8<-- [end:batch]
  examples::check(s.find<OrderLine>().where(col<&OrderLine::order> == "o-1").count() == 2,
                  "the order's lines were written with it");
  // --8<-- [start:counter-batch]
  // Page views of several pages in one counter batch.
  coodie::write_batch views = s.batch(coodie::batch_kind::counter);
  views.increment(PageViews{"/cart", 0, 0}, coodie::by<&PageViews::views>(1));
  views.increment(PageViews{"/checkout", 0, 0}, coodie::by<&PageViews::views>(1));
  s.execute(views);
  // --8<-- [end:counter-batch]
  examples::check(s.get<PageViews>("/checkout").views == 1, "a counter batch counts");

  // --- many rows at once -----------------------------------------------------------------------
  // --8<-- [start:save-many]
  // save_many groups rows by partition into batches under a size bound, 16 requests in flight.
  std::vector<OrderLine> lines;
  for (std::int32_t i = 0; i < 500; ++i) {
    lines.push_back(OrderLine{"o-" + std::to_string(2 + i % 10), i, "item", 100});
  }
  coodie::bulk_save_result saved = s.save_many(lines);
  // --8<-- [end:save-many]
  examples::check(saved.rows == 500 && saved.partitions == 10, "every line saved");
  // --- reads: aggregates, write times, multi-column ranges, hand-written CQL ------------------
  // --8<-- [start:aggregates]
  auto o1 = s.find<OrderLine>().where(col<&OrderLine::order> == "o-1");
  examples::check(o1.sum<&OrderLine::cents>() == 1250, "the lines add up to the order");
  examples::check(o1.max<&OrderLine::cents>() == 1000, "the dearest line");
  std::vector<OrderTotal> totals =
      s.find<OrderLine>()
          .where(col<&OrderLine::order>.in(std::vector<std::string>{"o-2", "o-3"}))
          .group_by<&OrderLine::order>()
          .only<OrderTotal>()
          .all();
  // --8<-- [end:aggregates]
  examples::check(totals.size() == 2 && *totals[0].lines == 50 && *totals[0].cents == 5000,
                  "one total per order");
  // --8<-- [start:write-times]
  std::vector<LineAge> ages = o1.only<LineAge>().all();
  // --8<-- [end:write-times]
  examples::check(
      ages.size() == 2 && ages[0].written->has_value() && !ages[0].expires_in->has_value(),
      "write times read back; no TTL was set");
  // --8<-- [start:multi-column]
  auto later =
      s.find<OrderLine>()
          .where(col<&OrderLine::order> == "o-2", coodie::cols<&OrderLine::line> > std::tuple(400))
          .all();
  // --8<-- [end:multi-column]
  examples::check(later.size() == 9, "lines after 400 in order o-2");
  // --8<-- [start:raw-query]
  std::vector<ItemCents> raw = s.query<ItemCents>(
      "SELECT item, cents FROM coodie_example_operations.order_lines WHERE \"order\" = ?",
      std::string("o-1"));
  // --8<-- [end:raw-query]
  examples::check(raw.size() == 2 && raw[1].item == "notebook", "a hand-written statement");
  std::cout << "save_many: " << saved.rows << " rows, " << saved.partitions << " partitions, "
            << saved.batches << " requests\n";
  return 0;
} catch (const std::exception& e) {
  std::cerr << "operations example failed: " << e.what() << '\n';
  return 1;
}
