/* Every way a caller can misuse the C interface gives the documented status,
 * a message and no crash, and leaves the objects working. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>

#include "check.h"
#include "targets.h"

static const char *const STATUS_NAMES[] = {
    "SVI_OK", "SVI_E_NULL_POINTER", "SVI_E_INVALID_ARGUMENT", "SVI_E_SHAPE_MISMATCH",
    "SVI_E_STALE_HANDLE", "SVI_E_WRONG_HANDLE_KIND", "SVI_E_CALLBACK_FAILED",
    "SVI_E_STOPPED", "SVI_E_NUMERICAL", "SVI_E_NOT_IMPLEMENTED", "SVI_E_VERSION_MISMATCH"};

/* Checks that a call failed with `expected`, left a message, and that
 * svi_status_string names the code. */
static void expect_status(svi_status got, svi_status expected, const char *call) {
    const char *message = svi_last_error_message();
    CHECK(got == expected && message != NULL && message[0] != '\0' &&
              strcmp(svi_status_string(got), STATUS_NAMES[expected]) == 0,
          "%s -> %s, expected %s: \"%s\"", call, svi_status_string(got), STATUS_NAMES[expected],
          message ? message : "(null)");
}
#define EXPECT(call, expected) expect_status((call), (expected), #call)

/* A mixture callback that can be told to fail or to give NaN. */
typedef struct flaky_target {
    gauss_mixture mixture;
    int fail;
    int give_nan;
    size_t calls;
} flaky_target;

static int flaky_callback(void *user_data, size_t num_points, size_t dim, const double *points,
                          double *out_log_density, double *out_gradient) {
    flaky_target *t = (flaky_target *)user_data;
    size_t i;
    t->calls++;
    if (t->fail) return 7;
    if (mixture_callback(&t->mixture, num_points, dim, points, out_log_density, out_gradient)) return 1;
    if (t->give_nan)
        for (i = 0; i < num_points; i++) out_log_density[i] = NAN;
    return 0;
}

static int stop_at_third_step(void *user_data, size_t step, double loss) {
    (void)user_data;
    (void)loss;
    return step >= 3;
}

/* An SVI of AutoNormal + Trace_ELBO(4 particles) + Adam(0.05) on `model`. */
static svi_status make_svi(svi_svi *out, svi_model model) {
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_status status = svi_auto_normal_options_init(&guide_opts, sizeof guide_opts);
    if (status == SVI_OK) status = svi_adam_options_init(&adam_opts, sizeof adam_opts);
    if (status == SVI_OK) status = svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts);
    if (status != SVI_OK) return status;
    adam_opts.learning_rate = 0.05;
    elbo_opts.num_particles = 4;
    status = svi_guide_new_auto_normal(&guide, model, &guide_opts);
    if (status == SVI_OK) status = svi_optim_new_adam(&optim, &adam_opts);
    if (status == SVI_OK) status = svi_elbo_new_trace(&elbo, &elbo_opts);
    if (status == SVI_OK) status = svi_svi_new(out, model, guide, optim, elbo);
    /* The SVI keeps its own references to its parts. */
    svi_guide_free(guide);
    svi_optim_free(optim);
    svi_elbo_free(elbo);
    return status;
}

/* Writes x's loc and scale. */
static void get_params(svi_svi svi, double out[2]) {
    CHECK_OK(svi_svi_get_param(svi, "x_auto_loc", &out[0], 1));
    CHECK_OK(svi_svi_get_param(svi, "x_auto_scale", &out[1], 1));
}

/* Run on a new thread: its last-error message starts empty and is its own. */
static void *fresh_thread(void *arg) {
    int *ok = (int *)arg;
    ok[0] = strcmp(svi_last_error_message(), "") == 0;
    ok[1] = svi_dist_free((svi_dist)0xfeedfacecafebeefULL) == SVI_E_STALE_HANDLE &&
            svi_last_error_message()[0] != '\0';
    return NULL;
}

