/*
 * swiftvi.h — the C interface of SwiftVI, a variational-inference engine.
 *
 * Conventions (every function below follows them):
 *
 *  - Every function that can fail returns an svi_status; SVI_OK (0) is success.
 *    Results are written through pointer arguments named out*, which are left
 *    untouched when the call fails unless the function says otherwise.
 *  - Functions that take handles or arrays keep what they need: the caller may
 *    free its handles and arrays once the call returns, unless it says otherwise.
 *  - After a failure, svi_last_error_message() returns a message describing it.
 *    The message is per thread and never NULL.
 *  - Objects are opaque 64-bit handles. A handle is never a memory address: a
 *    freed or forged handle is reported as SVI_E_STALE_HANDLE, and a handle of
 *    another kind as SVI_E_WRONG_HANDLE_KIND; neither crashes the caller.
 *    Every *_new has one *_free; freeing the null handle 0 is a no-op, and
 *    freeing a handle twice returns SVI_E_STALE_HANDLE, as does passing 0
 *    where an object is needed.
 *  - Option structs begin with uint32_t struct_size. Call the matching *_init
 *    with sizeof(struct) to fill in defaults before changing fields.
 *  - Arrays are row-major doubles. Where a function takes a length, a mismatch
 *    is reported as SVI_E_SHAPE_MISMATCH, never read or written past. An array
 *    of more than SVI_MAX_NDIM dimensions, or a count or index out of range,
 *    is SVI_E_INVALID_ARGUMENT. Out-pointers are required (SVI_E_NULL_POINTER)
 *    unless documented as optional.
 *  - Callbacks may call into the library, except to step, initialize,
 *    restore or free the SVI that runs them; reading that SVI shows its state
 *    from before the running call.
 *  - Thread safety: every function may be called from any thread.
 *    Distribution, transform, model, guide, optimizer and ELBO handles are
 *    immutable once made and may be used by any number of threads at once (a
 *    callback model then calls its callback on each of those threads). An SVI
 *    or VAE handle holds the state of a fit: it may be used by one thread at
 *    a time. Each handle type below repeats its rule.
 *
 * Randomness is reproducible: the same svi_key gives the same numbers on every
 * platform, thread and call order.
 */
#ifndef SWIFTVI_H
#define SWIFTVI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Versions and status codes                                                 */
/* ------------------------------------------------------------------------ */

/** The ABI version this header describes; svi_abi_version() returns the
 *  library's. A mismatch means the header and library do not belong together. */
#define SVI_ABI_VERSION 1

/** The library version this header belongs to; svi_version_string() returns
 *  the library's as "MAJOR.MINOR.PATCH". */
#define SVI_VERSION_MAJOR 0
#define SVI_VERSION_MINOR 1
#define SVI_VERSION_PATCH 0

/** A status code: SVI_OK or one of the SVI_E_* errors below. */
typedef int32_t svi_status;

#define SVI_OK 0
/** A required pointer argument was NULL. */
#define SVI_E_NULL_POINTER 1
/** An argument is outside its domain (a non-positive scale, a NaN, an unknown name). */
#define SVI_E_INVALID_ARGUMENT 2
/** Lengths or shapes of arrays do not agree. */
#define SVI_E_SHAPE_MISMATCH 3
/** The handle was freed, or never issued. */
#define SVI_E_STALE_HANDLE 4
/** The handle is live but of another kind (a guide where a model is expected). */
#define SVI_E_WRONG_HANDLE_KIND 5
/** A user callback returned non-zero. */
#define SVI_E_CALLBACK_FAILED 6
/** A progress callback asked to stop. */
#define SVI_E_STOPPED 7
/** A computation gave a non-finite result (a NaN loss or gradient). */
#define SVI_E_NUMERICAL 8
/** The operation is not available for these arguments (no analytic KL pair). */
#define SVI_E_NOT_IMPLEMENTED 9
/** An option struct's struct_size is not one this library knows. */
#define SVI_E_VERSION_MISMATCH 10

/** The library's ABI version; equals SVI_ABI_VERSION for a matching header. */
uint32_t svi_abi_version(void);

/** The library's version as "MAJOR.MINOR.PATCH". Static storage; never NULL. */
const char *svi_version_string(void);

/** A short, static, human-readable name for a status code ("SVI_OK",
 *  "SVI_E_NULL_POINTER", …; "SVI_E_UNKNOWN" for a code not listed above). */
const char *svi_status_string(svi_status code);

/** The message of the last failed call on this thread, or "" when no call on
 *  this thread has failed. Never NULL. Valid until the next failing call on
 *  the same thread. */
const char *svi_last_error_message(void);

/* ------------------------------------------------------------------------ */
/* Random keys                                                               */
/* ------------------------------------------------------------------------ */

/** A counter-based random key (Threefry-2x32, 20 rounds), as in JAX: split a
 *  key to get independent keys; the same key always gives the same numbers. */
typedef struct svi_key {
    uint32_t data[2];
} svi_key;

/** Writes the key for a 64-bit seed (JAX's PRNGKey(seed) for seeds < 2^32). */
svi_status svi_key_from_seed(svi_key *out, uint64_t seed);

/** Writes `count` independent keys derived from `key` into out[0 .. count). */
svi_status svi_key_split(svi_key *out, size_t count, svi_key key);

/** Writes the key obtained by folding `data` into `key`. */
svi_status svi_key_fold_in(svi_key *out, svi_key key, uint32_t data);

/** Fills out[0 .. count) with uniform draws from the open interval (0, 1). */
svi_status svi_random_uniform(double *out, size_t count, svi_key key);

/** Fills out[0 .. count) with standard normal draws. */
svi_status svi_random_normal(double *out, size_t count, svi_key key);

/* ------------------------------------------------------------------------ */
/* Arrays                                                                    */
/* ------------------------------------------------------------------------ */

/** A read-only row-major array: `ndim` extents in `shape` (NULL when ndim is
 *  0, a scalar) and their product of doubles at `data`. */
typedef struct svi_array {
    const double *data;
    size_t ndim;
    const size_t *shape;
} svi_array;

/** A named parameter of a distribution, e.g. {"loc", {&loc, 0, NULL}}. */
typedef struct svi_named_array {
    const char *name;
    svi_array value;
} svi_named_array;

/** The largest number of dimensions any array may have. */
#define SVI_MAX_NDIM 16

/* ------------------------------------------------------------------------ */
/* Distributions                                                             */
/* ------------------------------------------------------------------------ */

/** A distribution handle. Immutable once made; may be shared between threads. */
typedef uint64_t svi_dist;

/**
 * Makes a distribution of the family named `family` from named parameters,
 * broadcast against each other as NumPy does. Families and their parameters:
 *   "Normal":      loc, scale
 *   "Categorical": probs or logits (last axis indexes the categories)
 *   "LogNormal", "Cauchy", "Laplace", "Logistic", "Gumbel": loc, scale
 *   "HalfNormal", "HalfCauchy": scale
 *   "Uniform":     low, high (low < high)
 *   "Weibull":     scale, concentration
 *   "Pareto":      scale, alpha
 *   "TruncatedNormal": loc, scale, and optionally low and/or high (low < high;
 *                  a missing bound, or an infinite one, leaves that side open)
 *   "MultivariateNormal": loc (..., D) and exactly one of covariance_matrix,
 *                  precision_matrix (symmetric positive definite) or scale_tril
 *                  (lower triangular, positive diagonal), each (..., D, D)
 *   "LowRankMultivariateNormal": loc (..., D), cov_factor (..., D, r),
 *                  cov_diag (..., D) > 0; covariance cov_factor cov_factorᵀ + diag(cov_diag)
 *   "Bernoulli":   probs or logits
 *   "Binomial":    total_count (non-negative integers), probs or logits
 *   "Poisson":     rate (>= 0)
 *   "Geometric":   probs (in (0, 1]) or logits; counts failures before the
 *                  first success, support {0, 1, 2, ...}
 *   "NegativeBinomial": total_count (> 0, real), probs (in [0, 1)) or logits;
 *                  counts successes before total_count failures (as PyTorch
 *                  and NumPyro), support {0, 1, 2, ...}
 *   "Delta":       v; optionally log_density (broadcast to the batch shape,
 *                  default 0) and event_dim (a 0-d array holding an integer
 *                  between 0 and the rank of v, default 0)
 *   "Gamma":        concentration, rate
 *   "Exponential":  rate
 *   "Chi2":         df
 *   "InverseGamma": concentration, rate
 *   "StudentT":     df, loc, scale
 *   "Beta":         concentration1, concentration0
 *   "Dirichlet":    concentration (last axis indexes the categories)
 * Errors: SVI_E_INVALID_ARGUMENT for an unknown family, a missing, repeated or
 * unknown parameter, or a value outside its domain (scale <= 0, a NaN,
 * probabilities that are negative or do not sum to 1); SVI_E_SHAPE_MISMATCH
 * when parameters do not broadcast.
 */
svi_status svi_dist_new(svi_dist *out, const char *family,
                        const svi_named_array *params, size_t num_params);

/** Makes the mixture whose weights are the Categorical `mixing` and whose
 *  components are the batch of `components` along its last batch axis.
 *  SVI_E_INVALID_ARGUMENT when `mixing` is not a Categorical;
 *  SVI_E_SHAPE_MISMATCH when the components' last batch extent differs from
 *  the number of categories or the other batch dimensions do not broadcast. */
