// User types in the schema: DDL text, the plan against system_schema.types, and the operations.
#include "coodie/orm/type_schema.hpp"

#include <algorithm>

#include <boost/asio/use_awaitable.hpp>

#include "coodie/driver/identifiers.hpp"
#include "coodie/error.hpp"
#include "coodie/orm/type_text.hpp"
#include "schema_detail.hpp"

namespace coodie {

namespace {

std::string type_keyspace(const wire::data_type& t, std::string_view keyspace) {
  std::string ks = t.keyspace.empty() ? std::string(keyspace) : t.keyspace;
  if (ks.empty()) {
    throw usage_error("user type " + t.name + ": no keyspace given and the session uses none");
  }
  check_name("keyspace", ks);
  return ks;
}

/// ks.name, or the name alone when neither the type nor the caller gives a keyspace (the
/// connection's keyspace applies, as for tables).
std::string qualified_type(const wire::data_type& t, std::string_view keyspace) {
  check_name("user type", t.name);
  if (t.keyspace.empty() && keyspace.empty()) {
    return quote_identifier(t.name);
  }
  return quote_identifier(type_keyspace(t, keyspace)) + "." + quote_identifier(t.name);
}

/// How messages name a type: ks.name, or name without a keyspace.
std::string type_display(const wire::data_type& t, std::string_view ks) {
  return ks.empty() ? t.name : std::string(ks) + "." + t.name;
}

/// A field type for comparison: frozen<...> dropped (a field of a frozen type is frozen
/// anyway), then normal_cql_type.
std::string comparable(std::string_view type) {
  std::string out;
  int depth = 0;
  std::vector<int> frozen_at;
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (type.substr(i, 7) == "frozen<") {
      frozen_at.push_back(++depth);
      i += 6;
      continue;
    }
    if (type[i] == '<') {
      ++depth;
    } else if (type[i] == '>') {
      if (!frozen_at.empty() && frozen_at.back() == depth) {
        frozen_at.pop_back();
        --depth;
        continue;
      }
      --depth;
    }
    out.push_back(type[i]);
  }
  return orm::detail::normal_cql_type(out);
}

schema_difference field_difference(difference_kind k, const wire::data_type& t, std::string_view ks,
                                   std::string field, std::string message) {
  return {k, type_display(t, ks), std::move(field), std::move(message)};
}

}  // namespace

std::string ddl::create_type(const wire::data_type& t, std::string_view keyspace) {
  std::string out = "CREATE TYPE IF NOT EXISTS " + qualified_type(t, keyspace) + " (";
  for (std::size_t i = 0; i < t.field_names.size(); ++i) {
    out += (i == 0 ? "" : ", ") + quote_identifier(t.field_names[i]) + " " +
           cql_type_text(t.params.at(i), true);
  }
  return out + ")";
}

std::string ddl::alter_type_add(const wire::data_type& t, std::size_t field,
                                std::string_view keyspace) {
  return "ALTER TYPE " + qualified_type(t, keyspace) + " ADD " +
         quote_identifier(t.field_names.at(field)) + " " + cql_type_text(t.params.at(field), true);
}

std::string ddl::drop_type(const wire::data_type& t, std::string_view keyspace) {
  return "DROP TYPE IF EXISTS " + qualified_type(t, keyspace);
}

void collect_user_types(const wire::data_type& t, std::vector<wire::data_type>& out) {
  for (const wire::data_type& p : t.params) {
    collect_user_types(p, out);
  }
  if (t.id == wire::type_id::udt &&
      std::none_of(out.begin(), out.end(),
                   [&](const wire::data_type& u) { return u.name == t.name; })) {
    out.push_back(t);
  }
}

std::vector<wire::data_type> user_types_of(const table_schema& t) {
  std::vector<wire::data_type> out;
  for (const column_schema& c : t.columns) {
    collect_user_types(c.type, out);
  }
  return out;
}

