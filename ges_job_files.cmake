# ges_job_files.cmake - ges_job's source files and include folders, for any
# CMake-based build (the pattern of coreHTTP's httpFilePaths.cmake): only
# variables, no targets, no options, no compiler flags. The root
# CMakeLists.txt (targets, ESP-IDF component), zephyr/CMakeLists.txt and the
# file-list check of tests/cmake_check.sh read it; so can your build:
#
#   include(path/to/ges_job/ges_job_files.cmake)
#   target_sources(app PRIVATE ${GES_JOB_SOURCES} ${GES_JOB_PORT_LWIP_SOURCES})
#   target_include_directories(app PRIVATE ${GES_JOB_INCLUDE_DIRS}
#                              ${GES_JOB_PORT_LWIP_INCLUDE_DIRS})
#
# ges_job.c also needs <jsmn.h> and, unless GES_CONFIG_NO_TLS=1, mbedTLS.
# Paths are absolute. One pair of lists per port, named after the folder:
# port/<name>/ gives GES_JOB_PORT_<NAME>_SOURCES / _INCLUDE_DIRS.

set(GES_JOB_SOURCES "${CMAKE_CURRENT_LIST_DIR}/ges_job.c")
set(GES_JOB_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}")

# port/posix: POSIX sockets, clock_gettime, getrandom (Linux, BSD, macOS).
set(GES_JOB_PORT_POSIX_SOURCES "${CMAKE_CURRENT_LIST_DIR}/port/posix/ges_port_posix.c")
set(GES_JOB_PORT_POSIX_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}/port/posix")

# port/lwip: lwIP's socket API (an RTOS, ESP-IDF). Needs lwIP's headers and
# your lwipopts.h; the application supplies ges_port_lwip_entropy().
set(GES_JOB_PORT_LWIP_SOURCES "${CMAKE_CURRENT_LIST_DIR}/port/lwip/ges_port_lwip.c")
set(GES_JOB_PORT_LWIP_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}/port/lwip")

# port/lwip_raw: lwIP's raw API (NO_SYS builds). Listed ahead of its arrival:
# builds and checks skip it while the file is not in the tree.
set(GES_JOB_PORT_LWIP_RAW_SOURCES "${CMAKE_CURRENT_LIST_DIR}/port/lwip_raw/ges_port_lwip_raw.c")
set(GES_JOB_PORT_LWIP_RAW_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}/port/lwip_raw")

# Kconfig builds (ESP-IDF, Zephyr): ges_job_kconfig.h maps the CONFIG_GES_JOB_*
# values of the Kconfig file to the GES_* bounds (GES_CONFIG_FILE).
set(GES_JOB_KCONFIG_INCLUDE_DIRS "${CMAKE_CURRENT_LIST_DIR}/port/kconfig")

# The ports whose source is in this tree (lower case, as GES_JOB_PORT takes them).
set(GES_JOB_PORTS "")
foreach(_ges_port posix lwip lwip_raw)
    string(TOUPPER "${_ges_port}" _ges_up)
    if(EXISTS "${GES_JOB_PORT_${_ges_up}_SOURCES}")
        list(APPEND GES_JOB_PORTS ${_ges_port})
    endif()
endforeach()
unset(_ges_port)
unset(_ges_up)
