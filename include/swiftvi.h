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
 *  - Thread safety: every function may be called from any thread. Distribution
 *    handles are immutable and may be shared between threads. A model, guide,
 *    optimizer, ELBO or SVI handle may be used by one thread at a time.
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
 *  the estimate and its standard error, each of the broadcast batch shape. */
svi_status svi_kl_monte_carlo(svi_dist p, svi_dist q, size_t num_samples,
                              svi_key key, double *out_estimate,
                              double *out_standard_error, size_t out_len);

/** KL(p ‖ q) of two scalar univariate continuous distributions, integrated
 *  over [low, high] by the composite 8-point Gauss–Legendre rule with
 *  `num_points` nodes in all (at least 1; rounded up to a multiple of 8). */
svi_status svi_kl_quadrature(svi_dist p, svi_dist q, double low, double high,
                             size_t num_points, double *out);

/* ------------------------------------------------------------------------ */
/* Models                                                                    */
/* ------------------------------------------------------------------------ */

/** A model handle: an unnormalized log-density over named latent blocks. */
typedef uint64_t svi_model;

/**
 * A batched log-density. Called with `num_points` points of dimension `dim`
 * at `points` (num_points × dim, row-major), it writes num_points
 * log-densities to out_log_density and, when out_gradient is not NULL, the
 * num_points × dim gradient to out_gradient. Returns 0 on success; any other
 * value reports failure (SVI_E_CALLBACK_FAILED). Called once per SVI step
 * with all particles at once.
 */
typedef int (*svi_log_density_fn)(void *user_data, size_t num_points,
                                  size_t dim, const double *points,
                                  double *out_log_density,
                                  double *out_gradient);

/** The support of a latent block. */
typedef int32_t svi_constraint_kind;
#define SVI_CONSTRAINT_REAL 0

/** A named block of `size` latent coordinates. */
typedef struct svi_latent_block {
    const char *name;
    size_t size;
    svi_constraint_kind constraint;
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
} svi_callback_model_options;

/** Fills `opts` with defaults (no latents, no callback). `struct_size` is
 *  sizeof(svi_callback_model_options) as the caller compiled it. */
svi_status svi_callback_model_options_init(svi_callback_model_options *opts,
                                           uint32_t struct_size);

/** Makes a model from a batched log-density callback. The latent blocks and
 *  their names are copied. The callback and user_data must stay valid until
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

/** Writes the total latent dimension. */
svi_status svi_model_dim(svi_model model, size_t *out_dim);

/* ------------------------------------------------------------------------ */
/* Guides                                                                    */
/* ------------------------------------------------------------------------ */

/** A guide handle: a variational family with learnable parameters. */
typedef uint64_t svi_guide;

/** Options of AutoNormal: a diagonal Normal over the latents, with
 *  parameters named <site>_auto_loc and <site>_auto_scale. */
typedef struct svi_auto_normal_options {
    uint32_t struct_size;
    /** Initial scale of every coordinate (default 0.1). */
    double init_scale;
    /** Initial locations are uniform on (-init_radius, init_radius)
     *  (default 2), unless init_loc is set. */
    double init_radius;
    /** Optional: initial locations, init_loc_len of them (the model's
     *  dimension), copied when the guide is made; NULL to draw them. */
    const double *init_loc;
    size_t init_loc_len;
} svi_auto_normal_options;

/** Fills `opts` with defaults. */
svi_status svi_auto_normal_options_init(svi_auto_normal_options *opts,
                                        uint32_t struct_size);

/** Makes an AutoNormal guide for `model`. */
svi_status svi_guide_new_auto_normal(svi_guide *out, svi_model model,
                                     const svi_auto_normal_options *opts);

/** Frees a guide. Freeing 0 is a no-op. */
svi_status svi_guide_free(svi_guide guide);

/* ------------------------------------------------------------------------ */
/* Optimizers                                                                */
/* ------------------------------------------------------------------------ */

/** An optimizer handle: the settings of a gradient-based optimizer. */
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

/* ------------------------------------------------------------------------ */
/* ELBO objectives                                                           */
/* ------------------------------------------------------------------------ */

/** An ELBO handle: the objective SVI minimizes (its negative). */
typedef uint64_t svi_elbo;

/** Options of Trace_ELBO. */
typedef struct svi_trace_elbo_options {
    uint32_t struct_size;
    size_t num_particles; /**< default 1 */
} svi_trace_elbo_options;

/** Fills `opts` with defaults. */
svi_status svi_trace_elbo_options_init(svi_trace_elbo_options *opts,
                                       uint32_t struct_size);

/** Makes a Trace_ELBO: the reparameterized Monte Carlo ELBO. */
svi_status svi_elbo_new_trace(svi_elbo *out,
                              const svi_trace_elbo_options *opts);

/** Frees an ELBO. Freeing 0 is a no-op. */
svi_status svi_elbo_free(svi_elbo elbo);

/* ------------------------------------------------------------------------ */
/* Stochastic variational inference                                          */
/* ------------------------------------------------------------------------ */

/** An SVI handle: a model, a guide, an optimizer, an ELBO, and the state of
 *  the fit (parameters, optimizer state, random key, step count). */
typedef uint64_t svi_svi;

/** Called after each step with the step number (from 1) and its loss.
 *  Return 0 to go on, non-zero to stop the run (SVI_E_STOPPED). */
typedef int (*svi_progress_fn)(void *user_data, size_t step, double loss);

/** Makes an SVI from its parts; it keeps its own references to them, so they
 *  may be freed afterwards. */
svi_status svi_svi_new(svi_svi *out, svi_model model, svi_guide guide,
                       svi_optim optim, svi_elbo elbo);

/** Frees an SVI. Freeing 0 is a no-op. */
svi_status svi_svi_free(svi_svi svi);

/** Initializes (or re-initializes) the parameters and optimizer state. */
svi_status svi_svi_init(svi_svi svi, svi_key key);

/** Takes one optimization step and writes its loss (the negative ELBO
 *  estimate). On failure the state is left as it was before the step.
 *  Initializes with key 0 first if svi_svi_init was never called. */
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

/** Writes the number of named parameters of the guide. */
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

#ifdef __cplusplus
}
#endif

#endif /* SWIFTVI_H */
