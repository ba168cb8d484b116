# ESP-IDF's first pass ("early expansion") over a component, stood in for:
# CMakeLists.txt is included in script mode with idf_component_register a
# macro that records REQUIRES and returns, as in ESP-IDF's
# tools/cmake/scripts/component_get_requirements.cmake. Script mode has no
# project() or targets: the ESP_PLATFORM branch must come first.
#   cmake -DGES_ROOT=... -P tests/cmake/idf_early.cmake
cmake_policy(SET CMP0057 NEW) # as ESP-IDF's script does
set(ESP_PLATFORM 1)
set(CMAKE_BUILD_EARLY_EXPANSION 1)
macro(idf_component_register)
    cmake_parse_arguments(_ "" "" "SRCS;INCLUDE_DIRS;REQUIRES" ${ARGN})
    set(__component_requires "${__REQUIRES}")
    set(__component_registered 1)
    return()
endmacro()
function(get_requirements)
    include(${GES_ROOT}/CMakeLists.txt)
    set(__component_requires "${__component_requires}" PARENT_SCOPE)
    set(__component_registered "${__component_registered}" PARENT_SCOPE)
endfunction()
get_requirements()
if(NOT __component_registered)
    message(FATAL_ERROR "early expansion: no idf_component_register call")
endif()
foreach(r mbedtls lwip)
    if(NOT r IN_LIST __component_requires)
        message(FATAL_ERROR "early expansion: REQUIRES lacks ${r} (${__component_requires})")
    endif()
endforeach()
message("early expansion: REQUIRES ${__component_requires}")
