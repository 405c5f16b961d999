/* A log-density callback that fails (returns non-zero) or returns NaN in the
 * middle of a run: svi_svi_run stops with SVI_E_CALLBACK_FAILED or
 * SVI_E_NUMERICAL and keeps exactly the state of the step before, while
 * svi_svi_run_with_options in stable mode skips that step and goes on. */
#include <math.h>
#include <string.h>

#include "check.h"

#define NUM_STEPS 40
/* The callback call (one per step, from 1) that goes wrong. */
#define BAD_CALL 12

enum fault { NONE, FAILS, NAN_DENSITY };

typedef struct {
    enum fault fault;
    int calls;
} target;

/* log N(z; 1, 1) up to a constant, except at call BAD_CALL when faulty. */
static int log_density(void *user_data, size_t num_points, size_t dim, const double *points,
                       double *out_log_density, double *out_gradient) {
    target *t = (target *)user_data;
    size_t i;
    t->calls++;
    if (t->calls == BAD_CALL && t->fault == FAILS) return 3;
    for (i = 0; i < num_points; i++) {
        double z = points[i * dim];
        out_log_density[i] = (t->calls == BAD_CALL && t->fault == NAN_DENSITY) ? NAN : -0.5 * (z - 1) * (z - 1);
        if (out_gradient) out_gradient[i * dim] = 1 - z;
    }
    return 0;
}

/* An SVI over the callback model of `t`: AutoNormal, Adam, Trace_ELBO of 2 particles. */
static svi_svi make_svi(target *t) {
    svi_latent_block block = {"z", 1, SVI_CONSTRAINT_REAL, 0.0, 0.0, SVI_BLOCK_LATENT};
    svi_callback_model_options model_opts;
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_model model = 0;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_svi svi = 0;
    CHECK_OK(svi_callback_model_options_init(&model_opts, sizeof model_opts));
    model_opts.latents = &block;
    model_opts.num_latents = 1;
    model_opts.log_density = log_density;
    model_opts.user_data = t;
    CHECK_OK(svi_auto_normal_options_init(&guide_opts, sizeof guide_opts));
    CHECK_OK(svi_adam_options_init(&adam_opts, sizeof adam_opts));
    CHECK_OK(svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts));
    adam_opts.learning_rate = 0.05;
    elbo_opts.num_particles = 2;
    CHECK_OK(svi_model_new_callback(&model, &model_opts));
    CHECK_OK(svi_guide_new_auto_normal(&guide, model, &guide_opts));
    CHECK_OK(svi_optim_new_adam(&optim, &adam_opts));
    CHECK_OK(svi_elbo_new_trace(&elbo, &elbo_opts));
    CHECK_OK(svi_svi_new(&svi, model, guide, optim, elbo));
    svi_model_free(model);
    svi_guide_free(guide);
    svi_optim_free(optim);
    svi_elbo_free(elbo);
    return svi;
}

static svi_key seed(void) {
    svi_key key;
    CHECK_OK(svi_key_from_seed(&key, 7));
    return key;
}

/* Whether both SVIs hold bit-identical AutoNormal parameters. */
static int same_parameters(svi_svi a, svi_svi b) {
    const char *names[2] = {"z_auto_loc", "z_auto_scale"};
    int i, same = 1;
    for (i = 0; i < 2; i++) {
        double x = 0.0, y = 1.0;
        CHECK_OK(svi_svi_get_param(a, names[i], &x, 1));
        CHECK_OK(svi_svi_get_param(b, names[i], &y, 1));
        same = same && memcmp(&x, &y, sizeof x) == 0;
    }
    return same;
}

/* The state after the good steps 1 .. BAD_CALL - 1 of an unfaulty run. */
static svi_svi reference_run(double *losses) {
    static target clean = {NONE, 0};
    svi_svi svi;
    clean.calls = 0;
    svi = make_svi(&clean);
    CHECK_OK(svi_svi_run(svi, seed(), BAD_CALL - 1, losses, NULL, NULL));
    return svi;
}

static void plain_run_stops(enum fault fault, svi_status expected) {
    target t = {fault, 0};
    svi_svi svi = make_svi(&t), reference;
    double losses[NUM_STEPS], good[BAD_CALL - 1];
    size_t steps = 0;
    svi_status status = svi_svi_run(svi, seed(), NUM_STEPS, losses, NULL, NULL);
    CHECK(status == expected, "plain run with a %s callback stops with %s (got %s)",
          fault == FAILS ? "failing" : "NaN-returning", svi_status_string(expected), svi_status_string(status));
    CHECK_OK(svi_svi_num_steps(svi, &steps));
    CHECK(steps == BAD_CALL - 1, "the steps before the bad one are kept (%zu)", steps);
    reference = reference_run(good);
    CHECK(same_parameters(svi, reference), "the parameters are those before the bad step, bit for bit");
    CHECK(memcmp(losses, good, sizeof good) == 0, "so are the losses of the good steps");
    svi_svi_free(reference);
    svi_svi_free(svi);
}

static void stable_run_skips(enum fault fault) {
    target t = {fault, 0};
    svi_svi svi = make_svi(&t), reference;
    svi_run_options opts;
    double losses[NUM_STEPS], good[BAD_CALL - 1];
    size_t count = 0, steps = 0, i, finite = 0;
    CHECK_OK(svi_run_options_init(&opts, sizeof opts));
    CHECK(opts.stable == 0 && opts.progress == NULL, "run options default to a plain run");
    opts.stable = 1;
    CHECK_OK(svi_svi_run_with_options(svi, seed(), NUM_STEPS, losses, &count, &opts));
    CHECK_OK(svi_svi_num_steps(svi, &steps));
    CHECK(count == NUM_STEPS && steps == NUM_STEPS - 1,
          "a stable run makes every attempt (%zu losses) and skips the bad one (%zu steps)", count, steps);
    CHECK(isnan(losses[BAD_CALL - 1]), "the skipped step's loss is NaN");
    for (i = 0; i < NUM_STEPS; i++) finite += isfinite(losses[i]) ? 1 : 0;
    CHECK(finite == NUM_STEPS - 1, "every other loss is finite");
    reference = reference_run(good);
    CHECK(memcmp(losses, good, sizeof good) == 0, "the steps before the bad one are those of a plain run");
    svi_svi_free(reference);
    svi_svi_free(svi);
}

int main(void) {
    plain_run_stops(FAILS, SVI_E_CALLBACK_FAILED);
    plain_run_stops(NAN_DENSITY, SVI_E_NUMERICAL);
    stable_run_skips(FAILS);
    stable_run_skips(NAN_DENSITY);
    return check_summary();
}