static void check_versions_and_names(void) {
    unsigned major, minor, patch;
    char extra;
    svi_status code;
    CHECK(svi_abi_version() == SVI_ABI_VERSION, "svi_abi_version() %u == SVI_ABI_VERSION %d",
          (unsigned)svi_abi_version(), SVI_ABI_VERSION);
    CHECK(sscanf(svi_version_string(), "%u.%u.%u%c", &major, &minor, &patch, &extra) == 3,
          "svi_version_string() \"%s\" is MAJOR.MINOR.PATCH", svi_version_string());
    for (code = SVI_OK; code <= SVI_E_VERSION_MISMATCH; code++)
        CHECK(strcmp(svi_status_string(code), STATUS_NAMES[code]) == 0, "svi_status_string(%d) is %s",
              (int)code, STATUS_NAMES[code]);
    CHECK(strcmp(svi_status_string(11), "SVI_E_UNKNOWN") == 0 &&
              strcmp(svi_status_string(-1), "SVI_E_UNKNOWN") == 0,
          "svi_status_string of an unlisted code is SVI_E_UNKNOWN");
}

static void check_distribution_errors(svi_dist normal, svi_key key) {
    double one = 1.0, zero = 0.0, minus = -1.0, nan = NAN, xs[3] = {0.0, 1.0, 2.0}, out[3] = {5, 5, 5};
    double locs2[2] = {0.0, 1.0}, scales3[3] = {1.0, 2.0, 3.0}, bad_probs[2] = {0.5, 0.6},
           negative_probs[2] = {-0.5, 1.5};
    size_t two = 2, three = 3, ndim = 99, extent = 99;
    svi_named_array good[2] = {{"loc", {&zero, 0, NULL}}, {"scale", {&one, 0, NULL}}};
    svi_named_array zero_scale[2] = {{"loc", {&zero, 0, NULL}}, {"scale", {&zero, 0, NULL}}};
    svi_named_array negative_scale[2] = {{"loc", {&zero, 0, NULL}}, {"scale", {&minus, 0, NULL}}};
    svi_named_array nan_scale[2] = {{"loc", {&zero, 0, NULL}}, {"scale", {&nan, 0, NULL}}};
    svi_named_array nan_loc[2] = {{"loc", {&nan, 0, NULL}}, {"scale", {&one, 0, NULL}}};
    svi_named_array unknown[2] = {{"loc", {&zero, 0, NULL}}, {"width", {&one, 0, NULL}}};
    svi_named_array repeated[2] = {{"loc", {&zero, 0, NULL}}, {"loc", {&one, 0, NULL}}};
    svi_named_array unbroadcastable[2] = {{"loc", {locs2, 1, &two}}, {"scale", {scales3, 1, &three}}};
    svi_named_array probs_not_one[1] = {{"probs", {bad_probs, 1, &two}}};
    svi_named_array probs_negative[1] = {{"probs", {negative_probs, 1, &two}}};
    svi_named_array batch2[2] = {{"loc", {locs2, 1, &two}}, {"scale", {&one, 0, NULL}}};
    svi_array value3 = {xs, 1, &three}, null_value = {NULL, 1, &three};
    svi_dist d = 777, batched = 0;
    const char *family = NULL;

    /* NULL pointers; the out-pointer is left untouched. */
    EXPECT(svi_dist_new(NULL, "Normal", good, 2), SVI_E_NULL_POINTER);
    EXPECT(svi_dist_new(&d, NULL, good, 2), SVI_E_NULL_POINTER);
    EXPECT(svi_dist_new(&d, "Normal", NULL, 2), SVI_E_NULL_POINTER);
    EXPECT(svi_dist_family(normal, NULL), SVI_E_NULL_POINTER);
    EXPECT(svi_dist_log_prob(normal, value3, NULL, 3), SVI_E_NULL_POINTER);
    EXPECT(svi_dist_log_prob(normal, null_value, out, 3), SVI_E_NULL_POINTER);
    EXPECT(svi_dist_mean(normal, NULL, 1), SVI_E_NULL_POINTER);
    EXPECT(svi_key_from_seed(NULL, 1), SVI_E_NULL_POINTER);
    EXPECT(svi_key_split(NULL, 2, key), SVI_E_NULL_POINTER);
    EXPECT(svi_random_normal(NULL, 4, key), SVI_E_NULL_POINTER);
    EXPECT(svi_kl_quadrature(normal, normal, -5.0, 5.0, 64, NULL), SVI_E_NULL_POINTER);
    CHECK(d == 777, "a failed svi_dist_new leaves *out untouched");

    /* Values outside their domain. */
    EXPECT(svi_dist_new(&d, "Normal", zero_scale, 2), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Normal", negative_scale, 2), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Normal", nan_scale, 2), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Normal", nan_loc, 2), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Normal", good, 1), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Normal", unknown, 2), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Normal", repeated, 2), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "NoSuchFamily", good, 2), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Categorical", probs_not_one, 1), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_dist_new(&d, "Categorical", probs_negative, 1), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_kl_monte_carlo(normal, normal, 1, key, out, out + 1, 1), SVI_E_INVALID_ARGUMENT);
    CHECK(d == 777, "failed svi_dist_new calls leave *out untouched");

    /* Shapes that do not agree; nothing is written. */
    EXPECT(svi_dist_new(&d, "Normal", unbroadcastable, 2), SVI_E_SHAPE_MISMATCH);
    EXPECT(svi_dist_log_prob(normal, value3, out, 2), SVI_E_SHAPE_MISMATCH);
    EXPECT(svi_dist_log_prob(normal, value3, out, 4), SVI_E_SHAPE_MISMATCH);
    CHECK(out[0] == 5 && out[1] == 5 && out[2] == 5, "a failed svi_dist_log_prob writes nothing");
    CHECK_OK(svi_dist_new(&batched, "Normal", batch2, 2));
    EXPECT(svi_dist_mean(batched, out, 1), SVI_E_SHAPE_MISMATCH);
    EXPECT(svi_dist_batch_shape(batched, &extent, 0, &ndim), SVI_E_SHAPE_MISMATCH);
    CHECK(ndim == 1 && extent == 99, "too small a capacity still writes the rank (%zu), not the extents",
          ndim);

    /* Mixtures take a Categorical with one category per component. */
    {
        double probs3[3] = {0.2, 0.3, 0.5};
        svi_named_array three_categories[1] = {{"probs", {probs3, 1, &three}}};
        svi_dist categorical = 0;
        CHECK_OK(svi_dist_new(&categorical, "Categorical", three_categories, 1));
        EXPECT(svi_mixture_same_family_new(&d, batched, batched), SVI_E_INVALID_ARGUMENT);
        EXPECT(svi_mixture_same_family_new(&d, categorical, batched), SVI_E_SHAPE_MISMATCH);
        EXPECT(svi_mixture_same_family_new(NULL, categorical, batched), SVI_E_NULL_POINTER);
        CHECK(d == 777, "failed svi_mixture_same_family_new calls leave *out untouched");
        CHECK_OK(svi_dist_free(categorical));
    }

    /* A handle of another kind; the distribution is not freed by it. */
    EXPECT(svi_model_free(batched), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_guide_free(batched), SVI_E_WRONG_HANDLE_KIND);
    CHECK_OK(svi_dist_mean(batched, out, 2));
    CHECK(out[0] == 0.0 && out[1] == 1.0, "the distribution still works after a wrong-kind free");

    /* Stale and forged handles. */
    CHECK_OK(svi_dist_free(batched));
    EXPECT(svi_dist_free(batched), SVI_E_STALE_HANDLE);
    EXPECT(svi_dist_mean(batched, out, 2), SVI_E_STALE_HANDLE);
    EXPECT(svi_dist_family(batched, &family), SVI_E_STALE_HANDLE);
    EXPECT(svi_dist_log_prob((svi_dist)0x0123456789abcdefULL, value3, out, 3), SVI_E_STALE_HANDLE);
    EXPECT(svi_dist_free((svi_dist)0x0123456789abcdefULL), SVI_E_STALE_HANDLE);
    EXPECT(svi_dist_mean(0, out, 1), SVI_E_STALE_HANDLE);
    CHECK(family == NULL, "a failed svi_dist_family leaves *out_name untouched");

    /* Option structs of an unknown size. */
    {
        svi_adam_options adam;
        svi_callback_model_options model_opts;
        svi_optim optim = 0;
        EXPECT(svi_adam_options_init(&adam, 3), SVI_E_VERSION_MISMATCH);
        EXPECT(svi_callback_model_options_init(&model_opts, 1), SVI_E_VERSION_MISMATCH);
        EXPECT(svi_adam_options_init(NULL, sizeof adam), SVI_E_NULL_POINTER);
        CHECK_OK(svi_adam_options_init(&adam, sizeof adam));
        adam.struct_size = 3;
        EXPECT(svi_optim_new_adam(&optim, &adam), SVI_E_VERSION_MISMATCH);
        adam.struct_size = sizeof adam;
        adam.learning_rate = NAN;
        EXPECT(svi_optim_new_adam(&optim, &adam), SVI_E_INVALID_ARGUMENT);
        CHECK(optim == 0, "failed svi_optim_new_adam calls leave *out untouched");
    }
}

