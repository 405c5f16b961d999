"""The C interface of libswiftvi as ctypes declarations, mirroring include/swiftvi.h.

Every constant, typedef, struct, callback type and function of the header is
declared here and nowhere else; ``tests/test_header_drift.py`` checks that this
module and the header agree.
"""

import ctypes
from ctypes import POINTER, c_char_p, c_double, c_int, c_int32, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p

SVI_ABI_VERSION = 1
SVI_VERSION_MAJOR = 0
SVI_VERSION_MINOR = 1
SVI_VERSION_PATCH = 0
SVI_MAX_NDIM = 16

SVI_OK = 0
SVI_E_NULL_POINTER = 1
SVI_E_INVALID_ARGUMENT = 2
SVI_E_SHAPE_MISMATCH = 3
SVI_E_STALE_HANDLE = 4
SVI_E_WRONG_HANDLE_KIND = 5
SVI_E_CALLBACK_FAILED = 6
SVI_E_STOPPED = 7
SVI_E_NUMERICAL = 8
SVI_E_NOT_IMPLEMENTED = 9
SVI_E_VERSION_MISMATCH = 10

SVI_CONSTRAINT_REAL = 0
SVI_CONSTRAINT_POSITIVE = 1
SVI_CONSTRAINT_UNIT_INTERVAL = 2
SVI_CONSTRAINT_INTERVAL = 3
SVI_CONSTRAINT_GREATER_THAN = 4
SVI_CONSTRAINT_LESS_THAN = 5
SVI_CONSTRAINT_SIMPLEX = 6
SVI_CONSTRAINT_LOWER_CHOLESKY = 7
SVI_CONSTRAINT_CORR_CHOLESKY = 8

SVI_BLOCK_LATENT = 0
SVI_BLOCK_PARAMETER = 1

SVI_SCHEDULE_CONSTANT = 0
SVI_SCHEDULE_EXPONENTIAL_DECAY = 1
SVI_SCHEDULE_COSINE_DECAY = 2
SVI_SCHEDULE_PIECEWISE_CONSTANT = 3

SVI_INIT_TO_UNIFORM = 0
SVI_INIT_TO_MEDIAN = 1
SVI_INIT_TO_MEAN = 2
SVI_INIT_TO_SAMPLE = 3
SVI_INIT_TO_VALUE = 4

SVI_NONLINEARITY_ELU = 0
SVI_NONLINEARITY_RELU = 1
SVI_ACTIVATION_RELU = 0
SVI_ACTIVATION_TANH = 1
SVI_ACTIVATION_SOFTPLUS = 2
SVI_ACTIVATION_SIGMOID = 3

svi_status = c_int32
svi_constraint_kind = c_int32
svi_block_kind = c_int32
svi_init_kind = c_int32
svi_nonlinearity = c_int32
svi_dist = c_uint64
svi_model = c_uint64
svi_guide = c_uint64
svi_optim = c_uint64
svi_elbo = c_uint64
svi_svi = c_uint64
svi_transform = c_uint64
svi_schedule_kind = c_int32
svi_vae = c_uint64
svi_activation = c_int32

_double_p = POINTER(c_double)


class svi_key(ctypes.Structure):
    """A Threefry-2x32 random key."""

    _fields_ = [("data", c_uint32 * 2)]


class svi_array(ctypes.Structure):
    """A read-only row-major array of doubles."""

    _fields_ = [("data", _double_p), ("ndim", c_size_t), ("shape", POINTER(c_size_t))]


class svi_named_array(ctypes.Structure):
    """A named distribution parameter."""

    _fields_ = [("name", c_char_p), ("value", svi_array)]


svi_log_density_fn = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_size_t, _double_p, _double_p, _double_p)
svi_progress_fn = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_double)
svi_predict_fn = ctypes.CFUNCTYPE(c_int, c_void_p, c_size_t, c_size_t, _double_p, c_size_t, _double_p)
svi_vae_log_likelihood_fn = ctypes.CFUNCTYPE(
    c_int, c_void_p, c_size_t, c_size_t, _double_p, c_size_t, _double_p, c_size_t, _double_p, _double_p, _double_p, _double_p
)


class svi_latent_block(ctypes.Structure):
    """A named block of latent values in a constrained region."""

    _fields_ = [
        ("name", c_char_p),
        ("size", c_size_t),
        ("constraint", svi_constraint_kind),
        ("lower_bound", c_double),
        ("upper_bound", c_double),
        ("kind", svi_block_kind),
    ]