svi_status svi_mixture_same_family_new(svi_dist *out, svi_dist mixing,
                                       svi_dist components);

/** Makes the distribution that reads the rightmost `reinterpreted_batch_ndims`
 *  batch dimensions of `base` as event dimensions: log-probabilities and
 *  entropies are summed over them; samples and moments are the base's. The
 *  new handle does not depend on `base`, which may be freed.
 *  SVI_E_INVALID_ARGUMENT when `reinterpreted_batch_ndims` exceeds the rank
 *  of the base's batch shape. */
svi_status svi_independent_new(svi_dist *out, svi_dist base,
                               size_t reinterpreted_batch_ndims);

/** Frees a distribution. Freeing 0 is a no-op. */
svi_status svi_dist_free(svi_dist dist);

/** Writes the family name ("Normal", …), static storage. */
svi_status svi_dist_family(svi_dist dist, const char **out_name);

/** Writes the batch shape: its rank to *out_ndim and, when `capacity` is at
 *  least that rank, its extents to out_shape (which may be NULL when capacity
 *  is 0). SVI_E_SHAPE_MISMATCH when capacity is too small (*out_ndim is still
 *  written). */
svi_status svi_dist_batch_shape(svi_dist dist, size_t *out_shape,
                                size_t capacity, size_t *out_ndim);

/** Writes the event shape, as svi_dist_batch_shape does. */
svi_status svi_dist_event_shape(svi_dist dist, size_t *out_shape,
                                size_t capacity, size_t *out_ndim);

/**
 * Log-density (or log-mass) at `value`, whose shape is sample_shape +
 * batch_shape + event_shape, broadcast against the batch. Writes out_len
 * results, which must equal the element count of the broadcast shape without
 * the event dimensions. A value outside the support gives -inf.
 */
svi_status svi_dist_log_prob(svi_dist dist, svi_array value, double *out,
                             size_t out_len);

/** Cumulative distribution function of a univariate distribution, shaped as
 *  svi_dist_log_prob. SVI_E_NOT_IMPLEMENTED for a family that has none. */
svi_status svi_dist_cdf(svi_dist dist, svi_array value, double *out,
                        size_t out_len);

/** Inverse cumulative distribution function at probabilities in [0, 1]. */
svi_status svi_dist_icdf(svi_dist dist, svi_array probability, double *out,
                         size_t out_len);

/** Draws samples of shape sample_shape + batch_shape + event_shape into out,
 *  whose length out_len must equal that shape's element count. Discrete
 *  families write their values as doubles (a Categorical's category indices). */
svi_status svi_dist_sample(svi_dist dist, svi_key key, size_t sample_ndim,
                           const size_t *sample_shape, double *out,
                           size_t out_len);

/** Mean, shape batch_shape + event_shape. */
svi_status svi_dist_mean(svi_dist dist, double *out, size_t out_len);

/** Variance, shape batch_shape + event_shape. */
svi_status svi_dist_variance(svi_dist dist, double *out, size_t out_len);

/** Differential (or Shannon) entropy, shape batch_shape. */
svi_status svi_dist_entropy(svi_dist dist, double *out, size_t out_len);

/* ------------------------------------------------------------------------ */
/* KL divergences                                                            */
/* ------------------------------------------------------------------------ */

/** Analytic KL(p ‖ q), shape: the broadcast batch shape. SVI_E_NOT_IMPLEMENTED
 *  (naming both families) when no closed form is registered for the pair; use
 *  svi_kl_monte_carlo or svi_kl_quadrature then. */
svi_status svi_kl_divergence(svi_dist p, svi_dist q, double *out,
                             size_t out_len);

/** Monte Carlo KL(p ‖ q) from `num_samples` (at least 2) draws of p: writes
 *  the estimate and its standard error, each of the broadcast batch shape.
 *  SVI_E_SHAPE_MISMATCH unless p and q have the same event shape and q's
 *  batch shape broadcasts with p's without having more dimensions. */
svi_status svi_kl_monte_carlo(svi_dist p, svi_dist q, size_t num_samples,
                              svi_key key, double *out_estimate,
                              double *out_standard_error, size_t out_len);

/** KL(p ‖ q) of two scalar univariate continuous distributions, integrated
 *  over [low, high] by the composite 8-point Gauss–Legendre rule with
 *  `num_points` nodes in all (at least 1; rounded up to a multiple of 8). */
svi_status svi_kl_quadrature(svi_dist p, svi_dist q, double low, double high,
                             size_t num_points, double *out);

/* ------------------------------------------------------------------------ */
/* Transforms and constraints                                                */
/* ------------------------------------------------------------------------ */

/** A transform handle: an invertible, differentiable map between two regions
 *  (NumPyro's Transform). It acts on the rightmost event dimensions of its
 *  domain; the dimensions to their left are a batch. Immutable once made; may
 *  be shared between threads. */
typedef uint64_t svi_transform;

/**
 * Makes the transform named `name` from named parameters, broadcast against
 * each other and the input as NumPy does. Names and parameters:
 *   "Identity", "Exp", "Softplus", "Sigmoid", "Tanh": none (elementwise)
 *   "Affine":        loc, scale (y = loc + scale x; scale nonzero)
 *   "Power":         exponent (y = x^exponent on x > 0; exponent nonzero)
 *   "LowerCholeskyAffine": loc (..., n) and scale_tril (..., n, n), lower
 *                    triangular with positive diagonal (y = loc + scale_tril x)
 *   "FillTriangular": none; n(n+1)/2 reals to an n x n lower-triangular
 *                    matrix, filled row by row: (0,0), (1,0), (1,1), (2,0), ...
 *   "FillScaleTriL": optional diag_shift (default 1e-5): FillTriangular, then
 *                    softplus(.) + diag_shift on the diagonal (TFP's)
 *   "LowerCholesky": none; the first n(n-1)/2 reals fill the strictly lower
 *                    triangle row by row, the last n are the log-diagonal
 *   "StickBreaking": none; K-1 reals to the K-simplex (NumPyro's, with its
 *                    offset: 0 maps to the uniform point)
 *   "CorrCholesky":  none; K(K-1)/2 reals to the Cholesky factor of a K x K
 *                    correlation matrix (NumPyro's and Stan's)
 *   "Cholesky":      none; a symmetric positive-definite matrix to its lower
 *                    Cholesky factor
 * Errors: SVI_E_INVALID_ARGUMENT for an unknown name, a missing, repeated or
 * unknown parameter, or a value outside its domain; SVI_E_SHAPE_MISMATCH when
 * parameters do not broadcast.
 */
svi_status svi_transform_new(svi_transform *out, const char *name,
                             const svi_named_array *params,
                             size_t num_params);

/** Makes the composition that applies parts[0] first, then parts[1], and so
 *  on (NumPyro's ComposeTransform). num_parts must be at least 1. Keeps its
 *  own references to the parts, which may be freed afterwards. */
svi_status svi_transform_compose(svi_transform *out,
                                 const svi_transform *parts,
                                 size_t num_parts);

/** Makes the inverse of `transform` (NumPyro's .inv): forward and inverse,
 *  domain and codomain swapped, log-determinant negated. */
svi_status svi_transform_inv(svi_transform *out, svi_transform transform);

/**
 * Makes a transform from unconstrained reals onto the constraint named
 * `constraint` (NumPyro's biject_to). Names and parameters:
 *   "real", "real_vector", "positive", "nonnegative", "unit_interval",
 *   "simplex", "lower_triangular", "lower_cholesky", "positive_definite",
 *   "corr_cholesky": none
 *   "interval": lower_bound, upper_bound (lower_bound < upper_bound)
 *   "greater_than": lower_bound;  "less_than": upper_bound
 * Any of them also takes an optional scalar reinterpreted_batch_ndims (a
 * nonnegative integer) for NumPyro's independent(constraint, n).
 * SVI_E_NOT_IMPLEMENTED for the discrete constraints "boolean",
 * "nonnegative_integer" and "integer_interval"; SVI_E_INVALID_ARGUMENT for an
 * unknown name or a bound that is not finite.
 */
svi_status svi_biject_to(svi_transform *out, const char *constraint,
                         const svi_named_array *params, size_t num_params);

/** Frees a transform. Freeing 0 is a no-op. */
svi_status svi_transform_free(svi_transform transform);

/** Writes the class name ("ExpTransform", "ComposeTransform", ...), static
 *  storage. */
svi_status svi_transform_name(svi_transform transform, const char **out_name);

/** Writes the constraint name of the domain ("real", "positive", "interval",
 *  "independent(real, 1)", ... as NumPyro spells them), static storage. */
svi_status svi_transform_domain(svi_transform transform,
                                const char **out_name);

/** Writes the constraint name of the codomain, as svi_transform_domain does. */
svi_status svi_transform_codomain(svi_transform transform,
                                  const char **out_name);

/** Writes the number of event dimensions of the domain and of the codomain. */
svi_status svi_transform_event_dims(svi_transform transform,
                                    size_t *out_domain_event_dims,
                                    size_t *out_codomain_event_dims);

