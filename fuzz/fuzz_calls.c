/* libFuzzer harness over sequences of ABI calls: distributions of every
 * family with fuzzed parameters and shapes, their evaluations, samples and
 * moments, KL divergences, transforms, mixtures, and short fits of a small
 * callback model that may fail or return NaN, with any automatic guide.
 *
 * Each call must return a status the header defines, with a message naming
 * it, whatever its arguments. Where every parameter and value is moderate (0
 * or of magnitude between 1e-6 and 1e6), results that succeed must also be
 * what the header promises: no NaN log-density, cdf in [0, 1], no NaN sample,
 * KL neither NaN nor below 0. Exempt from these value checks are a Delta (not
 * normalized when it has a log_density, so its KL may be negative), a
 * transformed distribution (its base's draws may lie outside the transform's
 * domain, where the transform gives NaN), and what is made from them. Fitted
 * losses and parameters are finite whatever the inputs. Every object is freed
 * at the end, so LeakSanitizer sees any leak. */
#include "fuzz_input.h"

#define MAX_OBJECTS 6
#define MAX_ELEMENTS 4096
#define MAX_INPUT_VALUES 64
#define MAX_OPS 24

typedef struct family_spec {
    const char *name;
    const char *params[4];
} family_spec;

static const family_spec families[] = {
    {"Normal", {"loc", "scale"}},
    {"LogNormal", {"loc", "scale"}},
    {"Cauchy", {"loc", "scale"}},
    {"Laplace", {"loc", "scale"}},
    {"Logistic", {"loc", "scale"}},
    {"Gumbel", {"loc", "scale"}},
    {"HalfNormal", {"scale"}},
    {"HalfCauchy", {"scale"}},
    {"Uniform", {"low", "high"}},
    {"Weibull", {"scale", "concentration"}},
    {"Pareto", {"scale", "alpha"}},
    {"TruncatedNormal", {"loc", "scale", "low", "high"}},
    {"Categorical", {"probs"}},
    {"Categorical", {"logits"}},
    {"Bernoulli", {"probs"}},
    {"Bernoulli", {"logits"}},
    {"Binomial", {"total_count", "probs"}},
    {"Poisson", {"rate"}},
    {"Geometric", {"probs"}},
    {"NegativeBinomial", {"total_count", "logits"}},
    {"MultivariateNormal", {"loc", "scale_tril"}},
    {"MultivariateNormal", {"loc", "covariance_matrix"}},
    {"LowRankMultivariateNormal", {"loc", "cov_factor", "cov_diag"}},
    {"Delta", {"v", "log_density"}},
    {"Beta", {"concentration1", "concentration0"}},
    {"Gamma", {"concentration", "rate"}},
    {"InverseGamma", {"concentration", "rate"}},
    {"Exponential", {"rate"}},
    {"Chi2", {"df"}},
    {"StudentT", {"df", "loc", "scale"}},
    {"Dirichlet", {"concentration"}},
};

static const family_spec transforms[] = {
    {"Identity", {NULL}},   {"Exp", {NULL}},           {"Softplus", {NULL}},      {"Sigmoid", {NULL}},
    {"Tanh", {NULL}},       {"Affine", {"loc", "scale"}}, {"Power", {"exponent"}}, {"FillTriangular", {NULL}},
    {"FillScaleTriL", {"diag_shift"}}, {"LowerCholesky", {NULL}}, {"StickBreaking", {NULL}},
    {"CorrCholesky", {NULL}}, {"Cholesky", {NULL}}, {"LowerCholeskyAffine", {"loc", "scale_tril"}},
};

#define COUNT(table) (sizeof(table) / sizeof((table)[0]))

/* A fuzzed array: its shape and values (repeated to fill it). */
typedef struct fuzz_array {
    size_t ndim;
    size_t shape[SVI_MAX_NDIM];
    double *values;
    size_t count;
    int moderate; /* every value is moderate */
} fuzz_array;

/* 0, or a magnitude between 1e-6 and 1e6. */
static int moderate(double x) {
    return x == 0.0 || (fabs(x) >= 1e-6 && fabs(x) <= 1e6);
}