/* AutoNormal's init_loc must have the model's dimension; it is copied, and
 * with init_scale it gives the initial parameters. */
static void check_auto_normal_init(svi_model model, svi_key key) {
    double init[2] = {0.5, 0.5}, params[2];
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_svi svi = 0;

    CHECK_OK(svi_auto_normal_options_init(&guide_opts, sizeof guide_opts));
    CHECK_OK(svi_adam_options_init(&adam_opts, sizeof adam_opts));
    CHECK_OK(svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts));
    guide_opts.init_loc = init;
    guide_opts.init_loc_len = 2;
    EXPECT(svi_guide_new_auto_normal(&guide, model, &guide_opts), SVI_E_SHAPE_MISMATCH);
    guide_opts.init_loc_len = 0;
    EXPECT(svi_guide_new_auto_normal(&guide, model, &guide_opts), SVI_E_SHAPE_MISMATCH);
    CHECK(guide == 0, "failed svi_guide_new_auto_normal calls leave *out untouched");
    guide_opts.init_loc_len = 1;
    guide_opts.init_scale = 0.3;
    CHECK_OK(svi_guide_new_auto_normal(&guide, model, &guide_opts));
    init[0] = -7.0;
    CHECK_OK(svi_optim_new_adam(&optim, &adam_opts));
    CHECK_OK(svi_elbo_new_trace(&elbo, &elbo_opts));
    CHECK_OK(svi_svi_new(&svi, model, guide, optim, elbo));
    CHECK_OK(svi_svi_init(svi, key));
    get_params(svi, params);
    CHECK(params[0] == 0.5 && fabs(params[1] - 0.3) < 1e-12,
          "the initial parameters are init_loc 0.5 (copied) and init_scale 0.3: %.17g, %.17g", params[0],
          params[1]);
    svi_svi_free(svi);
    svi_elbo_free(elbo);
    svi_optim_free(optim);
    svi_guide_free(guide);
}

