#include "coodie/driver/version.hpp"

namespace coodie {

const char* version() noexcept {
  return "0.1.0";
}

}  // namespace coodie
