// The polymorphic base and subtype the compile-failure cases of polymorphic models share; each
// case declares them as models its own way.
#pragma once

#include <string>

struct Article;
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
};
