/* A fit interrupted and continued ends exactly where an uninterrupted fit
 * ends, bit for bit, whatever interrupted it:
 *   - a log-density callback that fails at one step (the step is not kept);
 *   - the progress callback asking to stop;
 *   - the process itself: a child process fits part of the way, saves the
 *     state to a file and exits; another child restores it and goes on.
 * The reference is one process fitting all the steps at once.
 *
 * Run without arguments it is the test; the children are this program run
 * again as `test_resume save FILE` and `test_resume resume FILE OUT`. */
#include <inttypes.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "targets.h"

#define SEED 17
#define TOTAL_STEPS 300
#define FIRST_PART 120

/* The mixture callback, failing once at call `fail_at` (0: never). */
typedef struct failing_target {
    size_t calls, fail_at;
} failing_target;

static int failing_callback(void *user_data, size_t num_points, size_t dim, const double *points,
                            double *out_log_density, double *out_gradient) {
    failing_target *t = (failing_target *)user_data;
    if (++t->calls == t->fail_at) return 5;
    return mixture_callback((void *)&SEED000_TARGET, num_points, dim, points, out_log_density, out_gradient);
}

static int stop_at(void *user_data, size_t step, double loss) {
    (void)loss;
    return step == *(size_t *)user_data;
}

/* An SVI over the seed-000 mixture as a callback model (AutoNormal, Adam,
 * Trace_ELBO(8)), initialized with SEED; its parts are freed once it holds them. */
static svi_status make_svi(svi_svi *out, failing_target *target) {
    svi_model model = 0;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_key key;
    svi_status status = make_callback_model(&model, failing_callback, target);
    svi_auto_normal_options_init(&guide_opts, sizeof guide_opts);
    svi_adam_options_init(&adam_opts, sizeof adam_opts);
    svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts);
    adam_opts.learning_rate = 0.02;
    elbo_opts.num_particles = 8;
    svi_key_from_seed(&key, SEED);
    if (status == SVI_OK) status = svi_guide_new_auto_normal(&guide, model, &guide_opts);
    if (status == SVI_OK) status = svi_optim_new_adam(&optim, &adam_opts);
    if (status == SVI_OK) status = svi_elbo_new_trace(&elbo, &elbo_opts);
    if (status == SVI_OK) status = svi_svi_new(out, model, guide, optim, elbo);
    if (status == SVI_OK) status = svi_svi_init(*out, key);
    svi_elbo_free(elbo);
    svi_optim_free(optim);
    svi_guide_free(guide);
    svi_model_free(model);
    return status;
}

/* Steps `svi` until it has taken `until` steps. */
static svi_status step_until(svi_svi svi, size_t until) {
    size_t taken = 0;
    double loss;
    svi_status status = svi_svi_num_steps(svi, &taken);
    while (status == SVI_OK && taken < until) {
        status = svi_svi_step(svi, &loss);
        if (status == SVI_OK) status = svi_svi_num_steps(svi, &taken);
    }
    return status;
}

/* The state's bytes; the caller frees them. */
static uint8_t *saved(svi_svi svi, size_t *len) {
    uint8_t *bytes;
    if (svi_svi_save(svi, NULL, 0, len) != SVI_OK) return NULL;
    bytes = malloc(*len);
    if (bytes && svi_svi_save(svi, bytes, *len, len) != SVI_OK) {
        free(bytes);
        return NULL;
    }
    return bytes;
}

/* Whether `svi` holds exactly the state `expected` (len bytes). */
static int same_state(svi_svi svi, const uint8_t *expected, size_t len) {
    size_t n = 0;
    uint8_t *bytes = saved(svi, &n);
    int same = bytes && expected && n == len && memcmp(bytes, expected, len) == 0;
    free(bytes);
    return same;
}

/* Child: fits FIRST_PART steps, writes the state to `path`, exits. */
static int child_save(const char *path) {
    failing_target target = {0, 0};
    svi_svi svi = 0;
    size_t len = 0;
    uint8_t *bytes;
    FILE *f;
    if (make_svi(&svi, &target) != SVI_OK || step_until(svi, FIRST_PART) != SVI_OK) return 2;
    bytes = saved(svi, &len);
    f = fopen(path, "wb");
    if (!bytes || !f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) return 3;
    free(bytes);
    svi_svi_free(svi);
    return 0;
}

