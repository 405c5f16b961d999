# Installs the build in BUILD_DIR into a prefix under WORK_DIR, then builds the
# program in CONSUMER_SOURCE_DIR against that prefix twice, with find_package
# and with pkg-config, and runs both builds.
cmake_minimum_required(VERSION 3.25)

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
unset(ENV{LD_LIBRARY_PATH})

function(run)
  list(JOIN ARGN " " command_line)
  message("> ${command_line}")
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "FAIL: exit status ${rc}")
  endif()
endfunction()

# The program must load the installed library, not the one in the build tree.
function(check_loads_installed_library program)
  execute_process(COMMAND ldd ${program} OUTPUT_VARIABLE ldd_out COMMAND_ERROR_IS_FATAL ANY)
  string(REGEX MATCH "libswiftvi\\.so[^\n]*" line "${ldd_out}")
  if(NOT line MATCHES "=> ${prefix}/${LIBDIR}/libswiftvi\\.so")
    message(FATAL_ERROR "FAIL: ${program} loads '${line}', not the library in ${prefix}/${LIBDIR}")
  endif()
endfunction()

run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(file ${LIBDIR}/libswiftvi.so include/swiftvi.h ${LIBDIR}/pkgconfig/swiftvi.pc
             ${LIBDIR}/cmake/SwiftVI/SwiftVIConfig.cmake
             ${LIBDIR}/cmake/SwiftVI/SwiftVIConfigVersion.cmake)
  if(NOT EXISTS ${prefix}/${file})
    message(FATAL_ERROR "FAIL: ${file} is not installed")
  endif()
endforeach()

# With find_package(SwiftVI).
set(cmake_build ${WORK_DIR}/find-package)
run(${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${cmake_build} -G ${GENERATOR}
    -DCMAKE_C_COMPILER=${C_COMPILER} -DCMAKE_PREFIX_PATH=${prefix})
run(${CMAKE_COMMAND} --build ${cmake_build})
check_loads_installed_library(${cmake_build}/consumer)
run(${cmake_build}/consumer)

# With pkg-config.
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_LIBDIR} ${prefix}/${LIBDIR}/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --modversion swiftvi
  OUTPUT_VARIABLE pc_version OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
if(NOT pc_version STREQUAL EXPECTED_VERSION)
  message(FATAL_ERROR "FAIL: pkg-config reports version ${pc_version}, not ${EXPECTED_VERSION}")
endif()
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs swiftvi
  OUTPUT_VARIABLE pc_flags OUTPUT_STRIP_TRAILING_WHITESPACE COMMAND_ERROR_IS_FATAL ANY)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
set(pc_program ${WORK_DIR}/pkg-config/consumer)
file(MAKE_DIRECTORY ${WORK_DIR}/pkg-config)
run(${C_COMPILER} -std=c99 ${CONSUMER_SOURCE_DIR}/consumer.c -o ${pc_program}
    "-DSVI_PACKAGE_VERSION=\"${pc_version}\"" ${pc_flags} -lm
    -Wl,-rpath,${prefix}/${LIBDIR})
check_loads_installed_library(${pc_program})
run(${pc_program})
message("find_package and pkg-config consumers: 2 passed, 0 failed")