static size_t product(const size_t *shape, size_t ndim) {
    size_t n = 1;
    for (size_t i = 0; i < ndim; i++) n *= shape[i];
    return n;
}

/* Fills `a` with `ndim` dimensions of extents below 4 and fuzzed values. */
static void take_array(fuzz_input *in, fuzz_array *a, size_t ndim) {
    a->ndim = ndim;
    for (size_t i = 0; i < ndim; i++) a->shape[i] = take_below(in, 4);
    a->count = product(a->shape, ndim);
    a->values = malloc((a->count ? a->count : 1) * sizeof(double));
    size_t given = a->count < MAX_INPUT_VALUES ? a->count : MAX_INPUT_VALUES;
    for (size_t i = 0; i < given; i++) a->values[i] = take_double(in);
    for (size_t i = given; i < a->count; i++) a->values[i] = a->values[i % (given ? given : 1)];
    a->moderate = 1;
    for (size_t i = 0; i < given; i++) a->moderate &= moderate(a->values[i]);
}

static svi_array as_svi_array(const fuzz_array *a) {
    svi_array array = {a->values, a->ndim, a->ndim ? a->shape : NULL};
    return array;
}

/* Named parameters of a family or transform, each a fuzzed array. */
static svi_status make_named(fuzz_input *in, const family_spec *spec, svi_status (*make)(uint64_t *, const char *,
                             const svi_named_array *, size_t), const char *function, uint64_t *out, int *all_moderate) {
    svi_named_array params[4];
    fuzz_array arrays[4];
    size_t n = 0;
    TRACE("%s\n", spec->name);
    for (; n < 4 && spec->params[n]; n++) {
        take_array(in, &arrays[n], take_below(in, 3));
        params[n].name = spec->params[n];
        params[n].value = as_svi_array(&arrays[n]);
        TRACE("%s %s shape[%zu] =", spec->name, spec->params[n], arrays[n].ndim);
        for (size_t i = 0; i < arrays[n].ndim; i++) TRACE(" %zu", arrays[n].shape[i]);
        TRACE(" values");
        for (size_t i = 0; i < arrays[n].count; i++) TRACE(" %.17g", arrays[n].values[i]);
        TRACE("\n");
    }
    svi_status status = checked(make(out, spec->name, params, n), function);
    *all_moderate = 1;
    for (size_t i = 0; i < n; i++) {
        *all_moderate &= arrays[i].moderate;
        free(arrays[i].values);
    }
    return status;
}

/* The live objects of one input, each with whether all its parameters are moderate. */
typedef struct pool {
    svi_dist dists[MAX_OBJECTS];
    int dist_moderate[MAX_OBJECTS];
    size_t num_dists;
    svi_transform transforms[MAX_OBJECTS];
    int transform_moderate[MAX_OBJECTS];
    size_t num_transforms;
} pool;

/* Keeps `handle` in the pool, or frees it with `release` when the pool is full. */
static void add(uint64_t *slots, int *flags, size_t *count, uint64_t handle, int moderate_parameters,
                svi_status (*release)(uint64_t)) {
    if (*count < MAX_OBJECTS) {
        flags[*count] = moderate_parameters;
        slots[(*count)++] = handle;
    } else {
        FUZZ_CHECK(release(handle) == SVI_OK, "free");
    }
}

/* The batch and event shapes of `d`, or 0 when they cannot be read. */
static int shapes(svi_dist d, size_t *batch, size_t *batch_ndim, size_t *event, size_t *event_ndim) {
    return CALL(svi_dist_batch_shape, d, batch, SVI_MAX_NDIM, batch_ndim) == SVI_OK &&
           CALL(svi_dist_event_shape, d, event, SVI_MAX_NDIM, event_ndim) == SVI_OK;
}

