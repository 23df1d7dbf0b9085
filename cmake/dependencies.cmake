# Every dependency comes from Debian bookworm packages (scripts/bootstrap installs them). The
# installed package finds the same ones again: keep cmake/coodieConfig.cmake.in and
# cmake/coodie.pc.in in step.
find_package(Boost 1.81 REQUIRED CONFIG COMPONENTS headers)
find_package(fmt 9 REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LZ4 REQUIRED IMPORTED_TARGET liblz4)
