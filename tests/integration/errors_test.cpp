// Every failure reaches the caller as the matching typed exception with the server's message,
// in blocking and coroutine form.
#include <cstdint>
#include <string>

#include "support.hpp"

namespace coodie::test {
namespace {

COODIE_KEYSPACE_SUITE(ErrorsBase, "it_errors");

template <class Front>
class Errors : public ErrorsBase {};
TYPED_TEST_SUITE(Errors, fronts, front_names);

template <class E, class F>
E expect_throw(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected " << typeid(E).name() << ", got " << typeid(e).name() << ": "
                  << e.what();
    throw;
  }
  ADD_FAILURE() << "expected " << typeid(E).name() << ", nothing was thrown";
  throw std::logic_error("no exception");
}

// --8<-- [start:syntax-error]
TYPED_TEST(Errors, SyntaxError) {
  auto e = expect_throw<syntax_error>(
      [&] { TypeParam::execute(this->db(), statement("SELEC * FROM nowhere")); });
  EXPECT_EQ(e.code(), 0x2000);
  EXPECT_NE(e.server_message().find("SELEC"), std::string::npos) << e.what();
}
// --8<-- [end:syntax-error]

TYPED_TEST(Errors, UnknownTable) {
  auto e = expect_throw<invalid_query_error>([&] {
    TypeParam::execute(this->db(), statement("SELECT * FROM " + this->ks() + ".no_such_table"));
  });
  EXPECT_EQ(e.code(), 0x2200);
  EXPECT_NE(e.server_message().find("no_such_table"), std::string::npos) << e.what();
}

TYPED_TEST(Errors, WrongBoundValueTypeIsRejectedByTheServer) {
  this->db().execute("CREATE TABLE IF NOT EXISTS " + this->ks() +
                     ".typed (k int PRIMARY KEY, v text)");
  // A three-byte string where the server expects a four-byte int.
  auto e = expect_throw<invalid_query_error>([&] {
    TypeParam::execute(this->db(),
                       statement("INSERT INTO " + this->ks() + ".typed (k, v) VALUES (?, ?)",
                                 std::string("abc"), std::string("v")));
  });
  EXPECT_FALSE(e.server_message().empty());
}

// --8<-- [start:prepared-bind]
TYPED_TEST(Errors, WrongBoundValueTypeIsCaughtBeforeSendingWhenPrepared) {
  this->db().execute("CREATE TABLE IF NOT EXISTS " + this->ks() +
                     ".typed (k int PRIMARY KEY, v text)");
  prepared_statement ps =
      TypeParam::prepare(this->db(), "INSERT INTO " + this->ks() + ".typed (k, v) VALUES (?, ?)");
  auto e = expect_throw<codec_error>([&] { (void)ps.bind(std::string("abc"), std::string("v")); });
  EXPECT_NE(std::string(e.what()).find("column k"), std::string::npos) << e.what();
}
// --8<-- [end:prepared-bind]

// --8<-- [start:already-exists]
TYPED_TEST(Errors, AlreadyExistsCarriesKeyspaceAndTable) {
  this->db().execute("CREATE TABLE IF NOT EXISTS " + this->ks() + ".dup (k int PRIMARY KEY)");
  auto e = expect_throw<already_exists_error>([&] {
    TypeParam::execute(this->db(),
                       statement("CREATE TABLE " + this->ks() + ".dup (k int PRIMARY KEY)"));
  });
  EXPECT_EQ(e.keyspace(), this->ks());
  EXPECT_EQ(e.table(), "dup");
}
// --8<-- [end:already-exists]

TYPED_TEST(Errors, RequestTimeoutLeavesTheSessionUsable) {
  this->db().execute("CREATE TABLE IF NOT EXISTS " + this->ks() +
                     ".big (p int, c int, v text, PRIMARY KEY (p, c))");
  prepared_statement ins =
      this->db().prepare("INSERT INTO " + this->ks() + ".big (p, c, v) VALUES (0, ?, ?)");
  std::string payload(2048, 'x');
  std::vector<std::future<result>> fs;
  for (int c = 0; c < 3000; ++c) {
    fs.push_back(this->db().async_execute(ins.bind(c, payload), boost::asio::use_future));
  }
  for (auto& f : fs) {
    f.get();
  }
  // Reading 6 MB cannot be answered within a millisecond.
  statement slow("SELECT * FROM " + this->ks() + ".big WHERE p = 0");
  slow.set_page_size(5000).set_timeout(std::chrono::milliseconds(1));
  auto e = expect_throw<request_timeout_error>([&] { TypeParam::execute(this->db(), slow); });
  EXPECT_TRUE(e.is_retryable());
  // The connection stays usable, and the late answer is not delivered to anybody else.
  for (int i = 0; i < 20; ++i) {
    result r = TypeParam::execute(
        this->db(), statement("SELECT c FROM " + this->ks() + ".big WHERE p = 0 AND c = ?", i));
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r.front().get<std::int32_t>(0), i);
  }
}

// --8<-- [start:connection-refused]
TEST(ErrorsConnect, ConnectionRefused) {
  session_options o = options_from_env();
  o.hosts = {"127.0.0.1:1"};
  try {
    driver_session::connect(o);
    FAIL() << "connected to a closed port";
  } catch (const connection_error& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:1"), std::string::npos) << e.what();
  }
}
// --8<-- [end:connection-refused]

TEST(ErrorsConnect, ConnectionRefusedAsync) {
  session_options o = options_from_env();
  o.hosts = {"127.0.0.1:1"};
  boost::asio::io_context ctx;
  auto f = driver_session::async_connect(ctx.get_executor(), o, boost::asio::use_future);
  ctx.run();
  EXPECT_THROW(f.get(), connection_error);
}

// --8<-- [start:wrong-password]
TEST(ErrorsConnect, WrongPasswordNamesTheUserNotThePassword) {
  session_options o = options_from_env();
  o.password = "definitely-not-the-password";
  try {
    driver_session::connect(o);
    FAIL() << "authenticated with a wrong password";
  } catch (const authentication_error& e) {
    std::string what = e.what();
    EXPECT_EQ(e.code(), 0x0100);
    EXPECT_NE(what.find(o.username), std::string::npos) << what;
    EXPECT_EQ(what.find(o.password), std::string::npos) << what;
  }
}
// --8<-- [end:wrong-password]

TEST(ErrorsConnect, WrongPasswordAsync) {
  session_options o = options_from_env();
  o.password = "definitely-not-the-password";
  boost::asio::io_context ctx;
  auto f = driver_session::async_connect(ctx.get_executor(), o, boost::asio::use_future);
  ctx.run();
  EXPECT_THROW(f.get(), authentication_error);
}

TEST(ErrorsConnect, MissingCredentials) {
  session_options o = options_from_env();
  o.username.clear();
  EXPECT_THROW(driver_session::connect(o), authentication_error);
}

}  // namespace
}  // namespace coodie::test
