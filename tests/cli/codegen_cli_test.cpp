// coodie codegen on a keyspace holding most of what CQL can declare: the header compiles, and
// handed back to schema-diff it shows no difference.
#include <cstdlib>
#include <filesystem>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_support.hpp"

namespace coodie::test {
namespace {

using ::testing::HasSubstr;

using CodegenCli = cli_keyspace;

TEST_F(CodegenCli, GeneratedModelsCompileAndShowNoDifferenceFromTheirKeyspace) {
  dir_.write("20261201_001_everything.cql", R"(
CREATE TYPE geo (lat double, lon double);
CREATE TYPE address (street text, city text, "zipCode" text, at frozen<geo>, tags frozen<set<text>>);
CREATE TABLE shops (
  region text, id uuid, opened timestamp, seq int,
  name text, "class" ascii, owner_name text STATIC,
  home address, billing frozen<address>, previous list<frozen<address>>,
  tags set<text>, counts map<text, int>, pair frozen<tuple<int, text>>, code frozen<list<int>>,
  embedding vector<float, 3>, born date, at time, price decimal, big varint, ok boolean,
  small smallint, tiny tinyint, ratio float, score double, raw blob, ip inet, took duration,
  ver timeuuid, "userName" text,
  PRIMARY KEY ((region, id), opened, seq)
) WITH CLUSTERING ORDER BY (opened DESC, seq ASC);
CREATE INDEX shops_name_idx ON shops (name);
CREATE CUSTOM INDEX shops_owner_sai ON shops (small) USING 'StorageAttachedIndex';
CREATE TABLE visits (page text PRIMARY KEY, hits counter);
)");
  const cli_outcome migrated = run("migrate");
  ASSERT_EQ(migrated.code, 0) << migrated.err;
  const auto header = dir_.path() / "generated_models.hpp";
  const cli_outcome gen = run("codegen", {"-o", header.string(), "--namespace", "gen"});
  ASSERT_EQ(gen.code, 0) << gen.err;
  EXPECT_THAT(gen.out, HasSubstr("Wrote"));

  // Compile the generated header into a management program, as an application would.
  const auto program = dir_.path() / "generated";
  const cli_outcome built = run_cli(
      dir_.path(),
      {COODIE_CODEGEN_COMPILE, COODIE_CODEGEN_PROGRAM, dir_.path().string(), program.string()},
      "/bin/sh");
  ASSERT_EQ(built.code, 0) << built.out << built.err;

  const cli_outcome diff = run("schema-diff", {}, program.string());
  EXPECT_EQ(diff.code, 0) << diff.out << diff.err;
  EXPECT_THAT(diff.out, HasSubstr("No difference"));
}

}  // namespace
}  // namespace coodie::test
