#include "coodie/orm/user_type.hpp"

namespace coodie::orm::detail {

void throw_field_error(const wire::data_type& type, std::string_view field, std::string_view what) {
  throw codec_error("user type " + type.name + ", field " + std::string(field) + ": " +
                    std::string(what));
}

}  // namespace coodie::orm::detail
