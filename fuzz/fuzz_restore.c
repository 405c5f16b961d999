/* libFuzzer harness for svi_svi_restore: arbitrary bytes restore cleanly or
 * fail with SVI_E_INVALID_ARGUMENT leaving the state as it was; a state that
 * restores saves back to the same bytes and can take a step.
 *
 * The first input byte chooses a mode: with its low bit set the harness
 * rewrites the trailing CRC-32 of the rest, so that inputs reach the checks
 * behind the checksum; with bit 1 set it takes a step after a restore. */
#include "fuzz_input.h"

static svi_svi fuzz_svi;
static uint8_t *before;
static size_t before_len;

/* zlib's CRC-32. */
static uint32_t crc32(const uint8_t *bytes, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= bytes[i];
        for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    }
    return ~c;
}

/* One SVI, made once: an AutoNormal fit of a 2-dimensional Normal with Adam. */
static void make_svi(void) {
    double loc[2] = {0.5, -1.0}, scale[2] = {1.0, 0.3};
    size_t two = 2;
    svi_named_array params[] = {{"loc", {loc, 1, &two}}, {"scale", {scale, 1, &two}}};
    svi_dist dist = 0;
    svi_model model = 0;
    svi_guide guide = 0;
    svi_optim optim = 0;
    svi_elbo elbo = 0;
    svi_auto_normal_options guide_opts;
    svi_adam_options adam_opts;
    svi_trace_elbo_options elbo_opts;
    svi_key key;
    double loss;
    FUZZ_CHECK(svi_dist_new(&dist, "Normal", params, 2) == SVI_OK, "%s", svi_last_error_message());
    FUZZ_CHECK(svi_model_new_distribution(&model, "x", dist) == SVI_OK, "%s", svi_last_error_message());
    svi_auto_normal_options_init(&guide_opts, sizeof guide_opts);
    svi_adam_options_init(&adam_opts, sizeof adam_opts);
    svi_trace_elbo_options_init(&elbo_opts, sizeof elbo_opts);
    FUZZ_CHECK(svi_guide_new_auto_normal(&guide, model, &guide_opts) == SVI_OK, "%s", svi_last_error_message());
    FUZZ_CHECK(svi_optim_new_adam(&optim, &adam_opts) == SVI_OK, "%s", svi_last_error_message());
    FUZZ_CHECK(svi_elbo_new_trace(&elbo, &elbo_opts) == SVI_OK, "%s", svi_last_error_message());
    FUZZ_CHECK(svi_svi_new(&fuzz_svi, model, guide, optim, elbo) == SVI_OK, "%s", svi_last_error_message());
    svi_key_from_seed(&key, 1);
    svi_svi_init(fuzz_svi, key);
    svi_svi_step(fuzz_svi, &loss);
    svi_elbo_free(elbo);
    svi_optim_free(optim);
    svi_guide_free(guide);
    svi_model_free(model);
    svi_dist_free(dist);
}

/* The SVI's state as saved now (malloc'd). */
static uint8_t *saved(size_t *len) {
    FUZZ_CHECK(svi_svi_save(fuzz_svi, NULL, 0, len) == SVI_OK, "%s", svi_last_error_message());
    uint8_t *bytes = malloc(*len);
    FUZZ_CHECK(svi_svi_save(fuzz_svi, bytes, *len, len) == SVI_OK, "%s", svi_last_error_message());
    return bytes;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (!fuzz_svi) {
        make_svi();
        before = saved(&before_len);
    }
    if (size == 0) return 0;
    uint8_t mode = data[0];
    size_t len = size - 1;
    uint8_t *bytes = malloc(len ? len : 1);
    memcpy(bytes, data + 1, len);
    if ((mode & 1) && len >= 4) {
        uint32_t crc = crc32(bytes, len - 4);
        for (int i = 0; i < 4; i++) bytes[len - 4 + i] = (uint8_t)(crc >> (8 * i));
    }

    svi_status status = CALL(svi_svi_restore, fuzz_svi, bytes, len);
    size_t after_len = 0;
    uint8_t *after = saved(&after_len);
    if (status == SVI_OK) {
        FUZZ_CHECK(after_len == len && memcmp(after, bytes, len) == 0, "a restored state saves to other bytes");
        if (mode & 2) {
            double loss = 0.0;
            svi_status step = CALL(svi_svi_step, fuzz_svi, &loss);
            FUZZ_CHECK(step == SVI_OK || step == SVI_E_NUMERICAL, "a step after a restore gave %d", (int)step);
        }
        /* Back to the state every input starts from. */
        FUZZ_CHECK(svi_svi_restore(fuzz_svi, before, before_len) == SVI_OK, "%s", svi_last_error_message());
    } else {
        FUZZ_CHECK(status == SVI_E_INVALID_ARGUMENT, "restore gave %d", (int)status);
        FUZZ_CHECK(after_len == before_len && memcmp(after, before, before_len) == 0,
                   "a failed restore changed the state");
    }
    free(after);
    free(bytes);
    return 0;
}