static void check_inference_errors(svi_key key) {
    flaky_target target = {{2, {0.5, 0.5}, {-0.2, 1.0}, {0.4, 0.5}}, 0, 0, 0};
    svi_model model = 0;
    svi_svi svi = 0, twin = 0, stopped = 0;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_dist mixture = 0;
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    double before[2], after[2], twin_params[2], loss = 0.0, out[2] = {5, 5};
    double stopped_losses[10], full_losses[3];
    size_t steps = 0, dim = 0, i;
    const char *name = NULL;

    CHECK_OK(svi_auto_normal_options_init(&guide_opts, sizeof guide_opts));
    CHECK_OK(svi_adam_options_init(&adam_opts, sizeof adam_opts));
    CHECK_OK(svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts));
    EXPECT(svi_callback_model_options_init(NULL, sizeof(svi_callback_model_options)), SVI_E_NULL_POINTER);
    EXPECT(svi_model_new_callback(&model, NULL), SVI_E_NULL_POINTER);
    EXPECT(make_callback_model(NULL, flaky_callback, &target), SVI_E_NULL_POINTER);
    CHECK_OK(make_callback_model(&model, flaky_callback, &target));
    check_auto_normal_init(model, key);
    EXPECT(svi_model_dim(model, NULL), SVI_E_NULL_POINTER);
    EXPECT(svi_model_dim(0, &dim), SVI_E_STALE_HANDLE);

    CHECK_OK(svi_guide_new_auto_normal(&guide, model, &guide_opts));
    CHECK_OK(svi_optim_new_adam(&optim, &adam_opts));
    CHECK_OK(svi_elbo_new_trace(&elbo, &elbo_opts));

    /* Handles of the wrong kind. */
    EXPECT(svi_dist_log_prob(model, (svi_array){out, 0, NULL}, out, 1), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_svi_new(&svi, guide, model, optim, elbo), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_svi_new(&svi, model, guide, elbo, optim), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_svi_step(model, &loss), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_guide_new_auto_normal(&guide, optim, &guide_opts), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_mixture_same_family_new(&mixture, model, model), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_optim_free(elbo), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_elbo_free(optim), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_svi_free(guide), SVI_E_WRONG_HANDLE_KIND);
    EXPECT(svi_svi_new(NULL, model, guide, optim, elbo), SVI_E_NULL_POINTER);
    CHECK(svi == 0 && mixture == 0, "failed constructors leave *out untouched");

    /* Every kind: freeing 0 is a no-op, freeing twice is stale. */
    CHECK(svi_dist_free(0) == SVI_OK && svi_model_free(0) == SVI_OK && svi_guide_free(0) == SVI_OK &&
              svi_optim_free(0) == SVI_OK && svi_elbo_free(0) == SVI_OK && svi_svi_free(0) == SVI_OK,
          "freeing the handle 0 of every kind is SVI_OK");
    CHECK_OK(svi_guide_free(guide));
    CHECK_OK(svi_optim_free(optim));
    CHECK_OK(svi_elbo_free(elbo));
    EXPECT(svi_guide_free(guide), SVI_E_STALE_HANDLE);
    EXPECT(svi_optim_free(optim), SVI_E_STALE_HANDLE);
    EXPECT(svi_elbo_free(elbo), SVI_E_STALE_HANDLE);
    EXPECT(svi_svi_new(&svi, model, guide, optim, elbo), SVI_E_STALE_HANDLE);

    /* A failing step leaves parameters, optimizer state, key and step count
     * as they were: the run then goes on exactly as one that never failed. */
    CHECK_OK(make_svi(&svi, model));
    CHECK_OK(make_svi(&twin, model));
    target.calls = 0;
    CHECK_OK(svi_svi_run(svi, key, 50, NULL, NULL, NULL));
    CHECK(target.calls == 50, "the callback runs once per step (%zu calls in 50 steps)", target.calls);
    get_params(svi, before);
    target.fail = 1;
    EXPECT(svi_svi_step(svi, &loss), SVI_E_CALLBACK_FAILED);
    target.fail = 0;
    get_params(svi, after);
    CHECK_OK(svi_svi_num_steps(svi, &steps));
    CHECK(memcmp(before, after, sizeof before) == 0 && steps == 50,
          "after a failed callback the parameters and step count (%zu) are unchanged", steps);
    target.give_nan = 1;
    EXPECT(svi_svi_step(svi, &loss), SVI_E_NUMERICAL);
    target.give_nan = 0;
    get_params(svi, after);
    CHECK_OK(svi_svi_num_steps(svi, &steps));
    CHECK(memcmp(before, after, sizeof before) == 0 && steps == 50,
          "after a NaN log-density the parameters and step count (%zu) are unchanged", steps);
    for (i = 0; i < 10; i++) CHECK_OK(svi_svi_step(svi, &loss));
    CHECK_OK(svi_svi_run(twin, key, 60, NULL, NULL, NULL));
    get_params(svi, after);
    get_params(twin, twin_params);
    CHECK(memcmp(after, twin_params, sizeof after) == 0,
          "50 steps, two failed steps and 10 steps equal 60 steps bit for bit (loc %.6f, scale %.6f)",
          after[0], after[1]);

    /* A run whose callback fails at its first step stops there. */
    target.fail = 1;
    EXPECT(svi_svi_run(twin, key, 10, stopped_losses, NULL, NULL), SVI_E_CALLBACK_FAILED);
    target.fail = 0;
    CHECK_OK(svi_svi_num_steps(twin, &steps));
    CHECK(steps == 0, "a run failing at step 1 leaves 0 steps taken (%zu)", steps);

    /* A progress callback that stops the run after step 3 keeps step 3: the
     * losses and parameters are those of a 3-step run. */
    CHECK_OK(make_svi(&stopped, model));
    EXPECT(svi_svi_run(stopped, key, 10, stopped_losses, stop_at_third_step, NULL), SVI_E_STOPPED);
    CHECK_OK(svi_svi_num_steps(stopped, &steps));
    CHECK(steps == 3, "a run stopped after step 3 has taken 3 steps (%zu)", steps);
    CHECK_OK(svi_svi_run(twin, key, 3, full_losses, NULL, NULL));
    get_params(stopped, before);
    get_params(twin, after);
    CHECK(memcmp(stopped_losses, full_losses, sizeof full_losses) == 0 &&
              memcmp(before, after, sizeof before) == 0,
          "a run stopped after step 3 equals a 3-step run");

    /* Parameter lookups. */
    EXPECT(svi_svi_get_param(svi, "no_such_param", out, 1), SVI_E_INVALID_ARGUMENT);
    EXPECT(svi_svi_get_param(svi, NULL, out, 1), SVI_E_NULL_POINTER);
    EXPECT(svi_svi_get_param(svi, "x_auto_loc", NULL, 1), SVI_E_NULL_POINTER);
    EXPECT(svi_svi_get_param(svi, "x_auto_loc", out, 2), SVI_E_SHAPE_MISMATCH);
    EXPECT(svi_svi_num_steps(svi, NULL), SVI_E_NULL_POINTER);
    EXPECT(svi_svi_param_name(svi, 0, NULL), SVI_E_NULL_POINTER);
    CHECK(out[0] == 5 && out[1] == 5, "failed svi_svi_get_param calls write nothing");

    /* The SVI outlives the model handle it was made from. */
    CHECK_OK(svi_model_free(model));
    EXPECT(svi_model_free(model), SVI_E_STALE_HANDLE);
    EXPECT(svi_model_dim(model, &dim), SVI_E_STALE_HANDLE);
    CHECK_OK(svi_svi_step(svi, &loss));
    CHECK_OK(svi_svi_param_name(svi, 0, &name));
    CHECK(isfinite(loss) && name != NULL, "the SVI still steps after its model handle is freed");

    CHECK_OK(svi_svi_free(svi));
    EXPECT(svi_svi_free(svi), SVI_E_STALE_HANDLE);
    EXPECT(svi_svi_step(svi, &loss), SVI_E_STALE_HANDLE);
    CHECK_OK(svi_svi_free(twin));
    CHECK_OK(svi_svi_free(stopped));
}

