/* Every distribution family can be constructed, evaluated and freed through
 * the header (the wrappers Independent, TransformedDistribution and
 * MixtureSameFamily included): for each family (scalar parameters, or small vectors and
 * matrices), 20000 draws have a sample mean within 6 standard errors of
 * svi_dist_mean (where the family has one and it and the variance are finite), log_prob is finite
 * at the draws, and cdf/icdf, where the family has them, invert each other. */
#include <math.h>
#include <stdlib.h>

#include "check.h"

#define NUM_DRAWS 20000
#define MAX_PARAMS 4
#define MAX_EVENT 4

typedef struct {
    const char *name;
    size_t ndim;
    size_t shape[2];
    double data[16];
} param_spec;

typedef struct {
    const char *family;
    size_t num_params;
    param_spec params[MAX_PARAMS];
} family_spec;

#define SCALAR(n, v) {n, 0, {0, 0}, {v}}
#define VECTOR(n, k, ...) {n, 1, {k, 0}, {__VA_ARGS__}}
#define MATRIX(n, r, c, ...) {n, 2, {r, c}, {__VA_ARGS__}}

static const family_spec families[] = {
    {"Normal", 2, {SCALAR("loc", 0.5), SCALAR("scale", 2.0)}},
    {"Categorical", 1, {VECTOR("probs", 3, 0.2, 0.3, 0.5)}},
    {"LogNormal", 2, {SCALAR("loc", 0.1), SCALAR("scale", 0.4)}},
    {"HalfNormal", 1, {SCALAR("scale", 1.5)}},
    {"HalfCauchy", 1, {SCALAR("scale", 1.5)}},
    {"Cauchy", 2, {SCALAR("loc", 1.0), SCALAR("scale", 0.5)}},
    {"StudentT", 3, {SCALAR("df", 5.0), SCALAR("loc", 1.0), SCALAR("scale", 0.5)}},
    {"Laplace", 2, {SCALAR("loc", -1.0), SCALAR("scale", 0.7)}},
    {"Logistic", 2, {SCALAR("loc", 2.0), SCALAR("scale", 0.3)}},
    {"Gumbel", 2, {SCALAR("loc", 0.0), SCALAR("scale", 1.3)}},
    {"Exponential", 1, {SCALAR("rate", 2.5)}},
    {"Gamma", 2, {SCALAR("concentration", 0.6), SCALAR("rate", 1.7)}},
    {"InverseGamma", 2, {SCALAR("concentration", 4.5), SCALAR("rate", 2.0)}},
    {"Chi2", 1, {SCALAR("df", 3.0)}},
    {"Beta", 2, {SCALAR("concentration1", 2.0), SCALAR("concentration0", 0.5)}},
    {"Uniform", 2, {SCALAR("low", -1.0), SCALAR("high", 3.0)}},
    {"Weibull", 2, {SCALAR("scale", 2.0), SCALAR("concentration", 1.5)}},
    {"Pareto", 2, {SCALAR("scale", 1.0), SCALAR("alpha", 4.5)}},
    {"TruncatedNormal", 4, {SCALAR("loc", 0.0), SCALAR("scale", 1.0), SCALAR("low", 0.5), SCALAR("high", 2.0)}},
    {"Bernoulli", 1, {SCALAR("probs", 0.3)}},
    {"Binomial", 2, {SCALAR("total_count", 12.0), SCALAR("probs", 0.35)}},
    {"Poisson", 1, {SCALAR("rate", 3.5)}},
    {"Geometric", 1, {SCALAR("probs", 0.25)}},
    {"NegativeBinomial", 2, {SCALAR("total_count", 4.0), SCALAR("probs", 0.4)}},
    {"Dirichlet", 1, {VECTOR("concentration", 3, 0.5, 1.0, 2.5)}},
    {"MultivariateNormal", 2, {VECTOR("loc", 2, 1.0, -1.0), MATRIX("covariance_matrix", 2, 2, 2.0, 0.6, 0.6, 1.0)}},
    {"MultivariateNormal", 2, {VECTOR("loc", 2, 1.0, -1.0), MATRIX("precision_matrix", 2, 2, 2.0, 0.6, 0.6, 1.0)}},
    {"MultivariateNormal", 2, {VECTOR("loc", 2, 1.0, -1.0), MATRIX("scale_tril", 2, 2, 1.5, 0.0, -0.4, 0.7)}},
    {"LowRankMultivariateNormal", 3,
     {VECTOR("loc", 3, 0.0, 1.0, 2.0), MATRIX("cov_factor", 3, 1, 1.0, 0.5, -0.5), VECTOR("cov_diag", 3, 0.3, 0.4, 0.5)}},
    {"Delta", 1, {SCALAR("v", 2.5)}},
};

/* Compares the sample mean of each event coordinate with svi_dist_mean. */
static void check_sample_mean(const family_spec *f, svi_dist d, const double *draws, size_t width) {
    double mean[MAX_EVENT], variance[MAX_EVENT];
    size_t i, j;
    svi_status status = svi_dist_mean(d, mean, width);
    if (status == SVI_E_NOT_IMPLEMENTED) return; /* a transformed distribution without closed-form moments */
    CHECK(status == SVI_OK, "%s: mean -> %s", f->family, svi_status_string(status));
    CHECK_OK(svi_dist_variance(d, variance, width));
    for (j = 0; j < width; j++) {
        double sum = 0.0, bound;
        if (!isfinite(mean[j]) || !isfinite(variance[j])) continue;
        for (i = 0; i < NUM_DRAWS; i++) sum += draws[i * width + j];
        bound = 6.0 * sqrt(variance[j] / NUM_DRAWS) + 1e-12;
        CHECK(fabs(sum / NUM_DRAWS - mean[j]) <= bound, "%s: sample mean %g of coordinate %zu is within %g of %g",
              f->family, sum / NUM_DRAWS, j, bound, mean[j]);
    }
}

