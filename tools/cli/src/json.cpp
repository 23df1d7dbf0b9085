// Boost.JSON's implementation, compiled once for the command line (Debian ships Boost.JSON as
// headers only for 1.81).
#include <boost/json/src.hpp>