int main(void) {
    double zero = 0.0, one = 1.0, x = 0.5, lp = 0.0;
    svi_named_array params[2] = {{"loc", {&zero, 0, NULL}}, {"scale", {&one, 0, NULL}}};
    svi_array value = {&x, 0, NULL};
    svi_dist normal = 0;
    svi_key key;
    pthread_t thread;
    int thread_ok[2] = {0, 0};
    char main_message[256];

    CHECK(strcmp(svi_last_error_message(), "") == 0, "before any failure the last-error message is \"\"");
    check_versions_and_names();
    CHECK_OK(svi_key_from_seed(&key, 42));
    CHECK_OK(svi_dist_new(&normal, "Normal", params, 2));

    check_distribution_errors(normal, key);
    check_inference_errors(key);

    /* The last-error message is per thread. */
    snprintf(main_message, sizeof main_message, "%s", svi_last_error_message());
    CHECK(pthread_create(&thread, NULL, fresh_thread, thread_ok) == 0 && pthread_join(thread, NULL) == 0,
          "a second thread runs");
    CHECK(thread_ok[0], "a new thread's last-error message is \"\"");
    CHECK(thread_ok[1], "a failure on the new thread sets its message");
    CHECK(strcmp(svi_last_error_message(), main_message) == 0,
          "the other thread's failure leaves this thread's message as it was");

    /* After all of this the distribution still gives the right answer. */
    CHECK_OK(svi_dist_log_prob(normal, value, &lp, 1));
    CHECK(fabs(lp - (-0.5 * TARGET_LOG_2PI - 0.125)) < 1e-14, "log N(0.5; 0, 1) = %.15f", lp);
    CHECK_OK(svi_dist_free(normal));
    return check_summary();
}