/* cdf(icdf(p)) = p for a few probabilities, when the family has both. */
static void check_quantiles(const family_spec *f, svi_dist d) {
    double p[3] = {0.1, 0.5, 0.9}, x[3], back[3];
    size_t shape[1] = {3};
    svi_array probabilities = {p, 1, shape}, values = {x, 1, shape};
    svi_status status = svi_dist_icdf(d, probabilities, x, 3);
    if (status == SVI_E_NOT_IMPLEMENTED) return;
    CHECK(status == SVI_OK, "%s: icdf -> %s", f->family, svi_status_string(status));
    CHECK_OK(svi_dist_cdf(d, values, back, 3));
    CHECK(fabs(back[0] - p[0]) < 1e-8 && fabs(back[1] - p[1]) < 1e-8 && fabs(back[2] - p[2]) < 1e-8,
          "%s: cdf(icdf(p)) = p", f->family);
}

/* Checks the distribution `d`, named `f->family` in messages, and frees it. */
static void check_distribution(const family_spec *f, svi_dist d) {
    size_t event_shape[SVI_MAX_NDIM], event_ndim = 0, width = 1, i, sample_shape[1] = {NUM_DRAWS};
    double *draws, log_prob[100];
    svi_key key;
    CHECK_OK(svi_dist_event_shape(d, event_shape, SVI_MAX_NDIM, &event_ndim));
    for (i = 0; i < event_ndim; i++) width *= event_shape[i];
    draws = malloc(sizeof(double) * NUM_DRAWS * width);
    CHECK_OK(svi_key_from_seed(&key, 11));
    CHECK_OK(svi_dist_sample(d, key, 1, sample_shape, draws, NUM_DRAWS * width));
    check_sample_mean(f, d, draws, width);
    {
        size_t shape[2] = {100, width};
        svi_array values = {draws, event_ndim + 1, shape};
        int finite = 1;
        CHECK_OK(svi_dist_log_prob(d, values, log_prob, 100));
        for (i = 0; i < 100; i++) finite = finite && isfinite(log_prob[i]);
        CHECK(finite, "%s: log_prob is finite at the draws", f->family);
    }
    if (event_ndim == 0) check_quantiles(f, d);
    free(draws);
    CHECK_OK(svi_dist_free(d));
}

/* Makes the family from its named parameters; 0 (and a failed check) when that fails. */
static svi_dist make_family(const family_spec *f) {
    svi_named_array named[MAX_PARAMS];
    svi_dist d = 0;
    svi_status status;
    size_t i;
    for (i = 0; i < f->num_params; i++) {
        named[i].name = f->params[i].name;
        named[i].value.data = f->params[i].data;
        named[i].value.ndim = f->params[i].ndim;
        named[i].value.shape = f->params[i].shape;
    }
    status = svi_dist_new(&d, f->family, named, f->num_params);
    CHECK(status == SVI_OK, "%s: svi_dist_new -> %s %s", f->family, svi_status_string(status),
          status == SVI_OK ? "" : svi_last_error_message());
    return d;
}

/* Independent(Normal batch of 3, 1), Exp-transformed Gamma and a Normal mixture. */
static void check_wrappers(void) {
    static const family_spec normals = {"Normal", 2, {VECTOR("loc", 3, 0.0, 1.0, 2.0), SCALAR("scale", 0.5)}};
    static const family_spec gamma = {"Gamma", 2, {SCALAR("concentration", 3.0), SCALAR("rate", 2.0)}};
    static const family_spec weights = {"Categorical", 1, {VECTOR("probs", 3, 0.2, 0.3, 0.5)}};
    static const family_spec independent = {"Independent", 0, {{0}}};
    static const family_spec transformed = {"TransformedDistribution", 0, {{0}}};
    static const family_spec mixture = {"MixtureSameFamily", 0, {{0}}};
    svi_dist base = make_family(&normals), g = make_family(&gamma), w = make_family(&weights), d = 0;
    svi_transform exp_transform = 0;
    CHECK_OK(svi_independent_new(&d, base, 1));
    if (d) check_distribution(&independent, d);
    d = 0;
    CHECK_OK(svi_transform_new(&exp_transform, "Exp", NULL, 0));
    CHECK_OK(svi_transformed_distribution_new(&d, g, exp_transform));
    if (d) check_distribution(&transformed, d);
    d = 0;
    CHECK_OK(svi_mixture_same_family_new(&d, w, base));
    if (d) check_distribution(&mixture, d);
    CHECK_OK(svi_transform_free(exp_transform));
    CHECK_OK(svi_dist_free(base));
    CHECK_OK(svi_dist_free(g));
    CHECK_OK(svi_dist_free(w));
}

int main(void) {
    size_t i;
    for (i = 0; i < sizeof families / sizeof families[0]; i++) {
        svi_dist d = make_family(&families[i]);
        if (d) check_distribution(&families[i], d);
    }
    check_wrappers();
    return check_summary();
}