/* log_prob, cdf, icdf and sample of a distribution at fuzzed values. */
static void evaluate(fuzz_input *in, svi_dist d, int check_values) {
    size_t batch[SVI_MAX_NDIM], event[SVI_MAX_NDIM], batch_ndim, event_ndim;
    if (!shapes(d, batch, &batch_ndim, event, &event_ndim)) return;
    size_t sample_ndim = take_below(in, 2), shape[3 * SVI_MAX_NDIM], ndim = 0;
    for (size_t i = 0; i < sample_ndim; i++) shape[ndim++] = take_below(in, 3);
    size_t leading = ndim + batch_ndim;
    if (leading + event_ndim > SVI_MAX_NDIM) return;
    memcpy(shape + ndim, batch, batch_ndim * sizeof(size_t));
    memcpy(shape + leading, event, event_ndim * sizeof(size_t));
    ndim = leading + event_ndim;
    size_t count = product(shape, ndim), out_len = product(shape, leading);
    if (count > MAX_ELEMENTS) return;
    if (take_below(in, 16) == 0) out_len += 1; /* a wrong length, now and then */
    double *values = malloc((count ? count : 1) * sizeof(double)), *out = malloc((out_len + count + 1) * sizeof(double));
    for (size_t i = 0; i < count; i++) values[i] = i < MAX_INPUT_VALUES ? take_double(in) : values[i % MAX_INPUT_VALUES];
    svi_array value = {values, ndim, ndim ? shape : NULL};
    TRACE("evaluate at shape");
    for (size_t i = 0; i < ndim; i++) TRACE(" %zu", shape[i]);
    TRACE(" values");
    for (size_t i = 0; i < count; i++) TRACE(" %.17g", values[i]);
    TRACE("\n");

    int any_nan = 0;
    for (size_t i = 0; i < count; i++) {
        any_nan |= isnan(values[i]);
        check_values &= moderate(values[i]);
    }
    svi_status status = CALL(svi_dist_log_prob, d, value, out, out_len);
    if (any_nan) FUZZ_CHECK(status != SVI_OK, "log_prob accepted a NaN value");
    if (status == SVI_OK && check_values)
        /* +inf is possible: a density that diverges at a point, as Weibull's
         * of concentration below 1 does at 0. */
        for (size_t i = 0; i < out_len; i++) FUZZ_CHECK(!isnan(out[i]), "log_prob %g", out[i]);
    if (CALL(svi_dist_cdf, d, value, out, out_len) == SVI_OK && check_values)
        for (size_t i = 0; i < out_len; i++) FUZZ_CHECK(out[i] >= 0.0 && out[i] <= 1.0, "cdf %g", out[i]);
    for (size_t i = 0; i < count; i++) values[i] = isnan(values[i]) ? 0.5 : fabs(fmod(values[i], 1.0));
    if (CALL(svi_dist_icdf, d, value, out, out_len) == SVI_OK && check_values)
        for (size_t i = 0; i < out_len; i++) FUZZ_CHECK(!isnan(out[i]), "icdf %g", out[i]);

    svi_key key;
    CALL(svi_key_from_seed, &key, take_byte(in));
    size_t sample_count = product(shape, ndim);
    if (CALL(svi_dist_sample, d, key, sample_ndim, sample_ndim ? shape : NULL, out, sample_count) == SVI_OK && check_values)
        for (size_t i = 0; i < sample_count; i++) FUZZ_CHECK(!isnan(out[i]), "sample %g", out[i]);
    free(values);
    free(out);
}

/* Mean, variance and entropy: any defined status; no checks on values
 * (moments may be undefined, NaN, or infinite). */
static void moments(svi_dist d) {
    size_t batch[SVI_MAX_NDIM], event[SVI_MAX_NDIM], batch_ndim, event_ndim;
    if (!shapes(d, batch, &batch_ndim, event, &event_ndim)) return;
    size_t n = product(batch, batch_ndim), m = n * product(event, event_ndim);
    if (m > MAX_ELEMENTS || n > MAX_ELEMENTS) return;
    double *out = malloc(((m > n ? m : n) + 1) * sizeof(double));
    CALL(svi_dist_mean, d, out, m);
    CALL(svi_dist_variance, d, out, m);
    CALL(svi_dist_entropy, d, out, n);
    free(out);
}

