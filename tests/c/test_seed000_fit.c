/* The seed-000 job: fit q = Normal(loc, scale) to
 *   p = 0.5 N(-0.2, 0.4) + 0.5 N(1, 0.5)
 * by minimizing the reverse KL(q || p). The optimum is first found here,
 * without the library, by quadrature and Nelder-Mead; the library's fits (with
 * a C callback model and with its own mixture distribution, parameters
 * averaged over the last half of the steps) must land on it. */
#include <math.h>
#include <stdlib.h>

#include "check.h"
#include "targets.h"

/* The library's fits must match the reference optimum this closely. */
#define FIT_TOLERANCE 0.02

/* KL(N(loc, scale) || p) = -H(q) - E_q[log p], with E_q[log p] by composite
 * Simpson's rule over z in [-12, 12], x = loc + scale z. */
static double kl_normal_to_mixture(double loc, double scale, const gauss_mixture *p) {
    const int n = 2400;
    const double a = -12.0, h = 24.0 / n;
    double sum = 0.0, entropy;
    int i;
    for (i = 0; i <= n; i++) {
        double z = a + i * h;
        double weight = (i == 0 || i == n) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        double density = exp(-0.5 * z * z - 0.5 * TARGET_LOG_2PI);
        sum += weight * density * mixture_log_density(p, loc + scale * z, NULL);
    }
    entropy = 0.5 * (TARGET_LOG_2PI + 1.0) + log(scale);
    return -entropy - sum * h / 3.0;
}

/* The objective over v = (loc, log scale). */
static double objective(const double v[2], const gauss_mixture *p) {
    return kl_normal_to_mixture(v[0], exp(v[1]), p);
}

/* The central difference of the objective along coordinate `axis` at v. */
static double central_difference(const double v[2], int axis, const gauss_mixture *p) {
    const double h = 1e-4;
    double up[2], down[2];
    up[0] = down[0] = v[0];
    up[1] = down[1] = v[1];
    up[axis] += h;
    down[axis] -= h;
    return (objective(up, p) - objective(down, p)) / (2.0 * h);
}

/* Moves a simplex vertex to v, whose objective value is fv. */
static void move_vertex(double x[2], double *f, const double v[2], double fv) {
    x[0] = v[0];
    x[1] = v[1];
    *f = fv;
}

/* Minimizes the objective by the Nelder-Mead simplex method from `start`. */
static void nelder_mead(const gauss_mixture *p, const double start[2], double out[2]) {
    double x[3][2], f[3];
    int i, j, iter;
    for (i = 0; i < 3; i++) {
        x[i][0] = start[0] + (i == 1 ? 0.2 : 0.0);
        x[i][1] = start[1] + (i == 2 ? 0.2 : 0.0);
        f[i] = objective(x[i], p);
    }
    for (iter = 0; iter < 10000; iter++) {
        double centroid[2], reflected[2], trial[2], fr, ft, size = 0.0;
        int best = 0, worst = 0, mid;
        for (i = 1; i < 3; i++) {
            if (f[i] < f[best]) best = i;
            if (f[i] > f[worst]) worst = i;
        }
        if (best == worst) worst = (best + 1) % 3;
        mid = 3 - best - worst;
        for (i = 0; i < 3; i++)
            for (j = 0; j < 2; j++) size = fmax(size, fabs(x[i][j] - x[best][j]));
        if (size < 1e-10) break;

        for (j = 0; j < 2; j++) {
            centroid[j] = 0.5 * (x[best][j] + x[mid][j]);
            reflected[j] = 2.0 * centroid[j] - x[worst][j];
        }
        fr = objective(reflected, p);
        if (fr < f[best]) {
            for (j = 0; j < 2; j++) trial[j] = 3.0 * centroid[j] - 2.0 * x[worst][j];
            ft = objective(trial, p);
            if (ft < fr) move_vertex(x[worst], &f[worst], trial, ft);
            else move_vertex(x[worst], &f[worst], reflected, fr);
        } else if (fr < f[mid]) {
            move_vertex(x[worst], &f[worst], reflected, fr);
        } else {
            const double *toward = fr < f[worst] ? reflected : x[worst];
            for (j = 0; j < 2; j++) trial[j] = 0.5 * (centroid[j] + toward[j]);
            ft = objective(trial, p);
            if (ft < fmin(fr, f[worst])) {
                move_vertex(x[worst], &f[worst], trial, ft);
            } else {
                for (i = 0; i < 3; i++) {
                    if (i == best) continue;
                    for (j = 0; j < 2; j++) x[i][j] = 0.5 * (x[i][j] + x[best][j]);
                    f[i] = objective(x[i], p);
                }
            }
        }
    }
    j = 0;
    for (i = 1; i < 3; i++) if (f[i] < f[j]) j = i;
    out[0] = x[j][0];
    out[1] = x[j][1];
}

