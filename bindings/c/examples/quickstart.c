/* The smallest SwiftVI program: make a Normal distribution, evaluate its
 * log-density at one point, free it.
 *
 *   cc quickstart.c $(pkg-config --cflags --libs swiftvi) -o quickstart
 */
#include <stdio.h>

#include <swiftvi.h>

int main(void) {
    double loc = 0.0, scale = 1.0, x = 0.5, log_prob = 0.0;
    /* Scalar parameters: 0 dimensions, no shape. */
    svi_named_array params[2] = {{"loc", {&loc, 0, NULL}}, {"scale", {&scale, 0, NULL}}};
    svi_array value = {&x, 0, NULL};
    svi_dist normal = 0;
    svi_status status;

    status = svi_dist_new(&normal, "Normal", params, 2);
    if (status == SVI_OK) status = svi_dist_log_prob(normal, value, &log_prob, 1);
    if (status != SVI_OK) {
        fprintf(stderr, "%s: %s\n", svi_status_string(status), svi_last_error_message());
        svi_dist_free(normal);
        return 1;
    }
    printf("log Normal(%g; loc %g, scale %g) = %.10f\n", x, loc, scale, log_prob);
    svi_dist_free(normal);
    return 0;
}
