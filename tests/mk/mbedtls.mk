# mbedTLS from Debian's source packages (2.28.3 and 3.6.6), built with our
# own configurations, and the unit and integration suites run against each
# (tests/mbedtls/README.md). Builds are cached under build/mbedtls-*.
.PHONY: test-mbedtls test-mbedtls2 test-mbedtls3 test-mbedtls-ges mbedtls-m4
test-mbedtls:      ; @bash tests/mbedtls/run_matrix.sh
test-mbedtls2:     ; @bash tests/mbedtls/run_tests.sh 2.28.3
test-mbedtls3:     ; @bash tests/mbedtls/run_matrix.sh "3.6.6 test" "3.6.6 test13"
test-mbedtls-ges:  ; @bash tests/mbedtls/run_matrix.sh "2.28.3 ges" "3.6.6 ges"
mbedtls-m4:        ; @bash tests/mbedtls/build.sh 2.28.3 cortex-m4 && bash tests/mbedtls/build.sh 3.6.6 cortex-m4
