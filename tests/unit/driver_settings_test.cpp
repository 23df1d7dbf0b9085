// Connection settings from a URI and from the environment: every setting, the defaults, and
// malformed input, whose message names the part at fault and never the password.
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "coodie/driver/options.hpp"

namespace {

using coodie::session_options;
using coodie::settings_error;
using namespace std::chrono_literals;

/// The message of the settings_error that reading `uri` throws ("" when it reads).
std::string uri_error(const std::string& uri) {
  try {
    (void)session_options::from_uri(uri);
  } catch (const settings_error& e) {
    return e.what();
  }
  return "";
}

using env_map = std::map<std::string, std::string>;

session_options from(const env_map& env) {
  return session_options::from_env([&](const std::string& name) -> std::optional<std::string> {
    auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  });
}

std::string env_error(const env_map& env) {
  try {
    (void)from(env);
  } catch (const settings_error& e) {
    return e.what();
  }
  return "";
}

TEST(SettingsUri, ReadsEveryPart) {
  auto o = session_options::from_uri(
      "cassandra://app:secret@h1,h2:9043/shop?consistency=local_quorum&tls=1"
      "&serial_consistency=LOCAL_SERIAL&local_dc=dc2&compression=lz4&connect_timeout=2s"
      "&request_timeout=750ms&page_size=100&connections_per_host=2&discover_peers=no"
      "&token_aware=off&tls_verify_hostname=true&io_threads=0");
  EXPECT_EQ(o.username, "app");
  EXPECT_EQ(o.password, "secret");
  EXPECT_EQ(o.hosts, (std::vector<std::string>{"h1", "h2:9043"}));
  EXPECT_EQ(o.keyspace, "shop");
  EXPECT_EQ(o.default_consistency, coodie::consistency::local_quorum);
  EXPECT_EQ(o.default_serial_consistency, coodie::consistency::local_serial);
  EXPECT_TRUE(o.tls.enabled);
  EXPECT_TRUE(o.tls.verify_hostname);
  EXPECT_EQ(o.local_dc, "dc2");
  EXPECT_EQ(o.compression, coodie::compression::lz4);
  EXPECT_EQ(o.connect_timeout, 2s);
  EXPECT_EQ(o.request_timeout, 750ms);
  EXPECT_EQ(o.default_page_size, 100);
  EXPECT_EQ(o.connections_per_host, 2u);
  EXPECT_FALSE(o.discover_peers);
  EXPECT_FALSE(o.token_aware);
  EXPECT_EQ(o.io_threads, 0u);
}

TEST(SettingsUri, KeepsDefaultsForWhatItOmits) {
  auto o = session_options::from_uri("cassandra://10.0.0.1");
  session_options d;
  EXPECT_EQ(o.hosts, std::vector<std::string>{"10.0.0.1"});
  EXPECT_EQ(o.username, "");
  EXPECT_EQ(o.password, "");
  EXPECT_EQ(o.keyspace, "");
  EXPECT_FALSE(o.tls.enabled);
  EXPECT_EQ(o.request_timeout, d.request_timeout);
  EXPECT_EQ(o.default_consistency, d.default_consistency);
  EXPECT_EQ(session_options::from_uri("CASSANDRA://h/").keyspace, "");
}

TEST(SettingsUri, DecodesUserPasswordAndValues) {
  auto o = session_options::from_uri(
      "cassandra://us%40er:p%3Aa%40ss%25@[::1]:9042/ks?tls_ca=%2Fetc%2Fca%26b.pem");
  EXPECT_EQ(o.username, "us@er");
  EXPECT_EQ(o.password, "p:a@ss%");
  EXPECT_EQ(o.hosts, std::vector<std::string>{"[::1]:9042"});
  EXPECT_EQ(o.tls.ca_file, "/etc/ca&b.pem");
  EXPECT_TRUE(o.tls.enabled) << "a CA file turns TLS on";
  // An unencoded '/' or '?' in the password still ends at the last '@'.
  auto raw = session_options::from_uri("cassandra://u:pa/s?s@h/ks");
  EXPECT_EQ(raw.password, "pa/s?s");
  EXPECT_EQ(raw.keyspace, "ks");
}

TEST(SettingsUri, MalformedPartsNameWhatIsWrong) {
  EXPECT_NE(uri_error("http://h").find("must start with cassandra://"), std::string::npos);
  EXPECT_NE(uri_error("cassandra:///shop").find("no host"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://h1,,h2").find("empty host"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://h:99999").find("invalid port in host 'h:99999'"),
            std::string::npos);
  EXPECT_NE(uri_error("cassandra://h:").find("invalid port"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://[::1").find("unclosed '['"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://h/my-shop").find("my-shop"), std::string::npos);
  std::string unknown = uri_error("cassandra://h?consistancy=one");
  EXPECT_NE(unknown.find("unknown setting 'consistancy'"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("consistency"), std::string::npos) << "lists the known names";
  EXPECT_NE(uri_error("cassandra://h?username=x").find("unknown setting 'username'"),
            std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?tls=1&tls=0").find("tls is given twice"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?tls").find("tls has no value"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?tls=maybe").find("'maybe' is not a boolean"),
            std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?consistency=most").find("'most' is not a consistency"),
            std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?request_timeout=5").find("'5' is not a duration"),
            std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?request_timeout=-5s").find("is not a duration"),
            std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?connections_per_host=0").find("from 1 to 64"),
            std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?compression=zstd").find("none or lz4"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://:pw@h").find("empty user name"), std::string::npos);
  EXPECT_NE(uri_error("cassandra://h?tls_ca=%ZZ").find("percent-encoding in the tls_ca value"),
            std::string::npos);
}

TEST(SettingsUri, NeverShowsThePassword) {
  for (const char* uri :
       {"cassandra://app:Sup3rS3cret@h:bad/shop", "cassandra://app:Sup3rS3cret@h?nope=1",
        "cassandra://app:Sup3rS3cret%zz@h", "cassandra://app:Sup3rS3cret@",
        "cassandra://app:Sup3rS3cret/x?y@h:0", "cassandra://app:Sup3rS3cret@h/bad-ks?tls=2"}) {
    std::string msg = uri_error(uri);
    ASSERT_FALSE(msg.empty()) << uri;
    EXPECT_EQ(msg.find("Sup3rS3cret"), std::string::npos) << msg;
    EXPECT_EQ(msg.find("S3cret"), std::string::npos) << msg;
  }
  EXPECT_NE(uri_error("cassandra://app:Sup3rS3cret@h?nope=1").find("cassandra://app:***@h"),
            std::string::npos);
}

TEST(SettingsEnv, NothingSetGivesTheDefaults) {
  auto o = from({});
  session_options d;
  EXPECT_EQ(o.hosts, d.hosts);
  EXPECT_EQ(o.username, "");
  EXPECT_FALSE(o.tls.enabled);
}

TEST(SettingsEnv, ReadsEachVariable) {
  auto o = from({{"COODIE_HOSTS", "a,b:9043"},
                 {"COODIE_PORT", "19042"},
                 {"COODIE_USERNAME", "app"},
                 {"COODIE_PASSWORD", "pw"},
                 {"COODIE_KEYSPACE", "shop"},
                 {"COODIE_CONSISTENCY", "quorum"},
                 {"COODIE_TLS_CA", "/ca.pem"},
                 {"COODIE_TLS_CERT", "/c.pem"},
                 {"COODIE_TLS_KEY", "/k.pem"},
                 {"COODIE_REQUEST_TIMEOUT", "5s"},
                 {"COODIE_LOCAL_DC", ""}});  // empty: as if unset
  EXPECT_EQ(o.hosts, (std::vector<std::string>{"a", "b:9043"}));
  EXPECT_EQ(o.port, 19042);
  EXPECT_EQ(o.username, "app");
  EXPECT_EQ(o.password, "pw");
  EXPECT_EQ(o.keyspace, "shop");
  EXPECT_EQ(o.default_consistency, coodie::consistency::quorum);
  EXPECT_TRUE(o.tls.enabled);
  EXPECT_EQ(o.tls.ca_file, "/ca.pem");
  EXPECT_EQ(o.tls.cert_file, "/c.pem");
  EXPECT_EQ(o.tls.key_file, "/k.pem");
  EXPECT_EQ(o.request_timeout, 5s);
  EXPECT_EQ(o.local_dc, "");
}

TEST(SettingsEnv, VariablesOverrideTheUri) {
  auto o = from({{"COODIE_URI", "cassandra://u:p@h1/ks?consistency=one"},
                 {"COODIE_PASSWORD", "from-env"},
                 {"COODIE_CONSISTENCY", "all"}});
  EXPECT_EQ(o.hosts, std::vector<std::string>{"h1"});
  EXPECT_EQ(o.username, "u");
  EXPECT_EQ(o.password, "from-env");
  EXPECT_EQ(o.keyspace, "ks");
  EXPECT_EQ(o.default_consistency, coodie::consistency::all);
}

TEST(SettingsEnv, MalformedVariablesAreNamed) {
  EXPECT_NE(env_error({{"COODIE_PORT", "x"}}).find("COODIE_PORT: port: 'x' is not a number"),
            std::string::npos);
  EXPECT_NE(env_error({{"COODIE_HOSTS", "a,"}}).find("COODIE_HOSTS"), std::string::npos);
  EXPECT_NE(env_error({{"COODIE_TLS", "yes please"}}).find("COODIE_TLS: tls:"), std::string::npos);
  std::string msg = env_error({{"COODIE_URI", "cassandra://u:Hidd3nPw@h?x=1"}});
  EXPECT_NE(msg.find("COODIE_URI: connection URI 'cassandra://u:***@h?x=1'"), std::string::npos)
      << msg;
  EXPECT_EQ(msg.find("Hidd3nPw"), std::string::npos) << msg;
}

}  // namespace
