// Paging: every row exactly once in clustering order, page by page, through the async iterator,
// and resumed from a page state handed out and passed back in a new request.
#include <cstdint>
#include <string>
#include <vector>

#include "support.hpp"

namespace coodie::test {
namespace {

constexpr int row_count = 10000;
constexpr int page_size = 137;

COODIE_KEYSPACE_SUITE(PagingBase, "it_paging");

template <class Front>
class Paging : public PagingBase {
 protected:
  static void SetUpTestSuite() {
    PagingBase::SetUpTestSuite();
    db().execute("CREATE TABLE " + ks() + ".rows (p int, c int, v text, PRIMARY KEY (p, c))");
    prepared_statement ins =
        db().prepare("INSERT INTO " + ks() + ".rows (p, c, v) VALUES (1, ?, ?)");
    std::vector<std::future<result>> inflight;
    for (int c = 0; c < row_count; ++c) {
      inflight.push_back(
          db().async_execute(ins.bind(c, "v" + std::to_string(c)), boost::asio::use_future));
      if (inflight.size() == 512) {
        for (auto& f : inflight) {
          f.get();
        }
        inflight.clear();
      }
    }
    for (auto& f : inflight) {
      f.get();
    }
  }
  static statement select_all() {
    return statement("SELECT c, v FROM " + ks() + ".rows WHERE p = 1").set_page_size(page_size);
  }
};
TYPED_TEST_SUITE(Paging, fronts, front_names);

TYPED_TEST(Paging, EveryRowOnceInOrderPageByPage) {
  statement st = this->select_all();
  int expected = 0;
  int pages = 0;
  std::optional<page_state> state;
  while (true) {
    statement page_st = st;
    if (state) {
      page_st.set_paging_state(*state);
    }
    result r = TypeParam::execute(this->db(), page_st);
    ++pages;
    EXPECT_LE(r.size(), static_cast<std::size_t>(page_size));
    r.template for_each<std::int32_t, std::string>([&](std::int32_t c, const std::string& v) {
      ASSERT_EQ(c, expected);
      ASSERT_EQ(v, "v" + std::to_string(c));
      ++expected;
    });
    state = r.paging_state();
    if (!state) {
      break;
    }
  }
  EXPECT_EQ(expected, row_count);
  EXPECT_GE(pages, row_count / page_size);
}

// --8<-- [start:pager]
TYPED_TEST(Paging, PagerYieldsEveryRowOnce) {
  pager p = this->db().pages(this->select_all());
  int expected = 0;
  while (std::optional<result> page = TypeParam::next_page(p)) {
    for (const row& r : *page) {
      ASSERT_EQ(r.get<std::int32_t>(0), expected);
      ++expected;
    }
  }
  EXPECT_EQ(expected, row_count);
  // After the end, the pager keeps answering "no more pages".
  EXPECT_FALSE(TypeParam::next_page(p).has_value());
}
// --8<-- [end:pager]

// --8<-- [start:page-state-string]
TYPED_TEST(Paging, PageStateThroughAStringResumesAtTheRightRow) {
  result first = TypeParam::execute(this->db(), this->select_all());
  ASSERT_EQ(first.size(), static_cast<std::size_t>(page_size));
  std::optional<page_state> state = first.paging_state();
  ASSERT_TRUE(state.has_value());
  std::string token = state->to_string();
  statement resumed = this->select_all();
  resumed.set_paging_state(page_state::from_string(token));
  result second = TypeParam::execute(this->db(), resumed);
  ASSERT_FALSE(second.empty());
  EXPECT_EQ(second.front().get<std::int32_t>("c"), page_size);
}
// --8<-- [end:page-state-string]

TYPED_TEST(Paging, PreparedStatementsPageToo) {
  prepared_statement ps =
      TypeParam::prepare(this->db(), "SELECT c FROM " + this->ks() + ".rows WHERE p = ?");
  bound_statement b = ps.bind(1);
  b.set_page_size(1000);
  pager p = this->db().pages(b);
  int seen = 0;
  while (std::optional<result> page = TypeParam::next_page(p)) {
    seen += static_cast<int>(page->size());
  }
  EXPECT_EQ(seen, row_count);
}

// --8<-- [start:row-range]
TEST_F(PagingBase, BlockingRowRangeCrossesPages) {
  db().execute("CREATE TABLE IF NOT EXISTS " + ks() + ".small (p int, c int, PRIMARY KEY (p, c))");
  for (int c = 0; c < 25; ++c) {
    db().execute(statement("INSERT INTO " + ks() + ".small (p, c) VALUES (7, ?)", c));
  }
  int expected = 0;
  for (const row& r :
       db().rows(statement("SELECT c FROM " + ks() + ".small WHERE p = 7").set_page_size(4))) {
    EXPECT_EQ(r.get<std::int32_t>(0), expected);
    ++expected;
  }
  EXPECT_EQ(expected, 25);
}
// --8<-- [end:row-range]

}  // namespace
}  // namespace coodie::test