sync_plan plan_type_sync(const wire::data_type& desired, std::string_view keyspace,
                         const std::optional<existing_type>& live) {
  sync_plan plan;
  const std::string ks(desired.keyspace.empty() ? keyspace : std::string_view(desired.keyspace));
  if (!live) {
    plan.statements.push_back(ddl::create_type(desired, ks));
    plan.creates_table = true;
    return plan;
  }
  const std::vector<std::string>& names = live->field_names;
  for (std::size_t i = 0; i < desired.field_names.size(); ++i) {
    const std::string& f = desired.field_names[i];
    auto it = std::find(names.begin(), names.end(), f);
    if (it == names.end()) {
      plan.statements.push_back(ddl::alter_type_add(desired, i, ks));
      continue;
    }
    const std::string& live_type =
        live->field_types.at(static_cast<std::size_t>(it - names.begin()));
    const std::string want = cql_type_text(desired.params.at(i), true);
    if (comparable(live_type) != comparable(want)) {
      plan.differences.push_back(field_difference(
          difference_kind::field_changed, desired, ks, f,
          "user type " + type_display(desired, ks) + ", field " + f + ": the live type is " +
              live_type + " but the struct's member is " + want + "; coodie does not change it"));
    }
  }
  for (const std::string& f : names) {
    if (std::find(desired.field_names.begin(), desired.field_names.end(), f) ==
        desired.field_names.end()) {
      plan.differences.push_back(
          field_difference(difference_kind::field_not_in_model, desired, ks, f,
                           "user type " + type_display(desired, ks) + " has a field " + f +
                               " the struct lacks; reads skip it and writes leave it null"));
    }
  }
  // Fields are written in the struct's order: the live ones must begin with them.
  std::vector<std::string> kept;
  for (const std::string& f : names) {
    if (std::find(desired.field_names.begin(), desired.field_names.end(), f) !=
        desired.field_names.end()) {
      kept.push_back(f);
    }
  }
  const bool prefix = names.size() >= kept.size() &&
                      std::equal(kept.begin(), kept.end(), names.begin()) &&
                      std::equal(kept.begin(), kept.end(), desired.field_names.begin());
  if (!prefix) {
    std::string live_list;
    for (const std::string& f : names) {
      live_list += (live_list.empty() ? "" : ", ") + f;
    }
    plan.differences.push_back(field_difference(
        difference_kind::field_order_differs, desired, ks, {},
        "user type " + type_display(desired, ks) + ": the live fields (" + live_list +
            ") do not begin with the struct's, in its order; writes of it are refused"));
  }
  return plan;
}

boost::asio::awaitable<std::optional<existing_type>> async_read_type(driver_session& s,
                                                                     std::string keyspace,
                                                                     std::string name) {
  statement st(
      "SELECT field_names, field_types FROM system_schema.types WHERE keyspace_name = ? AND "
      "type_name = ?",
      keyspace, name);
  st.set_idempotent();
  result r = co_await s.async_execute(st, boost::asio::use_awaitable);
  if (r.empty()) {
    co_return std::nullopt;
  }
  existing_type t;
  t.field_names = r.front().get<std::vector<std::string>>(0);
  t.field_types = r.front().get<std::vector<std::string>>(1);
  co_return t;
}

namespace {

boost::asio::awaitable<sync_result> sync_one_type(driver_session& s, wire::data_type t,
                                                  std::string ks, sync_options o) {
  std::optional<existing_type> live = co_await async_read_type(s, ks, t.name);
  sync_plan plan = plan_type_sync(t, ks, live);
  sync_result out;
  out.differences = std::move(plan.differences);
  out.created = plan.creates_table;
  for (std::string& cql : plan.statements) {
    if (!o.dry_run) {
      co_await orm::detail::execute_ddl(s, cql, o.agreement_timeout);
      out.applied = true;
    }
    out.statements.push_back(std::move(cql));
  }
  co_return out;
}

}  // namespace

namespace orm::detail {

void check_type_keyspaces(const std::vector<wire::data_type>& types, std::string_view keyspace,
                          std::string_view user) {
  for (const wire::data_type& u : types) {
    if (!u.keyspace.empty() && u.keyspace != keyspace) {
      throw invalid_model(std::string(user) + " uses user type " + u.name +
                          ", declared in keyspace " + u.keyspace + ", from keyspace " +
                          std::string(keyspace) +
                          ": CQL takes the user types of a table or type from its own keyspace");
    }
  }
}

boost::asio::awaitable<sync_result> async_sync_types(driver_session& s,
                                                     std::vector<wire::data_type> types,
                                                     std::string keyspace, std::string user,
                                                     sync_options o) {
  check_type_keyspaces(types, keyspace, user);
  sync_result out;
  for (wire::data_type& u : types) {
    sync_result r = co_await sync_one_type(s, std::move(u), keyspace, o);
    out.append(r);
    out.created = r.created;
  }
  co_return out;
}

}  // namespace orm::detail

boost::asio::awaitable<sync_result> async_sync_type(driver_session& s, wire::data_type t,
                                                    std::string keyspace, sync_options o) {
  std::string ks = type_keyspace(t, keyspace.empty() ? s.keyspace() : keyspace);
  std::vector<wire::data_type> types;
  collect_user_types(t, types);  // the types t uses, then t
  std::string user = "user type " + t.name;
  co_return co_await orm::detail::async_sync_types(s, std::move(types), std::move(ks),
                                                   std::move(user), o);
}

boost::asio::awaitable<void> async_drop_type(driver_session& s, wire::data_type t,
                                             std::string keyspace,
                                             std::chrono::milliseconds agreement_timeout) {
  const std::string ks = type_keyspace(t, keyspace.empty() ? s.keyspace() : keyspace);
  co_await orm::detail::execute_ddl(s, ddl::drop_type(t, ks), agreement_timeout);
}

}  // namespace coodie
