/* Two fits running at once on two threads give bit-identical results to the
 * same fits run alone, one after the other; each callback runs on the thread
 * that steps its fit; a distribution handle shared by both threads gives the
 * same values; each thread keeps its own last-error message. */
#include <math.h>
#include <pthread.h>

#include "check.h"
#include "targets.h"

#define NUM_STEPS 2000
#define NUM_GRID 1000
#define NUM_ROUNDS 2

typedef struct job {
    /* inputs */
    gauss_mixture target;
    fit_settings settings;
    svi_dist shared;          /* a distribution both threads evaluate */
    int failure;              /* which failing call this thread makes... */
    pthread_barrier_t *sync;  /* ...before both threads read their messages */
    /* outputs */
    pthread_t thread;         /* the thread running the job */
    size_t calls;             /* callback calls */
    size_t calls_elsewhere;   /* callback calls on another thread */
    svi_status status;
    fit_result fit;
    double losses[NUM_STEPS];
    double shared_log_prob[NUM_GRID];
    char expected_message[256];
    char message[256];
} job;

/* The mixture callback, counting its calls and the threads they come from. */
static int job_callback(void *user_data, size_t num_points, size_t dim, const double *points,
                        double *out_log_density, double *out_gradient) {
    job *j = (job *)user_data;
    j->calls++;
    if (!pthread_equal(pthread_self(), j->thread)) j->calls_elsewhere++;
    return mixture_callback(&j->target, num_points, dim, points, out_log_density, out_gradient);
}

static void *run_job(void *arg) {
    job *j = (job *)arg;
    double grid[NUM_GRID];
    size_t n = NUM_GRID, i;
    svi_array value = {grid, 1, &n};
    svi_model model = 0;

    for (i = 0; i < NUM_GRID; i++) grid[i] = -4.0 + 8.0 * (double)i / (NUM_GRID - 1);
    j->thread = pthread_self();
    j->fit.losses = j->losses;
    j->status = make_callback_model(&model, job_callback, j);
    if (j->status == SVI_OK) j->status = fit_normal(model, &j->settings, &j->fit);
    svi_model_free(model);
    if (j->status == SVI_OK) j->status = svi_dist_log_prob(j->shared, value, j->shared_log_prob, n);

    if (j->sync) {
        /* Fail differently on each thread, wait for the other to fail too,
         * then read this thread's message back. */
        double zero = 0.0;
        svi_named_array bad[2] = {{"loc", {&zero, 0, NULL}}, {"scale", {&zero, 0, NULL}}};
        svi_dist unused = 0;
        if (j->failure == 0) svi_model_free(j->shared);
        else svi_dist_new(&unused, "Normal", bad, 2);
        snprintf(j->expected_message, sizeof j->expected_message, "%s", svi_last_error_message());
        pthread_barrier_wait(j->sync);
        snprintf(j->message, sizeof j->message, "%s", svi_last_error_message());
    }
    return NULL;
}

/* Two jobs with different targets and seeds. */
static void init_jobs(job *a, job *b, svi_dist shared, pthread_barrier_t *sync) {
    const gauss_mixture normal = {1, {1.0}, {2.0}, {0.3}};
    const fit_settings settings_a = {11, NUM_STEPS, 1000, 16, 0.02}, settings_b = {22, NUM_STEPS, 1000, 16, 0.02};
    memset(a, 0, sizeof *a);
    memset(b, 0, sizeof *b);
    a->target = SEED000_TARGET;
    a->settings = settings_a;
    b->target = normal;
    b->settings = settings_b;
    a->shared = b->shared = shared;
    a->failure = 0;
    b->failure = 1;
    a->sync = b->sync = sync;
}

static int same_results(const job *x, const job *y) {
    return x->status == SVI_OK && y->status == SVI_OK && x->calls == y->calls &&
           memcmp(&x->fit.loc, &y->fit.loc, sizeof x->fit.loc) == 0 &&
           memcmp(&x->fit.scale, &y->fit.scale, sizeof x->fit.scale) == 0 &&
           memcmp(x->losses, y->losses, sizeof x->losses) == 0 &&
           memcmp(x->shared_log_prob, y->shared_log_prob, sizeof x->shared_log_prob) == 0;
}

int main(void) {
    static job serial_a, serial_b, parallel_a, parallel_b;
    svi_dist shared = 0;
    pthread_barrier_t sync;
    pthread_t ta, tb;
    int round;

    CHECK_OK(make_mixture_dist(&shared, &SEED000_TARGET));

    /* Alone, one after the other. */
    init_jobs(&serial_a, &serial_b, shared, NULL);
    run_job(&serial_a);
    run_job(&serial_b);
    CHECK(serial_a.status == SVI_OK && serial_b.status == SVI_OK, "the serial fits succeed");
    printf("serial fit A (mixture):        loc %.6f, scale %.6f\n", serial_a.fit.loc, serial_a.fit.scale);
    printf("serial fit B (Normal(2, 0.3)): loc %.6f, scale %.6f\n", serial_b.fit.loc, serial_b.fit.scale);
    /* The reverse-KL fit of a Normal to a Normal is that Normal. */
    CHECK(fabs(serial_b.fit.loc - 2.0) < 0.02 && fabs(serial_b.fit.scale - 0.3) < 0.02,
          "fit B recovers Normal(2, 0.3)");

    /* At once, on two threads, each also making a different failing call. */
    CHECK(pthread_barrier_init(&sync, NULL, 2) == 0, "a barrier for two threads");
    for (round = 1; round <= NUM_ROUNDS; round++) {
        init_jobs(&parallel_a, &parallel_b, shared, &sync);
        if (!CHECK(pthread_create(&ta, NULL, run_job, &parallel_a) == 0 &&
                       pthread_create(&tb, NULL, run_job, &parallel_b) == 0,
                   "round %d: two threads start", round))
            return check_summary();
        pthread_join(ta, NULL);
        pthread_join(tb, NULL);
        CHECK(same_results(&parallel_a, &serial_a), "round %d: fit A on a thread equals fit A alone, bit for bit", round);
        CHECK(same_results(&parallel_b, &serial_b), "round %d: fit B on a thread equals fit B alone, bit for bit", round);
        CHECK(parallel_a.calls == NUM_STEPS && parallel_b.calls == NUM_STEPS &&
                  parallel_a.calls_elsewhere == 0 && parallel_b.calls_elsewhere == 0,
              "round %d: each callback ran once per step, on its own fit's thread", round);
        CHECK(strcmp(parallel_a.expected_message, parallel_b.expected_message) != 0 &&
                  strcmp(parallel_a.message, parallel_a.expected_message) == 0 &&
                  strcmp(parallel_b.message, parallel_b.expected_message) == 0,
              "round %d: each thread reads back its own last-error message (\"%s\", \"%s\")", round,
              parallel_a.message, parallel_b.message);
    }
    pthread_barrier_destroy(&sync);

    svi_dist_free(shared);
    return check_summary();
}
