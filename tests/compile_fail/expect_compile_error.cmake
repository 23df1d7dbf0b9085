# Runs one compile-failure case: cmake -DCOMPILER=... -DSOURCE=case.cpp [-DSTD=c++20]
#   [-DINCLUDE_DIRS=a|b] [-DDEFINITIONS=X|Y=1] [-DIMPLICIT_DIRS=a|b] -P expect_compile_error.cmake
#
# The case says what it expects in a comment of its own:
#   // expect-error: <text>   the compile fails and its FIRST error carries <text> (a static_assert
#                             message), so the check neither compiles by mistake nor drowns in
#                             template errors ahead of its own message. <text> may go on over the
#                             `// ` lines that follow, up to the first line of code (clang-format
#                             wraps long comments); they are joined with single spaces.
#   // expect-success         the compile succeeds (the control case).
# Lists come joined with '|' rather than ';' so that they pass through add_test as one argument.
cmake_minimum_required(VERSION 3.25)

foreach(var COMPILER SOURCE)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "expect_compile_error: ${var} is not set")
  endif()
endforeach()
if(NOT DEFINED STD OR "${STD}" STREQUAL "")
  set(STD c++20)
endif()

file(READ "${SOURCE}" source_text)
if(source_text MATCHES "(^|\n)// expect-error: ([^\n]+(\n// [^\n]+)*)")
  set(mode error)
  string(REPLACE "\n// " " " expected "${CMAKE_MATCH_2}")
  string(STRIP "${expected}" expected)
elseif(source_text MATCHES "(^|\n)// expect-success[ \t]*(\n|$)")
  set(mode success)
else()
  message(FATAL_ERROR "${SOURCE}: no '// expect-error: <message>' or '// expect-success' line")
endif()

set(args -std=${STD} -fsyntax-only -fdiagnostics-color=never)
string(REPLACE "|" ";" implicit_dirs "${IMPLICIT_DIRS}")
string(REPLACE "|" ";" include_dirs "${INCLUDE_DIRS}")
foreach(dir IN LISTS include_dirs)
  # A system directory given as -I reorders the system headers (#include_next); leave them out, as
  # CMake does when it compiles.
  if(NOT dir STREQUAL "" AND NOT dir IN_LIST implicit_dirs)
    list(APPEND args "-I${dir}")
  endif()
endforeach()
string(REPLACE "|" ";" definitions "${DEFINITIONS}")
foreach(def IN LISTS definitions)
  if(NOT def STREQUAL "")
    list(APPEND args "-D${def}")
  endif()
endforeach()

set(ENV{LC_ALL} C)  # untranslated diagnostics
execute_process(COMMAND "${COMPILER}" ${args} "${SOURCE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE out)
list(JOIN args " " shown_args)
set(command "${COMPILER} ${shown_args} ${SOURCE}")

if(mode STREQUAL "success")
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "expected to compile, but the compiler failed (${rc}):\n${command}\n"
                        "${out}")
  endif()
  message(STATUS "compiled as expected: ${SOURCE}")
  return()
endif()

if(rc EQUAL 0)
  message(FATAL_ERROR "expected a compile error carrying\n  ${expected}\nbut the case compiled:\n"
                      "${command}\n${out}")
endif()
string(REGEX MATCH "[^\n]*: (fatal )?error: [^\n]*" first_error "${out}")
string(FIND "${first_error}" "${expected}" at)
if(at EQUAL -1)
  string(FIND "${out}" "${expected}" anywhere)
  if(anywhere EQUAL -1)
    set(why "no error carries it")
  else()
    set(why "it comes only after other errors")
  endif()
  message(FATAL_ERROR "expected the first compile error to carry\n  ${expected}\nbut ${why}; "
                      "first error:\n  ${first_error}\n${command}\nexit ${rc}, output:\n${out}")
endif()
message(STATUS "failed to compile as expected\n  expected: ${expected}\n  first error: ${first_error}")