class svi_callback_model_options(ctypes.Structure):
    """Options of a callback model."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("latents", POINTER(svi_latent_block)),
        ("num_latents", c_size_t),
        ("log_density", svi_log_density_fn),
        ("user_data", c_void_p),
        ("has_gradient", c_int32),
        ("latent_block_size", c_size_t),
    ]


class svi_init_strategy(ctypes.Structure):
    """An initialization strategy of the automatic guides."""

    _fields_ = [
        ("kind", svi_init_kind),
        ("radius", c_double),
        ("num_samples", c_size_t),
        ("values", POINTER(svi_named_array)),
        ("num_values", c_size_t),
    ]


class svi_auto_normal_options(ctypes.Structure):
    """Options of the AutoNormal guide."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("init_scale", c_double),
        ("init_radius", c_double),
        ("init_loc", _double_p),
        ("init_loc_len", c_size_t),
        ("init_loc_fn", svi_init_strategy),
    ]


class svi_auto_diagonal_normal_options(ctypes.Structure):
    """Options of the AutoDiagonalNormal guide."""

    _fields_ = [("struct_size", c_uint32), ("init_scale", c_double), ("init_loc_fn", svi_init_strategy)]


class svi_auto_multivariate_normal_options(ctypes.Structure):
    """Options of the AutoMultivariateNormal guide."""

    _fields_ = [("struct_size", c_uint32), ("init_scale", c_double), ("init_loc_fn", svi_init_strategy)]


class svi_auto_low_rank_multivariate_normal_options(ctypes.Structure):
    """Options of the AutoLowRankMultivariateNormal guide."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("init_scale", c_double),
        ("rank", c_size_t),
        ("init_loc_fn", svi_init_strategy),
    ]


class svi_auto_delta_options(ctypes.Structure):
    """Options of the AutoDelta guide."""

    _fields_ = [("struct_size", c_uint32), ("init_loc_fn", svi_init_strategy)]


class svi_auto_laplace_approximation_options(ctypes.Structure):
    """Options of the AutoLaplaceApproximation guide."""

    _fields_ = [("struct_size", c_uint32), ("init_loc_fn", svi_init_strategy)]


class svi_auto_iaf_normal_options(ctypes.Structure):
    """Options of the AutoIAFNormal guide."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("num_flows", c_size_t),
        ("hidden_dims", POINTER(c_size_t)),
        ("num_hidden_dims", c_size_t),
        ("nonlinearity", svi_nonlinearity),
    ]


class svi_sgd_options(ctypes.Structure):
    """Options of stochastic gradient descent."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("learning_rate", c_double),
        ("momentum", c_double),
        ("nesterov", c_int32),
    ]


class svi_adam_options(ctypes.Structure):
    """Options of Adam."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("learning_rate", c_double),
        ("beta1", c_double),
        ("beta2", c_double),
        ("epsilon", c_double),
    ]


class svi_adamw_options(ctypes.Structure):
    """Options of AdamW."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("learning_rate", c_double),
        ("beta1", c_double),
        ("beta2", c_double),
        ("epsilon", c_double),
        ("weight_decay", c_double),
    ]


class svi_clipped_adam_options(ctypes.Structure):
    """Options of Pyro's ClippedAdam."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("learning_rate", c_double),
        ("beta1", c_double),
        ("beta2", c_double),
        ("epsilon", c_double),
        ("clip_norm", c_double),
        ("lrd", c_double),
        ("weight_decay", c_double),
    ]


class svi_rmsprop_options(ctypes.Structure):
    """Options of RMSProp."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("learning_rate", c_double),
        ("decay", c_double),
        ("epsilon", c_double),
        ("momentum", c_double),
        ("centered", c_int32),
    ]


class svi_adagrad_options(ctypes.Structure):
    """Options of Adagrad."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("learning_rate", c_double),
        ("initial_accumulator_value", c_double),
        ("epsilon", c_double),
    ]