/* KL(p ‖ q): analytic, Monte Carlo and by quadrature. */
static void divergences(fuzz_input *in, svi_dist p, svi_dist q, int check_values) {
    size_t batch[SVI_MAX_NDIM], event[SVI_MAX_NDIM], batch_ndim, event_ndim;
    size_t qbatch[SVI_MAX_NDIM], qevent[SVI_MAX_NDIM], qbatch_ndim, qevent_ndim;
    if (!shapes(p, batch, &batch_ndim, event, &event_ndim) || !shapes(q, qbatch, &qbatch_ndim, qevent, &qevent_ndim))
        return;
    size_t n = product(batch, batch_ndim), nq = product(qbatch, qbatch_ndim);
    size_t len = n > nq ? n : nq;
    if (len > MAX_ELEMENTS) return;
    double *out = malloc((len + 1) * sizeof(double)), *error = malloc((len + 1) * sizeof(double));
    if (CALL(svi_kl_divergence, p, q, out, len) == SVI_OK && check_values)
        for (size_t i = 0; i < len; i++) FUZZ_CHECK(!isnan(out[i]) && out[i] >= -1e-6, "KL %g", out[i]);
    svi_key key;
    CALL(svi_key_from_seed, &key, take_byte(in));
    CALL(svi_kl_monte_carlo, p, q, take_below(in, 8), key, out, error, len);
    CALL(svi_kl_quadrature, p, q, take_double(in), take_double(in), take_below(in, 40), out);
    free(out);
    free(error);
}

/* A transform, and its maps of a fuzzed array. */
static void transform(fuzz_input *in, pool *p) {
    svi_transform t = 0;
    int moderate_parameters;
    const family_spec *spec = &transforms[take_below(in, COUNT(transforms))];
    if (make_named(in, spec, svi_transform_new, "svi_transform_new", &t, &moderate_parameters) != SVI_OK) return;
    if (take_below(in, 4) == 0) {
        svi_transform inverse = 0;
        if (CALL(svi_transform_inv, &inverse, t) == SVI_OK) {
            CALL(svi_transform_free, t);
            t = inverse;
        }
    }
    fuzz_array x;
    take_array(in, &x, take_below(in, 4));
    size_t shape[SVI_MAX_NDIM], ndim = 0;
    for (int direction = 0; direction < 2; direction++) {
        svi_status (*map_shape)(svi_transform, size_t, const size_t *, size_t *, size_t, size_t *) =
            direction ? svi_transform_inverse_shape : svi_transform_forward_shape;
        if (checked(map_shape(t, x.ndim, x.shape, shape, SVI_MAX_NDIM, &ndim), "svi_transform_") != SVI_OK) continue;
        size_t n = product(shape, ndim);
        if (n > MAX_ELEMENTS) continue;
        double *out = malloc((n + 1) * sizeof(double));
        svi_status status = direction ? CALL(svi_transform_inverse, t, as_svi_array(&x), out, n)
                                      : CALL(svi_transform_forward, t, as_svi_array(&x), out, n);
        if (status == SVI_OK && !direction && ndim > 0) {
            size_t dims_domain, dims_codomain;
            if (CALL(svi_transform_event_dims, t, &dims_domain, &dims_codomain) == SVI_OK && dims_codomain <= ndim) {
                svi_array y = {out, ndim, shape};
                size_t m = product(shape, ndim - dims_codomain);
                double *ladj = malloc((m + 1) * sizeof(double));
                CALL(svi_transform_log_abs_det_jacobian, t, as_svi_array(&x), y, ladj, m);
                free(ladj);
            }
        }
        free(out);
    }
    free(x.values);
    add(p->transforms, p->transform_moderate, &p->num_transforms, t, moderate_parameters, svi_transform_free);
}

