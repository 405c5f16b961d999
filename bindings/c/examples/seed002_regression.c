/* Seed 002: Bayesian linear regression with unknown noise,
 *     w ~ N(0, 10), b ~ N(0, 10), s ~ HalfCauchy(10), y ~ N(w x + b, s),
 * on the ten points of data/seed002_regression.csv (the path is the first
 * argument), as a C callback over the blocks w and b (real) and s
 * (positive): the MAP by AutoDelta, then AutoNormal and
 * AutoMultivariateNormal started there, their ELBOs, and the w-b correlation
 * that only the full-covariance guide can show. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <swiftvi.h>

#define MAX_POINTS 64
#define PRIOR_SCALE 10.0
#define NOISE_SCALE 10.0

/* Returns from the enclosing function with 1 and a message when a call fails. */
#define TRY(call)                                                               \
    do {                                                                        \
        svi_status status_ = (call);                                            \
        if (status_ != SVI_OK) {                                                \
            fprintf(stderr, "%s failed: %s: %s\n", #call,                       \
                    svi_status_string(status_), svi_last_error_message());      \
            return 1;                                                           \
        }                                                                       \
    } while (0)

typedef struct {
    size_t n;
    double x[MAX_POINTS], y[MAX_POINTS];
} dataset;

/* Reads the "x,y" lines of `path`, skipping '#' comments. */
static int read_data(const char *path, dataset *data) {
    char line[256];
    FILE *file = fopen(path, "r");
    if (!file) {
        fprintf(stderr, "cannot open %s\n", path);
        return 1;
    }
    data->n = 0;
    while (fgets(line, sizeof line, file) && data->n < MAX_POINTS) {
        if (line[0] == '#') continue;
        if (sscanf(line, "%lf,%lf", &data->x[data->n], &data->y[data->n]) == 2) data->n++;
    }
    fclose(file);
    return data->n == 0;
}

/* log p(w, b, s, y) at each point (w, b, s) and its gradient in (w, b, s). */
static int log_joint(void *user_data, size_t num_points, size_t dim, const double *points,
                     double *out_log_density, double *out_gradient) {
    const dataset *data = (const dataset *)user_data;
    const double log_2pi = 1.8378770664093454836, pi = 3.14159265358979323846;
    size_t k, i;
    if (dim != 3) return 1;
    for (k = 0; k < num_points; k++) {
        double w = points[3 * k], b = points[3 * k + 1], s = points[3 * k + 2];
        double tau2 = PRIOR_SCALE * PRIOR_SCALE, a = s * s / (NOISE_SCALE * NOISE_SCALE);
        double value, dw = -w / tau2, db = -b / tau2, squares = 0.0;
        for (i = 0; i < data->n; i++) {
            double r = data->y[i] - w * data->x[i] - b;
            squares += r * r;
            dw += r * data->x[i] / (s * s);
            db += r / (s * s);
        }
        value = -(w * w + b * b) / (2 * tau2) - 2 * log(PRIOR_SCALE) - log_2pi
                + log(2 / (pi * NOISE_SCALE)) - log1p(a)
                - (double)data->n * (log(s) + 0.5 * log_2pi) - 0.5 * squares / (s * s);
        out_log_density[k] = value;
        if (out_gradient) {
            out_gradient[3 * k] = dw;
            out_gradient[3 * k + 1] = db;
            out_gradient[3 * k + 2] = -2 * s / (NOISE_SCALE * NOISE_SCALE * (1 + a)) - (double)data->n / s
                                      + squares / (s * s * s);
        }
    }
    return 0;
}

/* Fits `guide` to `model`: Adam from step size
 * `rate`, decaying tenfold every num_steps/2 steps, Trace_ELBO of
 * `particles` particles. */
static int fit(svi_svi *out, svi_model model, svi_guide guide, double rate, size_t num_steps, size_t particles) {
    svi_adam_options adam_opts;
    svi_schedule schedule;
    svi_trace_elbo_options elbo_opts;
    svi_optim adam, decaying;
    svi_elbo elbo;
    svi_key key;
    TRY(svi_adam_options_init(&adam_opts, sizeof adam_opts));
    TRY(svi_schedule_init(&schedule, sizeof schedule));
    TRY(svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts));
    schedule.kind = SVI_SCHEDULE_EXPONENTIAL_DECAY;
    schedule.init_value = rate;
    schedule.decay_steps = num_steps / 2;
    schedule.decay_rate = 0.1;
    elbo_opts.num_particles = particles;
    TRY(svi_optim_new_adam(&adam, &adam_opts));
    TRY(svi_optim_new_scheduled(&decaying, adam, &schedule));
    TRY(svi_elbo_new_trace(&elbo, &elbo_opts));
    TRY(svi_svi_new(out, model, guide, decaying, elbo));
    TRY(svi_optim_free(adam));
    TRY(svi_optim_free(decaying));
    TRY(svi_elbo_free(elbo));
    TRY(svi_key_from_seed(&key, 1));
    TRY(svi_svi_run(*out, key, num_steps, NULL, NULL, NULL));
    return 0;
}