class svi_schedule(ctypes.Structure):
    """A learning-rate schedule, optionally with a linear warm-up."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("kind", svi_schedule_kind),
        ("init_value", c_double),
        ("decay_steps", c_size_t),
        ("decay_rate", c_double),
        ("staircase", c_int32),
        ("alpha", c_double),
        ("boundaries", POINTER(c_size_t)),
        ("values", _double_p),
        ("num_boundaries", c_size_t),
        ("warmup_steps", c_size_t),
        ("warmup_init_value", c_double),
    ]


class svi_clip_options(ctypes.Structure):
    """Options of gradient clipping."""

    _fields_ = [("struct_size", c_uint32), ("max_global_norm", c_double), ("max_value", c_double)]


class svi_trace_elbo_options(ctypes.Structure):
    """Options of Trace_ELBO."""

    _fields_ = [("struct_size", c_uint32), ("num_particles", c_size_t), ("vectorize_particles", c_int32)]


class svi_renyi_elbo_options(ctypes.Structure):
    """Options of RenyiELBO."""

    _fields_ = [("struct_size", c_uint32), ("alpha", c_double), ("num_particles", c_size_t)]


class svi_predictive_options(ctypes.Structure):
    """Options of svi_predictive."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("num_samples", c_size_t),
        ("predict", svi_predict_fn),
        ("user_data", c_void_p),
        ("num_predictions", c_size_t),
    ]


