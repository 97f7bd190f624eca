# Shared warning set: every target is built warning-free with -Wall -Wextra.
function(stridelab_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wshadow=local)  # gcc-only spelling
  endif()
  if(STRIDELAB_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# stridelab_library(<stage> SOURCES ... DEPS ...): one static library per stage,
# alias stridelab::<stage>, public headers under include/stridelab/<stage>/.
function(stridelab_library stage)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(stridelab_${stage} STATIC ${ARG_SOURCES})
  add_library(stridelab::${stage} ALIAS stridelab_${stage})
  target_include_directories(stridelab_${stage} PUBLIC ${PROJECT_SOURCE_DIR}/include
                                                PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(stridelab_${stage} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  set_target_properties(stridelab_${stage} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  stridelab_warnings(stridelab_${stage})
endfunction()

# stridelab_test(<name> SOURCES ... DEPS ... [LABELS ...]): one GoogleTest executable,
# its tests discovered into CTest.
function(stridelab_test name)
  cmake_parse_arguments(ARG "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_compile_definitions(${name} PRIVATE
    STRIDELAB_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    STRIDELAB_BINARY_DIR="${PROJECT_BINARY_DIR}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests)
  stridelab_warnings(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  # A label list must reach the discovered tests escaped, or only its first item survives.
  string(REPLACE ";" "\\;" labels "${ARG_LABELS}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES TIMEOUT ${ARG_TIMEOUT} LABELS "${labels}")
endfunction()
