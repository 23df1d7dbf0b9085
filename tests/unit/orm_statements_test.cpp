// The statement builder, tested as strings: every value a bind marker, identifiers quoted where
// CQL needs it, and the client-side ALLOW FILTERING decision.
#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "coodie/error.hpp"
#include "coodie/orm/filter.hpp"
#include "coodie/orm/mapping.hpp"
#include "coodie/orm/statements.hpp"

namespace orm_statements_test {
struct Event {
  std::string tenant;
  std::int32_t day = 0;
  std::int64_t at = 0;
  std::int32_t seq = 0;
  std::string owner;
  std::string kind;
  std::optional<double> score;
  std::set<std::string> tags;
  std::string order;  // a reserved word as a column
  std::string Note;   // upper case: quoted
};
}  // namespace orm_statements_test
using orm_statements_test::Event;

template <>
inline constexpr auto coodie::model<Event> = coodie::table("events")
                                                 .partition_key<&Event::tenant, &Event::day>()
                                                 .clustering_key<&Event::at>(coodie::desc)
                                                 .clustering_key<&Event::seq>()
                                                 .static_column<&Event::owner>()
                                                 .index<&Event::kind>()
                                                 .sai_index<&Event::score>()
                                                 .index<&Event::tags>();

namespace {

using namespace coodie::dml;
const coodie::table_schema& ev() {
  return coodie::schema_of<Event>();
}

TEST(OrmStatements, Insert) {
  EXPECT_EQ(insert(ev(), "app"),
            "INSERT INTO app.events (tenant, day, at, seq, owner, kind, score, tags, \"order\", "
            "\"Note\") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::string lwt = insert(ev(), "app", {.ttl = true, .timestamp = true}, true);
  EXPECT_EQ(lwt.substr(lwt.find(") VALUES")),
            ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) IF NOT EXISTS USING TTL ? AND TIMESTAMP ?");
  EXPECT_EQ(insert(ev(), "App", {.timestamp = true}).substr(0, 24), "INSERT INTO \"App\".events");
}

TEST(OrmStatements, SelectUpdateDeleteByKey) {
  EXPECT_EQ(
      select_by_key(ev(), "app", {"owner", "kind"}),
      "SELECT owner, kind FROM app.events WHERE tenant = ? AND day = ? AND at = ? AND seq = ?");
  EXPECT_EQ(update(ev(), "app", {{"kind", ""}, {"order", ""}}, {.ttl = true}),
            "UPDATE app.events USING TTL ? SET kind = ?, \"order\" = ? WHERE tenant = ? AND day = "
            "? AND at = ? AND seq = ?");
  // One field of a (non-frozen) user type column, quoted like any identifier.
  EXPECT_EQ(update(ev(), "app", {{"kind", "City"}, {"order", "zip"}}),
            "UPDATE app.events SET kind.\"City\" = ?, \"order\".zip = ? WHERE tenant = ? AND day = "
            "? AND at = ? AND seq = ?");
  EXPECT_EQ(remove(ev(), "app"),
            "DELETE FROM app.events WHERE tenant = ? AND day = ? AND at = ? AND seq = ?");
  EXPECT_EQ(remove(ev(), "app", {"kind", "tags"}, true, {}, {.if_exists = true, .terms = {}}),
            "DELETE kind, tags FROM app.events USING TIMESTAMP ? WHERE tenant = ? AND day = ? AND "
            "at = ? AND seq = ? IF EXISTS");
  using coodie::dml::set_op;
  EXPECT_EQ(update(ev(), "app",
                   {{"kind", "", set_op::add},
                    {"kind", "", set_op::subtract},
                    {"kind", "", set_op::prepend},
                    {"order", "", set_op::element}}),
            "UPDATE app.events SET kind = kind + ?, kind = kind - ?, kind = ? + kind, "
            "\"order\"[?] = ? WHERE tenant = ? AND day = ? AND at = ? AND seq = ?");
  EXPECT_THROW(update(ev(), "app", {}), coodie::usage_error);
  EXPECT_THROW(insert(ev(), ""), coodie::usage_error);
}

TEST(OrmStatements, SelectFromSpec) {
  select_spec q;
  q.columns = {"kind", "score"};
  q.where = {{{"tenant", "day"}, op::gt, true},
             {{"kind"}, op::eq},
             {{"tags"}, op::contains},
             {{"seq"}, op::in},
             {{"at"}, op::le}};
  q.order_by = {{"at", coodie::order::asc}};
  q.per_partition_limit = true;
  q.limit = true;
  q.allow_filtering = true;
  EXPECT_EQ(select(ev(), "app", q),
            "SELECT kind, score FROM app.events WHERE TOKEN(tenant, day) > ? AND kind = ? AND tags "
            "CONTAINS ? AND seq IN ? AND at <= ? ORDER BY at ASC PER PARTITION LIMIT ? LIMIT ? "
            "ALLOW FILTERING");
  select_spec d;
  d.distinct = true;
  EXPECT_EQ(select(ev(), "app", d), "SELECT DISTINCT tenant, day FROM app.events");
  select_spec c;
  c.count = true;
  c.where = {{{"tenant"}, op::eq}, {{"day"}, op::eq}};
  EXPECT_EQ(select(ev(), "app", c), "SELECT COUNT(*) FROM app.events WHERE tenant = ? AND day = ?");

  // Functions of columns, GROUP BY, and a multi-column relation on clustering columns.
  using coodie::dml::selector;
  select_spec g;
  g.columns = {{"day"},
               {"score", selector::writetime},
               {"score", selector::ttl},
               {"score", selector::count},
               {"score", selector::sum},
               {"score", selector::avg},
               {"order", selector::min},
               {"score", selector::max}};
  g.where = {{{"tenant"}, op::eq}, {{"day"}, op::eq}, {{"at", "seq"}, op::ge}};
  g.group_by = {"tenant", "day", "at"};
  EXPECT_EQ(select(ev(), "app", g),
            "SELECT day, WRITETIME(score), TTL(score), COUNT(score), SUM(score), AVG(score), "
            "MIN(\"order\"), MAX(score) FROM app.events WHERE tenant = ? AND day = ? AND (at, seq) "
            ">= (?, ?) GROUP BY tenant, day, at");
}

std::string reason(std::vector<where_term> terms) {
  return filtering_reason(ev(), terms);
}

TEST(OrmStatements, FilteringDecision) {
  const where_term tenant{{"tenant"}, op::eq};
  const where_term day{{"day"}, op::in};
  EXPECT_EQ(reason({}), "");
  EXPECT_EQ(reason({tenant, day}), "");
  EXPECT_EQ(reason({tenant, day, {{"at"}, op::eq}, {{"seq"}, op::gt}}), "");
  EXPECT_EQ(reason({tenant, day, {{"at"}, op::gt}}), "");
  EXPECT_EQ(reason({{{"tenant", "day"}, op::gt, true}}), "");
  EXPECT_EQ(reason({{{"kind"}, op::eq}}), "");        // native index
  EXPECT_EQ(reason({{{"tags"}, op::contains}}), "");  // native index on a set
  EXPECT_EQ(reason({{{"score"}, op::gt}}), "");       // SAI serves ranges
  EXPECT_NE(reason({{{"score"}, op::gt}, {{"kind"}, op::eq}}).find("native index"),
            std::string::npos);
  EXPECT_NE(reason({tenant}).find("partition key column tenant"), std::string::npos);
  EXPECT_NE(reason({{{"at"}, op::eq}}).find("clustering column at"), std::string::npos);
  EXPECT_NE(reason({tenant, day, {{"seq"}, op::eq}}).find("clustering column seq"),
            std::string::npos);
  EXPECT_NE(reason({tenant, day, {{"owner"}, op::eq}}).find("column owner"), std::string::npos);
  EXPECT_NE(reason({{{"kind"}, op::gt}}).find("column kind"), std::string::npos);
  EXPECT_THROW(reason({{{"nope"}, op::eq}}), coodie::invalid_model);
}

TEST(OrmStatements, FilteringDecisionFollowsTheLiveIndexKind) {
  // kind's plain index became SAI on the server (default_secondary_index: sai): it serves
  // ranges and intersects with another SAI index.
  std::vector<coodie::index_schema> live = ev().indexes;
  for (coodie::index_schema& i : live) {
    if (i.column == "kind") {
      i.custom_class = "org.apache.cassandra.index.sai.StorageAttachedIndex";
    }
  }
  const std::vector<where_term> range{{{"kind"}, op::gt}};
  const std::vector<where_term> both{{{"score"}, op::gt}, {{"kind"}, op::eq}};
  EXPECT_NE(filtering_reason(ev(), range), "");
  EXPECT_EQ(filtering_reason(ev(), range, &live), "");
  EXPECT_NE(filtering_reason(ev(), both), "");
  EXPECT_EQ(filtering_reason(ev(), both, &live), "");
  // An index the server does not have serves nothing.
  std::vector<coodie::index_schema> none;
  EXPECT_NE(filtering_reason(ev(), {{{"kind"}, op::eq}}, &none), "");
}

}  // namespace

namespace {

TEST(OrmStatements, RelationsAreSpelledAsInCql) {
  using coodie::dml::op;
  using coodie::dml::parse_op;
  EXPECT_EQ(parse_op("="), op::eq);
  EXPECT_EQ(parse_op("<"), op::lt);
  EXPECT_EQ(parse_op("<="), op::le);
  EXPECT_EQ(parse_op(">"), op::gt);
  EXPECT_EQ(parse_op(">="), op::ge);
  EXPECT_EQ(parse_op("in"), op::in);
  EXPECT_EQ(parse_op("Contains"), op::contains);
  EXPECT_EQ(parse_op(" contains   key "), op::contains_key);
  EXPECT_EQ(parse_op("!="), op::ne);
  try {
    (void)parse_op("LIKE");
    ADD_FAILURE() << "LIKE is no relation the ODM writes";
  } catch (const coodie::usage_error& e) {
    EXPECT_STREQ(e.what(),
                 "unknown relation \"LIKE\" (use =, <, <=, >, >=, IN, CONTAINS, CONTAINS KEY, !=)");
  }
  EXPECT_THROW((void)parse_op("=="), coodie::usage_error);
  EXPECT_THROW((void)parse_op(""), coodie::usage_error);
}

TEST(OrmStatements, ColumnNamedAtRunTimeIsChecked) {
  auto f = coodie::where_column<Event>("kind", coodie::dml::parse_op("<="), std::string("x"));
  EXPECT_EQ(f.term.columns, std::vector<std::string>{"kind"});
  EXPECT_EQ(f.term.relation, coodie::dml::op::le);
  EXPECT_EQ(f.value.size(), 1u);
  EXPECT_THROW((void)coodie::where_column<Event>("kin", coodie::dml::op::eq, std::string("x")),
               coodie::invalid_model);
  EXPECT_THROW((void)coodie::where_column<Event>("kind", coodie::dml::op::eq, 3.5),
               coodie::codec_error);
  auto tag = coodie::where_column<Event>("tags", coodie::dml::op::contains, std::string("a"));
  EXPECT_EQ(tag.term.relation, coodie::dml::op::contains);
  try {
    (void)coodie::where_column<Event>("kind", coodie::dml::parse_op("!="), std::string("x"));
    ADD_FAILURE() << "!= was accepted as a restriction";
  } catch (const coodie::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("column kind: != is no restriction"), std::string::npos)
        << e.what();
  }
}

}  // namespace