/* Estimates the ELBO of `svi`'s fitted parameters of `guide` from 10^5 draws. */
static int fitted_elbo(svi_svi svi, svi_model model, svi_guide guide, double *elbo, double *error) {
    svi_named_array params[8];
    double values[8][16];
    size_t shapes[8][2], count, i;
    svi_key key;
    TRY(svi_svi_num_params(svi, &count));
    if (count > 8) return 1;
    for (i = 0; i < count; i++) {
        const char *name;
        size_t size, ndim;
        TRY(svi_svi_param_name(svi, i, &name));
        TRY(svi_svi_param_size(svi, name, &size));
        if (size > 16) return 1;
        TRY(svi_svi_get_param(svi, name, values[i], size));
        TRY(svi_svi_param_shape(svi, name, shapes[i], 2, &ndim));
        params[i].name = name;
        params[i].value.data = values[i];
        params[i].value.ndim = ndim;
        params[i].value.shape = shapes[i];
    }
    TRY(svi_key_from_seed(&key, 2));
    TRY(svi_estimate_elbo(model, guide, params, count, key, 100000, elbo, error));
    return 0;
}

int main(int argc, char **argv) {
    static dataset data;
    svi_latent_block blocks[3] = {{"w", 1, SVI_CONSTRAINT_REAL, 0, 0, SVI_BLOCK_LATENT},
                                  {"b", 1, SVI_CONSTRAINT_REAL, 0, 0, SVI_BLOCK_LATENT},
                                  {"s", 1, SVI_CONSTRAINT_POSITIVE, 0, 0, SVI_BLOCK_LATENT}};
    svi_callback_model_options model_opts;
    svi_auto_delta_options delta_opts;
    svi_auto_normal_options normal_opts;
    svi_auto_multivariate_normal_options mvn_opts;
    svi_model model;
    svi_guide delta, normal, mvn;
    svi_svi delta_svi, normal_svi, mvn_svi;
    double map[3], start[3], normal_elbo, normal_error, mvn_elbo, mvn_error, tril[9], c01, c00, c11;
    size_t one = 1;
    svi_named_array at_map[3] = {{"w", {&map[0], 1, &one}}, {"b", {&map[1], 1, &one}}, {"s", {&map[2], 1, &one}}};

    if (read_data(argc > 1 ? argv[1] : "data/seed002_regression.csv", &data) != 0) return 1;
    TRY(svi_callback_model_options_init(&model_opts, sizeof model_opts));
    model_opts.latents = blocks;
    model_opts.num_latents = 3;
    model_opts.log_density = log_joint;
    model_opts.user_data = &data;
    TRY(svi_model_new_callback(&model, &model_opts));

    /* The MAP: a point mass whose loss is -log p there. */
    TRY(svi_auto_delta_options_init(&delta_opts, sizeof delta_opts));
    TRY(svi_guide_new_auto_delta(&delta, model, &delta_opts));
    if (fit(&delta_svi, model, delta, 0.05, 3000, 1) != 0) return 1;
    TRY(svi_svi_get_param(delta_svi, "w_auto_loc", &map[0], 1));
    TRY(svi_svi_get_param(delta_svi, "b_auto_loc", &map[1], 1));
    TRY(svi_svi_get_param(delta_svi, "s_auto_loc", &map[2], 1));
    printf("MAP (AutoDelta): w %.6f, b %.6f, s %.6f\n", map[0], map[1], map[2]);

    /* AutoNormal started at the MAP (its locations are unconstrained: log s). */
    start[0] = map[0];
    start[1] = map[1];
    start[2] = log(map[2]);
    TRY(svi_auto_normal_options_init(&normal_opts, sizeof normal_opts));
    normal_opts.init_loc = start;
    normal_opts.init_loc_len = 3;
    TRY(svi_guide_new_auto_normal(&normal, model, &normal_opts));
    if (fit(&normal_svi, model, normal, 0.02, 2000, 8) != 0) return 1;
    if (fitted_elbo(normal_svi, model, normal, &normal_elbo, &normal_error) != 0) return 1;
    printf("ELBO AutoNormal:             %.4f +- %.4f\n", normal_elbo, normal_error);

    /* AutoMultivariateNormal started at the MAP (init_to_value takes constrained values). */
    TRY(svi_auto_multivariate_normal_options_init(&mvn_opts, sizeof mvn_opts));
    mvn_opts.init_loc_fn.kind = SVI_INIT_TO_VALUE;
    mvn_opts.init_loc_fn.values = at_map;
    mvn_opts.init_loc_fn.num_values = 3;
    TRY(svi_guide_new_auto_multivariate_normal(&mvn, model, &mvn_opts));
    if (fit(&mvn_svi, model, mvn, 0.02, 2000, 8) != 0) return 1;
    if (fitted_elbo(mvn_svi, model, mvn, &mvn_elbo, &mvn_error) != 0) return 1;
    printf("ELBO AutoMultivariateNormal: %.4f +- %.4f\n", mvn_elbo, mvn_error);
    printf("AutoMultivariateNormal within Monte Carlo error of AutoNormal or above: %s\n",
           mvn_elbo > normal_elbo - 3 * sqrt(normal_error * normal_error + mvn_error * mvn_error) ? "yes" : "no");

    /* Covariance L L^T of the unconstrained (w, b, log s): the w-b entries. */
    TRY(svi_svi_get_param(mvn_svi, "auto_scale_tril", tril, 9));
    c00 = tril[0] * tril[0];
    c01 = tril[0] * tril[3];
    c11 = tril[3] * tril[3] + tril[4] * tril[4];
    printf("w-b correlation (AutoMultivariateNormal): %.3f; AutoNormal: 0 by construction\n", c01 / sqrt(c00 * c11));

    TRY(svi_svi_free(delta_svi));
    TRY(svi_svi_free(normal_svi));
    TRY(svi_svi_free(mvn_svi));
    TRY(svi_guide_free(delta));
    TRY(svi_guide_free(normal));
    TRY(svi_guide_free(mvn));
    TRY(svi_model_free(model));
    return 0;
}
