# `make test-cmake`: tests/cmake_check.sh alone (CMake top level, install,
# find_package, add_subdirectory, FetchContent, Cortex-M4 cross build,
# manifests, ESP-IDF and Zephyr glue under stubs); it is also a suite of
# `make test`. Ends with "N passed, N failed".
.PHONY: test-cmake
test-cmake:
	@sh tests/cmake_check.sh
