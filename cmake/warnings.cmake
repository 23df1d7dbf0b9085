# Warning flags for coodie's own targets (never forced on consumers).
add_library(coodie_warnings INTERFACE)
target_compile_options(coodie_warnings INTERFACE -Wall -Wextra -Wshadow -Wnon-virtual-dtor
                                                 -Wold-style-cast -Wcast-align)
# -Wnull-dereference is left out: at -O3 GCC 12 reports false positives inside inlined Asio and
# libstdc++ code.
if(COODIE_WERROR)
  target_compile_options(coodie_warnings INTERFACE -Werror)
endif()
# GCC 12 reports -Wmismatched-new-delete on Asio's awaitable frame allocator once a coroutine
# frame grows past some size: a false positive (the frame is allocated and freed by the same
# class operators), which came back with every larger option struct. ASan's
# alloc-dealloc-mismatch check still catches real mismatches at run time.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(coodie_warnings INTERFACE -Wno-mismatched-new-delete)
endif()
