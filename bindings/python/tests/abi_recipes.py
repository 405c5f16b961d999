"""Valid arguments for every function of include/swiftvi.h, for the bad-input matrix (abi_matrix.py).

One entry per function: `"svi_name": Recipe(lambda c: [arguments...])`, one argument per header parameter,
in order, built from the context `c` (c.dist, c.model, c.guide, c.optim, c.elbo, c.svi, c.transform,
c.callback_model, c.callback_svi, c.key(), c.options("svi_x_options", field=value), ...) and the descriptors
OUT(n) (an output buffer of n elements), Arr(values, shape), named(name=value, ...), Sizes([...]),
Doubles([...]), Structs("type", [{field: value}]), Handles([...]) and plain numbers and strings. A list of
Recipes tests several valid calls of one function.

The matrix mutates each argument by its C type and expects the default status of its rules (see
abi_matrix.py). `expect` lists the documented exceptions, by mutation label (fnmatch patterns); each says why
in a comment when the header does not say it in so many words.
"""

import ctypes
import math

from abi_matrix import (
    E_INVALID,
    E_NULL,
    E_NUMERICAL,
    E_SHAPE,
    E_STOPPED,
    OK,
    OUT,
    Arr,
    Context,
    Doubles,
    Handles,
    Recipe,
    Sizes,
    named,
    scalar,
)
from swiftvi import _capi

# Which of the value mutations (-1, +inf, -inf) a parameter accepts; NaN is never accepted.
REAL = ("-1",)  # finite reals
POSITIVE = ()  # positive and finite
ANY_SIGN_OR_MINUS_INF = ("-1", "-inf")


def family(name, accepted=None, **params):
    """A recipe for svi_dist_new of `name` with `params`; `accepted` maps a parameter to the value mutations it
    accepts (default: REAL for loc-like names, none otherwise)."""
    accepted = accepted or {}
    expect = {}
    for param in params:
        ok = accepted.get(param, REAL if param in ("loc", "v", "logits", "cov_factor", "log_density") else POSITIVE)
        for label in ok:
            expect[f"params[{param}]={label}"] = OK
    items = named(**params)
    return Recipe(lambda c: [OUT(), name, items, len(items)], expect=expect, name=name)


DISTRIBUTIONS = [
    family("Normal", loc=[0.5, -1.0], scale=[1.0, 2.0]),
    family("Categorical", probs=[0.3, 0.7]),
    family("Categorical", {"logits": ("-1", "-inf")}, logits=[0.1, -0.4, 0.2]),
    family("LogNormal", loc=0.2, scale=0.7),
    family("Cauchy", loc=0.2, scale=0.7),
    family("Laplace", loc=0.2, scale=0.7),
    family("Logistic", loc=0.2, scale=0.7),
    family("Gumbel", loc=0.2, scale=0.7),
    family("HalfNormal", scale=[0.5, 1.5]),
    family("HalfCauchy", scale=1.5),
    family("Uniform", {"low": REAL}, low=0.0, high=1.0),
    family("Weibull", scale=1.0, concentration=1.5),
    family("Pareto", scale=1.0, alpha=2.0),
    family("TruncatedNormal", {"loc": REAL, "low": ANY_SIGN_OR_MINUS_INF, "high": ("+inf",)},
           loc=0.0, scale=1.0, low=-0.5, high=2.0),
    family("MultivariateNormal", loc=[0.0, 1.0], scale_tril=Arr([1.0, 0.0, 0.5, 1.0], [2, 2])),
    family("MultivariateNormal", {"covariance_matrix": POSITIVE},
           loc=[0.0, 1.0], covariance_matrix=Arr([2.0, 0.5, 0.5, 1.0], [2, 2])),
    family("MultivariateNormal", loc=[0.0, 1.0], precision_matrix=Arr([2.0, 0.5, 0.5, 1.0], [2, 2])),
    family("LowRankMultivariateNormal", loc=[0.0, 1.0], cov_factor=Arr([1.0, 0.5], [2, 1]), cov_diag=[1.0, 2.0]),
    family("Bernoulli", probs=0.3),
    family("Bernoulli", logits=0.3),
    family("Binomial", total_count=5.0, probs=0.3),
    family("Poisson", rate=2.0),
    family("Geometric", probs=0.3),
    family("NegativeBinomial", total_count=2.5, probs=0.4),
    family("Delta", v=[1.0, 2.0], log_density=0.5, event_dim=scalar(1.0)),
    family("Beta", concentration1=[0.5, 2.0], concentration0=1.5),
    family("Gamma", concentration=2.0, rate=[0.5, 3.0]),
    family("InverseGamma", concentration=2.0, rate=1.5),
    family("Exponential", rate=[0.5, 2.0]),
    family("Chi2", df=3.0),
    family("StudentT", df=4.0, loc=0.5, scale=2.0),
    family("Dirichlet", concentration=[0.5, 1.0, 2.0]),
]


