// Pure parts of the driver: page tokens, identifier quoting, statement binding checks.
#include <gtest/gtest.h>

#include "coodie/driver/identifiers.hpp"
#include "coodie/driver/statement.hpp"

namespace coodie {
namespace {

TEST(PageState, RoundTripsThroughAStringForEveryLength) {
  for (std::size_t n = 0; n < 40; ++n) {
    wire::byte_buffer bytes(n);
    for (std::size_t i = 0; i < n; ++i) {
      bytes[i] = static_cast<std::byte>((i * 97 + n) & 0xFF);
    }
    page_state ps(bytes);
    std::string text = ps.to_string();
    EXPECT_EQ(
        text.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos);
    EXPECT_EQ(page_state::from_string(text), ps) << "length " << n;
  }
}

TEST(PageState, KnownEncoding) {
  page_state ps(wire::byte_buffer{std::byte{0xFB}, std::byte{0xFF}, std::byte{0x00}});
  EXPECT_EQ(ps.to_string(), "-_8A");
}

TEST(PageState, RejectsBadText) {
  EXPECT_THROW(page_state::from_string("ab+c"), usage_error);
  EXPECT_THROW(page_state::from_string("abcde"), usage_error);  // 5 chars: impossible length
  EXPECT_THROW(page_state::from_string("AB"), usage_error);     // non-zero trailing bits
}

TEST(Identifiers, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(quote_identifier("shop"), "shop");
  EXPECT_EQ(quote_identifier("shop_2"), "shop_2");
  EXPECT_EQ(quote_identifier("Shop"), "\"Shop\"");
  EXPECT_EQ(quote_identifier("_coodie_migrations"), "\"_coodie_migrations\"");
  EXPECT_EQ(quote_identifier("2shop"), "\"2shop\"");
  EXPECT_EQ(quote_identifier("a\"b"), "\"a\"\"b\"");
  EXPECT_EQ(quote_identifier("x; DROP TABLE t"), "\"x; DROP TABLE t\"");
  EXPECT_THROW(quote_identifier(""), usage_error);
  EXPECT_THROW(quote_identifier(std::string_view("a\0b", 3)), usage_error);
}

TEST(Identifiers, QuotesLiteralsDoublingQuotes) {
  EXPECT_EQ(quote_literal(""), "''");
  EXPECT_EQ(quote_literal("dc1"), "'dc1'");
  EXPECT_EQ(quote_literal("it's"), "'it''s'");
  EXPECT_EQ(quote_literal("''"), "''''''");
  EXPECT_EQ(quote_literal("a'); DROP TABLE t; --"), "'a''); DROP TABLE t; --'");
}

TEST(Statement, BindsValuesInOrder) {
  statement st("INSERT INTO t (a, b) VALUES (?, ?)", 7, std::string("x"));
  EXPECT_EQ(st.values().size(), 2u);
  // [int 4][00 00 00 07] [int 1]['x']
  wire::bound_values v = st.values().view();
  ASSERT_EQ(v.data.size(), 4u + 4u + 4u + 1u);
  EXPECT_EQ(std::to_integer<int>(v.data[7]), 7);
  EXPECT_EQ(std::to_integer<char>(v.data[12]), 'x');
}

TEST(Statement, BindCountIsCheckedByOneRule) {
  auto data = std::make_shared<driver::detail::prepared_data>();
  data->cql = "SELECT * FROM t WHERE a = ? AND b = ?";
  wire::column_spec a;
  a.name = "a";
  a.type = wire::simple_type(wire::type_id::int_);
  wire::column_spec b = a;
  b.name = "b";
  data->variables = {a, b};
  prepared_statement ps(data);
  EXPECT_NO_THROW(ps.check_bound(2));
  try {
    ps.check_bound(1, "batch entry ");
    ADD_FAILURE() << "one value for two markers";
  } catch (const usage_error& e) {
    EXPECT_STREQ(e.what(),
                 "batch entry \"SELECT * FROM t WHERE a = ? AND b = ?\" has 2 bind markers but 1 "
                 "values were bound");
  }
  EXPECT_THROW((void)ps.bind(1), usage_error);
  EXPECT_THROW((void)ps.bind(1, 2, 3), usage_error);
  EXPECT_NO_THROW((void)ps.bind(1, 2));
}

TEST(Statement, OptionsChain) {
  statement st("SELECT 1");
  st.set_consistency(consistency::quorum).set_page_size(10).set_idempotent();
  EXPECT_EQ(st.options().cl, consistency::quorum);
  EXPECT_EQ(st.options().page_size, 10);
  EXPECT_TRUE(st.options().idempotent);
}

}  // namespace
}  // namespace coodie

TEST(Identifiers, ReservedKeywordsAreQuoted) {
  EXPECT_EQ(coodie::quote_identifier("order"), "\"order\"");
  EXPECT_EQ(coodie::quote_identifier("token"), "\"token\"");
  EXPECT_EQ(coodie::quote_identifier("key"), "key");
  EXPECT_TRUE(coodie::is_reserved_keyword("Select"));
  EXPECT_FALSE(coodie::is_reserved_keyword("price"));
}

TEST(Identifiers, CheckNameAcceptsOnlyWhatCassandraAccepts) {
  EXPECT_NO_THROW(coodie::check_name("table", "Products_2"));
  EXPECT_THROW(coodie::check_name("table", "my-table"), coodie::usage_error);
  EXPECT_THROW(coodie::check_name("keyspace", ""), coodie::usage_error);
  EXPECT_THROW(coodie::check_name("keyspace", std::string(49, 'a')), coodie::usage_error);
  try {
    coodie::check_name("index", "a b");
    FAIL();
  } catch (const coodie::usage_error& e) {
    EXPECT_NE(std::string(e.what()).find("invalid index name \"a b\""), std::string::npos);
  }
}
