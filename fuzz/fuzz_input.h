/* Decoding a fuzzer's bytes into the arguments of ABI calls, and the checks
 * every harness makes on each call's status. Input that runs out reads as
 * zeros, so every input decodes to some sequence of calls. */
#ifndef SVI_FUZZ_INPUT_H
#define SVI_FUZZ_INPUT_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swiftvi.h"

typedef struct fuzz_input {
    const uint8_t *data;
    size_t size;
} fuzz_input;

static inline uint8_t take_byte(fuzz_input *in) {
    if (in->size == 0) return 0;
    in->size--;
    return *in->data++;
}

/* An integer in [0, bound). */
static inline size_t take_below(fuzz_input *in, size_t bound) {
    return bound == 0 ? 0 : take_byte(in) % bound;
}

/* A double: most often a value from a table of edge cases and ordinary
 * numbers, otherwise eight raw bytes (any bit pattern, NaNs included). */
static inline double take_double(fuzz_input *in) {
    static const double table[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 2.0, -2.5, 3.0, 0.1, 0.9, 10.0, -10.0, 1e-300, -1e-300, 1e300, -1e300,
        5e-324, 1.7976931348623157e308, 1e-8, 1e8, 0.999999999, 1.000000001, 64.0, -64.0, 1e-3,
        INFINITY, -INFINITY, NAN,
    };
    uint8_t selector = take_byte(in);
    if (selector < 224) return table[selector % (sizeof table / sizeof table[0])];
    double value = 0.0;
    uint8_t bytes[8];
    for (int i = 0; i < 8; i++) bytes[i] = take_byte(in);
    memcpy(&value, bytes, sizeof value);
    return value;
}

/* Aborts, so the fuzzer records the input, when `condition` fails. */
#define FUZZ_CHECK(condition, ...)                                          \
    do {                                                                    \
        if (!(condition)) {                                                 \
            fprintf(stderr, "invariant failed: %s: ", #condition);          \
            fprintf(stderr, __VA_ARGS__);                                   \
            fprintf(stderr, "\n");                                          \
            abort();                                                        \
        }                                                                   \
    } while (0)

/* Whether SVI_FUZZ_TRACE is set: then harnesses print what they call, to
 * explain a finding when its input is run again. */
static inline int tracing(void) {
    static int state = -1;
    if (state < 0) state = getenv("SVI_FUZZ_TRACE") != NULL;
    return state;
}

#define TRACE(...)                                                          \
    do {                                                                    \
        if (tracing()) fprintf(stderr, __VA_ARGS__);                        \
    } while (0)

/* Every call returns a status the header defines; a failure leaves a
 * message naming the function that failed. */
static inline svi_status checked(svi_status status, const char *function) {
    TRACE("%s -> %d %s\n", function, (int)status, status ? svi_last_error_message() : "");
    FUZZ_CHECK(status >= SVI_OK && status <= SVI_E_VERSION_MISMATCH, "%s returned %d", function, (int)status);
    if (status != SVI_OK) {
        const char *message = svi_last_error_message();
        FUZZ_CHECK(message != NULL && strstr(message, function) != NULL, "%s failed with message \"%s\"", function,
                   message ? message : "(null)");
    }
    return status;
}

#define CALL(function, ...) checked(function(__VA_ARGS__), #function)

#endif