def option_init(type_name):
    """The recipe of an *_init function: an output struct and its size."""
    return Recipe(lambda c: [OUT(), ctypes.sizeof(getattr(_capi, type_name))])




def svi_save(c):
    size = len(c.saved_state(c.svi).data)
    return [c.svi, OUT(size), size, OUT()]


def predictive(c):
    params = c.fitted_params(c.svi)
    options = c.options("svi_predictive_options", num_samples=4, predict=c.callback(_capi.svi_predict_fn),
                        num_predictions=2)
    return [c.model, c.guide, params, len(params), c.key(), options, OUT(12), 12, OUT(8), 8]


def evidence(svi_of, model_of, guide_of):
    def build(c):
        params = c.fitted_params(svi_of(c))
        return [model_of(c), guide_of(c), params, len(params), c.key(), 16, OUT(), OUT()]
    return build


#: Every parameter of the fitted guide: its scale must be positive, its loc finite.
FITTED_PARAMS_EXPECT = {
    "params[*_auto_loc]=-1": OK,
    "params[*_auto_scale]=-1": E_INVALID,
    # A missing parameter is invalid, as is one outside its constraint.
    "num_params=0": E_INVALID,
}

CALLBACK_EXPECT = {
    # A NaN gradient with a finite loss still makes the step non-finite.
    "log_density=nan gradient": E_NUMERICAL,
}

#: Estimates are written as computed: a model's NaN gives a NaN estimate, not an error.
ESTIMATE_EXPECT = {"log_density=nan": OK, "log_density=nan gradient": OK}


def with_count(items):
    """Named parameters and their count, as two arguments."""
    return [items, len(items)]


#: init_to_uniform (the default) reads its radius only: no other field of the strategy.
INIT_STRATEGY_EXPECT = {
    "opts.init_loc_fn.kind=-1": E_INVALID,
    "opts.init_loc_fn.num_samples=*": OK,
    "opts.init_loc_fn.num_values=*": OK,
}

#: Early stopping off (tolerance 0, the default): its smoothing and patience are not read.
RUN_WITHOUT_EARLY_STOPPING_EXPECT = {"opts.early_stopping_smoothing=*": OK, "opts.early_stopping_patience=*": OK}

#: Posterior queries by SVI: no parameters are read; svi 0 asks for them instead, and none are given.
POSTERIOR_BY_SVI_EXPECT = {"num_params=*": OK, "svi=0": E_INVALID}

#: Posterior queries by parameters: svi 0 is how they are asked for; every parameter is needed.
POSTERIOR_BY_PARAMS_EXPECT = {
    "svi=0": OK,
    "params[*_auto_loc]=-1": OK,
    "params[*_auto_scale]=-1": E_INVALID,
    "num_params=0": E_INVALID,
}


