/* Uses an installed libswiftvi: checks that header, library and package
 * metadata agree and that a log-density is right. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <swiftvi.h>

#ifndef SVI_PACKAGE_VERSION
#error "define SVI_PACKAGE_VERSION as the version the package reports"
#endif

int main(void) {
    int failed = 0;
    double loc = 1.0, scale = 2.0, x = 0.0, lp = 0.0;
    svi_named_array params[2] = {{"loc", {&loc, 0, NULL}},
                                 {"scale", {&scale, 0, NULL}}};
    svi_array value = {&x, 0, NULL};
    svi_dist normal = 0;
    /* log N(0; 1, 2) = -log(2) - log(2 pi) / 2 - 1/8 */
    const double expected = -log(2.0) - 0.5 * log(2.0 * 3.14159265358979323846) - 0.125;

    if (svi_abi_version() != SVI_ABI_VERSION) {
        printf("FAIL: library ABI %u, header ABI %d\n", (unsigned)svi_abi_version(), SVI_ABI_VERSION);
        failed++;
    }
    if (strcmp(svi_version_string(), SVI_PACKAGE_VERSION) != 0) {
        printf("FAIL: library version %s, package version %s\n", svi_version_string(), SVI_PACKAGE_VERSION);
        failed++;
    }
    if (svi_dist_new(&normal, "Normal", params, 2) != SVI_OK ||
        svi_dist_log_prob(normal, value, &lp, 1) != SVI_OK) {
        printf("FAIL: %s\n", svi_last_error_message());
        failed++;
    } else if (fabs(lp - expected) > 1e-12) {
        printf("FAIL: log_prob %.17g, expected %.17g\n", lp, expected);
        failed++;
    }
    svi_dist_free(normal);
    printf("version %s, log_prob %.12f: %s\n", svi_version_string(), lp, failed ? "failed" : "ok");
    return failed ? 1 : 0;
}