/* Distributions made from others: mixtures, Independent, TransformedDistribution. */
static void compose(fuzz_input *in, pool *p) {
    if (p->num_dists == 0) return;
    size_t i = take_below(in, p->num_dists), j = take_below(in, p->num_dists);
    svi_dist made = 0;
    int moderate_parameters = p->dist_moderate[i] && p->dist_moderate[j];
    svi_status status;
    switch (take_below(in, 3)) {
    case 0: status = CALL(svi_mixture_same_family_new, &made, p->dists[i], p->dists[j]); break;
    case 1: status = CALL(svi_independent_new, &made, p->dists[i], take_below(in, 3)); break;
    default:
        if (p->num_transforms == 0) return;
        j = take_below(in, p->num_transforms);
        /* Not checked for values: the base's draws may lie outside the
         * transform's domain, where it gives NaN as documented. */
        moderate_parameters = 0;
        status = CALL(svi_transformed_distribution_new, &made, p->dists[i], p->transforms[j]);
    }
    if (status == SVI_OK) add(p->dists, p->dist_moderate, &p->num_dists, made, moderate_parameters, svi_dist_free);
}

/* ---- fits ---- */

typedef struct target {
    double mean[3], sd[3];
    size_t calls, fail_at, nan_at; /* 0: never */
    int nan_gradient;
} target;

static int log_density(void *user_data, size_t num_points, size_t dim, const double *points, double *out_log_density,
                       double *out_gradient) {
    target *t = user_data;
    t->calls++;
    if (t->calls == t->fail_at) return 1;
    for (size_t s = 0; s < num_points; s++) {
        double total = 0.0;
        for (size_t i = 0; i < dim; i++) {
            double z = (points[s * dim + i] - t->mean[i % 3]) / t->sd[i % 3];
            total -= 0.5 * z * z;
            if (out_gradient) out_gradient[s * dim + i] = t->nan_gradient && t->calls == t->nan_at ? NAN : -z / t->sd[i % 3];
        }
        out_log_density[s] = t->calls == t->nan_at && !t->nan_gradient ? NAN : total;
    }
    return 0;
}

static int progress(void *user_data, size_t step, double loss) {
    (void)loss;
    return step == *(size_t *)user_data;
}

static svi_optim make_optimizer(fuzz_input *in) {
    svi_optim optim = 0;
    double rate = take_double(in);
    switch (take_below(in, 6)) {
    case 0: { svi_sgd_options o; svi_sgd_options_init(&o, sizeof o); o.learning_rate = rate; o.momentum = take_double(in);
              CALL(svi_optim_new_sgd, &optim, &o); break; }
    case 1: { svi_adam_options o; svi_adam_options_init(&o, sizeof o); o.learning_rate = rate;
              CALL(svi_optim_new_adam, &optim, &o); break; }
    case 2: { svi_adamw_options o; svi_adamw_options_init(&o, sizeof o); o.learning_rate = rate;
              o.weight_decay = take_double(in); CALL(svi_optim_new_adamw, &optim, &o); break; }
    case 3: { svi_clipped_adam_options o; svi_clipped_adam_options_init(&o, sizeof o); o.learning_rate = rate;
              o.clip_norm = take_double(in); CALL(svi_optim_new_clipped_adam, &optim, &o); break; }
    case 4: { svi_rmsprop_options o; svi_rmsprop_options_init(&o, sizeof o); o.learning_rate = rate;
              o.centered = take_byte(in) & 1; CALL(svi_optim_new_rmsprop, &optim, &o); break; }
    default: { svi_adagrad_options o; svi_adagrad_options_init(&o, sizeof o); o.learning_rate = rate;
               CALL(svi_optim_new_adagrad, &optim, &o); break; }
    }
    return optim;
}

static svi_elbo make_elbo(fuzz_input *in) {
    svi_elbo elbo = 0;
    size_t particles = take_below(in, 5);
    if (take_below(in, 3) == 0) {
        svi_renyi_elbo_options o;
        svi_renyi_elbo_options_init(&o, sizeof o);
        o.alpha = take_double(in);
        o.num_particles = particles;
        CALL(svi_elbo_new_renyi, &elbo, &o);
    } else {
        svi_trace_elbo_options o;
        svi_trace_elbo_options_init(&o, sizeof o);
        o.num_particles = particles;
        o.vectorize_particles = take_byte(in) & 1;
        CALL(svi_elbo_new_trace, &elbo, &o);
    }
    return elbo;
}

