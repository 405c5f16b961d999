/* swiftvi.h compiles cleanly as C99 and as C++11 (this file is built both
 * ways with -Wall -Wextra -pedantic -Werror), and what it declares links
 * against the library. */
#include <stddef.h>

#include "swiftvi.h"
#include "check.h"

int main(void) {
    svi_key key;
    svi_adam_options adam;
    svi_sgd_options sgd;
    svi_auto_normal_options guide;
    svi_trace_elbo_options elbo;
    svi_callback_model_options model_opts;
    const svi_status codes[] = {SVI_OK, SVI_E_NULL_POINTER, SVI_E_INVALID_ARGUMENT, SVI_E_SHAPE_MISMATCH,
                                SVI_E_STALE_HANDLE, SVI_E_WRONG_HANDLE_KIND, SVI_E_CALLBACK_FAILED,
                                SVI_E_STOPPED, SVI_E_NUMERICAL, SVI_E_NOT_IMPLEMENTED,
                                SVI_E_VERSION_MISMATCH};
    size_t i;

#ifdef __cplusplus
    printf("compiled as C++ %ld\n", (long)__cplusplus);
#else
    printf("compiled as C %ld\n", (long)__STDC_VERSION__);
#endif
    CHECK(svi_abi_version() == SVI_ABI_VERSION, "svi_abi_version() == SVI_ABI_VERSION (%d)", SVI_ABI_VERSION);
    {
        char version[64];
        snprintf(version, sizeof version, "%d.%d.%d", SVI_VERSION_MAJOR, SVI_VERSION_MINOR, SVI_VERSION_PATCH);
        CHECK(strcmp(svi_version_string(), version) == 0, "svi_version_string() \"%s\" is the header's %s",
              svi_version_string(), version);
    }
    CHECK(sizeof(svi_dist) == 8 && sizeof(svi_svi) == 8 && sizeof(svi_status) == 4,
          "handles are 64-bit and statuses 32-bit");
    CHECK(sizeof key.data == 8, "a key is two 32-bit words");
    CHECK(offsetof(svi_adam_options, struct_size) == 0 &&
              offsetof(svi_callback_model_options, struct_size) == 0 &&
              offsetof(svi_auto_normal_options, struct_size) == 0 &&
              offsetof(svi_sgd_options, struct_size) == 0 &&
              offsetof(svi_trace_elbo_options, struct_size) == 0,
          "option structs begin with struct_size");
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++)
        CHECK(codes[i] == (svi_status)i, "status code %d is %d", (int)codes[i], (int)i);
    CHECK_OK(svi_adam_options_init(&adam, (uint32_t)sizeof adam));
    CHECK(adam.struct_size == sizeof adam && adam.learning_rate == 0.001 && adam.beta1 == 0.9 &&
              adam.beta2 == 0.999 && adam.epsilon == 1e-8,
          "svi_adam_options_init fills the documented defaults");
    CHECK_OK(svi_sgd_options_init(&sgd, (uint32_t)sizeof sgd));
    CHECK(sgd.struct_size == sizeof sgd && sgd.learning_rate == 0.01 && sgd.momentum == 0.0 && sgd.nesterov == 0,
          "svi_sgd_options_init fills the documented defaults");
    CHECK_OK(svi_auto_normal_options_init(&guide, (uint32_t)sizeof guide));
    CHECK(guide.struct_size == sizeof guide && guide.init_scale == 0.1 && guide.init_radius == 2.0 &&
              guide.init_loc == NULL && guide.init_loc_len == 0,
          "svi_auto_normal_options_init fills the documented defaults");
    CHECK_OK(svi_trace_elbo_options_init(&elbo, (uint32_t)sizeof elbo));
    CHECK(elbo.struct_size == sizeof elbo && elbo.num_particles == 1,
          "svi_trace_elbo_options_init fills the documented defaults");
    CHECK_OK(svi_callback_model_options_init(&model_opts, (uint32_t)sizeof model_opts));
    CHECK(model_opts.struct_size == sizeof model_opts && model_opts.latents == NULL &&
              model_opts.num_latents == 0 && model_opts.log_density == NULL,
          "svi_callback_model_options_init gives no latents and no callback");
    return check_summary();
}
