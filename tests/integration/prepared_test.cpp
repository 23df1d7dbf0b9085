// Prepared statements: the cache, deduplicated in-flight prepares, and transparent re-prepare
// after the server has forgotten a statement.
#include <cstdint>
#include <future>
#include <string>
#include <vector>

#include "support.hpp"

namespace coodie::test {
namespace {

COODIE_KEYSPACE_SUITE(PreparedBase, "it_prepared");

template <class Front>
class Prepared : public PreparedBase {
 protected:
  void SetUp() override {
    db().execute("CREATE TABLE IF NOT EXISTS " + ks() + ".kv (k int PRIMARY KEY, v text)");
  }
};
TYPED_TEST_SUITE(Prepared, fronts, front_names);

// --8<-- [start:cached-prepare]
TYPED_TEST(Prepared, CachedPrepareReturnsTheSameStatement) {
  std::string cql = "SELECT v FROM " + this->ks() + ".kv WHERE k = ?";
  prepared_statement a = TypeParam::prepare(this->db(), cql);
  prepared_statement b = TypeParam::prepare(this->db(), cql);
  EXPECT_EQ(a.data(), b.data());
  ASSERT_EQ(a.variables().size(), 1u);
  EXPECT_EQ(a.variables()[0].name, "k");
  ASSERT_EQ(a.result_columns().size(), 1u);
  EXPECT_EQ(a.result_columns()[0].name, "v");
  ASSERT_EQ(a.partition_key_indexes().size(), 1u);
}
// --8<-- [end:cached-prepare]

// --8<-- [start:find-prepared]
TYPED_TEST(Prepared, FindPreparedLooksIntoTheCacheWithoutPreparing) {
  std::string cql = "SELECT k FROM " + this->ks() + ".kv WHERE k = ? /* find " +
                    std::string(TypeParam::name) + " */";
  EXPECT_FALSE(this->db().find_prepared(cql)) << "nothing is prepared by a lookup";
  EXPECT_FALSE(this->db().find_prepared(cql)) << "and a miss does not prepare it either";
  prepared_statement ps = TypeParam::prepare(this->db(), cql);
  prepared_statement found = this->db().find_prepared(cql);
  ASSERT_TRUE(found);
  EXPECT_EQ(found.data(), ps.data());
  EXPECT_FALSE(this->db().find_prepared(cql + " ")) << "the text is the key, byte for byte";
  EXPECT_FALSE(coodie::driver_session().find_prepared(cql))
      << "an unconnected session has no cache";
}
// --8<-- [end:find-prepared]

TYPED_TEST(Prepared, ConcurrentPreparesShareOnePrepare) {
  std::string cql =
      "SELECT v FROM " + this->ks() + ".kv WHERE k = ? /* " + std::string(TypeParam::name) + " */";
  std::vector<std::future<prepared_statement>> fs;
  for (int i = 0; i < 50; ++i) {
    fs.push_back(this->db().async_prepare(cql, boost::asio::use_future));
  }
  prepared_statement first = fs[0].get();
  for (std::size_t i = 1; i < fs.size(); ++i) {
    EXPECT_EQ(fs[i].get().data(), first.data());
  }
}

TYPED_TEST(Prepared, KeepsWorkingAfterTheServerEvictsIt) {
  this->db().execute(statement("INSERT INTO " + this->ks() + ".kv (k, v) VALUES (1, 'one')"));
  prepared_statement ps =
      TypeParam::prepare(this->db(), "SELECT v FROM " + this->ks() + ".kv WHERE k = ? /* evict " +
                                         std::string(TypeParam::name) + " */");
  blob id(ps.data()->id.begin(), ps.data()->id.end());
  auto known = [&] {
    return !this->db()
                .execute(statement("SELECT prepared_id FROM system.prepared_statements WHERE "
                                   "prepared_id = ?",
                                   id))
                .empty();
  };
  // (Not asserted known() here: a test running beside this one may already have flooded the
  // node's shared cache.)
  // The node's cache is 1 MiB (scripts/cassandra): flood it until our statement is evicted.
  int flooded = 0;
  while (known() && flooded < 40000) {
    std::vector<std::future<prepared_statement>> fs;
    for (int i = 0; i < 500; ++i, ++flooded) {
      fs.push_back(this->db().async_prepare(
          "SELECT v FROM " + this->ks() + ".kv WHERE k = ? LIMIT " + std::to_string(flooded + 1),
          boost::asio::use_future));
    }
    for (auto& f : fs) {
      f.get();
    }
  }
  ASSERT_FALSE(known()) << "the server still knows the statement after " << flooded << " prepares";
  result r = TypeParam::execute(this->db(), ps.bind(1));
  ASSERT_EQ(r.size(), 1u);
  // The server had forgotten this id, so the answer proves the statement was prepared again.
  EXPECT_EQ(r.front().get<std::string>(0), "one");
}

}  // namespace
}  // namespace coodie::test