/* Fits `model` and checks the fit against the reference optimum. */
static void check_fit(const char *label, svi_model model, const fit_settings *settings,
                      double ref_loc, double ref_scale, double ref_kl) {
    double *losses = malloc(settings->num_steps * sizeof *losses), mean_loss = 0.0;
    fit_result fit = {NAN, NAN, NULL};
    size_t i;
    if (losses == NULL) {
        CHECK(0, "%s: no memory for the losses", label);
        return;
    }
    fit.losses = losses;
    CHECK_OK(fit_normal(model, settings, &fit));
    for (i = settings->num_steps - settings->num_averaged; i < settings->num_steps; i++)
        mean_loss += losses[i] / (double)settings->num_averaged;
    printf("%s: loc %.6f, scale %.6f, mean loss over the averaged steps %.6f\n", label, fit.loc,
           fit.scale, mean_loss);
    CHECK(fabs(fit.loc - ref_loc) < FIT_TOLERANCE, "%s: loc %.4f matches %.4f", label, fit.loc, ref_loc);
    CHECK(fabs(fit.scale - ref_scale) < FIT_TOLERANCE, "%s: scale %.4f matches %.4f", label, fit.scale,
          ref_scale);
    /* With a normalized p, the loss (the negative ELBO) estimates KL(q || p). */
    CHECK(fabs(mean_loss - ref_kl) < 0.02, "%s: the mean loss %.4f is the minimal KL %.4f", label,
          mean_loss, ref_kl);
    free(losses);
}

int main(void) {
    const gauss_mixture *p = &SEED000_TARGET;
    const fit_settings settings = {0, 4000, 2000, 32, 0.02};
    double ref[2], other[2], ref_loc, ref_scale, ref_kl, library_kl = NAN;
    svi_model model = 0;
    svi_dist mixture = 0, q = 0;

    /* The quadrature against the closed form KL(N(0.3, 0.7) || N(-0.4, 1.3)). */
    {
        const gauss_mixture normal = {1, {1.0}, {-0.4}, {1.3}};
        const double m1 = 0.3, s1 = 0.7, m2 = -0.4, s2 = 1.3;
        double exact = log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2.0 * s2 * s2) - 0.5;
        double quad = kl_normal_to_mixture(m1, s1, &normal);
        CHECK(fabs(quad - exact) < 1e-12, "quadrature KL of two normals %.15f = closed form %.15f", quad, exact);
    }

    /* The reference optimum, from two starting points. */
    {
        const double start_a[2] = {-1.5, log(0.2)}, start_b[2] = {2.0, log(2.0)};
        double d_loc, d_log_scale;
        nelder_mead(p, start_a, ref);
        nelder_mead(p, start_b, other);
        ref_loc = ref[0];
        ref_scale = exp(ref[1]);
        ref_kl = objective(ref, p);
        printf("reference optimum: loc %.6f, scale %.6f, KL %.6f\n", ref_loc, ref_scale, ref_kl);
        CHECK(fabs(ref[0] - other[0]) < 1e-6 && fabs(ref[1] - other[1]) < 1e-6,
              "both starts reach the same optimum (%.8f, %.8f) vs (%.8f, %.8f)",
              ref[0], exp(ref[1]), other[0], exp(other[1]));
        d_loc = central_difference(ref, 0, p);
        d_log_scale = central_difference(ref, 1, p);
        CHECK(fabs(d_loc) < 1e-6 && fabs(d_log_scale) < 1e-6,
              "the gradient vanishes at the optimum (%.1e, %.1e)", d_loc, d_log_scale);
    }

    /* The library's own quadrature of KL(q || p) agrees at the optimum. */
    {
        svi_named_array q_params[2] = {{"loc", {&ref_loc, 0, NULL}}, {"scale", {&ref_scale, 0, NULL}}};
        CHECK_OK(make_mixture_dist(&mixture, p));
        CHECK_OK(svi_dist_new(&q, "Normal", q_params, 2));
        CHECK_OK(svi_kl_quadrature(q, mixture, -12.0, 12.0, 4000, &library_kl));
        CHECK(fabs(library_kl - ref_kl) < 1e-9, "svi_kl_quadrature %.12f = %.12f", library_kl, ref_kl);
        svi_dist_free(q);
    }

    /* The fit with the mixture log-density as a batched C callback, and the
     * fit with the model made from the library's mixture distribution. */
    CHECK_OK(make_callback_model(&model, mixture_callback, (void *)p));
    check_fit("callback model", model, &settings, ref_loc, ref_scale, ref_kl);
    svi_model_free(model);
    model = 0;
    CHECK_OK(svi_model_new_distribution(&model, "x", mixture));
    check_fit("distribution model", model, &settings, ref_loc, ref_scale, ref_kl);
    svi_model_free(model);
    svi_dist_free(mixture);
    return check_summary();
}
