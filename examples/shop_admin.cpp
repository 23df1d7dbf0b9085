// An application's management program: the `coodie` command line (migrate, status,
// makemigration, schema-diff, snapshot) with the application's models and its C++ migration
// compiled in. The CQL migrations are the files of examples/migrations; this program adds one
// data migration that fills a lookup table from every row of another (scan_table).
//
//   shop_admin migrate -k shop -d examples/migrations   # the files and the C++ migration
//   shop_admin schema-diff -k shop                      # the models against the live keyspace
//
// examples/run-shop-admin runs it in `make test`: migrate, schema-diff, roll back.
#include <optional>
#include <string>

#include "coodie/cli.hpp"
#include "coodie/coodie.hpp"
#include "coodie/migrate/data.hpp"

// --8<-- [start:models]
namespace shop {

struct Address {
  std::string street;
  std::string city;
  std::optional<std::string> postcode;
};

struct Customer {
  coodie::uuid id;
  std::string name;
  std::optional<std::string> email;
  Address address;  // frozen<address>
};

// A lookup table: the customer of an email address.
struct CustomerByEmail {
  std::string email;
  coodie::uuid customer_id;
};

}  // namespace shop

// No keyspace in the declarations: the tables live in the keyspace the program is given (-k).
template <>
inline constexpr auto coodie::udt<shop::Address> = coodie::user_type("address");
template <>
inline constexpr auto coodie::model<shop::Customer> =
    coodie::table("customers").partition_key<&shop::Customer::id>();
template <>
inline constexpr auto coodie::model<shop::CustomerByEmail> =
    coodie::table("customers_by_email").partition_key<&shop::CustomerByEmail::email>();
// --8<-- [end:models]

namespace {

constexpr const char* checkpoint = "fill_customers_by_email";

// --8<-- [start:fill]
// Up: one upsert per customer with an email. Running it twice writes the same rows again, so a
// run that stopped part-way can start over; the checkpoints skip the ranges already read.
void fill_customers_by_email(coodie::migrate::context& ctx) {
  if (ctx.dry_run()) {
    ctx.progress("would read every row of customers and write customers_by_email");
    return;  // the tables may not exist yet: the migrations before this one did not run
  }
  // --8<-- [start:scan]
  coodie::prepared_statement insert =
      ctx.session().prepare("INSERT INTO customers_by_email (email, customer_id) VALUES (?, ?)");
  coodie::migrate::scan_table(
      ctx,
      {.table = "customers",
       .columns = {"id", "email"},
       .rows_per_second = 5000,
       .parallelism = 2,
       .checkpoint = checkpoint},
      [&](const coodie::row& r) {
        if (auto email = r.get<std::optional<std::string>>(1)) {
          ctx.session().execute(insert.bind(*email, r.get<coodie::uuid>(0)));
        }
      });
  // --8<-- [end:scan]
}
// --8<-- [end:fill]

// --8<-- [start:down]
// Down: the rows stay (the application writes the same ones); the checkpoints go, so that
// applying the migration again reads every customer again.
void forget_fill(coodie::migrate::context& ctx) {
  if (!ctx.dry_run()) {
    coodie::migrate::forget_checkpoints(ctx, checkpoint);
  }
}
// --8<-- [end:down]

}  // namespace

// --8<-- [start:main]
// [readme:shop-admin]
int main(int argc, char** argv) {
  coodie::cli::program p{.models = coodie::migrate::models<shop::Customer, shop::CustomerByEmail>(),
                         .name = "shop_admin"};
  p.migrations.push_back(coodie::migrate::cpp_migration(
      {.id = "20261206_003", .description = "fill customers_by_email"}, fill_customers_by_email,
      forget_fill));
  return coodie::cli::main(argc, argv, std::move(p));
}
// [readme:shop-admin end]
// --8<-- [end:main]
