// The structs of the polymorphic model tests: a content base and three subtypes, declared as
// models by each test (tests/unit/orm_polymorphic_unit_test.cpp in keyspace shop,
// tests/integration/orm_polymorphic_test.cpp in its suite's, tests/compile_fail/ each its own
// way). Podcast lists its members in
// another order than the base's and holds Video's seconds column as an optional: both are
// matched by column name, std::optional aside.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace poly {

struct Article;
struct Video;
struct Podcast;
struct Content {
  std::string id;
  std::string kind;
  std::string title;
};
struct Article {
  std::string id;
  std::string kind;
  std::string title;
  std::string body;
  std::vector<std::string> tags;
};
struct Video {
  std::string id;
  std::string kind;
  std::string title;
  std::int32_t seconds = 0;
  std::string url;
};
struct Podcast {
  std::string title;
  std::string id;
  std::string kind;
  std::optional<std::int32_t> seconds;  // Video's column
  std::int32_t episode = 0;
};

}  // namespace poly
