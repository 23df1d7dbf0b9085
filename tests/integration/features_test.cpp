// Batches, USE, server warnings, consistency levels, LWT, timestamps and LZ4.
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include "support.hpp"

namespace coodie::test {
namespace {

COODIE_KEYSPACE_SUITE(FeaturesBase, "it_features");

template <class Front>
class Features : public FeaturesBase {
 protected:
  void SetUp() override {
    db().execute("CREATE TABLE IF NOT EXISTS " + ks() + ".kv (k int PRIMARY KEY, v text)");
    db().execute("CREATE TABLE IF NOT EXISTS " + ks() + ".hits (k int PRIMARY KEY, n counter)");
  }
  std::string table(const char* name) { return ks() + "." + name; }
};
TYPED_TEST_SUITE(Features, fronts, front_names);

TYPED_TEST(Features, LoggedAndUnloggedBatchesApplyEveryStatement) {
  prepared_statement ins =
      TypeParam::prepare(this->db(), "INSERT INTO " + this->table("kv") + " (k, v) VALUES (?, ?)");
  for (auto type : {wire::batch_type::logged, wire::batch_type::unlogged}) {
    batch b(type);
    int base = type == wire::batch_type::logged ? 100 : 200;
    b.add(ins.bind(base + 1, std::string("a")));
    b.add(statement("INSERT INTO " + this->table("kv") + " (k, v) VALUES (?, ?)", base + 2,
                    std::string("b")));
    b.add(ins.bind(base + 3, std::string("c")));
    TypeParam::execute(this->db(), b);
    result r = TypeParam::execute(
        this->db(), statement("SELECT k, v FROM " + this->table("kv") + " WHERE k IN (?, ?, ?)",
                              base + 1, base + 2, base + 3));
    EXPECT_EQ(r.size(), 3u);
  }
}

TYPED_TEST(Features, CounterBatch) {
  prepared_statement inc = TypeParam::prepare(
      this->db(), "UPDATE " + this->table("hits") + " SET n = n + ? WHERE k = ?");
  batch b(wire::batch_type::counter);
  b.add(inc.bind(std::int64_t{5}, 1)).add(inc.bind(std::int64_t{7}, 1));
  TypeParam::execute(this->db(), b);
  result r = TypeParam::execute(this->db(),
                                statement("SELECT n FROM " + this->table("hits") + " WHERE k = 1"));
  ASSERT_EQ(r.size(), 1u);
  EXPECT_GE(r.front().get<std::int64_t>(0), 12);
}

TYPED_TEST(Features, ServerWarningsReachTheCaller) {
  batch b(wire::batch_type::logged);
  std::string big(1024, 'w');
  for (int i = 0; i < 10; ++i) {  // 10 KiB: past the 5 KiB batch_size_warn_threshold
    b.add(statement("INSERT INTO " + this->table("kv") + " (k, v) VALUES (?, ?)", 300 + i, big));
  }
  result r = TypeParam::execute(this->db(), b);
  ASSERT_FALSE(r.warnings().empty());
  EXPECT_NE(r.warnings()[0].find("atch"), std::string::npos) << r.warnings()[0];
}

TYPED_TEST(Features, UnavailableCarriesItsFields) {
  statement st("SELECT * FROM " + this->table("kv") + " WHERE k = 1");
  st.set_consistency(consistency::three);
  try {
    TypeParam::execute(this->db(), st);
    FAIL() << "consistency THREE succeeded on one replica";
  } catch (const unavailable_error& e) {
    EXPECT_EQ(e.code(), 0x1000);
    EXPECT_EQ(e.cl(), consistency::three);
    EXPECT_EQ(e.required(), 3);
    EXPECT_EQ(e.alive(), 1);
  }
}

TYPED_TEST(Features, LightweightTransactionWithSerialConsistency) {
  std::string cql = "INSERT INTO " + this->table("kv") + " (k, v) VALUES (?, ?) IF NOT EXISTS";
  statement first(cql, 400, std::string("first"));
  first.set_serial_consistency(consistency::local_serial);
  result a = TypeParam::execute(this->db(), first);
  EXPECT_TRUE(a.front().get<bool>("[applied]"));
  statement second(cql, 400, std::string("second"));
  second.set_serial_consistency(consistency::serial);
  result b = TypeParam::execute(this->db(), second);
  EXPECT_FALSE(b.front().get<bool>("[applied]"));
  EXPECT_EQ(b.front().get<std::string>("v"), "first");
}

TYPED_TEST(Features, OlderTimestampLosesAndClientTimestampsIncrease) {
  std::string upsert = "INSERT INTO " + this->table("kv") + " (k, v) VALUES (500, ?)";
  TypeParam::execute(this->db(), statement(upsert, std::string("new")).set_timestamp(2000));
  TypeParam::execute(this->db(), statement(upsert, std::string("old")).set_timestamp(1000));
  result r = TypeParam::execute(
      this->db(), statement("SELECT v, writetime(v) FROM " + this->table("kv") + " WHERE k = 500"));
  EXPECT_EQ(r.front().get<std::string>(0), "new");
  EXPECT_EQ(r.front().get<std::int64_t>(1), 2000);
  // Back-to-back writes with client timestamps: the last one wins, its timestamp is recent.
  for (int i = 0; i < 50; ++i) {
    TypeParam::execute(this->db(),
                       statement("INSERT INTO " + this->table("kv") + " (k, v) VALUES (501, ?)",
                                 std::to_string(i)));
  }
  result last = TypeParam::execute(
      this->db(), statement("SELECT v, writetime(v) FROM " + this->table("kv") + " WHERE k = 501"));
  EXPECT_EQ(last.front().get<std::string>(0), "49");
  auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  EXPECT_NEAR(static_cast<double>(last.front().get<std::int64_t>(1)), static_cast<double>(now_us),
              60e6);
}

TEST_F(FeaturesBase, UseKeyspaceReachesEveryConnection) {
  session_options o = options_from_env();
  o.connections_per_host = 3;
  driver_session s = driver_session::connect(o);
  s.execute("CREATE TABLE IF NOT EXISTS " + ks() + ".kv (k int PRIMARY KEY, v text)");
  result use = s.execute("USE " + ks());
  EXPECT_EQ(use.set_keyspace(), ks());
  EXPECT_EQ(s.keyspace(), ks());
  // Unqualified names now resolve on every connection, whichever carries the request.
  std::vector<std::future<result>> fs;
  for (int i = 0; i < 60; ++i) {
    fs.push_back(
        s.async_execute(statement("SELECT * FROM kv WHERE k = ?", i), boost::asio::use_future));
  }
  for (auto& f : fs) {
    EXPECT_NO_THROW(f.get());
  }
}

TEST_F(FeaturesBase, SessionKeyspaceOption) {
  session_options o = options_from_env();
  o.keyspace = ks();
  driver_session s = driver_session::connect(o);
  s.execute("CREATE TABLE IF NOT EXISTS kv2 (k int PRIMARY KEY, v text)");
  s.execute(statement("INSERT INTO kv2 (k, v) VALUES (?, ?)", 1, std::string("x")));
  EXPECT_EQ(s.execute("SELECT v FROM kv2 WHERE k = 1").front().get<std::string>(0), "x");
}

TEST_F(FeaturesBase, Lz4CompressedSessionRoundTripsLargeValues) {
  session_options o = options_from_env();
  o.compression = compression::lz4;
  driver_session s = driver_session::connect(o);
  // The node offers LZ4, so every connection must speak it: a session that fell back to
  // uncompressed frames would pass the round trip below without testing anything.
  session_metrics m = s.metrics();
  ASSERT_FALSE(m.hosts.empty());
  for (const host_metrics& h : m.hosts) {
    EXPECT_GT(h.connections, 0U) << h.address;
    EXPECT_GE(h.compressed_connections, 1U) << h.address;
  }
  s.execute("CREATE TABLE IF NOT EXISTS " + ks() + ".texts (k int PRIMARY KEY, v text)");
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "line " + std::to_string(i) + "\n";
  }
  prepared_statement ins = s.prepare("INSERT INTO " + ks() + ".texts (k, v) VALUES (?, ?)");
  s.execute(ins.bind(1, text));
  s.execute(ins.bind(2, std::string("short")));
  result r = s.execute("SELECT k, v FROM " + ks() + ".texts WHERE k IN (1, 2)");
  auto rows = r.as<std::int32_t, std::string>();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(std::get<1>(rows[0]), text);
  EXPECT_EQ(std::get<1>(rows[1]), "short");
}

TEST_F(FeaturesBase, APagerMayOutliveItsSession) {
  auto p = std::make_unique<pager>();
  {
    driver_session s = driver_session::connect(options_from_env());
    *p = s.pages(statement("SELECT keyspace_name FROM system_schema.keyspaces").set_page_size(2));
    ASSERT_TRUE(p->next().has_value());
  }  // the session closes here
  EXPECT_THROW(p->next(), connection_error);
  p.reset();  // and the state it shared goes last, without touching the closed io_context
}

TEST_F(FeaturesBase, BlockingCallFromTheIoThreadIsRefused) {
  // A session on the caller's io_context, run by a thread of the test's own.
  boost::asio::io_context ctx;
  auto work = boost::asio::make_work_guard(ctx);
  std::thread io([&] { ctx.run(); });
  driver_session s =
      driver_session::async_connect(ctx.get_executor(), options_from_env(), boost::asio::use_future)
          .get();
  std::promise<bool> refused;
  boost::asio::post(ctx, [&] {
    try {
      s.execute("SELECT release_version FROM system.local");
      refused.set_value(false);
    } catch (const usage_error&) {
      refused.set_value(true);
    }
  });
  EXPECT_TRUE(refused.get_future().get());
  // From any other thread the blocking call works.
  EXPECT_EQ(s.execute("SELECT release_version FROM system.local").size(), 1u);
  s.async_close(boost::asio::use_future).get();
  work.reset();
  io.join();  // returns once the closed session has no work left on the io_context
}

}  // namespace
}  // namespace coodie::test