/* Child: restores the state at `path` into a new SVI, fits to TOTAL_STEPS,
 * writes the final state to `out`. */
static int child_resume(const char *path, const char *out) {
    failing_target target = {0, 0};
    svi_svi svi = 0;
    uint8_t buffer[4096];
    size_t len;
    FILE *f = fopen(path, "rb");
    uint8_t *bytes;
    if (!f) return 2;
    len = fread(buffer, 1, sizeof buffer, f);
    fclose(f);
    if (make_svi(&svi, &target) != SVI_OK || svi_svi_restore(svi, buffer, len) != SVI_OK ||
        step_until(svi, TOTAL_STEPS) != SVI_OK)
        return 3;
    bytes = saved(svi, &len);
    f = fopen(out, "wb");
    if (!bytes || !f || fwrite(bytes, 1, len, f) != len || fclose(f) != 0) return 4;
    free(bytes);
    svi_svi_free(svi);
    return 0;
}

/* Runs this program again with `args`; its exit status, or -1. */
static int run_child(const char *self, const char *args) {
    char command[4096];
    int status;
    snprintf(command, sizeof command, "'%s' %s", self, args);
    status = system(command);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv) {
    failing_target target = {0, 0};
    svi_svi reference = 0, svi = 0;
    uint8_t *expected, resumed[4096];
    size_t len = 0, resumed_len, stop = 50;
    double losses[TOTAL_STEPS];
    char state_file[] = "/tmp/svi_resume_state_XXXXXX", final_file[] = "/tmp/svi_resume_final_XXXXXX", args[256];
    FILE *f;
    int fd;

    if (argc == 3 && strcmp(argv[1], "save") == 0) return child_save(argv[2]);
    if (argc == 4 && strcmp(argv[1], "resume") == 0) return child_resume(argv[2], argv[3]);

    CHECK_OK(make_svi(&reference, &target));
    CHECK_OK(step_until(reference, TOTAL_STEPS));
    expected = saved(reference, &len);
    CHECK(expected != NULL, "the uninterrupted fit's state saves (%zu bytes)", len);

    /* A callback that fails at step 40: that step is not kept; stepping on
     * repeats it with the same random numbers. */
    target.calls = 0;
    target.fail_at = 40;
    CHECK_OK(make_svi(&svi, &target));
    CHECK(step_until(svi, TOTAL_STEPS) == SVI_E_CALLBACK_FAILED, "the callback fails at step 40");
    CHECK_OK(step_until(svi, TOTAL_STEPS));
    CHECK(same_state(svi, expected, len), "after a failed step, the fit continues to the uninterrupted result");
    svi_svi_free(svi);

    /* The progress callback stops svi_svi_run after step 50; steps go on from there. */
    target.calls = 0;
    target.fail_at = 0;
    CHECK_OK(make_svi(&svi, &target));
    {
        svi_key key;
        svi_key_from_seed(&key, SEED);
        CHECK(svi_svi_run(svi, key, TOTAL_STEPS, losses, stop_at, &stop) == SVI_E_STOPPED, "the run stops at step 50");
    }
    CHECK_OK(step_until(svi, TOTAL_STEPS));
    CHECK(same_state(svi, expected, len), "after a stopped run, the fit continues to the uninterrupted result");
    svi_svi_free(svi);

    /* Save in one process, exit, restore in another. */
    fd = mkstemp(state_file);
    if (fd >= 0) close(fd);
    fd = mkstemp(final_file);
    if (fd >= 0) close(fd);
    snprintf(args, sizeof args, "save '%s'", state_file);
    CHECK(run_child(argv[0], args) == 0, "a child process fits %d steps, saves and exits", FIRST_PART);
    snprintf(args, sizeof args, "resume '%s' '%s'", state_file, final_file);
    CHECK(run_child(argv[0], args) == 0, "another child restores the state and fits to step %d", TOTAL_STEPS);
    f = fopen(final_file, "rb");
    resumed_len = f ? fread(resumed, 1, sizeof resumed, f) : 0;
    if (f) fclose(f);
    CHECK(resumed_len == len && memcmp(resumed, expected, len) == 0,
          "the fit resumed in another process ends in the uninterrupted state, bit for bit");
    remove(state_file);
    remove(final_file);

    free(expected);
    svi_svi_free(reference);
    return check_summary();
}