/** Writes the shape of the forward image of an input of shape
 *  shape[0 .. ndim), as svi_dist_batch_shape writes shapes.
 *  SVI_E_SHAPE_MISMATCH when the shape does not fit the transform (too few
 *  dimensions, a length that is not n(n+1)/2, parameters that do not
 *  broadcast). */
svi_status svi_transform_forward_shape(svi_transform transform, size_t ndim,
                                       const size_t *shape, size_t *out_shape,
                                       size_t capacity, size_t *out_ndim);

/** Writes the shape of the inverse image of an output of the given shape,
 *  as svi_transform_forward_shape does. */
svi_status svi_transform_inverse_shape(svi_transform transform, size_t ndim,
                                       const size_t *shape, size_t *out_shape,
                                       size_t capacity, size_t *out_ndim);

/** y = f(x): writes out_len values, which must equal the element count of
 *  the forward shape of x. A NaN in x is SVI_E_INVALID_ARGUMENT; x outside
 *  the domain gives NaN or +-inf, not an error. */
svi_status svi_transform_forward(svi_transform transform, svi_array x,
                                 double *out, size_t out_len);

/** x = f^-1(y), as svi_transform_forward does with the inverse shape. */
svi_status svi_transform_inverse(svi_transform transform, svi_array y,
                                 double *out, size_t out_len);

/** log |det J| of the forward map at x (y = f(x)), summed over the domain's
 *  event dimensions: out_len is the element count of the forward shape of x
 *  without its last codomain-event-dims dimensions. For maps between spaces
 *  of different dimension (StickBreaking, FillTriangular, CorrCholesky, ...)
 *  it is taken on intrinsic coordinates, as NumPyro does. */
svi_status svi_transform_log_abs_det_jacobian(svi_transform transform,
                                              svi_array x, svi_array y,
                                              double *out, size_t out_len);

/** Makes the distribution of transform(x) for x drawn from `base` (NumPyro's
 *  TransformedDistribution; family name "TransformedDistribution"). Its
 *  log-density is the base's at the inverse image minus the log-determinant
 *  (-inf outside the codomain); samples are the transformed base samples.
 *  Mean, variance and entropy are SVI_E_NOT_IMPLEMENTED unless every part is
 *  an Affine or Identity transform of a univariate base; cdf and icdf need
 *  elementwise monotone transforms of a univariate base. Keeps its own
 *  references to `base` and `transform`. SVI_E_SHAPE_MISMATCH when the base's
 *  shape does not fit the transform. */
svi_status svi_transformed_distribution_new(svi_dist *out, svi_dist base,
                                            svi_transform transform);

/* ------------------------------------------------------------------------ */
/* Models                                                                    */
/* ------------------------------------------------------------------------ */

/** A model handle: an unnormalized log-density over named latent blocks.
 *  Immutable once made; may be shared between threads. */
typedef uint64_t svi_model;

/**
 * A batched log-density. Called with `num_points` points of dimension `dim`
 * at `points` (num_points × dim, row-major), it writes num_points
 * log-densities to out_log_density and, when out_gradient is not NULL, the
 * num_points × dim gradient to out_gradient. Returns 0 on success; any other
 * value reports failure (SVI_E_CALLBACK_FAILED). Called once per SVI step
 * with all particles at once (unless the ELBO's vectorize_particles is 0).
 * The points are the latent values, each block mapped onto its constraint
 * (see svi_latent_block) and the parameter blocks' values at their places:
 * `dim` is the model's constrained dimension plus the parameter blocks'
 * sizes, and the gradient is with respect to all those values.
 */
typedef int (*svi_log_density_fn)(void *user_data, size_t num_points,
                                  size_t dim, const double *points,
                                  double *out_log_density,
                                  double *out_gradient);

/** What a block of a callback model is: a latent variable the guide draws
 *  (SVI_BLOCK_LATENT, the default) or a learnable model parameter
 *  (SVI_BLOCK_PARAMETER, NumPyro's param in a model): a point estimate that
 *  SVI optimizes jointly with the guide's parameters. A parameter block's
 *  values appear in every point the callback sees, at the block's place in
 *  the list, the same in every point; the callback's gradient with respect to
 *  them is what moves them. It starts at the constrained value of zero
 *  unconstrained coordinates (0 for real, 1 for positive, the midpoint of an
 *  interval), adds no log-determinant, needs has_gradient, and is read and
 *  saved as an SVI parameter of its block's name. */
typedef int32_t svi_block_kind;
#define SVI_BLOCK_LATENT 0
#define SVI_BLOCK_PARAMETER 1

/** The support of a latent block (NumPyro's constraint of the same name). */
typedef int32_t svi_constraint_kind;
#define SVI_CONSTRAINT_REAL 0
/** x > 0, reached through exp. */
#define SVI_CONSTRAINT_POSITIVE 1
/** 0 < x < 1, reached through the logistic sigmoid. */
#define SVI_CONSTRAINT_UNIT_INTERVAL 2
/** lower_bound < x < upper_bound, through a scaled sigmoid. */
#define SVI_CONSTRAINT_INTERVAL 3
/** x > lower_bound, through exp shifted. */
#define SVI_CONSTRAINT_GREATER_THAN 4
/** x < upper_bound, through exp negated and shifted. */
#define SVI_CONSTRAINT_LESS_THAN 5
/** A point of the K-simplex (size K >= 2), through stick breaking. */
#define SVI_CONSTRAINT_SIMPLEX 6
/** An n × n lower-triangular matrix with positive diagonal (size n·n,
 *  row-major, zeros above the diagonal). */
#define SVI_CONSTRAINT_LOWER_CHOLESKY 7
/** The Cholesky factor of an n × n correlation matrix (size n·n, n >= 2). */
#define SVI_CONSTRAINT_CORR_CHOLESKY 8

/**
 * A named block of `size` latent values in the region `constraint`. The
 * callback sees the values; the guide draws unconstrained coordinates, which
 * the library maps onto the region (NumPyro's biject_to) and whose
 * log-determinant it adds to the log-density. The two counts differ only for
 * SVI_CONSTRAINT_SIMPLEX (K values, K - 1 coordinates),
 * SVI_CONSTRAINT_LOWER_CHOLESKY (n·n values, n(n+1)/2 coordinates) and
 * SVI_CONSTRAINT_CORR_CHOLESKY (n·n values, n(n-1)/2 coordinates):
 * svi_model_dim counts coordinates (the size of AutoNormal's loc and scale),
 * svi_model_constrained_dim counts values (the callback's `dim`, less any
 * parameter blocks).
 */
typedef struct svi_latent_block {
    const char *name;
    size_t size;
    svi_constraint_kind constraint;
    /** The finite lower bound of SVI_CONSTRAINT_INTERVAL and
     *  SVI_CONSTRAINT_GREATER_THAN; ignored otherwise. Blocks read through a
     *  svi_callback_model_options whose struct_size predates has_gradient
     *  have neither bound: they end after `constraint`. */
    double lower_bound;
    /** The finite upper bound of SVI_CONSTRAINT_INTERVAL (above lower_bound)
     *  and SVI_CONSTRAINT_LESS_THAN; ignored otherwise. */
    double upper_bound;
    /** SVI_BLOCK_LATENT or SVI_BLOCK_PARAMETER. Read only when the options'
     *  latent_block_size covers it; blocks of an earlier layout are latent. */
    svi_block_kind kind;
} svi_latent_block;

/** Options of a callback model. */
typedef struct svi_callback_model_options {
    uint32_t struct_size;
    /** The latent blocks, laid out one after another in each point. */
    const svi_latent_block *latents;
    size_t num_latents;
    /** The log-density; it must fill out_gradient whenever that is not NULL. */
    svi_log_density_fn log_density;
    void *user_data;
    /** Non-zero (default 1) when the callback gives the gradient. With 0 it
     *  is always called with out_gradient NULL, and the ELBOs follow the
     *  score-function estimator with a leave-one-out baseline across
     *  particles (at least 2 particles, see svi_elbo_new_trace). */
    int32_t has_gradient;
    /** sizeof(svi_latent_block) as the caller compiled it, which the init
     *  function fills in: the layout of the blocks at `latents`. Accepted are
     *  the current size and that of the layout before `kind`; options whose
     *  struct_size predates this field have blocks of the layout before
     *  `kind`. */
    size_t latent_block_size;
} svi_callback_model_options;

/** Fills `opts` with defaults (no latents, no callback, has_gradient 1,
 *  latent_block_size sizeof(svi_latent_block)). `struct_size` is
 *  sizeof(svi_callback_model_options) as the caller compiled it; the sizes
 *  of the earlier layouts (without latent_block_size, or also without
 *  has_gradient, whose latent blocks then have no bounds) are accepted too. */
svi_status svi_callback_model_options_init(svi_callback_model_options *opts,
                                           uint32_t struct_size);

/** Makes a model from a batched log-density callback. The blocks and
 *  their names are copied; at least one must be latent, and a parameter
 *  block needs has_gradient (SVI_E_INVALID_ARGUMENT otherwise). The callback and user_data must stay valid until
 *  the model and everything using it is freed; the callback runs on the thread
 *  that calls svi_svi_step or svi_svi_run, once per step. */
svi_status svi_model_new_callback(svi_model *out,
                                  const svi_callback_model_options *opts);

/** Makes a model whose log-density is that of `dist` (summed over its batch)
 *  at a latent named `site` of size batch × event. Keeps its own reference to
 *  the distribution: `dist` may be freed afterwards. */
