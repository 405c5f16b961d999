/* One-dimensional Gaussian-mixture targets for the C tests: their
 * log-density written directly in C, a batched callback over it, and a helper
 * that fits q = Normal(loc, scale) to a model with AutoNormal + Trace_ELBO +
 * Adam. */
#ifndef SVI_TEST_TARGETS_H
#define SVI_TEST_TARGETS_H

#include <math.h>
#include <stddef.h>

#include "check.h"

#define TARGET_MAX_COMPONENTS 4
#define TARGET_LOG_2PI 1.83787706640934548356

typedef struct gauss_mixture {
    size_t num_components;
    double weights[TARGET_MAX_COMPONENTS];
    double locs[TARGET_MAX_COMPONENTS];
    double scales[TARGET_MAX_COMPONENTS];
} gauss_mixture;

/* The target of the seed-000 job: 0.5 N(-0.2, 0.4) + 0.5 N(1, 0.5). */
static const gauss_mixture SEED000_TARGET = {2, {0.5, 0.5}, {-0.2, 1.0}, {0.4, 0.5}};

/* log p(x), and d/dx log p(x) into *grad when grad is not NULL. */
static inline double mixture_log_density(const gauss_mixture *m, double x, double *grad) {
    double terms[TARGET_MAX_COMPONENTS];
    double max_term = -INFINITY, total = 0.0, slope = 0.0;
    size_t k;
    for (k = 0; k < m->num_components; k++) {
        double z = (x - m->locs[k]) / m->scales[k];
        terms[k] = log(m->weights[k]) - log(m->scales[k]) - 0.5 * TARGET_LOG_2PI - 0.5 * z * z;
        if (terms[k] > max_term) max_term = terms[k];
    }
    for (k = 0; k < m->num_components; k++) {
        double r = exp(terms[k] - max_term);
        total += r;
        slope += r * -(x - m->locs[k]) / (m->scales[k] * m->scales[k]);
    }
    if (grad) *grad = slope / total;
    return max_term + log(total);
}

/* An svi_log_density_fn over a gauss_mixture passed as user_data. */
static inline int mixture_callback(void *user_data, size_t num_points, size_t dim,
                                   const double *points, double *out_log_density,
                                   double *out_gradient) {
    const gauss_mixture *m = (const gauss_mixture *)user_data;
    size_t i;
    if (dim != 1) return 1;
    for (i = 0; i < num_points; i++)
        out_log_density[i] = mixture_log_density(m, points[i], out_gradient ? &out_gradient[i] : NULL);
    return 0;
}

/* A model over one real latent "x" whose log-density is the callback's. */
static inline svi_status make_callback_model(svi_model *out, svi_log_density_fn fn, void *user_data) {
    static const svi_latent_block x_block = {"x", 1, SVI_CONSTRAINT_REAL, 0, 0, SVI_BLOCK_LATENT};
    svi_callback_model_options opts;
    svi_status status = svi_callback_model_options_init(&opts, sizeof opts);
    if (status != SVI_OK) return status;
    opts.latents = &x_block;
    opts.num_latents = 1;
    opts.log_density = fn;
    opts.user_data = user_data;
    return svi_model_new_callback(out, &opts);
}

/* The mixture as a library distribution, MixtureSameFamily(Categorical, Normal). */
static inline svi_status make_mixture_dist(svi_dist *out, const gauss_mixture *m) {
    size_t k = m->num_components;
    svi_named_array mixing_params[1] = {{"probs", {m->weights, 1, &k}}};
    svi_named_array component_params[2] = {{"loc", {m->locs, 1, &k}},
                                           {"scale", {m->scales, 1, &k}}};
    svi_dist mixing = 0, components = 0;
    svi_status status = svi_dist_new(&mixing, "Categorical", mixing_params, 1);
    if (status == SVI_OK) status = svi_dist_new(&components, "Normal", component_params, 2);
    if (status == SVI_OK) status = svi_mixture_same_family_new(out, mixing, components);
    svi_dist_free(mixing);
    svi_dist_free(components);
    return status;
}

/* Settings and result of a fit of q = Normal(loc, scale) to a model over "x".
 * With a constant learning rate the iterates keep moving around the optimum,
 * by a few hundredths here; their mean over the last num_averaged steps
 * (Polyak-Ruppert averaging) is a far closer estimate than the last iterate. */
typedef struct fit_settings {
    uint64_t seed;
    size_t num_steps;
    size_t num_averaged;
    size_t num_particles;
    double learning_rate;
} fit_settings;

typedef struct fit_result {
    double loc;
    double scale;
    double *losses; /* num_steps losses, owned by the caller; may be NULL */
} fit_result;

/* Fits AutoNormal to `model` with Trace_ELBO and Adam; writes x's loc and
 * scale, averaged over the last num_averaged steps. */
static inline svi_status fit_normal(svi_model model, const fit_settings *settings, fit_result *result) {
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_svi svi = 0;
    svi_key key;
    size_t burn_in = settings->num_steps - settings->num_averaged, i;
    double loc, scale, loss;
    svi_status status = svi_auto_normal_options_init(&guide_opts, sizeof guide_opts);
    if (status == SVI_OK) status = svi_adam_options_init(&adam_opts, sizeof adam_opts);
    if (status == SVI_OK) status = svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts);
    if (status != SVI_OK) return status;
    adam_opts.learning_rate = settings->learning_rate;
    elbo_opts.num_particles = settings->num_particles;

    status = svi_key_from_seed(&key, settings->seed);
    if (status == SVI_OK) status = svi_guide_new_auto_normal(&guide, model, &guide_opts);
    if (status == SVI_OK) status = svi_optim_new_adam(&optim, &adam_opts);
    if (status == SVI_OK) status = svi_elbo_new_trace(&elbo, &elbo_opts);
    if (status == SVI_OK) status = svi_svi_new(&svi, model, guide, optim, elbo);
    if (status == SVI_OK) status = svi_svi_run(svi, key, burn_in, result->losses, NULL, NULL);
    result->loc = result->scale = 0.0;
    for (i = 0; i < settings->num_averaged && status == SVI_OK; i++) {
        status = svi_svi_step(svi, &loss);
        if (status == SVI_OK) status = svi_svi_get_param(svi, "x_auto_loc", &loc, 1);
        if (status == SVI_OK) status = svi_svi_get_param(svi, "x_auto_scale", &scale, 1);
        if (result->losses) result->losses[burn_in + i] = loss;
        result->loc += loc / (double)settings->num_averaged;
        result->scale += scale / (double)settings->num_averaged;
    }
    svi_svi_free(svi);
    svi_elbo_free(elbo);
    svi_optim_free(optim);
    svi_guide_free(guide);
    return status;
}

#endif
