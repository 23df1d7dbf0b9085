# Warning flags for coodie's own targets (never forced on consumers).
add_library(coodie_warnings INTERFACE)
target_compile_options(coodie_warnings INTERFACE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
                                                 -Wold-style-cast -Wcast-align)
# -Wnull-dereference is left out: at -O3 GCC 12 reports false positives inside inlined Asio and
# libstdc++ code.
if(COODIE_WERROR)
  target_compile_options(coodie_warnings INTERFACE -Werror)
endif()