svi_status svi_model_new_distribution(svi_model *out, const char *site,
                                      svi_dist dist);

/** Frees a model. Freeing 0 is a no-op. */
svi_status svi_model_free(svi_model model);

/** Writes the total latent dimension: the number of unconstrained
 *  coordinates a guide draws. */
svi_status svi_model_dim(svi_model model, size_t *out_dim);

/* ------------------------------------------------------------------------ */
/* Guides                                                                    */
/* ------------------------------------------------------------------------ */

/** A guide handle: a variational family with learnable parameters (their
 *  values live in an SVI). Immutable once made; may be shared between
 *  threads. */
typedef uint64_t svi_guide;

/** How an automatic guide picks its initial location (NumPyro's
 *  init_loc_fn). A callback or distribution model has no prior: there
 *  SVI_INIT_TO_MEDIAN, _MEAN and _SAMPLE act as SVI_INIT_TO_UNIFORM with
 *  radius 2. */
typedef int32_t svi_init_kind;
/** Unconstrained coordinates uniform on (-radius, radius) (init_to_uniform;
 *  radius 0 is init_to_feasible). */
#define SVI_INIT_TO_UNIFORM 0
/** The elementwise median of num_samples prior draws (init_to_median). */
#define SVI_INIT_TO_MEDIAN 1
/** The prior mean, or the median of 15 draws where it is not finite
 *  (init_to_mean). */
#define SVI_INIT_TO_MEAN 2
/** One prior draw (init_to_sample). */
#define SVI_INIT_TO_SAMPLE 3
/** The constrained values given by site name; the other sites as
 *  SVI_INIT_TO_UNIFORM with radius 2 (init_to_value). A name that is not a
 *  latent site, or a value outside its site's support, is
 *  SVI_E_INVALID_ARGUMENT when the guide is initialized. */
#define SVI_INIT_TO_VALUE 4

/** An initialization strategy, a member of the option structs below. */
typedef struct svi_init_strategy {
    svi_init_kind kind;
    /** The radius of SVI_INIT_TO_UNIFORM (default 2). */
    double radius;
    /** The number of draws of SVI_INIT_TO_MEDIAN (default 15). */
    size_t num_samples;
    /** The values of SVI_INIT_TO_VALUE, num_values of them, each shaped as
     *  its site's (constrained) value; copied when the guide is made. */
    const svi_named_array *values;
    size_t num_values;
} svi_init_strategy;

/** Options of AutoNormal: a diagonal Normal over the latents, with
 *  parameters named <site>_auto_loc and <site>_auto_scale. */
typedef struct svi_auto_normal_options {
    uint32_t struct_size;
    /** Initial scale of every coordinate (default 0.1). */
    double init_scale;
    /** Initial locations are uniform on (-init_radius, init_radius)
     *  (default 2), unless init_loc is set. The earlier spelling of
     *  init_loc_fn.radius (see init_loc_fn). */
    double init_radius;
    /** Optional: initial locations, init_loc_len of them (the model's
     *  dimension), copied when the guide is made; NULL to draw them. */
    const double *init_loc;
    size_t init_loc_len;
    /** How the locations start when init_loc is NULL (default
     *  SVI_INIT_TO_UNIFORM, radius 2). For SVI_INIT_TO_UNIFORM the radius is
     *  whichever of init_loc_fn.radius and init_radius is not 2 (both not 2
     *  and different is SVI_E_INVALID_ARGUMENT). SVI_E_INVALID_ARGUMENT too
     *  for an init_radius other than 2 with another kind, and for init_loc
     *  with a kind other than SVI_INIT_TO_UNIFORM (whose radius init_loc
     *  overrides). `opts` may also be the earlier struct that ended at
     *  init_loc_len (struct_size 40 on LP64): init_loc_fn is then the
     *  default. */
    svi_init_strategy init_loc_fn;
} svi_auto_normal_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_normal_options_init(svi_auto_normal_options *opts,
                                        uint32_t struct_size);

/** Makes an AutoNormal guide for `model`. */
svi_status svi_guide_new_auto_normal(svi_guide *out, svi_model model,
                                     const svi_auto_normal_options *opts);

/** Frees a guide. Freeing 0 is a no-op. */
svi_status svi_guide_free(svi_guide guide);

/* Automatic guides over the whole unconstrained latent vector, as NumPyro's
 * AutoDiagonalNormal, AutoMultivariateNormal, AutoLowRankMultivariateNormal,
 * AutoDelta, AutoLaplaceApproximation and AutoIAFNormal (their
 * initialization strategies are above AutoNormal's options), and posterior
 * summaries of any automatic guide (AutoNormal included). Parameter names are
 * NumPyro's. */

/** An SVI handle: a model, a guide, an optimizer, an ELBO, and the state of
 *  the fit (parameters, optimizer state, random key, step count). Mutable: use
 *  it from one thread at a time (different SVI handles may run on different
 *  threads at once, also when they share their parts). */
typedef uint64_t svi_svi;

/** Options of AutoDiagonalNormal: a Normal with diagonal covariance over
 *  the unconstrained latent vector; parameters auto_loc and auto_scale. */
typedef struct svi_auto_diagonal_normal_options {
    uint32_t struct_size;
    /** Initial scale of every coordinate (default 0.1). */
    double init_scale;
    /** How auto_loc starts (default SVI_INIT_TO_UNIFORM, radius 2). */
    svi_init_strategy init_loc_fn;
} svi_auto_diagonal_normal_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_diagonal_normal_options_init(
    svi_auto_diagonal_normal_options *opts, uint32_t struct_size);

/** Makes an AutoDiagonalNormal guide for `model`. */
svi_status svi_guide_new_auto_diagonal_normal(
    svi_guide *out, svi_model model,
    const svi_auto_diagonal_normal_options *opts);

/** Options of AutoMultivariateNormal: a Normal with full covariance over the
 *  unconstrained latent vector; parameters auto_loc and auto_scale_tril (the
 *  D x D lower Cholesky factor of the covariance, stored through a bijection
 *  onto lower-Cholesky matrices, starting at init_scale times the identity). */
typedef struct svi_auto_multivariate_normal_options {
    uint32_t struct_size;
    /** The initial diagonal of auto_scale_tril (default 0.1). */
    double init_scale;
    /** How auto_loc starts (default SVI_INIT_TO_UNIFORM, radius 2). */
    svi_init_strategy init_loc_fn;
} svi_auto_multivariate_normal_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_multivariate_normal_options_init(
    svi_auto_multivariate_normal_options *opts, uint32_t struct_size);

/** Makes an AutoMultivariateNormal guide for `model`. */
svi_status svi_guide_new_auto_multivariate_normal(
    svi_guide *out, svi_model model,
    const svi_auto_multivariate_normal_options *opts);

/** Options of AutoLowRankMultivariateNormal: a Normal over the unconstrained
 *  latent vector with covariance diag(s) (W W^T + I) diag(s); parameters
 *  auto_loc, auto_cov_factor (W, D x rank, starting at 0) and auto_scale (s,
 *  starting at init_scale). */
typedef struct svi_auto_low_rank_multivariate_normal_options {
    uint32_t struct_size;
    /** The initial auto_scale (default 0.1). */
    double init_scale;
    /** The rank of W; 0 (the default) means round(sqrt(D)). */
    size_t rank;
    /** How auto_loc starts (default SVI_INIT_TO_UNIFORM, radius 2). */
    svi_init_strategy init_loc_fn;
} svi_auto_low_rank_multivariate_normal_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_low_rank_multivariate_normal_options_init(
    svi_auto_low_rank_multivariate_normal_options *opts, uint32_t struct_size);

/** Makes an AutoLowRankMultivariateNormal guide for `model`. */
svi_status svi_guide_new_auto_low_rank_multivariate_normal(
    svi_guide *out, svi_model model,
    const svi_auto_low_rank_multivariate_normal_options *opts);

/** Options of AutoDelta: a point mass at each latent site, parameters
 *  <site>_auto_loc holding the site's constrained value, so SVI finds the MAP
 *  point in the constrained space (the ELBO is -log p there). */
typedef struct svi_auto_delta_options {
    uint32_t struct_size;
    /** How the locations start (default SVI_INIT_TO_MEDIAN, 15 draws). */
    svi_init_strategy init_loc_fn;
} svi_auto_delta_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_delta_options_init(svi_auto_delta_options *opts,
                                       uint32_t struct_size);

/** Makes an AutoDelta guide for `model`. */
svi_status svi_guide_new_auto_delta(svi_guide *out, svi_model model,
                                    const svi_auto_delta_options *opts);

/** Options of AutoLaplaceApproximation: fitted as a point mass auto_loc in
 *  the unconstrained space (the MAP point there); svi_guide_laplace_posterior
 *  then gives the Normal whose precision is the Hessian of -log p at it. */
typedef struct svi_auto_laplace_approximation_options {
    uint32_t struct_size;
    /** How auto_loc starts (default SVI_INIT_TO_UNIFORM, radius 2). */
    svi_init_strategy init_loc_fn;
} svi_auto_laplace_approximation_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_laplace_approximation_options_init(
    svi_auto_laplace_approximation_options *opts, uint32_t struct_size);