/* One of the automatic guides, with a fuzzed initial scale and init_to_uniform radius. */
static svi_status make_guide(fuzz_input *in, svi_model model, svi_guide *guide) {
    double scale = take_double(in), radius = take_double(in);
    svi_init_strategy init = {SVI_INIT_TO_UNIFORM, radius, 15, NULL, 0};
    switch (take_below(in, 7)) {
    case 0: { svi_auto_diagonal_normal_options o; svi_auto_diagonal_normal_options_init(&o, sizeof o);
              o.init_scale = scale; o.init_loc_fn = init; return CALL(svi_guide_new_auto_diagonal_normal, guide, model, &o); }
    case 1: { svi_auto_multivariate_normal_options o; svi_auto_multivariate_normal_options_init(&o, sizeof o);
              o.init_scale = scale; o.init_loc_fn = init;
              return CALL(svi_guide_new_auto_multivariate_normal, guide, model, &o); }
    case 2: { svi_auto_low_rank_multivariate_normal_options o;
              svi_auto_low_rank_multivariate_normal_options_init(&o, sizeof o);
              o.init_scale = scale; o.rank = take_below(in, 4); o.init_loc_fn = init;
              return CALL(svi_guide_new_auto_low_rank_multivariate_normal, guide, model, &o); }
    case 3: { svi_auto_delta_options o; svi_auto_delta_options_init(&o, sizeof o);
              return CALL(svi_guide_new_auto_delta, guide, model, &o); }
    case 4: { svi_auto_laplace_approximation_options o; svi_auto_laplace_approximation_options_init(&o, sizeof o);
              o.init_loc_fn = init; return CALL(svi_guide_new_auto_laplace_approximation, guide, model, &o); }
    case 5: { svi_auto_iaf_normal_options o; svi_auto_iaf_normal_options_init(&o, sizeof o);
              o.num_flows = take_below(in, 3); return CALL(svi_guide_new_auto_iaf_normal, guide, model, &o); }
    default: { svi_auto_normal_options o; svi_auto_normal_options_init(&o, sizeof o);
               o.init_scale = scale; o.init_radius = radius; return CALL(svi_guide_new_auto_normal, guide, model, &o); }
    }
}