RECIPES = {
    "svi_abi_version": Recipe(lambda c: [], returns="abi version"),
    "svi_version_string": Recipe(lambda c: [], returns="string"),
    "svi_status_string": Recipe(lambda c: [3], returns="string"),
    "svi_last_error_message": Recipe(lambda c: [], returns="string"),
    "svi_key_from_seed": Recipe(lambda c: [OUT(), 5]),
    "svi_key_split": Recipe(lambda c: [OUT(3), 3, c.key()], expect={"count=0": OK}),
    "svi_key_fold_in": Recipe(lambda c: [OUT(), c.key(), 5]),
    "svi_random_uniform": Recipe(lambda c: [OUT(4), 4, c.key()], expect={"count=0": OK}),
    "svi_random_normal": Recipe(lambda c: [OUT(4), 4, c.key()], expect={"count=0": OK}),
    "svi_dist_new": DISTRIBUTIONS,
    "svi_mixture_same_family_new": Recipe(lambda c: [OUT(), c.categorical, c.components]),
    "svi_independent_new": Recipe(lambda c: [OUT(), c.dist, 1], expect={"reinterpreted_batch_ndims=0": OK}),
    "svi_dist_free": Recipe(lambda c: [c.dist]),
    "svi_dist_family": Recipe(lambda c: [c.dist, OUT()]),
    "svi_dist_batch_shape": Recipe(
        lambda c: [c.dist, OUT(1), 1, OUT()],
        # A larger capacity than the rank is fine; SIZE_MAX is a count out of range.
        expect={"capacity=one more": OK, "capacity=SIZE_MAX": E_INVALID},
        writes_on_failure={"out_ndim"},
    ),
    "svi_dist_event_shape": Recipe(
        lambda c: [c.mvn, OUT(1), 1, OUT()],
        expect={"capacity=one more": OK, "capacity=SIZE_MAX": E_INVALID},
        writes_on_failure={"out_ndim"},
    ),
    "svi_dist_log_prob": Recipe(lambda c: [c.dist, Arr([0.1, 0.2, 0.3]), OUT(3), 3]),
    "svi_dist_cdf": Recipe(lambda c: [c.dist, Arr([0.1, 0.2, 0.3]), OUT(3), 3]),
    "svi_dist_icdf": Recipe(
        lambda c: [c.dist, Arr([0.1, 0.5, 0.9]), OUT(3), 3],
        # Probabilities outside [0, 1] are invalid.
        expect={"probability[0]=*": E_INVALID},
    ),
    "svi_dist_sample": Recipe(
        lambda c: [c.dist, c.key(), 1, Sizes([2]), OUT(6), 6],
        # Without the sample dimension the sample has 3 elements, not out_len's 6.
        expect={"sample_ndim=0": E_SHAPE},
    ),
    "svi_dist_mean": Recipe(lambda c: [c.dist, OUT(3), 3]),
    "svi_dist_variance": Recipe(lambda c: [c.dist, OUT(3), 3]),
    "svi_dist_entropy": Recipe(lambda c: [c.dist, OUT(3), 3]),
    "svi_kl_divergence": Recipe(lambda c: [c.dist, c.dist, OUT(3), 3]),
    "svi_kl_monte_carlo": Recipe(lambda c: [c.dist, c.dist, 10, c.key(), OUT(3), OUT(3), 3]),
    "svi_kl_quadrature": Recipe(lambda c: [c.normal, c.laplace, -8.0, 8.0, 64, OUT()],
                                expect={"low=-1": OK, "high=-1": OK}),
    "svi_transform_new": [
        Recipe(lambda c: [OUT(), "Affine", named(loc=1.0, scale=2.0), 2], name="Affine",
               expect={"params[loc]=-1": OK, "params[scale]=-1": OK}),
        Recipe(lambda c: [OUT(), "Power", named(exponent=2.0), 1], name="Power", expect={"params[exponent]=-1": OK}),
        # diag_shift is optional.
        Recipe(lambda c: [OUT(), "FillScaleTriL", named(diag_shift=0.001), 1], name="FillScaleTriL",
               expect={"num_params=0": OK}),
        Recipe(lambda c: [OUT(), "LowerCholeskyAffine",
                          named(loc=[0.0, 1.0], scale_tril=Arr([1.0, 0.0, 0.5, 1.0], [2, 2])), 2],
               name="LowerCholeskyAffine", expect={"params[loc]=-1": OK}),
        # A transform without parameters: num_params 0 is the valid count.
        Recipe(lambda c: [OUT(), "Exp", None, 0], name="Exp", expect={"num_params=0": OK}),
    ],
    "svi_transform_compose": Recipe(lambda c: [OUT(), Handles([c.transform, c.affine]), 2]),
    "svi_transform_inv": Recipe(lambda c: [OUT(), c.transform]),
    "svi_biject_to": [
        Recipe(lambda c: [OUT(), "interval", named(lower_bound=0.0, upper_bound=2.0), 2], name="interval",
               expect={"params[lower_bound]=-1": OK}),
        Recipe(lambda c: [OUT(), "positive", named(reinterpreted_batch_ndims=1.0), 1], name="independent positive",
               expect={"num_params=0": OK}),
        Recipe(lambda c: [OUT(), "simplex", None, 0], name="simplex", expect={"num_params=0": OK}),
    ],
    "svi_transform_free": Recipe(lambda c: [c.transform]),
    "svi_transform_name": Recipe(lambda c: [c.transform, OUT()]),
    "svi_transform_domain": Recipe(lambda c: [c.transform, OUT()]),
    "svi_transform_codomain": Recipe(lambda c: [c.transform, OUT()]),
    "svi_transform_event_dims": Recipe(lambda c: [c.transform, OUT(), OUT()]),
    "svi_transform_forward_shape": Recipe(
        lambda c: [c.transform, 1, Sizes([3]), OUT(1), 1, OUT()],
        # A 0-dimensional input is a scalar, which an elementwise transform maps.
        expect={"ndim=0": OK, "capacity=one more": OK, "capacity=SIZE_MAX": E_INVALID},
        writes_on_failure={"out_ndim"},
    ),
    "svi_transform_inverse_shape": Recipe(
        lambda c: [c.transform, 1, Sizes([3]), OUT(1), 1, OUT()],
        expect={"ndim=0": OK, "capacity=one more": OK, "capacity=SIZE_MAX": E_INVALID},
        writes_on_failure={"out_ndim"},
    ),
    "svi_transform_forward": Recipe(lambda c: [c.transform, Arr([0.1, 0.2, 0.3]), OUT(3), 3]),
    "svi_transform_inverse": Recipe(lambda c: [c.transform, Arr([0.1, 0.2, 0.3]), OUT(3), 3]),
    "svi_transform_log_abs_det_jacobian": Recipe(
        lambda c: [c.transform, Arr([0.1, 0.2]), Arr([math.exp(0.1), math.exp(0.2)]), OUT(2), 2]),
    "svi_transformed_distribution_new": Recipe(lambda c: [OUT(), c.dist, c.transform]),
    "svi_callback_model_options_init": option_init("svi_callback_model_options"),
    "svi_model_new_callback": [
        Recipe(lambda c: [OUT(), c.callback_model_options()], name="real block",
               expect={"opts.has_gradient=-1": OK, "opts.latents[0].lower_bound=*": OK,
                       "opts.latents[0].upper_bound=*": OK, "opts.latents[0].constraint=-1": E_INVALID,
                       "opts.latents[0].kind=-1": E_INVALID}),
        Recipe(lambda c: [OUT(), c.callback_model_options(constraint=_capi.SVI_CONSTRAINT_INTERVAL,
                                                          lower_bound=-1.0, upper_bound=2.0)],
               name="interval block",
               expect={"opts.has_gradient=-1": OK, "opts.latents[0].constraint=-1": E_INVALID,
                       "opts.latents[0].kind=-1": E_INVALID,
                       # -1 is the lower bound already; an upper bound of -1 is not above it.
                       "opts.latents[0].lower_bound=-1": OK}),
    ],
    "svi_model_new_distribution": Recipe(lambda c: [OUT(), "x", c.dist], expect={"site=unknown": OK}),
    "svi_model_free": Recipe(lambda c: [c.model]),
    "svi_model_dim": Recipe(lambda c: [c.model, OUT()]),
    "svi_model_constrained_dim": Recipe(lambda c: [c.model, OUT()]),
    "svi_auto_normal_options_init": option_init("svi_auto_normal_options"),
    "svi_guide_new_auto_normal": [
        Recipe(lambda c: [OUT(), c.model, c.options("svi_auto_normal_options")], name="drawn locations",
               # Without init_loc its length is not read.
               expect={"opts.init_loc_len=*": OK, **INIT_STRATEGY_EXPECT}),
        Recipe(lambda c: [OUT(), c.model, c.options("svi_auto_normal_options", init_loc=Doubles([0.1, 0.2, 0.3]),
                                                    init_loc_len=3)],
               name="given locations",
               # init_loc overrides the radius of init_loc_fn (its kind must stay SVI_INIT_TO_UNIFORM).
               expect={"opts.init_loc=NULL": OK, "opts.init_loc_len=0": E_SHAPE, "opts.init_radius=*": OK,
                       "opts.init_loc_fn.radius=*": OK, **INIT_STRATEGY_EXPECT}),
    ],
    "svi_guide_free": Recipe(lambda c: [c.guide]),
    "svi_sgd_options_init": option_init("svi_sgd_options"),
    "svi_optim_new_sgd": Recipe(lambda c: [OUT(), c.options("svi_sgd_options")],
                                # Nesterov momentum needs momentum > 0, which the defaults lack.
                                expect={"opts.nesterov=-1": E_INVALID}),
    "svi_adam_options_init": option_init("svi_adam_options"),
    "svi_optim_new_adam": Recipe(lambda c: [OUT(), c.options("svi_adam_options")]),
    "svi_optim_free": Recipe(lambda c: [c.optim]),
    "svi_adamw_options_init": option_init("svi_adamw_options"),
    "svi_optim_new_adamw": Recipe(lambda c: [OUT(), c.options("svi_adamw_options")]),
    "svi_clipped_adam_options_init": option_init("svi_clipped_adam_options"),
    "svi_optim_new_clipped_adam": Recipe(lambda c: [OUT(), c.options("svi_clipped_adam_options")]),
    "svi_rmsprop_options_init": option_init("svi_rmsprop_options"),
    "svi_optim_new_rmsprop": Recipe(lambda c: [OUT(), c.options("svi_rmsprop_options")],
                                    # A non-zero int32 flag is true, whatever its value.
                                    expect={"opts.centered=-1": OK}),
    "svi_adagrad_options_init": option_init("svi_adagrad_options"),
    "svi_optim_new_adagrad": Recipe(lambda c: [OUT(), c.options("svi_adagrad_options")]),
    "svi_schedule_init": option_init("svi_schedule"),
    "svi_optim_new_scheduled": [
        Recipe(lambda c: [OUT(), c.optim, c.options("svi_schedule", init_value=0.01)], name="constant",
               # Fields other kinds read are not read by a constant schedule.
               expect={"schedule.kind=-1": E_INVALID, "schedule.decay_*": OK, "schedule.alpha=*": OK, "schedule.staircase=-1": OK,
                       "schedule.num_boundaries=*": OK, "schedule.warmup_init_value=*": OK,
                       "schedule.warmup_steps=0": OK}),
        Recipe(lambda c: [OUT(), c.optim, c.options("svi_schedule", kind=_capi.SVI_SCHEDULE_EXPONENTIAL_DECAY,
                                                     init_value=0.01, decay_steps=100, decay_rate=0.5,
                                                     warmup_steps=10, warmup_init_value=0.001)],
               name="exponential decay with warm-up",
               expect={"schedule.kind=-1": E_INVALID, "schedule.alpha=*": OK, "schedule.staircase=-1": OK,
                       "schedule.num_boundaries=*": OK,
                       # No warm-up steps is no warm-up.
                       "schedule.warmup_steps=0": OK}),
        Recipe(lambda c: [OUT(), c.optim, c.options("svi_schedule", kind=_capi.SVI_SCHEDULE_COSINE_DECAY,
                                                     init_value=0.01, decay_steps=100, alpha=0.1)],
               name="cosine decay",
               expect={"schedule.kind=-1": E_INVALID, "schedule.decay_rate=*": OK, "schedule.staircase=-1": OK, "schedule.num_boundaries=*": OK,
                       "schedule.warmup_init_value=*": OK, "schedule.warmup_steps=0": OK}),
        Recipe(lambda c: [OUT(), c.optim, c.options("svi_schedule", kind=_capi.SVI_SCHEDULE_PIECEWISE_CONSTANT,
                                                     boundaries=Sizes([10, 20]), values=Doubles([0.1, 0.01, 0.001]),
                                                     num_boundaries=2)],
               name="piecewise constant",
               expect={"schedule.kind=-1": E_INVALID, "schedule.init_value=*": OK, "schedule.decay_*": OK, "schedule.alpha=*": OK,
                       "schedule.staircase=-1": OK, "schedule.warmup_init_value=*": OK, "schedule.warmup_steps=0": OK,
                       "schedule.values[0]=-1": E_INVALID,
                       # No boundaries: one value, the first.
                       "schedule.num_boundaries=0": OK}),
    ],
    "svi_clip_options_init": option_init("svi_clip_options"),
    "svi_optim_new_clipped": Recipe(lambda c: [OUT(), c.optim, c.options("svi_clip_options", max_global_norm=1.0)],
                                    # max_value 0 is absent; max_global_norm 0 leaves no bound at all.
                                    expect={"opts.max_value=-1": E_INVALID}),
    "svi_trace_elbo_options_init": option_init("svi_trace_elbo_options"),
    "svi_elbo_new_trace": Recipe(lambda c: [OUT(), c.options("svi_trace_elbo_options")],
                                 expect={"opts.vectorize_particles=-1": OK}),
    "svi_elbo_new_trace_mean_field": Recipe(lambda c: [OUT(), c.options("svi_trace_elbo_options")],
                                            expect={"opts.vectorize_particles=-1": OK}),
    "svi_renyi_elbo_options_init": option_init("svi_renyi_elbo_options"),
    "svi_elbo_new_renyi": Recipe(lambda c: [OUT(), c.options("svi_renyi_elbo_options")],
                                 # Any finite order other than 1 is valid.
                                 expect={"opts.alpha=-1": OK}),
    "svi_elbo_free": Recipe(lambda c: [c.elbo]),
    "svi_svi_new": Recipe(lambda c: [OUT(), c.model, c.guide, c.optim, c.elbo]),
    "svi_svi_free": Recipe(lambda c: [c.svi]),
    "svi_svi_init": Recipe(lambda c: [c.svi, c.key()]),
    "svi_svi_step": [
        Recipe(lambda c: [c.svi, OUT()], name="distribution model"),
        Recipe(lambda c: [c.callback_svi, OUT()], name="callback model", expect=CALLBACK_EXPECT),
    ],
    "svi_svi_run": [
        Recipe(lambda c: [c.svi, c.key(), 5, OUT(5), c.callback(_capi.svi_progress_fn), None],
               name="distribution model",
               # out_losses and progress are optional; no steps is a valid run.
               expect={"out_losses=NULL": OK, "progress=NULL": OK, "progress=fails": E_STOPPED, "num_steps=0": OK},
               writes_on_failure={"out_losses"}),
        Recipe(lambda c: [c.callback_svi, c.key(), 5, OUT(5), None, None], name="callback model",
               expect={"out_losses=NULL": OK, "num_steps=0": OK, **CALLBACK_EXPECT},
               writes_on_failure={"out_losses"}),
    ],
    "svi_run_options_init": option_init("svi_run_options"),
    "svi_svi_run_with_options": [
        Recipe(lambda c: [c.svi, c.key(), 5, OUT(5), OUT(), c.options("svi_run_options")], name="distribution model",
               # out_losses and opts are optional; no steps is a valid run; any non-zero stable means stable.
               expect={"out_losses=NULL": OK, "opts=NULL": OK, "num_steps=0": OK, "opts.stable=-1": OK,
                       **RUN_WITHOUT_EARLY_STOPPING_EXPECT},
               writes_on_failure={"out_losses", "out_num_losses"}),
        Recipe(lambda c: [c.callback_svi, c.key(), 5, OUT(5), OUT(), c.options("svi_run_options")],
               name="callback model",
               expect={"out_losses=NULL": OK, "opts=NULL": OK, "num_steps=0": OK, "opts.stable=-1": OK,
                       **RUN_WITHOUT_EARLY_STOPPING_EXPECT, **CALLBACK_EXPECT},
               writes_on_failure={"out_losses", "out_num_losses"}),
        Recipe(lambda c: [c.svi, c.key(), 5, OUT(5), OUT(),
                          c.options("svi_run_options", early_stopping_tolerance=1e-3)],
               name="early stopping",
               # opts=NULL and a tolerance of 0 mean no early stopping, a valid run.
               expect={"out_losses=NULL": OK, "opts=NULL": OK, "num_steps=0": OK, "opts.stable=-1": OK},
               writes_on_failure={"out_losses", "out_num_losses"}),
    ],
    "svi_svi_num_steps": Recipe(lambda c: [c.svi, OUT()]),
    "svi_svi_num_params": Recipe(lambda c: [c.svi, OUT()]),
    "svi_svi_param_name": Recipe(lambda c: [c.svi, 1, OUT()], expect={"index=0": OK}),
    "svi_svi_get_param": Recipe(lambda c: [c.svi, "x_auto_loc", OUT(3), 3]),
    "svi_svi_param_size": Recipe(lambda c: [c.svi, "x_auto_scale", OUT()]),
    "svi_svi_evaluate": [
        Recipe(lambda c: [c.svi, OUT()], name="distribution model"),
        Recipe(lambda c: [c.callback_svi, OUT()], name="callback model",
               # The loss is written as it is, finite or not; no gradient is taken.
               expect={"log_density=nan": OK, "log_density=nan gradient": OK}),
    ],
    "svi_svi_stable_step": [
        Recipe(lambda c: [c.svi, OUT(), OUT()], name="distribution model"),
        Recipe(lambda c: [c.callback_svi, OUT(), OUT()], name="callback model",
               # A non-finite loss or gradient refuses the step with SVI_OK (*out_accepted 0).
               expect={"log_density=nan": OK, "log_density=nan gradient": OK}),
    ],
    "svi_svi_save": Recipe(
        svi_save,
        # out NULL with capacity 0 asks for the size; a larger capacity is fine.
        expect={"capacity=one more": OK},
        writes_on_failure={"out_len"},
    ),
    "svi_svi_restore": Recipe(lambda c: [c.svi, c.saved_state(c.svi), len(c.saved_state(c.svi).data)]),
    # Automatic guides (the model has one latent 'x' of 3 coordinates).
    "svi_auto_diagonal_normal_options_init": option_init("svi_auto_diagonal_normal_options"),
    "svi_guide_new_auto_diagonal_normal": Recipe(
        lambda c: [OUT(), c.model, c.options("svi_auto_diagonal_normal_options")], expect=INIT_STRATEGY_EXPECT),
    "svi_auto_multivariate_normal_options_init": option_init("svi_auto_multivariate_normal_options"),
    "svi_guide_new_auto_multivariate_normal": Recipe(
        lambda c: [OUT(), c.model, c.options("svi_auto_multivariate_normal_options")], expect=INIT_STRATEGY_EXPECT),
    "svi_auto_low_rank_multivariate_normal_options_init": option_init("svi_auto_low_rank_multivariate_normal_options"),
    "svi_guide_new_auto_low_rank_multivariate_normal": Recipe(
        lambda c: [OUT(), c.model, c.options("svi_auto_low_rank_multivariate_normal_options", rank=2)],
        # rank 0 means the default rank.
        expect={**INIT_STRATEGY_EXPECT, "opts.rank=0": OK}),
    "svi_auto_delta_options_init": option_init("svi_auto_delta_options"),
    "svi_guide_new_auto_delta": [
        # init_to_median reads num_samples only; init_to_value its values (the other sites uniform, radius 2).
        Recipe(lambda c: [OUT(), c.model, c.options("svi_auto_delta_options")], name="init to median",
               expect={"opts.init_loc_fn.kind=-1": E_INVALID, "opts.init_loc_fn.radius=*": OK,
                       "opts.init_loc_fn.num_values=*": OK}),
        Recipe(lambda c: [OUT(), c.model, c.options("svi_auto_delta_options", init_loc_fn=dict(
            kind=_capi.SVI_INIT_TO_VALUE, values=named(x=[0.5, -1.0, 2.0]), num_values=1))], name="init to value",
               expect={"opts.init_loc_fn.kind=-1": E_INVALID, "opts.init_loc_fn.radius=*": OK,
                       "opts.init_loc_fn.num_samples=*": OK, "opts.init_loc_fn.num_values=0": OK}),
    ],
    "svi_auto_laplace_approximation_options_init": option_init("svi_auto_laplace_approximation_options"),
    "svi_guide_new_auto_laplace_approximation": Recipe(
        lambda c: [OUT(), c.model, c.options("svi_auto_laplace_approximation_options")], expect=INIT_STRATEGY_EXPECT),
    "svi_auto_iaf_normal_options_init": option_init("svi_auto_iaf_normal_options"),
    "svi_guide_new_auto_iaf_normal": Recipe(
        lambda c: [OUT(), c.model, c.options("svi_auto_iaf_normal_options", hidden_dims=Sizes([4, 5]),
                                             num_hidden_dims=2)],
        # NULL hidden_dims are the default layers.
        expect={"opts.hidden_dims=NULL": OK, "opts.nonlinearity=-1": E_INVALID}),
    "svi_guide_num_latents": Recipe(lambda c: [c.guide, OUT()]),
    "svi_guide_latent_name": Recipe(lambda c: [c.guide, 0, OUT()], expect={"index=0": OK}),
    "svi_guide_latent_shape": Recipe(
        lambda c: [c.guide, "x", OUT(1), 1, OUT()],
        expect={"capacity=one more": OK, "capacity=SIZE_MAX": E_INVALID}, writes_on_failure={"out_ndim"}),
    "svi_guide_sample_posterior": [
        # No samples leave nothing to write in out.
        Recipe(lambda c: [c.guide, c.svi, None, 0, c.key(), 4, "x", OUT(12), 12], name="by SVI",
               expect={**POSTERIOR_BY_SVI_EXPECT, "num_samples=0": E_SHAPE}),
        Recipe(lambda c: [c.guide, 0, *with_count(c.fitted_params(c.svi)), c.key(), 4, "x", OUT(12), 12],
               name="by parameters", expect={**POSTERIOR_BY_PARAMS_EXPECT, "num_samples=0": E_SHAPE}),
    ],
    "svi_guide_median": [
        Recipe(lambda c: [c.guide, c.svi, None, 0, "x", OUT(3), 3], name="by SVI", expect=POSTERIOR_BY_SVI_EXPECT),
        Recipe(lambda c: [c.guide, 0, *with_count(c.fitted_params(c.svi)), "x", OUT(3), 3], name="by parameters",
               expect=POSTERIOR_BY_PARAMS_EXPECT),
    ],
    "svi_guide_quantiles": [
        # Probabilities must lie in (0, 1); with no quantiles asked for there are none to write.
        Recipe(lambda c: [c.guide, c.svi, None, 0, Doubles([0.25, 0.75]), 2, "x", OUT(6), 6], name="by SVI",
               expect={**POSTERIOR_BY_SVI_EXPECT, "num_quantiles=0": E_SHAPE, "quantiles[0]=-1": E_INVALID}),
        Recipe(lambda c: [c.guide, 0, *with_count(c.fitted_params(c.svi)), Doubles([0.5]), 1, "x", OUT(3), 3],
               name="by parameters",
               expect={**POSTERIOR_BY_PARAMS_EXPECT, "num_quantiles=0": E_SHAPE, "quantiles[0]=-1": E_INVALID}),
    ],
    "svi_guide_laplace_posterior": Recipe(
        lambda c: [c.laplace_guide, c.laplace_svi, None, 0, OUT(3), 3, OUT(9), 9],
        expect=POSTERIOR_BY_SVI_EXPECT),
    "svi_svi_param_shape": Recipe(
        lambda c: [c.svi, "x_auto_loc", OUT(1), 1, OUT()],
        expect={"capacity=one more": OK, "capacity=SIZE_MAX": E_INVALID}, writes_on_failure={"out_ndim"}),
    # Variational autoencoders (2-dimensional data and latents, ten rows).
    "svi_vae_options_init": option_init("svi_vae_options"),
    "svi_vae_new": Recipe(
        lambda c: [OUT(), c.options("svi_vae_options", hidden_sizes=Sizes([4]), num_hidden=1, optim=c.optim)],
        expect={
            # A missing optimizer is a NULL pointer, as the header says.
            "opts.optim=0": E_NULL,
            # The encoder's scale 0 is a learned scale; the callback's fields are not read without it.
            "opts.encoder_scale=-1": E_INVALID,
            "opts.user_data=NULL": OK,
            "opts.num_likelihood_params=*": OK,
            "opts.activation=-1": E_INVALID,
            # Without hidden layers hidden_sizes is not read.
            "opts.num_hidden=0": OK,
        }),
    "svi_vae_free": Recipe(lambda c: [c.vae]),
    "svi_vae_init": Recipe(lambda c: [c.vae, c.key()]),
    "svi_vae_train": Recipe(
        lambda c: [c.vae, Doubles(Context.VAE_DATA), 10, 3, OUT(3), c.callback(_capi.svi_progress_fn), None],
        expect={"out_losses=NULL": OK, "progress=NULL": OK, "progress=fails": E_STOPPED, "num_steps=0": OK},
        writes_on_failure={"out_losses"}),
    "svi_vae_num_steps": Recipe(lambda c: [c.vae, OUT()]),
    "svi_vae_num_params": Recipe(lambda c: [c.vae, OUT()]),
    "svi_vae_get_params": Recipe(lambda c: [c.vae, OUT(c.vae_num_params()), c.vae_num_params()]),
    "svi_vae_evaluate": Recipe(
        lambda c: [c.vae, Doubles(Context.VAE_DATA), 10, 4, c.key(), OUT(), OUT()],
        # Either estimate may be left out.
        expect={"out_elbo=NULL": OK, "out_iwae=NULL": OK}),
    "svi_vae_encode": Recipe(lambda c: [c.vae, Doubles(Context.VAE_DATA), 10, OUT(20), OUT(20), 20]),
    "svi_vae_decode": Recipe(lambda c: [c.vae, Doubles(Context.VAE_DATA), 10, OUT(20), 20]),
    "svi_vae_reconstruct": Recipe(lambda c: [c.vae, Doubles(Context.VAE_DATA), 10, c.key(), OUT(20), 20]),
    "svi_vae_sample": Recipe(lambda c: [c.vae, 3, c.key(), OUT(6), 6, OUT(6), 6]),
    "svi_make_moons": Recipe(lambda c: [10, 0.1, c.key(), OUT(20), 20, OUT(10)],
                             # The labels are optional; no noise is fine.
                             expect={"out_labels=NULL": OK}),
    "svi_predictive_options_init": option_init("svi_predictive_options"),
    "svi_predictive": Recipe(
        predictive,
        expect={
            **FITTED_PARAMS_EXPECT,
            # With fewer samples or predictions the buffers' lengths no longer match.
            "opts.num_samples=0": E_SHAPE,
            "opts.num_predictions=0": E_SHAPE,
            # Without a callback there are no predictions.
            "opts.predict=NULL": OK,
            "opts.predict=nan": OK,
        },
    ),
    "svi_estimate_elbo": [
        Recipe(evidence(lambda c: c.svi, lambda c: c.model, lambda c: c.guide), name="distribution model",
               expect=FITTED_PARAMS_EXPECT),
        Recipe(evidence(lambda c: c.callback_svi, lambda c: c.callback_model, lambda c: c.callback_guide),
               name="callback model", expect={**FITTED_PARAMS_EXPECT, **ESTIMATE_EXPECT}),
    ],
    "svi_log_evidence": [
        Recipe(evidence(lambda c: c.svi, lambda c: c.model, lambda c: c.guide), name="distribution model",
               expect=FITTED_PARAMS_EXPECT),
        Recipe(evidence(lambda c: c.callback_svi, lambda c: c.callback_model, lambda c: c.callback_guide),
               name="callback model", expect={**FITTED_PARAMS_EXPECT, **ESTIMATE_EXPECT}),
    ],
}
