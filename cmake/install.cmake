# Install rules: the headers, the six static libraries, the `coodie` program, the CMake package (coodieConfig.cmake,
# coodieConfigVersion.cmake, coodieTargets.cmake) and coodie.pc. Included when COODIE_INSTALL is
# on (the default when coodie is the top-level project). scripts/package-test proves each way of
# consuming the result.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(COODIE_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/coodie
    CACHE STRING "Where coodieConfig.cmake is installed, relative to the prefix")

# Installed consumers see the in-tree alias names: coodie::cli, coodie::migrate, coodie::coodie,
# coodie::driver, coodie::wire, coodie::base.
set_target_properties(coodie_cli PROPERTIES EXPORT_NAME cli)
set_target_properties(coodie_migrate PROPERTIES EXPORT_NAME migrate)
set_target_properties(coodie_orm PROPERTIES EXPORT_NAME coodie)
set_target_properties(coodie_driver PROPERTIES EXPORT_NAME driver)
set_target_properties(coodie_wire PROPERTIES EXPORT_NAME wire)
set_target_properties(coodie_base PROPERTIES EXPORT_NAME base)

# The libraries link coodie_warnings PRIVATE, and a static library records even its private
# links in INTERFACE_LINK_LIBRARIES (as $<LINK_ONLY:coodie_warnings>), which install(EXPORT)
# would have to export. Keep that entry to the build tree: the warning flags are coodie's own.
foreach(target IN ITEMS coodie_base coodie_wire coodie_driver coodie_orm coodie_migrate coodie_cli)
  get_target_property(links ${target} INTERFACE_LINK_LIBRARIES)
  list(TRANSFORM links REPLACE "^\\$<LINK_ONLY:coodie_warnings>$"
                               "$<BUILD_INTERFACE:$<LINK_ONLY:coodie_warnings>>")
  set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES "${links}")
endforeach()

# The targets name <prefix>/include; a different CMAKE_INSTALL_INCLUDEDIR is added here.
set(coodie_includes_destination)
if(NOT CMAKE_INSTALL_INCLUDEDIR STREQUAL "include")
  set(coodie_includes_destination INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()
install(TARGETS coodie_cli coodie_migrate coodie_orm coodie_driver coodie_wire coodie_base
        EXPORT coodieTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ${coodie_includes_destination})
# Every header, detail/ included: the public headers include their detail/ internals.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/coodie
                  ${PROJECT_SOURCE_DIR}/tools/cli/include/coodie
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.hpp")
# The standalone command line.
install(TARGETS coodie_tool RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(EXPORT coodieTargets
        NAMESPACE coodie::
        DESTINATION ${COODIE_INSTALL_CMAKEDIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/coodieConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/coodieConfig.cmake
                              INSTALL_DESTINATION ${COODIE_INSTALL_CMAKEDIR})
# Before 1.0 a minor release may break the API: 0.1.x accepts a request for 0.1, not 0.2.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/coodieConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/coodieConfig.cmake
              ${PROJECT_BINARY_DIR}/coodieConfigVersion.cmake
        DESTINATION ${COODIE_INSTALL_CMAKEDIR})

# coodie.pc finds its prefix from its own location (${pcfiledir}), so an install moved with
# `cmake --install --prefix DIR` or DESTDIR stays correct.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(COODIE_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH coodie_pc_up "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  set(COODIE_PC_PREFIX "\${pcfiledir}/${coodie_pc_up}")
endif()
foreach(dir IN ITEMS LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${dir}}")
    set(COODIE_PC_${dir} "${CMAKE_INSTALL_${dir}}")
  else()
    set(COODIE_PC_${dir} "\${prefix}/${CMAKE_INSTALL_${dir}}")
  endif()
endforeach()
# The libraries' file names in link order (the command line needs migrations, they the ODM, the
# ODM the driver, the driver the codec, the
# codec the error hierarchy), and
# the definitions their interfaces carry (BOOST_ASIO_NO_DEPRECATED), which consumers compile with.
set(COODIE_PC_LIBS)
set(COODIE_PC_DEFINITIONS)
foreach(target IN ITEMS coodie_cli coodie_migrate coodie_orm coodie_driver coodie_wire coodie_base)
  get_target_property(name ${target} OUTPUT_NAME)
  if(NOT name)
    set(name ${target})
  endif()
  string(APPEND COODIE_PC_LIBS " -l${name}")
  get_target_property(definitions ${target} INTERFACE_COMPILE_DEFINITIONS)
  foreach(definition IN LISTS definitions)
    if(definition)
      string(APPEND COODIE_PC_DEFINITIONS " -D${definition}")
    endif()
  endforeach()
endforeach()
configure_file(${PROJECT_SOURCE_DIR}/cmake/coodie.pc.in ${PROJECT_BINARY_DIR}/coodie.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/coodie.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