/* A short fit of a Gaussian callback model on a constrained block, with any automatic guide. */
static void fit(fuzz_input *in) {
    target t = {{0}, {0}, 0, 0, 0, 0};
    for (int i = 0; i < 3; i++) {
        t.mean[i] = take_double(in);
        t.sd[i] = 0.25 + (double)take_below(in, 8);
    }
    t.fail_at = take_below(in, 8);
    t.nan_at = take_below(in, 8);
    t.nan_gradient = take_byte(in) & 1;
    svi_latent_block block = {"z", 1 + take_below(in, 4), (svi_constraint_kind)take_below(in, 10), take_double(in),
                              take_double(in), SVI_BLOCK_LATENT};
    TRACE("fit: block of %zu, constraint %d, bounds %.17g %.17g\n", block.size, (int)block.constraint, block.lower_bound,
          block.upper_bound);
    svi_callback_model_options model_opts;
    svi_callback_model_options_init(&model_opts, sizeof model_opts);
    model_opts.latents = &block;
    model_opts.num_latents = 1;
    model_opts.log_density = log_density;
    model_opts.user_data = &t;
    model_opts.has_gradient = take_byte(in) % 4 != 0;
    svi_model model = 0;
    svi_guide guide = 0;
    svi_svi svi = 0;
    svi_optim optim = make_optimizer(in);
    svi_elbo elbo = make_elbo(in);
    if (CALL(svi_model_new_callback, &model, &model_opts) == SVI_OK && make_guide(in, model, &guide) == SVI_OK &&
        CALL(svi_svi_new, &svi, model, guide, optim, elbo) == SVI_OK) {
        svi_key key;
        size_t steps = 1 + take_below(in, 6), stop_at = take_below(in, 8), taken = 0;
        double losses[8];
        CALL(svi_key_from_seed, &key, take_byte(in));
        svi_status status = CALL(svi_svi_run, svi, key, steps, losses, progress, &stop_at);
        CALL(svi_svi_num_steps, svi, &taken);
        FUZZ_CHECK(taken <= steps && (status != SVI_OK || taken == steps), "%zu of %zu steps, status %d", taken, steps,
                   (int)status);
        for (size_t i = 0; i < taken; i++) FUZZ_CHECK(isfinite(losses[i]), "kept step %zu has loss %g", i, losses[i]);
        /* Every parameter of a kept state is finite. */
        size_t count = 0;
        CALL(svi_svi_num_params, svi, &count);
        for (size_t i = 0; i < count; i++) {
            const char *name = NULL;
            size_t size = 0;
            double values[256];
            if (CALL(svi_svi_param_name, svi, i, &name) != SVI_OK || CALL(svi_svi_param_size, svi, name, &size) != SVI_OK ||
                size > 256 || CALL(svi_svi_get_param, svi, name, values, size) != SVI_OK)
                continue;
            for (size_t k = 0; k < size; k++) FUZZ_CHECK(isfinite(values[k]), "%s[%zu] = %g", name, k, values[k]);
        }
        /* The state saves and restores to itself. */
        size_t len = 0;
        if (CALL(svi_svi_save, svi, NULL, 0, &len) == SVI_OK) {
            uint8_t *bytes = malloc(len);
            FUZZ_CHECK(CALL(svi_svi_save, svi, bytes, len, &len) == SVI_OK, "save");
            FUZZ_CHECK(CALL(svi_svi_restore, svi, bytes, len) == SVI_OK, "restore of a saved state");
            free(bytes);
        }
    }
    CALL(svi_svi_free, svi);
    CALL(svi_elbo_free, elbo);
    CALL(svi_optim_free, optim);
    CALL(svi_guide_free, guide);
    CALL(svi_model_free, model);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    pool p;
    memset(&p, 0, sizeof p);
    for (int op = 0; op < MAX_OPS && in.size > 0; op++) {
        svi_dist d = 0;
        int moderate_parameters;
        size_t i, j;
        const family_spec *family;
        switch (take_below(&in, 8)) {
        case 0:
        case 1:
            family = &families[take_below(&in, COUNT(families))];
            /* A Delta with a log_density is not normalized: its KL is -log q(v),
             * as NumPyro's, and may be negative; it is exempt from the value checks. */
            if (make_named(&in, family, svi_dist_new, "svi_dist_new", &d, &moderate_parameters) == SVI_OK)
                add(p.dists, p.dist_moderate, &p.num_dists, d, moderate_parameters && strcmp(family->name, "Delta") != 0,
                    svi_dist_free);
            break;
        case 2:
            if (p.num_dists == 0) break;
            i = take_below(&in, p.num_dists);
            evaluate(&in, p.dists[i], p.dist_moderate[i]);
            break;
        case 3: if (p.num_dists) moments(p.dists[take_below(&in, p.num_dists)]); break;
        case 4:
            if (p.num_dists == 0) break;
            i = take_below(&in, p.num_dists);
            j = take_below(&in, p.num_dists);
            divergences(&in, p.dists[i], p.dists[j], p.dist_moderate[i] && p.dist_moderate[j]);
            break;
        case 5: transform(&in, &p); break;
        case 6: compose(&in, &p); break;
        default: fit(&in); break;
        }
    }
    for (size_t i = 0; i < p.num_dists; i++) FUZZ_CHECK(CALL(svi_dist_free, p.dists[i]) == SVI_OK, "free");
    for (size_t i = 0; i < p.num_transforms; i++) FUZZ_CHECK(CALL(svi_transform_free, p.transforms[i]) == SVI_OK, "free");
    /* Freed handles are stale from now on. */
    if (p.num_dists) {
        const char *name = NULL;
        FUZZ_CHECK(svi_dist_family(p.dists[0], &name) == SVI_E_STALE_HANDLE && name == NULL, "a freed handle answered");
    }
    return 0;
}
