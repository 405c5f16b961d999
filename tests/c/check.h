/* A small harness for the C tests: each check prints one line, and
 * check_summary() prints "N passed, M failed" and gives the exit status. */
#ifndef SVI_TEST_CHECK_H
#define SVI_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "swiftvi.h"

static int check_passed_count = 0;
static int check_failed_count = 0;

/* Records one check: prints "ok" or "FAIL" and the formatted description. */
static inline int check_report(int ok, const char *file, int line, const char *fmt, ...) {
    va_list args;
    printf("%s ", ok ? "ok  " : "FAIL");
    va_start(args, fmt);
    vprintf(fmt, args);
    va_end(args);
    if (!ok) printf("  (%s:%d)", file, line);
    printf("\n");
    fflush(stdout);
    if (ok) check_passed_count++;
    else check_failed_count++;
    return ok;
}

#define CHECK(cond, ...) check_report((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/* Checks that a call succeeded; on failure shows the library's message. */
#define CHECK_OK(call)                                                        \
    do {                                                                      \
        svi_status check_status_ = (call);                                    \
        if (check_status_ == SVI_OK) check_passed_count++;                    \
        else check_report(0, __FILE__, __LINE__, "%s -> %s: %s", #call,       \
                          svi_status_string(check_status_),                   \
                          svi_last_error_message());                          \
    } while (0)

static inline int check_summary(void) {
    printf("%d passed, %d failed\n", check_passed_count, check_failed_count);
    return check_failed_count == 0 ? 0 : 1;
}

#endif