class svi_vae_options(ctypes.Structure):
    """Options of a variational autoencoder."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("data_dim", c_size_t),
        ("latent_dim", c_size_t),
        ("hidden_sizes", POINTER(c_size_t)),
        ("num_hidden", c_size_t),
        ("activation", svi_activation),
        ("decoder_scale", c_double),
        ("encoder_scale", c_double),
        ("num_particles", c_size_t),
        ("batch_size", c_size_t),
        ("optim", svi_optim),
        ("log_likelihood", svi_vae_log_likelihood_fn),
        ("user_data", c_void_p),
        ("num_likelihood_params", c_size_t),
        ("initial_likelihood_params", _double_p),
    ]


class svi_run_options(ctypes.Structure):
    """Options of svi_svi_run_with_options."""

    _fields_ = [
        ("struct_size", c_uint32),
        ("progress", svi_progress_fn),
        ("progress_user_data", c_void_p),
        ("stable", c_int32),
        ("early_stopping_tolerance", c_double),
        ("early_stopping_smoothing", c_double),
        ("early_stopping_patience", c_size_t),
    ]


_size_p = POINTER(c_size_t)
_key_p = POINTER(svi_key)

#: name -> (restype, argtypes) of every function the header declares.
PROTOTYPES = {
    "svi_abi_version": (c_uint32, []),
    "svi_version_string": (c_char_p, []),
    "svi_status_string": (c_char_p, [svi_status]),
    "svi_last_error_message": (c_char_p, []),
    "svi_key_from_seed": (svi_status, [_key_p, c_uint64]),
    "svi_key_split": (svi_status, [_key_p, c_size_t, svi_key]),
    "svi_key_fold_in": (svi_status, [_key_p, svi_key, c_uint32]),
    "svi_random_uniform": (svi_status, [_double_p, c_size_t, svi_key]),
    "svi_random_normal": (svi_status, [_double_p, c_size_t, svi_key]),
    "svi_dist_new": (svi_status, [POINTER(svi_dist), c_char_p, POINTER(svi_named_array), c_size_t]),
    "svi_mixture_same_family_new": (svi_status, [POINTER(svi_dist), svi_dist, svi_dist]),
    "svi_independent_new": (svi_status, [POINTER(svi_dist), svi_dist, c_size_t]),
    "svi_dist_free": (svi_status, [svi_dist]),
    "svi_dist_family": (svi_status, [svi_dist, POINTER(c_char_p)]),
    "svi_dist_batch_shape": (svi_status, [svi_dist, _size_p, c_size_t, _size_p]),
    "svi_dist_event_shape": (svi_status, [svi_dist, _size_p, c_size_t, _size_p]),
    "svi_dist_log_prob": (svi_status, [svi_dist, svi_array, _double_p, c_size_t]),
    "svi_dist_cdf": (svi_status, [svi_dist, svi_array, _double_p, c_size_t]),
    "svi_dist_icdf": (svi_status, [svi_dist, svi_array, _double_p, c_size_t]),
    "svi_dist_sample": (svi_status, [svi_dist, svi_key, c_size_t, _size_p, _double_p, c_size_t]),
    "svi_dist_mean": (svi_status, [svi_dist, _double_p, c_size_t]),
    "svi_dist_variance": (svi_status, [svi_dist, _double_p, c_size_t]),
    "svi_dist_entropy": (svi_status, [svi_dist, _double_p, c_size_t]),
    "svi_kl_divergence": (svi_status, [svi_dist, svi_dist, _double_p, c_size_t]),
    "svi_kl_monte_carlo": (svi_status, [svi_dist, svi_dist, c_size_t, svi_key, _double_p, _double_p, c_size_t]),
    "svi_kl_quadrature": (svi_status, [svi_dist, svi_dist, c_double, c_double, c_size_t, _double_p]),
    "svi_transform_new": (svi_status, [POINTER(svi_transform), c_char_p, POINTER(svi_named_array), c_size_t]),
    "svi_transform_compose": (svi_status, [POINTER(svi_transform), POINTER(svi_transform), c_size_t]),
    "svi_transform_inv": (svi_status, [POINTER(svi_transform), svi_transform]),
    "svi_biject_to": (svi_status, [POINTER(svi_transform), c_char_p, POINTER(svi_named_array), c_size_t]),
    "svi_transform_free": (svi_status, [svi_transform]),
    "svi_transform_name": (svi_status, [svi_transform, POINTER(c_char_p)]),
    "svi_transform_domain": (svi_status, [svi_transform, POINTER(c_char_p)]),
    "svi_transform_codomain": (svi_status, [svi_transform, POINTER(c_char_p)]),
    "svi_transform_event_dims": (svi_status, [svi_transform, _size_p, _size_p]),
    "svi_transform_forward_shape": (svi_status, [svi_transform, c_size_t, _size_p, _size_p, c_size_t, _size_p]),
    "svi_transform_inverse_shape": (svi_status, [svi_transform, c_size_t, _size_p, _size_p, c_size_t, _size_p]),
    "svi_transform_forward": (svi_status, [svi_transform, svi_array, _double_p, c_size_t]),
    "svi_transform_inverse": (svi_status, [svi_transform, svi_array, _double_p, c_size_t]),
    "svi_transform_log_abs_det_jacobian": (svi_status, [svi_transform, svi_array, svi_array, _double_p, c_size_t]),
    "svi_transformed_distribution_new": (svi_status, [POINTER(svi_dist), svi_dist, svi_transform]),
    "svi_callback_model_options_init": (svi_status, [POINTER(svi_callback_model_options), c_uint32]),
    "svi_model_new_callback": (svi_status, [POINTER(svi_model), POINTER(svi_callback_model_options)]),
    "svi_model_new_distribution": (svi_status, [POINTER(svi_model), c_char_p, svi_dist]),
    "svi_model_free": (svi_status, [svi_model]),
    "svi_model_dim": (svi_status, [svi_model, _size_p]),
    "svi_auto_normal_options_init": (svi_status, [POINTER(svi_auto_normal_options), c_uint32]),
    "svi_guide_new_auto_normal": (svi_status, [POINTER(svi_guide), svi_model, POINTER(svi_auto_normal_options)]),
    "svi_guide_free": (svi_status, [svi_guide]),
    "svi_auto_diagonal_normal_options_init": (svi_status, [POINTER(svi_auto_diagonal_normal_options), c_uint32]),
    "svi_guide_new_auto_diagonal_normal": (
        svi_status,
        [POINTER(svi_guide), svi_model, POINTER(svi_auto_diagonal_normal_options)],
    ),
    "svi_auto_multivariate_normal_options_init": (
        svi_status,
        [POINTER(svi_auto_multivariate_normal_options), c_uint32],
    ),
    "svi_guide_new_auto_multivariate_normal": (
        svi_status,
        [POINTER(svi_guide), svi_model, POINTER(svi_auto_multivariate_normal_options)],
    ),
    "svi_auto_low_rank_multivariate_normal_options_init": (
        svi_status,
        [POINTER(svi_auto_low_rank_multivariate_normal_options), c_uint32],
    ),
    "svi_guide_new_auto_low_rank_multivariate_normal": (
        svi_status,
        [POINTER(svi_guide), svi_model, POINTER(svi_auto_low_rank_multivariate_normal_options)],
    ),
    "svi_auto_delta_options_init": (svi_status, [POINTER(svi_auto_delta_options), c_uint32]),
    "svi_guide_new_auto_delta": (svi_status, [POINTER(svi_guide), svi_model, POINTER(svi_auto_delta_options)]),
    "svi_auto_laplace_approximation_options_init": (
        svi_status,
        [POINTER(svi_auto_laplace_approximation_options), c_uint32],
    ),
    "svi_guide_new_auto_laplace_approximation": (
        svi_status,
        [POINTER(svi_guide), svi_model, POINTER(svi_auto_laplace_approximation_options)],
    ),
    "svi_auto_iaf_normal_options_init": (svi_status, [POINTER(svi_auto_iaf_normal_options), c_uint32]),
    "svi_guide_new_auto_iaf_normal": (
        svi_status,
        [POINTER(svi_guide), svi_model, POINTER(svi_auto_iaf_normal_options)],
    ),
    "svi_guide_num_latents": (svi_status, [svi_guide, _size_p]),
    "svi_guide_latent_name": (svi_status, [svi_guide, c_size_t, POINTER(c_char_p)]),
    "svi_guide_latent_shape": (svi_status, [svi_guide, c_char_p, _size_p, c_size_t, _size_p]),
    "svi_guide_sample_posterior": (
        svi_status,
        [svi_guide, svi_svi, POINTER(svi_named_array), c_size_t, svi_key, c_size_t, c_char_p, _double_p, c_size_t],
    ),
    "svi_guide_median": (
        svi_status,
        [svi_guide, svi_svi, POINTER(svi_named_array), c_size_t, c_char_p, _double_p, c_size_t],
    ),
    "svi_guide_quantiles": (
        svi_status,
        [svi_guide, svi_svi, POINTER(svi_named_array), c_size_t, _double_p, c_size_t, c_char_p, _double_p, c_size_t],
    ),
    "svi_guide_laplace_posterior": (
        svi_status,
        [svi_guide, svi_svi, POINTER(svi_named_array), c_size_t, _double_p, c_size_t, _double_p, c_size_t],
    ),
    "svi_svi_param_shape": (svi_status, [svi_svi, c_char_p, _size_p, c_size_t, _size_p]),
    "svi_sgd_options_init": (svi_status, [POINTER(svi_sgd_options), c_uint32]),
    "svi_optim_new_sgd": (svi_status, [POINTER(svi_optim), POINTER(svi_sgd_options)]),
    "svi_adam_options_init": (svi_status, [POINTER(svi_adam_options), c_uint32]),
    "svi_optim_new_adam": (svi_status, [POINTER(svi_optim), POINTER(svi_adam_options)]),
    "svi_optim_free": (svi_status, [svi_optim]),
    "svi_adamw_options_init": (svi_status, [POINTER(svi_adamw_options), c_uint32]),
    "svi_optim_new_adamw": (svi_status, [POINTER(svi_optim), POINTER(svi_adamw_options)]),
    "svi_clipped_adam_options_init": (svi_status, [POINTER(svi_clipped_adam_options), c_uint32]),
    "svi_optim_new_clipped_adam": (svi_status, [POINTER(svi_optim), POINTER(svi_clipped_adam_options)]),
    "svi_rmsprop_options_init": (svi_status, [POINTER(svi_rmsprop_options), c_uint32]),
    "svi_optim_new_rmsprop": (svi_status, [POINTER(svi_optim), POINTER(svi_rmsprop_options)]),
    "svi_adagrad_options_init": (svi_status, [POINTER(svi_adagrad_options), c_uint32]),
    "svi_optim_new_adagrad": (svi_status, [POINTER(svi_optim), POINTER(svi_adagrad_options)]),
    "svi_schedule_init": (svi_status, [POINTER(svi_schedule), c_uint32]),
    "svi_optim_new_scheduled": (svi_status, [POINTER(svi_optim), svi_optim, POINTER(svi_schedule)]),
    "svi_clip_options_init": (svi_status, [POINTER(svi_clip_options), c_uint32]),
    "svi_optim_new_clipped": (svi_status, [POINTER(svi_optim), svi_optim, POINTER(svi_clip_options)]),
    "svi_trace_elbo_options_init": (svi_status, [POINTER(svi_trace_elbo_options), c_uint32]),
    "svi_elbo_new_trace": (svi_status, [POINTER(svi_elbo), POINTER(svi_trace_elbo_options)]),
    "svi_elbo_free": (svi_status, [svi_elbo]),
    "svi_svi_new": (svi_status, [POINTER(svi_svi), svi_model, svi_guide, svi_optim, svi_elbo]),
    "svi_svi_free": (svi_status, [svi_svi]),
    "svi_svi_init": (svi_status, [svi_svi, svi_key]),
    "svi_svi_step": (svi_status, [svi_svi, _double_p]),
    "svi_svi_run": (svi_status, [svi_svi, svi_key, c_size_t, _double_p, svi_progress_fn, c_void_p]),
    "svi_svi_num_steps": (svi_status, [svi_svi, _size_p]),
    "svi_svi_num_params": (svi_status, [svi_svi, _size_p]),
    "svi_svi_param_name": (svi_status, [svi_svi, c_size_t, POINTER(c_char_p)]),
    "svi_svi_get_param": (svi_status, [svi_svi, c_char_p, _double_p, c_size_t]),
    "svi_svi_param_size": (svi_status, [svi_svi, c_char_p, _size_p]),
    "svi_svi_evaluate": (svi_status, [svi_svi, _double_p]),
    "svi_svi_stable_step": (svi_status, [svi_svi, _double_p, POINTER(c_int32)]),
    "svi_svi_save": (svi_status, [svi_svi, POINTER(c_uint8), c_size_t, _size_p]),
    "svi_svi_restore": (svi_status, [svi_svi, POINTER(c_uint8), c_size_t]),
    "svi_model_constrained_dim": (svi_status, [svi_model, _size_p]),
    "svi_elbo_new_trace_mean_field": (svi_status, [POINTER(svi_elbo), POINTER(svi_trace_elbo_options)]),
    "svi_renyi_elbo_options_init": (svi_status, [POINTER(svi_renyi_elbo_options), c_uint32]),
    "svi_elbo_new_renyi": (svi_status, [POINTER(svi_elbo), POINTER(svi_renyi_elbo_options)]),
    "svi_predictive_options_init": (svi_status, [POINTER(svi_predictive_options), c_uint32]),
    "svi_predictive": (
        svi_status,
        [
            svi_model,
            svi_guide,
            POINTER(svi_named_array),
            c_size_t,
            svi_key,
            POINTER(svi_predictive_options),
            _double_p,
            c_size_t,
            _double_p,
            c_size_t,
        ],
    ),
    "svi_estimate_elbo": (
        svi_status,
        [svi_model, svi_guide, POINTER(svi_named_array), c_size_t, svi_key, c_size_t, _double_p, _double_p],
    ),
    "svi_log_evidence": (
        svi_status,
        [svi_model, svi_guide, POINTER(svi_named_array), c_size_t, svi_key, c_size_t, _double_p, _double_p],
    ),
    "svi_vae_options_init": (svi_status, [POINTER(svi_vae_options), c_uint32]),
    "svi_vae_new": (svi_status, [POINTER(svi_vae), POINTER(svi_vae_options)]),
    "svi_vae_free": (svi_status, [svi_vae]),
    "svi_vae_init": (svi_status, [svi_vae, svi_key]),
    "svi_vae_train": (svi_status, [svi_vae, _double_p, c_size_t, c_size_t, _double_p, svi_progress_fn, c_void_p]),
    "svi_vae_num_steps": (svi_status, [svi_vae, _size_p]),
    "svi_vae_num_params": (svi_status, [svi_vae, _size_p]),
    "svi_vae_get_params": (svi_status, [svi_vae, _double_p, c_size_t]),
    "svi_vae_evaluate": (svi_status, [svi_vae, _double_p, c_size_t, c_size_t, svi_key, _double_p, _double_p]),
    "svi_vae_encode": (svi_status, [svi_vae, _double_p, c_size_t, _double_p, _double_p, c_size_t]),
    "svi_vae_decode": (svi_status, [svi_vae, _double_p, c_size_t, _double_p, c_size_t]),
    "svi_vae_reconstruct": (svi_status, [svi_vae, _double_p, c_size_t, svi_key, _double_p, c_size_t]),
    "svi_vae_sample": (svi_status, [svi_vae, c_size_t, svi_key, _double_p, c_size_t, _double_p, c_size_t]),
    "svi_make_moons": (svi_status, [c_size_t, c_double, svi_key, _double_p, c_size_t, POINTER(c_int32)]),
    "svi_run_options_init": (svi_status, [POINTER(svi_run_options), c_uint32]),
    "svi_svi_run_with_options": (
        svi_status,
        [svi_svi, svi_key, c_size_t, _double_p, _size_p, POINTER(svi_run_options)],
    ),
}