/** Makes an AutoLaplaceApproximation guide for `model`. */
svi_status svi_guide_new_auto_laplace_approximation(
    svi_guide *out, svi_model model,
    const svi_auto_laplace_approximation_options *opts);

/** The nonlinearity between the dense layers of AutoIAFNormal's networks. */
typedef int32_t svi_nonlinearity;
/** x for x > 0, exp(x) - 1 otherwise. */
#define SVI_NONLINEARITY_ELU 0
/** max(x, 0). */
#define SVI_NONLINEARITY_RELU 1

/** Options of AutoIAFNormal: a standard Normal pushed through num_flows
 *  stable affine inverse autoregressive layers (y = s x + (1 - s) m with
 *  s = sigmoid(t + 2), (m, t) from a MADE network), coordinates reversed
 *  between layers. Layer i's weights are auto_arn__i$params.l.W and
 *  auto_arn__i$params.l.b for each dense layer l. As in NumPyro the flow has
 *  no initial location. Needs a model of at least 2 coordinates. */
typedef struct svi_auto_iaf_normal_options {
    uint32_t struct_size;
    /** The number of layers (default 3). */
    size_t num_flows;
    /** The hidden widths, num_hidden_dims of them, each at least D; NULL
     *  (the default) means two layers of width D. Copied. */
    const size_t *hidden_dims;
    size_t num_hidden_dims;
    /** Default SVI_NONLINEARITY_ELU. */
    svi_nonlinearity nonlinearity;
} svi_auto_iaf_normal_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_iaf_normal_options_init(svi_auto_iaf_normal_options *opts,
                                            uint32_t struct_size);

/** Makes an AutoIAFNormal guide for `model`. */
svi_status svi_guide_new_auto_iaf_normal(
    svi_guide *out, svi_model model, const svi_auto_iaf_normal_options *opts);

/** Writes the number of latent sites of an automatic guide's model. */
svi_status svi_guide_num_latents(svi_guide guide, size_t *out_count);

/** Writes the name of latent site `index` (static until the process ends). */
svi_status svi_guide_latent_name(svi_guide guide, size_t index,
                                 const char **out_name);

/** Writes the shape of one (constrained) value of latent site `site`, as
 *  svi_dist_batch_shape writes shapes. */
svi_status svi_guide_latent_shape(svi_guide guide, const char *site,
                                  size_t *out_shape, size_t capacity,
                                  size_t *out_ndim);

/*
 * The posterior queries below take the guide's parameters from one of two
 * sources: `svi`, when it is not 0 — the current parameters of that SVI,
 * initialized with key 0 if it never was; its guide must have the same
 * parameters as `guide` (normally it is that guide) — or else `params`:
 * num_params named constrained values, every parameter of the guide shaped as
 * svi_svi_get_param and svi_svi_param_shape give it (names other than the
 * guide's and its model's parameters are SVI_E_INVALID_ARGUMENT). `site` names a latent site.
 */

/** Draws num_samples values of the approximate posterior, each latent site's
 *  in its constrained space (NumPyro's sample_posterior), and writes those of
 *  `site` to out: num_samples x the site's shape. The same key gives the same
 *  joint draws, so calling once per site with one key gives consistent
 *  draws. */
svi_status svi_guide_sample_posterior(svi_guide guide, svi_svi svi,
                                      const svi_named_array *params,
                                      size_t num_params, svi_key key,
                                      size_t num_samples, const char *site,
                                      double *out, size_t out_len);

/** Writes the posterior median of `site` (the constrained value at the
 *  unconstrained marginal medians), of the site's shape. For guides with
 *  normal marginals (AutoNormal, AutoDiagonalNormal, AutoMultivariateNormal,
 *  AutoLowRankMultivariateNormal, AutoLaplaceApproximation) and AutoDelta
 *  (its point); SVI_E_NOT_IMPLEMENTED for others. */
svi_status svi_guide_median(svi_guide guide, svi_svi svi,
                            const svi_named_array *params, size_t num_params,
                            const char *site, double *out, size_t out_len);

/** Writes the posterior quantiles of `site` at the num_quantiles
 *  probabilities in (0, 1) (the constrained values at the unconstrained
 *  marginal quantiles): num_quantiles x the site's shape. For the guides of
 *  svi_guide_median. */
svi_status svi_guide_quantiles(svi_guide guide, svi_svi svi,
                               const svi_named_array *params,
                               size_t num_params, const double *quantiles,
                               size_t num_quantiles, const char *site,
                               double *out, size_t out_len);

/** Writes the Laplace approximation of an AutoLaplaceApproximation guide, a
 *  Normal over the unconstrained latent vector: its mean (auto_loc, loc_len =
 *  D) and covariance (the inverse Hessian of -log p there, D x D).
 *  SVI_E_NUMERICAL when the Hessian is not positive definite. */
svi_status svi_guide_laplace_posterior(svi_guide guide, svi_svi svi,
                                       const svi_named_array *params,
                                       size_t num_params, double *out_loc,
                                       size_t loc_len, double *out_covariance,
                                       size_t covariance_len);

/** Writes the shape of the SVI's parameter `name`, the guide's or the
 *  model's (auto_scale_tril is D x D), as svi_dist_batch_shape writes
 *  shapes. */
svi_status svi_svi_param_shape(svi_svi svi, const char *name,
                               size_t *out_shape, size_t capacity,
                               size_t *out_ndim);

/* ------------------------------------------------------------------------ */
/* Optimizers                                                                */
/* ------------------------------------------------------------------------ */

/** An optimizer handle: the settings of a gradient-based optimizer (its
 *  state lives in an SVI). Immutable once made; may be shared between
 *  threads. */
typedef uint64_t svi_optim;

/** Options of stochastic gradient descent. */
typedef struct svi_sgd_options {
    uint32_t struct_size;
    double learning_rate; /**< default 0.01 */
    double momentum;      /**< default 0 */
    int32_t nesterov;     /**< non-zero for Nesterov momentum; default 0 */
} svi_sgd_options;

/** Fills `opts` with defaults. */
svi_status svi_sgd_options_init(svi_sgd_options *opts, uint32_t struct_size);

/** Makes an SGD optimizer. */
svi_status svi_optim_new_sgd(svi_optim *out, const svi_sgd_options *opts);

/** Options of Adam. */
typedef struct svi_adam_options {
    uint32_t struct_size;
    double learning_rate; /**< default 0.001 */
    double beta1;         /**< default 0.9 */
    double beta2;         /**< default 0.999 */
    double epsilon;       /**< default 1e-8 */
} svi_adam_options;

/** Fills `opts` with defaults. */
svi_status svi_adam_options_init(svi_adam_options *opts, uint32_t struct_size);

/** Makes an Adam optimizer. */
svi_status svi_optim_new_adam(svi_optim *out, const svi_adam_options *opts);

/** Frees an optimizer. Freeing 0 is a no-op. */
svi_status svi_optim_free(svi_optim optim);

/** Options of AdamW: Adam with decoupled weight decay, as PyTorch's AdamW and
 *  optax's adamw. With lr the step's learning rate:
 *  θ ← θ − lr·(m̂ / (√v̂ + epsilon) + weight_decay·θ). */
typedef struct svi_adamw_options {
    uint32_t struct_size;
    double learning_rate; /**< default 0.001 */
    double beta1;         /**< default 0.9 */
    double beta2;         /**< default 0.999 */
    double epsilon;       /**< default 1e-8 */
    double weight_decay;  /**< non-negative; default 0.0001 */
} svi_adamw_options;

/** Fills `opts` with defaults. */
svi_status svi_adamw_options_init(svi_adamw_options *opts, uint32_t struct_size);

/** Makes an AdamW optimizer. */
svi_status svi_optim_new_adamw(svi_optim *out, const svi_adamw_options *opts);

/** Options of Pyro's ClippedAdam: each gradient element is clamped to
 *  [-clip_norm, clip_norm], weight_decay·θ is added to it (an L2 penalty),
 *  and step t (from 1) uses the learning rate lr·lrd^t in Pyro's Adam step
 *  θ ← θ − lr·lrd^t·√(1 − beta2^t)/(1 − beta1^t) · m / (√v + epsilon). */
typedef struct svi_clipped_adam_options {
    uint32_t struct_size;
    double learning_rate; /**< default 0.001 */
    double beta1;         /**< default 0.9 */
    double beta2;         /**< default 0.999 */
    double epsilon;       /**< default 1e-8 */
    double clip_norm;     /**< positive; default 10 */
    double lrd;           /**< learning-rate decay per step, positive; default 1 */
    double weight_decay;  /**< non-negative; default 0 */
} svi_clipped_adam_options;

/** Fills `opts` with defaults. */
svi_status svi_clipped_adam_options_init(svi_clipped_adam_options *opts,
                                         uint32_t struct_size);

/** Makes a ClippedAdam optimizer. */
svi_status svi_optim_new_clipped_adam(svi_optim *out,
                                      const svi_clipped_adam_options *opts);

/** Options of RMSProp as PyTorch defines it: v ← decay·v + (1 − decay)·g²;
 *  when `centered`, also ḡ ← decay·ḡ + (1 − decay)·g and d = √(v − ḡ²) + epsilon,
 *  else d = √v + epsilon. Without momentum θ ← θ − lr·g/d; with momentum μ,
 *  b ← μ·b + g/d and θ ← θ − lr·b. */
