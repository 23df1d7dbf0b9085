// The parts of a model declaration (coodie::table_decl) that do not depend on the model type:
// what each member, index and option declares, the kinds of declarations, and the check of a
// declared name. Internal to coodie/orm/model.hpp.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "coodie/driver/identifiers.hpp"
#include "coodie/orm/model_options.hpp"
#include "coodie/orm/table_schema.hpp"
#include "coodie/wire/data_type.hpp"

namespace coodie::orm::detail {

/// What a declaration describes: a table; a materialized view over model B (coodie::view); the
/// base of a polymorphic table and its subtypes (table_decl::discriminator); or one subtype of
/// polymorphic base B (coodie::subtype).
struct plain_table {};
template <class B>
struct view_over {
  using base = B;
};
template <class... S>
struct subtypes_of {};
template <class B>
struct subtype_of {
  using base = B;
};
/// Which of these a declaration's kind_type is.
template <class Of>
inline constexpr bool is_view_kind = false;
template <class B>
inline constexpr bool is_view_kind<view_over<B>> = true;
template <class Of>
inline constexpr bool is_subtype_kind = false;
template <class B>
inline constexpr bool is_subtype_kind<subtype_of<B>> = true;
template <class Of>
inline constexpr bool is_polymorphic_kind = false;
template <class... S>
inline constexpr bool is_polymorphic_kind<subtypes_of<S...>> = true;

/// What check_name() accepts (1 to 48 letters, digits or underscores), as a constant expression.
constexpr bool valid_schema_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 48) {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

/// Deliberately not constexpr: a constant declaration whose table, keyspace or index name breaks
/// the rule calls it, and the compiler stops there with this name in its message. Outside a
/// constant expression it throws usage_error naming the name.
inline void invalid_schema_name_use_1_to_48_letters_digits_or_underscores(std::string_view what,
                                                                          std::string_view name) {
  check_name(what, name);
}

/// Checks a declared name (empty means "the default", which is checked where it is derived).
constexpr void check_declared_name(std::string_view what, std::string_view name) {
  if (!name.empty() && !valid_schema_name(name)) {
    invalid_schema_name_use_1_to_48_letters_digits_or_underscores(what, name);
  }
}

enum class role : std::uint8_t { regular, partition_key, clustering, static_column };

/// What the declaration says of one member.
struct member_decl {
  role kind = role::regular;
  std::uint8_t key_position = 0;
  order clustering_order = order::asc;
  bool order_given = false;
  bool skipped = false;
  bool frozen = false;
  bool unfrozen = false;  ///< a user type column declared not frozen
  bool has_choice = false;
  wire::type_id choice = wire::type_id::custom;
  std::string_view rename;
};

struct index_decl {
  std::size_t field = 0;
  std::string_view member;
  std::string_view name;
  bool storage_attached = false;
  similarity similarity_function = similarity::none;
};

struct option_decl {
  enum class kind : std::uint8_t { integer, floating, boolean, text, map };
  std::string_view name;
  kind type = kind::integer;
  std::int64_t integer = 0;
  double floating = 0;
  bool boolean = false;
  std::string_view text;
  option_map map;
};

inline constexpr std::size_t max_indexes = 16;
inline constexpr std::size_t max_options = 16;

/// The parts of a declaration that do not depend on the model type.
struct table_common {
  std::string_view table_name;
  std::string_view keyspace_name;
  /// A subtype's discriminator value (coodie::subtype).
  std::string_view kind_value;
  std::array<option_decl, max_options> options{};
  std::size_t option_count = 0;

  constexpr void add_option(const option_decl& o) {
    for (std::size_t i = 0; i < option_count; ++i) {
      if (options[i].name == o.name) {
        options[i] = o;
        return;
      }
    }
    if (option_count == max_options) {
      throw "coodie: a model declares at most 16 table options";
    }
    options[option_count++] = o;
  }
};

}  // namespace coodie::orm::detail
