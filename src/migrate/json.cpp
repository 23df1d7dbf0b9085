// Boost.JSON's implementation, compiled once: in coodie::migrate, for it and the command line
// (Debian's Boost 1.81 has no compiled Boost.JSON library; src.hpp is its header-only form).
#include <boost/json/src.hpp>