typedef struct svi_rmsprop_options {
    uint32_t struct_size;
    double learning_rate; /**< default 0.01 */
    double decay;         /**< PyTorch's alpha, in [0, 1); default 0.99 */
    double epsilon;       /**< default 1e-8 */
    double momentum;      /**< in [0, 1); default 0 */
    int32_t centered;     /**< non-zero for the centered variant; default 0 */
} svi_rmsprop_options;

/** Fills `opts` with defaults. */
svi_status svi_rmsprop_options_init(svi_rmsprop_options *opts, uint32_t struct_size);

/** Makes an RMSProp optimizer. */
svi_status svi_optim_new_rmsprop(svi_optim *out, const svi_rmsprop_options *opts);

/** Options of Adagrad as PyTorch defines it: s ← s + g², starting from
 *  initial_accumulator_value; θ ← θ − lr·g / (√s + epsilon). */
typedef struct svi_adagrad_options {
    uint32_t struct_size;
    double learning_rate;             /**< default 0.01 */
    double initial_accumulator_value; /**< non-negative; default 0 */
    double epsilon;                   /**< default 1e-10 */
} svi_adagrad_options;

/** Fills `opts` with defaults. */
svi_status svi_adagrad_options_init(svi_adagrad_options *opts, uint32_t struct_size);

/** Makes an Adagrad optimizer. */
svi_status svi_optim_new_adagrad(svi_optim *out, const svi_adagrad_options *opts);

/** The shape of a learning-rate schedule. n is the number of updates already
 *  applied (0 for the first update). */
typedef int32_t svi_schedule_kind;
/** init_value at every step. */
#define SVI_SCHEDULE_CONSTANT 0
/** init_value · decay_rate^(n / decay_steps), the exponent floored when
 *  `staircase` is non-zero (optax's exponential_decay). */
#define SVI_SCHEDULE_EXPONENTIAL_DECAY 1
/** init_value · ((1 − alpha)·½(1 + cos(π·min(n, decay_steps)/decay_steps)) + alpha)
 *  (optax's cosine_decay_schedule). */
#define SVI_SCHEDULE_COSINE_DECAY 2
/** values[k], k the number of boundaries strictly below n (JAX's
 *  piecewise_constant); init_value is not used. */
#define SVI_SCHEDULE_PIECEWISE_CONSTANT 3

/** A learning-rate schedule: one of the kinds above, optionally preceded by
 *  a linear warm-up from warmup_init_value to the schedule's first value over
 *  warmup_steps updates, after which the schedule starts at its own n = 0. */
typedef struct svi_schedule {
    uint32_t struct_size;
    svi_schedule_kind kind;     /**< default 0 (SVI_SCHEDULE_CONSTANT) */
    double init_value;          /**< default 0.001 */
    size_t decay_steps;         /**< positive; default 1000 */
    double decay_rate;          /**< positive; default 0.1 */
    int32_t staircase;          /**< default 0 */
    double alpha;               /**< final fraction, in [0, 1]; default 0 */
    const size_t *boundaries;   /**< increasing; default NULL */
    const double *values;       /**< num_boundaries + 1 values; default NULL */
    size_t num_boundaries;      /**< default 0 */
    size_t warmup_steps;        /**< 0 for no warm-up; default 0 */
    double warmup_init_value;   /**< default 0 */
} svi_schedule;

/** Fills `schedule` with defaults: the constant 0.001. */
svi_status svi_schedule_init(svi_schedule *schedule, uint32_t struct_size);

/** Makes a copy of `optim` whose learning rate follows `schedule` instead;
 *  `optim` is unchanged and may be freed afterwards. Applies to every
 *  optimizer, including clipped ones. Values a schedule steps through must be
 *  non-negative and finite; a constant one must be positive. */
svi_status svi_optim_new_scheduled(svi_optim *out, svi_optim optim,
                                   const svi_schedule *schedule);

/** Options of gradient clipping. A bound of 0 is absent; at least one must be
 *  positive (and finite). */
typedef struct svi_clip_options {
    uint32_t struct_size;
    double max_global_norm; /**< optax's clip_by_global_norm; default 0 */
    double max_value;       /**< optax's clip, per element; default 0 */
} svi_clip_options;

/** Fills `opts` with defaults (no bound: set at least one). */
svi_status svi_clip_options_init(svi_clip_options *opts, uint32_t struct_size);

/** Makes an optimizer that clips each gradient and hands it to a copy of
 *  `optim`: first every element to [-max_value, max_value], then the whole
 *  gradient scaled by max_global_norm/‖g‖₂ when its norm exceeds
 *  max_global_norm. `optim` is unchanged and may be freed afterwards. */
svi_status svi_optim_new_clipped(svi_optim *out, svi_optim optim,
                                 const svi_clip_options *opts);

/* ------------------------------------------------------------------------ */
/* ELBO objectives                                                           */
/* ------------------------------------------------------------------------ */

/** An ELBO handle: the objective SVI minimizes (its negative). Immutable once
 *  made; may be shared between threads. */
typedef uint64_t svi_elbo;

/** Options of Trace_ELBO (and TraceMeanField_ELBO). */
typedef struct svi_trace_elbo_options {
    uint32_t struct_size;
    size_t num_particles; /**< default 1 */
    /** Non-zero (default 1) to pass all particles of a step to the model in
     *  one call (NumPyro's vectorize_particles), 0 for one call per particle
     *  (for callbacks that take one point at a time). */
    int32_t vectorize_particles;
} svi_trace_elbo_options;

/** Fills `opts` with defaults. The size of the earlier layout without
 *  vectorize_particles is accepted too. */
svi_status svi_trace_elbo_options_init(svi_trace_elbo_options *opts,
                                       uint32_t struct_size);

/** Makes a Trace_ELBO: the Monte Carlo ELBO, reparameterized, or with the
 *  score-function estimator for a model without gradient, which then needs
 *  num_particles >= 2 (SVI_E_INVALID_ARGUMENT at the first step otherwise). */
svi_status svi_elbo_new_trace(svi_elbo *out,
                              const svi_trace_elbo_options *opts);

/** Frees an ELBO. Freeing 0 is a no-op. */
svi_status svi_elbo_free(svi_elbo elbo);

/* ------------------------------------------------------------------------ */
/* Stochastic variational inference                                          */
/* ------------------------------------------------------------------------ */

/* svi_svi, the SVI handle, is declared with the guides above. */

/** Called after each step with the step number (from 1) and its loss.
 *  Return 0 to go on, non-zero to stop the run (SVI_E_STOPPED). */
typedef int (*svi_progress_fn)(void *user_data, size_t step, double loss);

/** Makes an SVI from its parts; it keeps its own references to them, so they
 *  may be freed afterwards. */
svi_status svi_svi_new(svi_svi *out, svi_model model, svi_guide guide,
                       svi_optim optim, svi_elbo elbo);

/** Frees an SVI. Freeing 0 is a no-op. */
svi_status svi_svi_free(svi_svi svi);

/** Initializes (or re-initializes) the parameters and optimizer state.
 *  SVI_E_NUMERICAL, with the state left as it was, when the guide's initial
 *  parameters are not usable (a non-finite value, or a positive one that is
 *  0), as for bounds near the largest doubles. */
svi_status svi_svi_init(svi_svi svi, svi_key key);

/** Takes one optimization step and writes its loss (the negative ELBO
 *  estimate). On failure the state is left as it was before the step. A
 *  non-finite loss or gradient, or an update that would make a parameter or
 *  the optimizer's state non-finite (or a positive parameter 0), is
 *  SVI_E_NUMERICAL. Initializes with key 0 first if svi_svi_init was never
 *  called. */
svi_status svi_svi_step(svi_svi svi, double *out_loss);

/**
 * Initializes with `key` and takes `num_steps` steps, writing each step's loss
 * to out_losses[0 .. num_steps) when it is not NULL. `progress` may be NULL.
 * When step k fails, the state is that after step k - 1; when `progress` asks
 * to stop after step k, it is that after step k. Either way out_losses holds
 * the losses of the steps kept, and svi_svi_num_steps tells how many.
 */
svi_status svi_svi_run(svi_svi svi, svi_key key, size_t num_steps,
                       double *out_losses, svi_progress_fn progress,
                       void *progress_user_data);

/** Writes the number of steps taken since initialization. */
svi_status svi_svi_num_steps(svi_svi svi, size_t *out_steps);

/** Writes the number of named parameters: the guide's, then the model's
 *  parameter blocks (see svi_block_kind), optimized together. */
svi_status svi_svi_num_params(svi_svi svi, size_t *out_count);

/** Writes the name of parameter `index` (static until the SVI is freed). */
svi_status svi_svi_param_name(svi_svi svi, size_t index,
                              const char **out_name);

/** Writes the constrained value of the parameter named `name` into out;
 *  out_len must equal its size. */
svi_status svi_svi_get_param(svi_svi svi, const char *name, double *out,
                             size_t out_len);

/** Writes the size of the parameter named `name`. */
svi_status svi_svi_param_size(svi_svi svi, const char *name,
                              size_t *out_size);

/** Writes the loss at the current parameters without taking a step: the loss
 *  the next svi_svi_step would report, as it uses the same random numbers.
 *  The loss is written as computed: a model that gives NaN gives a NaN loss
 *  with SVI_OK (no gradient is taken, so none is checked). Initializes with
 *  key 0 first if svi_svi_init was never called. */
