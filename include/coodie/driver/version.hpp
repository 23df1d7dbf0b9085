// The library version.
//
// Example:
//   std::cout << "coodie " << coodie::version() << '\n';
#pragma once

namespace coodie {

/// "major.minor.patch" of the coodie build.
const char* version() noexcept;

}  // namespace coodie
