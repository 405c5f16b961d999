/* Fits q = Normal(loc, scale) to the mixture
 *     p = 0.5 Normal(-0.2, 0.4) + 0.5 Normal(1, 0.5)
 * by minimizing the reverse KL(q || p), that is by maximizing the ELBO with
 * log p as the model's log-density, with AutoNormal, Trace_ELBO and Adam.
 *
 * The model is built twice: from the library's own mixture distribution, and
 * as a C callback that computes log p and its gradient for a batch of points.
 */
#include <math.h>
#include <stdio.h>

#include <swiftvi.h>

static const double WEIGHTS[2] = {0.5, 0.5};
static const double LOCS[2] = {-0.2, 1.0};
static const double SCALES[2] = {0.4, 0.5};

/* Returns from main with a message when a call fails. */
#define TRY(call)                                                               \
    do {                                                                        \
        svi_status status_ = (call);                                            \
        if (status_ != SVI_OK) {                                                \
            fprintf(stderr, "%s failed: %s: %s\n", #call,                       \
                    svi_status_string(status_), svi_last_error_message());      \
            return 1;                                                           \
        }                                                                       \
    } while (0)

/* The batched log-density: log p at each of num_points points (dim is 1),
 * and d log p / dx when out_gradient is not NULL. Non-zero means failure. */
static int mixture_log_density(void *user_data, size_t num_points, size_t dim,
                               const double *points, double *out_log_density,
                               double *out_gradient) {
    const double log_sqrt_2pi = 0.91893853320467274178;
    size_t i, k;
    (void)user_data;
    if (dim != 1) return 1;
    for (i = 0; i < num_points; i++) {
        double x = points[i], term[2], top, sum = 0.0, slope = 0.0;
        for (k = 0; k < 2; k++) {
            double z = (x - LOCS[k]) / SCALES[k];
            term[k] = log(WEIGHTS[k]) - log(SCALES[k]) - log_sqrt_2pi - 0.5 * z * z;
        }
        /* log-sum-exp, with each component's share of the gradient */
        top = fmax(term[0], term[1]);
        for (k = 0; k < 2; k++) {
            double r = exp(term[k] - top);
            sum += r;
            slope -= r * (x - LOCS[k]) / (SCALES[k] * SCALES[k]);
        }
        out_log_density[i] = top + log(sum);
        if (out_gradient) out_gradient[i] = slope / sum;
    }
    return 0;
}

/* Fits AutoNormal to `model` and prints the fitted loc and scale of "x". */
static int fit(const char *label, svi_model model) {
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_guide guide;
    svi_optim adam;
    svi_elbo elbo;
    svi_svi svi;
    svi_key key;
    double loc, scale, loss, mean_loc = 0.0, mean_scale = 0.0;
    const size_t num_steps = 2000, num_averaged = 2000;
    size_t i;

    TRY(svi_auto_normal_options_init(&guide_opts, sizeof guide_opts));
    TRY(svi_adam_options_init(&adam_opts, sizeof adam_opts));
    TRY(svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts));
    adam_opts.learning_rate = 0.02;
    elbo_opts.num_particles = 32;

    TRY(svi_guide_new_auto_normal(&guide, model, &guide_opts));
    TRY(svi_optim_new_adam(&adam, &adam_opts));
    TRY(svi_elbo_new_trace(&elbo, &elbo_opts));
    TRY(svi_svi_new(&svi, model, guide, adam, elbo));
    /* The SVI holds its own references; these handles are no longer needed. */
    TRY(svi_guide_free(guide));
    TRY(svi_optim_free(adam));
    TRY(svi_elbo_free(elbo));

    TRY(svi_key_from_seed(&key, 0));
    TRY(svi_svi_run(svi, key, num_steps, NULL, NULL, NULL));
    /* With a constant learning rate the parameters keep moving around the
     * optimum; their average over further steps is a steadier estimate.
     * AutoNormal names its parameters <site>_auto_loc and <site>_auto_scale. */
    for (i = 0; i < num_averaged; i++) {
        TRY(svi_svi_step(svi, &loss));
        TRY(svi_svi_get_param(svi, "x_auto_loc", &loc, 1));
        TRY(svi_svi_get_param(svi, "x_auto_scale", &scale, 1));
        mean_loc += loc / (double)num_averaged;
        mean_scale += scale / (double)num_averaged;
    }
    printf("%s: loc %.4f, scale %.4f (last loss %.4f)\n", label, mean_loc, mean_scale, loss);
    TRY(svi_svi_free(svi));
    return 0;
}

int main(void) {
    size_t two = 2;
    svi_named_array mixing_params[1] = {{"probs", {WEIGHTS, 1, &two}}};
    svi_named_array component_params[2] = {{"loc", {LOCS, 1, &two}}, {"scale", {SCALES, 1, &two}}};
    svi_latent_block x = {"x", 1, SVI_CONSTRAINT_REAL, 0, 0, SVI_BLOCK_LATENT};
    svi_callback_model_options callback_opts;
    svi_dist mixing, components, mixture;
    svi_model model;

    /* 1. The library's distribution: MixtureSameFamily(Categorical, Normal[2]). */
    TRY(svi_dist_new(&mixing, "Categorical", mixing_params, 1));
    TRY(svi_dist_new(&components, "Normal", component_params, 2));
    TRY(svi_mixture_same_family_new(&mixture, mixing, components));
    TRY(svi_model_new_distribution(&model, "x", mixture));
    /* The mixture and the model keep what they need from these. */
    TRY(svi_dist_free(mixing));
    TRY(svi_dist_free(components));
    TRY(svi_dist_free(mixture));
    if (fit("distribution model", model) != 0) return 1;
    TRY(svi_model_free(model));

    /* 2. The same log-density as a C callback over one real latent "x". */
    TRY(svi_callback_model_options_init(&callback_opts, sizeof callback_opts));
    callback_opts.latents = &x;
    callback_opts.num_latents = 1;
    callback_opts.log_density = mixture_log_density;
    TRY(svi_model_new_callback(&model, &callback_opts));
    if (fit("callback model    ", model) != 0) return 1;
    TRY(svi_model_free(model));
    return 0;
}