svi_status svi_svi_evaluate(svi_svi svi, double *out_loss);

/** Takes one step as NumPyro's stable_update: where svi_svi_step would give
 *  SVI_E_NUMERICAL (a non-finite loss, gradient or update), the step is
 *  refused and SVI_OK returned, with
 *  *out_accepted 0: the parameters, optimizer state and step count stay as
 *  they were and only the random key moves on. Otherwise as svi_svi_step,
 *  with *out_accepted 1. Writes the loss (non-finite when refused for it) to
 *  *out_loss. A failing callback is reported as by svi_svi_step. */
svi_status svi_svi_stable_step(svi_svi svi, double *out_loss,
                               int32_t *out_accepted);

/** Saves the whole state — parameters, optimizer state with its step count,
 *  random key — as bytes: a versioned little-endian format with a magic
 *  number and a CRC-32, identical on every platform. Writes the byte count
 *  to *out_len and, when `capacity` is at least that, the bytes to out. Pass
 *  out NULL and capacity 0 to ask for the size. A smaller non-zero capacity
 *  is SVI_E_SHAPE_MISMATCH (*out_len is still written). Initializes with
 *  key 0 first if svi_svi_init was never called. */
svi_status svi_svi_save(svi_svi svi, uint8_t *out, size_t capacity,
                        size_t *out_len);

/** Restores a state saved by svi_svi_save from an SVI with the same guide
 *  layout and optimizer kind: steps taken afterwards are bit-identical to
 *  those the saved SVI would have taken. Bytes that are truncated, corrupt,
 *  of an unknown format version, of another parameter or optimizer layout,
 *  or that hold a non-finite value, a step count above 2^53 or a parameter
 *  the guide cannot use (a positive one that is 0) are
 *  SVI_E_INVALID_ARGUMENT, and the state is left as it was. */
svi_status svi_svi_restore(svi_svi svi, const uint8_t *bytes, size_t len);

/* ------------------------------------------------------------------------ */
/* More ELBOs, predictions and evidence                                      */
/* ------------------------------------------------------------------------ */

/** Writes the number of latent values a callback sees per point (the sum of
 *  the blocks' sizes; see svi_latent_block). */
svi_status svi_model_constrained_dim(svi_model model, size_t *out_dim);

/** Makes a TraceMeanField_ELBO (NumPyro's): Trace_ELBO with analytic KL
 *  terms where the model's prior and the guide's distribution at a site have
 *  one. Callback and distribution models state no prior apart from the
 *  likelihood, so with them it is exactly Trace_ELBO (vectorize_particles is
 *  ignored: particles are always batched). */
svi_status svi_elbo_new_trace_mean_field(svi_elbo *out,
                                         const svi_trace_elbo_options *opts);

/** Options of RenyiELBO. */
typedef struct svi_renyi_elbo_options {
    uint32_t struct_size;
    /** The order α of the divergence: finite and not 1 (default 0, the
     *  importance-weighted bound). */
    double alpha;
    size_t num_particles; /**< default 2 */
} svi_renyi_elbo_options;

/** Fills `opts` with defaults. */
svi_status svi_renyi_elbo_options_init(svi_renyi_elbo_options *opts,
                                       uint32_t struct_size);

/** Makes a RenyiELBO (NumPyro's): with K particles and log-weights
 *  w = log p(z) - log q(z), the bound log(mean(exp((1 - α) w))) / (1 - α);
 *  α = 0 is the IWAE bound. SVI_E_INVALID_ARGUMENT for α = 1 (use
 *  svi_elbo_new_trace), a non-finite α or num_particles 0. */
svi_status svi_elbo_new_renyi(svi_elbo *out,
                              const svi_renyi_elbo_options *opts);

/**
 * Maps posterior draws to predictions: called once with `num_samples` points
 * of `latent_dim` constrained latent values at `latents` (row-major), it
 * writes num_samples × num_predictions values to out_predictions. Returns 0
 * on success; any other value reports failure (SVI_E_CALLBACK_FAILED).
 */
typedef int (*svi_predict_fn)(void *user_data, size_t num_samples,
                              size_t latent_dim, const double *latents,
                              size_t num_predictions,
                              double *out_predictions);

/** Options of svi_predictive. */
typedef struct svi_predictive_options {
    uint32_t struct_size;
    size_t num_samples; /**< default 1 */
    /** Optional (default NULL): the prediction callback. */
    svi_predict_fn predict;
    void *user_data;
    /** Predictions per sample that `predict` writes (default 0). */
    size_t num_predictions;
} svi_predictive_options;

/** Fills `opts` with defaults. */
svi_status svi_predictive_options_init(svi_predictive_options *opts,
                                       uint32_t struct_size);

/**
 * Posterior predictive draws (NumPyro's Predictive with a guide): draws
 * opts->num_samples points from `guide` with the parameters `params` (each
 * by name with its constrained value, as svi_svi_get_param writes them,
 * including the model's parameter blocks if it has any; shapes are ignored,
 * the values are read in row-major order), and writes
 * their constrained latent values to out_latents (num_samples × the model's
 * constrained dimension; out_latents_len must equal that). When opts->predict
 * is set, it is called once with those values and its num_samples ×
 * num_predictions results are written to out_predictions (out_predictions_len
 * must equal that count; out_predictions may be NULL without a callback).
 * SVI_E_INVALID_ARGUMENT for a missing parameter, one the guide does not
 * have, a repeated one or one outside its constraint; SVI_E_SHAPE_MISMATCH
 * for a parameter of the wrong size or a guide of another model's dimension.
 */
svi_status svi_predictive(svi_model model, svi_guide guide,
                          const svi_named_array *params, size_t num_params,
                          svi_key key, const svi_predictive_options *opts,
                          double *out_latents, size_t out_latents_len,
                          double *out_predictions,
                          size_t out_predictions_len);

/** The ELBO E_q[log p(z) - log q(z)] of `guide` with the parameters
 *  `params` (as for svi_predictive), estimated from `num_samples` (at least
 *  2) draws: writes the sample mean and its standard error (sample standard
 *  deviation / sqrt(num_samples)). Estimates are written as computed: a
 *  model that gives NaN gives a NaN estimate with SVI_OK. */
svi_status svi_estimate_elbo(svi_model model, svi_guide guide,
                             const svi_named_array *params, size_t num_params,
                             svi_key key, size_t num_samples,
                             double *out_estimate,
                             double *out_standard_error);

/** The importance-sampled log evidence log mean(exp(w)) over `num_samples`
 *  (at least 2) draws of `guide` with log-weights w = log p(z) - log q(z):
 *  the IWAE bound of that many particles, below the log evidence in
 *  expectation and tending to it. Writes the estimate and its delta-method
 *  standard error, sd(exp(w)) / (sqrt(num_samples) mean(exp(w))), as
 *  svi_estimate_elbo writes its own. */
svi_status svi_log_evidence(svi_model model, svi_guide guide,
                            const svi_named_array *params, size_t num_params,
                            svi_key key, size_t num_samples,
                            double *out_estimate, double *out_standard_error);

/* ------------------------------------------------------------------------ */
/* Variational autoencoders and data sets                                    */
/* ------------------------------------------------------------------------ */

/** A VAE handle: an encoder q_phi(z | x) = Normal(loc_phi(x), scale) and a
 *  decoder p_theta(x | z) with the prior z ~ Normal(0, I), written with the
 *  inference combinators (the target prior∘decoder proposed by the encoder),
 *  with its optimizer and the state of its fit (parameters, optimizer state,
 *  random key, step count). Not thread-safe: use one handle from one thread
 *  at a time. */
typedef uint64_t svi_vae;

/** The nonlinearity between the layers of a VAE's networks. */
typedef int32_t svi_activation;
#define SVI_ACTIVATION_RELU 0
#define SVI_ACTIVATION_TANH 1
#define SVI_ACTIVATION_SOFTPLUS 2
#define SVI_ACTIVATION_SIGMOID 3

/**
 * A decoder log-likelihood log p_theta(x | z), batched. Called with
 * `num_points` rows of latents (num_points × latent_dim, row-major), the
 * data rows they explain (num_points × data_dim) and the callback's own
 * parameters theta (num_params values), it writes num_points
 * log-likelihoods to out_log_likelihood and, when the gradient pointers are
 * not NULL, their gradients: num_points × latent_dim with respect to the
 * latents to out_grad_latents and num_points × num_params with respect to
 * theta to out_grad_params (row s the gradient of the s-th log-likelihood).
 * Both gradient pointers are NULL or both are not. Returns 0 on success; any
 * other value reports failure (SVI_E_CALLBACK_FAILED). Called once per
 * training step (and once per evaluation) with all particles and data rows.
 */
typedef int (*svi_vae_log_likelihood_fn)(void *user_data, size_t num_points,
                                         size_t latent_dim,
                                         const double *latents,
                                         size_t data_dim, const double *data,
                                         size_t num_params,
                                         const double *params,
                                         double *out_log_likelihood,
                                         double *out_grad_latents,
                                         double *out_grad_params);

