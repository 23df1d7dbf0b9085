// The catalog demo's server, on the coroutine front: the HTTP server and the aio session share
// one io_context and one thread. Products by category with page tokens, search by brand through
// the secondary index, create, edit and delete.
#include "demo/app.hpp"
#include "model.hpp"

namespace asio = boost::asio;
using catalog::Product;
using coodie::col;
using demo::request;
using demo::response;

namespace {

constexpr std::size_t max_page = 100;

/// A product's fields from a request body (the key comes from the path or is new).
void read_fields(const boost::json::object& in, Product& p) {
  p.name = demo::text(in, "name", {.max = 80});
  p.brand = demo::text(in, "brand", {.max = 40});
  p.price = demo::number(in, "price", 0, 1'000'000);
  p.stock = static_cast<std::int32_t>(demo::integer(in, "stock", 0, 1'000'000));
  p.tags = demo::text_set(in, "tags", 12, 24);
  p.description = demo::optional_text(in, "description", 1000);
}

coodie::uuid id_arg(const request& q, std::size_t n) {
  std::optional<coodie::uuid> id = coodie::uuid::try_parse(q.arg(n));
  if (!id) {
    throw demo::bad_request("not a product id: " + q.arg(n));
  }
  return *id;
}

boost::json::object page_json(const coodie::page_of<Product>& page) {
  boost::json::array items;
  for (const Product& p : page.items) {
    items.push_back(catalog::to_json(p));
  }
  return {{"items", std::move(items)},
          {"next", page.next ? boost::json::value(*page.next) : nullptr}};
}

// GET /api/products?category=C | ?brand=B, &size=N&page=TOKEN: one page and the next page's token.
asio::awaitable<response> list_products(coodie::aio::session& db, request& q) {
  const auto size = static_cast<std::int32_t>(q.int_param("size", 12, 1, max_page));
  const std::optional<std::string> category = q.param("category");
  const std::optional<std::string> brand = q.param("brand");
  auto query = db.find<Product>().fetch_size(size);
  if (category) {
    query = query.where(col<&Product::category> == *category);
  }
  if (brand) {
    query = query.where(col<&Product::brand> == *brand);  // the secondary index
  }
  auto pending = query.page(q.param("page"));
  coodie::page_of<Product> page = co_await std::move(pending);
  co_return demo::json_reply(page_json(page));
}

/// SELECT DISTINCT reads partition keys only.
struct Category {
  std::string category;
};

asio::awaitable<response> list_categories(coodie::aio::session& db, request&) {
  const auto query = db.find<Product>().only<Category>().distinct();
  std::vector<Category> rows = co_await query.all();
  boost::json::array out;
  for (const Category& c : rows) {
    out.emplace_back(c.category);
  }
  co_return demo::json_reply(out);
}

asio::awaitable<response> get_product(coodie::aio::session& db, request& q) {
  const coodie::uuid id = id_arg(q, 1);
  Product p = co_await db.get<Product>(q.arg(0), id);
  co_return demo::json_reply(catalog::to_json(p));
}

asio::awaitable<response> create_product(coodie::aio::session& db, request& q) {
  const boost::json::value body = q.json();
  const boost::json::object& in = demo::as_object(body);
  Product p;
  p.category = demo::text(in, "category", {.max = 40});
  p.id = coodie::uuid::random();
  read_fields(in, p);
  co_await db.save(p);
  co_return demo::json_reply(catalog::to_json(p), demo::http::status::created);
}

asio::awaitable<response> edit_product(coodie::aio::session& db, request& q) {
  const coodie::uuid id = id_arg(q, 1);
  const boost::json::value body = q.json();
  Product p = co_await db.get<Product>(q.arg(0), id);  // 404 when it is gone
  read_fields(demo::as_object(body), p);
  co_await db.save(p);
  co_return demo::json_reply(catalog::to_json(p));
}

asio::awaitable<response> delete_product(coodie::aio::session& db, request& q) {
  const coodie::uuid id = id_arg(q, 1);
  Product p = co_await db.get<Product>(q.arg(0), id);
  co_await db.remove(p);
  co_return demo::no_content();
}

asio::awaitable<void> prepare(coodie::aio::session& db) {
  co_await db.sync_table<Product>();
}

}  // namespace

int main(int argc, char** argv) {
  using demo::verb;
  const demo::settings cfg = demo::parse_settings(
      argc, argv, demo::server_info("catalog", 8081, "coodie_demo_catalog", CATALOG_STATIC_DIR));
  return demo::serve_aio(cfg, prepare,
                         {{verb::get, "/api/categories", list_categories},
                          {verb::get, "/api/products", list_products},
                          {verb::post, "/api/products", create_product},
                          {verb::get, "/api/products/{category}/{id}", get_product},
                          {verb::put, "/api/products/{category}/{id}", edit_product},
                          {verb::delete_, "/api/products/{category}/{id}", delete_product}});
}
