// Polymorphic single-table models: a base model with a discriminator column and subtypes, each a
// struct with the base's members (same names, same types) and its own, all stored in the base's
// table, whose columns are the union. Saving a subtype writes its discriminator value; reading
// the base returns a std::variant of the subtypes and the base (the base for a value no subtype
// declares, whose other columns stay in the row); a query on a subtype reads its rows only.
//
// Example:
//   struct Content { coodie::uuid id; std::string kind; std::string title; };
//   struct Article { coodie::uuid id; std::string kind; std::string title; std::string body; };
//   struct Video { coodie::uuid id; std::string kind; std::string title; std::int32_t seconds = 0;
//   }; template <> inline constexpr auto coodie::model<Content> =
//       coodie::table("content")
//           .partition_key<&Content::id>()
//           .discriminator<&Content::kind, Article, Video>()
//           .sai_index<&Content::kind>();  // serves the subtypes' queries
//   template <>
//   inline constexpr auto coodie::model<Article> = coodie::subtype<Content>("article");
//   template <>
//   inline constexpr auto coodie::model<Video> = coodie::subtype<Content>("video");
//
//   s.sync_table<Content>();  // id, kind, title, body, seconds
//   s.save(Article{.id = id, .title = "Hello", .body = "..."});  // kind = 'article'
//   for (const std::variant<Article, Video, Content>& c : s.find<Content>().all()) { ... }
//   std::vector<Video> videos = s.find<Video>().all();  // WHERE kind = 'video'
//
// Rules checked at compile time (coodie/orm/detail/polymorphic_checks.hpp, wherever the models
// are used): the discriminator is a std::string member, in the subtypes too; each subtype is
// declared coodie::subtype of this base, listed once, with a value of its own, and has every
// column of the base; two members stored in one column, in the base or any subtypes, have the
// same type. A subtype's member named like a base column is that column (its key role, type
// choice and index); its other members are regular columns of their natural type. Reading a
// subtype by key returns nothing for a row of another subtype. Saving a subtype whose
// discriminator member holds another value, or the base holding a subtype's value, is a
// codec_error; truncate<S>() and drop_table<S>() of a subtype do not compile.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include <boost/pfr/core.hpp>

#include "coodie/error.hpp"
#include "coodie/orm/detail/codec.hpp"
#include "coodie/orm/mapping.hpp"

namespace coodie::orm::detail {

/// For each member of model M, its column's position in the stored (union) table of base B, or
/// -1 for a skipped member.
template <class B, class M>
const std::vector<int>& union_positions() {
  static const std::vector<int> out = [] {
    const table_schema& u = model_info<B>::stored_schema();
    std::vector<int> p(field_count<M>, -1);
    for (std::size_t i = 0; i < field_count<M>; ++i) {
      if (model_info<M>::column_of[i] < 0) {
        continue;
      }
      for (std::size_t c = 0; c < u.columns.size(); ++c) {
        if (u.columns[c].name == model_info<M>::column_names[i]) {
          p[i] = static_cast<int>(c);
        }
      }
    }
    return p;
  }();
  return out;
}

/// Rows of polymorphic base T read as std::variant<S..., T>: every column of the stored table
/// is selected; the discriminator's value picks the alternative (T when no subtype declares it),
/// which reads the columns named like its members.
template <class T, class... A>
struct row_target<T, std::variant<A...>> {
  using R = std::variant<A...>;
  static_assert(model_info<T>::is_polymorphic,
                "coodie: a std::variant is read from a polymorphic base model only");
  static constexpr std::size_t max_columns = (field_count<A> + ...);

  static std::vector<dml::select_column> columns() {
    std::vector<dml::select_column> out;
    for (const column_schema& c : model_info<T>::stored_schema().columns) {
      out.emplace_back(c.name);
    }
    return out;
  }

  /// Checks once per page that each alternative can read its columns.
  static void check(const std::vector<wire::column_spec>& cols) {
    const table_schema& u = model_info<T>::stored_schema();
    if (cols.size() != u.columns.size() || cols.size() > max_columns) {
      throw codec_error("model " + u.model + ": the result has " + std::to_string(cols.size()) +
                        " columns, " + std::to_string(u.columns.size()) + " were expected");
    }
    (check_alternative<A>(cols), ...);
  }

  static void decode(wire::row_reader& rr, const std::vector<wire::column_spec>& cols, R& out) {
    std::array<wire::value_view, max_columns> cells{};
    for (std::size_t c = 0; c < cols.size(); ++c) {
      cells[c] = rr.next_cell();
    }
    constexpr auto d = static_cast<std::size_t>(model_info<T>::decl.discriminator_field);
    const int at = union_positions<T, T>()[d];
    std::string kind;
    if (!cells[static_cast<std::size_t>(at)].is_null()) {
      wire::detail::decode_value_unchecked(cells[static_cast<std::size_t>(at)],
                                           &cols[static_cast<std::size_t>(at)].type, kind);
    }
    bool placed = ((kind == kind_of<A>() && (read_into<A>(cells, cols, out), true)) || ...);
    if (!placed) {
      read_into<T>(cells, cols, out);
    }
  }

 private:
  template <class M>
  static constexpr std::string_view kind_of() {
    if constexpr (model_info<M>::is_subtype) {
      return model_info<M>::decl.kind_value;
    } else {
      return {};  // the base: chosen when no subtype matches
    }
  }

  template <class M>
  static void check_alternative(const std::vector<wire::column_spec>& cols) {
    const std::vector<int>& pos = union_positions<T, M>();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if (pos[I] >= 0) {
              const wire::column_spec& c = cols[static_cast<std::size_t>(pos[I])];
              if (!cql_traits<field_type_t<M, I>>::accepts(c.type)) {
                throw codec_error("model " + model_info<M>::schema().model + ", column " + c.name +
                                  ": the live type " + wire::to_cql(c.type) +
                                  " cannot be read into " +
                                  wire::detail::type_name<field_type_t<M, I>>());
              }
            }
          }(),
          ...);
    }
    (std::make_index_sequence<field_count<M>>{});
  }

  template <class M>
  static void read_into(const std::array<wire::value_view, max_columns>& cells,
                        const std::vector<wire::column_spec>& cols, R& out) {
    M& m = out.template emplace<M>();
    const std::vector<int>& pos = union_positions<T, M>();
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (
          [&] {
            if (pos[I] >= 0) {
              const auto c = static_cast<std::size_t>(pos[I]);
              try {
                wire::detail::decode_value_unchecked(cells[c], &cols[c].type,
                                                     boost::pfr::get<I>(m));
              } catch (const error& e) {
                throw codec_error("model " + model_info<M>::schema().model + ", column " +
                                  cols[c].name + ": " + e.what());
              }
            }
          }(),
          ...);
    }
    (std::make_index_sequence<field_count<M>>{});
  }
};

}  // namespace coodie::orm::detail