/** Options of a VAE. */
typedef struct svi_vae_options {
    uint32_t struct_size;
    size_t data_dim;   /**< default 2 */
    size_t latent_dim; /**< default 2 */
    /** The widths of the hidden layers of the encoder and of the decoder
     *  network (default NULL: none); copied. */
    const size_t *hidden_sizes;
    size_t num_hidden; /**< default 0 */
    svi_activation activation; /**< default SVI_ACTIVATION_RELU */
    /** The decoder network's Normal scale (default 1; positive). */
    double decoder_scale;
    /** The encoder's fixed scale (positive); 0 (the default) lets the
     *  encoder learn it: the encoder then has 2·latent_dim outputs, the
     *  second half mapped to scales through softplus. */
    double encoder_scale;
    size_t num_particles; /**< draws per data point in training, default 1 */
    size_t batch_size;    /**< rows drawn with replacement per step, default 100 */
    /** The optimizer (required); the VAE keeps its own reference. */
    svi_optim optim;
    /** Optional (default NULL): a decoder log-likelihood replacing the
     *  decoder network (decoder_scale is then ignored). */
    svi_vae_log_likelihood_fn log_likelihood;
    void *user_data;
    /** The number of the callback's parameters theta (default 0). */
    size_t num_likelihood_params;
    /** Their initial values (num_likelihood_params finite values; may be
     *  NULL when there are none); copied. */
    const double *initial_likelihood_params;
} svi_vae_options;

/** Fills `opts` with defaults. */
svi_status svi_vae_options_init(svi_vae_options *opts, uint32_t struct_size);

/** Makes a VAE. SVI_E_INVALID_ARGUMENT for a zero dimension, hidden size,
 *  batch size or particle count, an unknown activation, a non-positive or
 *  non-finite scale, or non-finite initial callback parameters;
 *  SVI_E_NULL_POINTER for a missing optimizer handle or hidden_sizes that
 *  are NULL while num_hidden is not 0. The callback and user_data must stay
 *  valid until the VAE is freed. */
svi_status svi_vae_new(svi_vae *out, const svi_vae_options *opts);

/** Frees a VAE. Freeing 0 is a no-op. */
svi_status svi_vae_free(svi_vae vae);

/** Initializes (or re-initializes) the parameters (encoder and decoder
 *  weights from `key`, LeCun-normal, biases zero) and the optimizer state. */
svi_status svi_vae_init(svi_vae vae, svi_key key);

/**
 * Takes `num_steps` training steps on `data` (num_rows × data_dim,
 * row-major, finite; copied), continuing from the current state
 * (initialized with key 0 if svi_vae_init was never called). Each step
 * draws batch_size rows with replacement and moves all parameters along the
 * gradient of the loss: the negative ELBO per data point,
 * -(1/B) sum_b (1/K) sum_k [log p(x_b, z_kb) - log q(z_kb | x_b)] with K
 * particles. Writes each step's loss to out_losses[0 .. num_steps) when it
 * is not NULL. `progress` may be NULL. When step k fails, the state is that
 * after step k - 1; when `progress` asks to stop after step k, it is that
 * after step k; out_losses holds the losses of the steps kept.
 */
svi_status svi_vae_train(svi_vae vae, const double *data, size_t num_rows,
                         size_t num_steps, double *out_losses,
                         svi_progress_fn progress, void *progress_user_data);

/** Writes the number of steps taken since initialization. */
svi_status svi_vae_num_steps(svi_vae vae, size_t *out_steps);

/** Writes the number of parameters (encoder, then decoder network or
 *  callback parameters theta). */
svi_status svi_vae_num_params(svi_vae vae, size_t *out_count);

/** Writes the flat parameters (out_len must equal their number); the
 *  callback's theta are the last num_likelihood_params of them. */
svi_status svi_vae_get_params(svi_vae vae, double *out, size_t out_len);

/** Estimates on `data` (num_rows × data_dim) with `num_particles` draws per
 *  row from `key`, per data point: the ELBO (the mean log-weight) and the
 *  importance-weighted bound (1/N) sum_b log((1/K) sum_k w_kb), which is at
 *  least the ELBO of the same draws. Either out pointer may be NULL. */
svi_status svi_vae_evaluate(svi_vae vae, const double *data, size_t num_rows,
                            size_t num_particles, svi_key key,
                            double *out_elbo, double *out_iwae);

/** Writes the encoder's location and scale for each row of `data`
 *  (num_rows × data_dim) to out_loc and out_scale, each num_rows × latent_dim
 *  (out_len must equal that). */
svi_status svi_vae_encode(svi_vae vae, const double *data, size_t num_rows,
                          double *out_loc, double *out_scale, size_t out_len);

/** Writes the decoder network's mean for each row of `latents`
 *  (num_rows × latent_dim) to out (num_rows × data_dim = out_len).
 *  SVI_E_NOT_IMPLEMENTED for a callback decoder. */
svi_status svi_vae_decode(svi_vae vae, const double *latents, size_t num_rows,
                          double *out, size_t out_len);

/** Reconstructions: for each row of `data`, a latent drawn from the encoder
 *  with `key`, decoded to the decoder network's mean; out is
 *  num_rows × data_dim = out_len. SVI_E_NOT_IMPLEMENTED for a callback decoder. */
svi_status svi_vae_reconstruct(svi_vae vae, const double *data,
                               size_t num_rows, svi_key key, double *out,
                               size_t out_len);

/** Draws `num_samples` latents from the prior (out_latents,
 *  num_samples × latent_dim = latents_len) and data from the decoder
 *  network's Normal given them (out_data, num_samples × data_dim = data_len).
 *  With a callback decoder out_data must be NULL with data_len 0. */
svi_status svi_vae_sample(svi_vae vae, size_t num_samples, svi_key key,
                          double *out_latents, size_t latents_len,
                          double *out_data, size_t data_len);

/** The two-moons data set as scikit-learn's make_moons draws it: floor(n/2)
 *  points on the upper half circle, the rest on the lower one, shuffled,
 *  plus `noise` times standard normal noise, all from `key`. Writes the
 *  points (num_samples × 2 = out_len) and, when out_labels is not NULL,
 *  num_samples labels (0 upper, 1 lower). */
svi_status svi_make_moons(size_t num_samples, double noise, svi_key key,
                          double *out_points, size_t out_len,
                          int32_t *out_labels);

/* ------------------------------------------------------------------------ */
/* Runs with options                                                         */
/* ------------------------------------------------------------------------ */

/** Options of svi_svi_run_with_options. */
typedef struct svi_run_options {
    uint32_t struct_size;
    /** Optional (default NULL): called after each step, as by svi_svi_run,
     *  with the step count after it (unchanged by a skipped step). */
    svi_progress_fn progress;
    void *progress_user_data;
    /** Non-zero to skip bad steps (default 0): a step whose callback fails or
     *  whose loss or gradient is not finite leaves the parameters, optimizer
     *  state and step count as they were (only the random key moves on, as
     *  svi_svi_stable_step), its loss (NaN for a failed callback) is written
     *  and the run goes on. With 0 such a step ends the run with
     *  SVI_E_CALLBACK_FAILED or SVI_E_NUMERICAL, the state that of the step
     *  before. */
    int32_t stable;
    /** Early stopping (default 0: off). A positive finite value ends the
     *  run, with SVI_OK, after the first step that completes
     *  early_stopping_patience consecutive calm steps: the step losses
     *  L_1, L_2, ... are smoothed as s_1 = L_1,
     *  s_t = b s_(t-1) + (1 - b) L_t with b = early_stopping_smoothing, and
     *  step t >= 2 is calm when |s_t - s_(t-1)| <= early_stopping_tolerance
     *  |s_(t-1)|. The losses count from the run's first step. A step
     *  skipped in stable mode neither counts nor resets the count. A run
     *  that stopped early has *out_num_losses below num_steps. NaN, a
     *  negative value or +inf is SVI_E_INVALID_ARGUMENT. */
    double early_stopping_tolerance;
    /** b above, in [0, 1) (default 0.9). 0 follows the raw losses. Read only
     *  when early_stopping_tolerance is not 0. */
    double early_stopping_smoothing;
    /** The number of consecutive calm steps that ends the run, at least 1
     *  (default 10). Read only when early_stopping_tolerance is not 0. */
    size_t early_stopping_patience;
} svi_run_options;

/** Fills `opts` with defaults. */
svi_status svi_run_options_init(svi_run_options *opts, uint32_t struct_size);

/**
 * As svi_svi_run, with options (`opts` may be NULL for the defaults): makes
 * `num_steps` attempts at a step, or fewer when early stopping ends the run,
 * writing each attempt's loss to out_losses (when not NULL) and the number
 * written to *out_num_losses. In stable mode a skipped step counts as an
 * attempt, so svi_svi_num_steps may be below *out_num_losses; otherwise they
 * agree, as for svi_svi_run. A run stopped early is in the state a run of
 * *out_num_losses steps with the same key gives. Invalid early-stopping
 * settings are SVI_E_INVALID_ARGUMENT before any step, the state untouched.
 * `opts` may also be the earlier struct that ended at `stable` (struct_size
 * 32 on LP64), which has no early stopping.
 */
svi_status svi_svi_run_with_options(svi_svi svi, svi_key key,
                                    size_t num_steps, double *out_losses,
                                    size_t *out_num_losses,
                                    const svi_run_options *opts);

#ifdef __cplusplus
}
#endif

#endif /* SWIFTVI_H */
