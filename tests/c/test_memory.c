/* Steady-state SVI steps run in constant memory: after a warm-up, ten
 * thousand more steps do not grow the process's resident set. (Linux: reads
 * /proc/self/statm.) */
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "targets.h"

#define WARM_UP_STEPS 1000
#define MEASURED_STEPS 10000
/* Allowed growth over the measured steps, in kB: far below one byte a step
 * of every particle, well above allocator noise. */
#define ALLOWED_GROWTH_KB 4096

static long resident_kb(void) {
    long pages_total = 0, pages_resident = -1;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = -1;
        fclose(f);
    }
    return pages_resident < 0 ? -1 : pages_resident * (sysconf(_SC_PAGESIZE) / 1024);
}

/* Steps an SVI of AutoNormal + Trace_ELBO(32) + Adam on `model`; reports the
 * growth of the resident set over the measured steps. */
static void check_constant_memory(const char *label, svi_model model) {
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_svi svi = 0;
    svi_key key;
    double loss = 0.0;
    long before, after;
    size_t i;
    svi_status status = SVI_OK;

    CHECK_OK(svi_auto_normal_options_init(&guide_opts, sizeof guide_opts));
    CHECK_OK(svi_adam_options_init(&adam_opts, sizeof adam_opts));
    CHECK_OK(svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts));
    elbo_opts.num_particles = 32;
    CHECK_OK(svi_key_from_seed(&key, 5));
    CHECK_OK(svi_guide_new_auto_normal(&guide, model, &guide_opts));
    CHECK_OK(svi_optim_new_adam(&optim, &adam_opts));
    CHECK_OK(svi_elbo_new_trace(&elbo, &elbo_opts));
    CHECK_OK(svi_svi_new(&svi, model, guide, optim, elbo));
    CHECK_OK(svi_svi_run(svi, key, WARM_UP_STEPS, NULL, NULL, NULL));

    before = resident_kb();
    for (i = 0; i < MEASURED_STEPS && status == SVI_OK; i++) status = svi_svi_step(svi, &loss);
    after = resident_kb();
    CHECK_OK(status);
    CHECK(before > 0 && after > 0 && after - before < ALLOWED_GROWTH_KB,
          "%s: %d steps grow the resident set by %ld kB (%.0f bytes a step; under %d kB allowed)", label,
          MEASURED_STEPS, after - before, 1024.0 * (double)(after - before) / MEASURED_STEPS,
          ALLOWED_GROWTH_KB);

    svi_svi_free(svi);
    svi_elbo_free(elbo);
    svi_optim_free(optim);
    svi_guide_free(guide);
}

int main(void) {
    svi_model model = 0;
    svi_dist mixture = 0;

    CHECK_OK(make_callback_model(&model, mixture_callback, (void *)&SEED000_TARGET));
    check_constant_memory("callback model", model);
    svi_model_free(model);

    model = 0;
    CHECK_OK(make_mixture_dist(&mixture, &SEED000_TARGET));
    CHECK_OK(svi_model_new_distribution(&model, "x", mixture));
    check_constant_memory("distribution model", model);
    svi_model_free(model);
    svi_dist_free(mixture);
    return check_summary();
}
