/* SPDX-License-Identifier: Apache-2.0 */
/*
 * risk_uniqueness.c - population uniqueness models (see risk_uniqueness.h;
 * formulas in README "Risk models").
 *
 * Written from the papers' formulas as ARX 3.9.2 states them (its classes
 * ModelZayatz, ModelPitman, ModelSNB and RiskModelPopulationUniqueness),
 * so that the figures agree with ARX's; where ARX's code departs from the
 * paper it is followed and said so below. Differences from ARX, on
 * purpose:
 *  - ARX restarts a failed Newton-Raphson solve from random points and
 *    also stops on wall-clock limits; restarts here come from a fixed
 *    sequence and only iteration counts limit them, so one input always
 *    gives the same figures.
 *  - The Pitman and SNB solutions are polished past ARX's stopping rule
 *    (both equations within 1e-6) until a Newton step no longer moves
 *    them: the figure is the root, not where ARX happened to stop (for
 *    Pitman on Adult the two differ by about 1e-11 relative, for SNB up
 *    to about 1e-8).
 *  - The hypergeometric probabilities of the Zayatz model are exact
 *    products, not capped at 2^31 - 1 records as ARX's integers are.
 */
#include <math.h>
#include <stddef.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#include "risk_uniqueness.h"

/* ARX's solver settings (ARXSolverConfiguration): equations within this,
 * at most this many iterations per start and in all. */
#define SOLVER_ACCURACY 1e-6
#define SOLVER_ITERATIONS_PER_TRY 1000
#define SOLVER_ITERATIONS_TOTAL 10000
/* Newton steps after the accuracy is reached (Pitman), each only while it
 * still moves the solution by more than POLISH_EPS relative. */
#define POLISH_STEPS 8
#define POLISH_EPS 1e-15
/* Populations up to 2^53 are whole numbers a double holds exactly. */
#define MAX_POPULATION 9007199254740992.0

const char *risk_model_name(risk_model m)
{
    switch (m) {
    case RISK_ZAYATZ: return "zayatz";
    case RISK_PITMAN: return "pitman";
    case RISK_SNB: return "snb";
    default: return "none";
    }
}

/* ---- special functions ------------------------------------------------------ */

/* Both shift x up by the recurrences psi(x) = psi(x + 1) - 1/x and
 * psi'(x) = psi'(x + 1) + 1/x^2 until x >= 10, then sum the asymptotic
 * series (Abramowitz & Stegun 6.3.18, 6.4.12); seven Bernoulli terms keep
 * the error near the double rounding there. Negative x go through the
 * reflection formulas psi(x) = psi(1 - x) - pi cot(pi x) and
 * psi'(x) = pi^2 / sin^2(pi x) - psi'(1 - x) (A&S 6.3.7, 6.4.7), with
 * the angle taken from x's fractional part, which a double holds exactly. */
static double fraction_of(double x)
{
    return x - floor(x);
}

double risk_digamma(double x)
{
    if (!isfinite(x) || (x <= 0 && x == floor(x)))
        return NAN;
    if (x < 0)
        return risk_digamma(1 - x) - M_PI / tan(M_PI * fraction_of(x));
    double acc = 0;
    while (x < 10) {
        acc -= 1 / x;
        x += 1;
    }
    double r = 1 / (x * x);
    /* B2k / 2k for k = 1..7 */
    double series =
        r * (1.0 / 12 -
             r * (1.0 / 120 -
                  r * (1.0 / 252 -
                       r * (1.0 / 240 - r * (1.0 / 132 - r * (691.0 / 32760 - r * (1.0 / 12)))))));
    return acc + log(x) - 0.5 / x - series;
}

double risk_trigamma(double x)
{
    if (!isfinite(x) || (x <= 0 && x == floor(x)))
        return NAN;
    if (x < 0) {
        double sn = sin(M_PI * fraction_of(x));
        return M_PI * M_PI / (sn * sn) - risk_trigamma(1 - x);
    }
    double acc = 0;
    while (x < 10) {
        acc += 1 / (x * x);
        x += 1;
    }
    double r = 1 / (x * x);
    /* B2k / x^(2k+1) for k = 1..7 */
    double series =
        r * (1.0 / 6 -
             r * (1.0 / 30 -
                  r * (1.0 / 42 - r * (1.0 / 30 - r * (5.0 / 66 - r * (691.0 / 2730 - r * (7.0 / 6)))))));
    return acc + 1 / x + 0.5 * r + series / x;
}

/* ---- histogram helpers ------------------------------------------------------ */

static double classes_of_size(const risk_size_count *hist, size_t n, uint64_t size)
{
    for (size_t i = 0; i < n && hist[i].size <= size; i++)
        if (hist[i].size == size)
            return (double)hist[i].classes;
    return 0;
}

static double all_classes(const risk_size_count *hist, size_t n)
{
    double u = 0;
    for (size_t i = 0; i < n; i++)
        u += (double)hist[i].classes;
    return u;
}

/* A deterministic sequence in [0, 1) for restarts (the fractional parts
 * of multiples of the golden ratio, well spread for any count). */
static double restart_fraction(unsigned i, unsigned which)
{
    double g = which ? 0.7548776662466927 : 0.5698402909980532;
    double v = (double)i * g;
    return v - floor(v);
}

/* ---- a 2-D Newton-Raphson solver ------------------------------------------- */

/* The equations and their Jacobian at (x, y): f[2], j[4] = df0/dx, df0/dy,
 * df1/dx, df1/dy. Returns 0, or -1 when they cannot be evaluated there. */
typedef int (*equations_fn)(const void *ctx, double x, double y, double f[2], double j[4]);
/* 1 when (x, y) may be stepped to. */
typedef int (*domain_fn)(double x, double y);

typedef struct solver {
    equations_fn eq;
    domain_fn domain;         /* NULL: anywhere */
    const void *ctx;
    int polish;               /* 1: keep stepping after the accuracy is reached */
} solver;

/* One Newton step from (*x, *y). Returns 1 when the equations hold within
 * SOLVER_ACCURACY at the start point (nothing moved), 0 after a step, -1
 * when the step cannot be taken. */
static int newton_step(const solver *s, double *x, double *y)
{
    double f[2], j[4];
    if (s->eq(s->ctx, *x, *y, f, j) || !isfinite(f[0]) || !isfinite(f[1]))
        return -1;
    if (fabs(f[0]) <= SOLVER_ACCURACY && fabs(f[1]) <= SOLVER_ACCURACY)
        return 1;
    double det = j[0] * j[3] - j[1] * j[2];
    if (det == 0 || !isfinite(det))
        return -1;
    double dx = (j[3] * f[0] - j[1] * f[1]) / det;
    double dy = (j[0] * f[1] - j[2] * f[0]) / det;
    *x -= dx;
    *y -= dy;
    if (!isfinite(*x) || !isfinite(*y) || (s->domain && !s->domain(*x, *y)))
        return -1;
    return 0;
}

/* Steps that leave the root where it is (to rounding) end the polish. */
static void polish(const solver *s, double *x, double *y)
{
    for (int i = 0; i < POLISH_STEPS; i++) {
        double f[2], j[4];
        if (s->eq(s->ctx, *x, *y, f, j))
            return;
        double det = j[0] * j[3] - j[1] * j[2];
        if (det == 0 || !isfinite(det))
            return;
        double nx = *x - (j[3] * f[0] - j[1] * f[1]) / det;
        double ny = *y - (j[0] * f[1] - j[2] * f[0]) / det;
        if (!isfinite(nx) || !isfinite(ny) || (s->domain && !s->domain(nx, ny)))
            return;
        double f2[2], j2[4];
        if (s->eq(s->ctx, nx, ny, f2, j2) || !(fabs(f2[0]) <= SOLVER_ACCURACY) ||
            !(fabs(f2[1]) <= SOLVER_ACCURACY))
            return;
        int moved = fabs(nx - *x) > POLISH_EPS * fabs(*x) || fabs(ny - *y) > POLISH_EPS * fabs(*y);
        *x = nx;
        *y = ny;
        if (!moved)
            return;
    }
}

/* Solves from (x0, y0), then from restart points (x0, y0) scaled by
 * fractions in [0, 1) as ARX does (there at random), within ARX's
 * iteration limits. Returns 1 with the solution in *x, *y, or 0. */
static int solve(const solver *s, double x0, double y0, double *x, double *y)
{
    unsigned total = 0;
    for (unsigned attempt = 0; total < SOLVER_ITERATIONS_TOTAL; attempt++) {
        *x = attempt ? restart_fraction(attempt, 0) * x0 : x0;
        *y = attempt ? restart_fraction(attempt, 1) * y0 : y0;
        for (unsigned it = 0; it <= SOLVER_ITERATIONS_PER_TRY && total < SOLVER_ITERATIONS_TOTAL;
             it++, total++) {
            int r = newton_step(s, x, y);
            if (r > 0) {
                if (s->polish)
                    polish(s, x, y);
                return 1;
            }
            if (r < 0)
                break;
        }
    }
    return 0;
}

/* ---- Zayatz ----------------------------------------------------------------- */

/* P(X = 1) for X hypergeometric: `size` marked among `population`, `drawn`
 * drawn without replacement: size * C(N - size, n - 1) / C(N, n), as the
 * product size * n/N * prod_{j=0}^{size-2} (N - n - j) / (N - 1 - j). */
static double hypergeometric_one(double population, double size, double drawn)
{
    double p = size * drawn / population;
    for (double j = 0; j + 2 <= size && p > 0; j++) {
        double top = population - drawn - j;
        if (top <= 0)
            return 0;
        p *= top / (population - 1 - j);
    }
    return p;
}

double risk_zayatz(const risk_size_count *hist, size_t n, double records, double population,
                   const char **reason)
{
    double u = all_classes(hist, n), c1 = classes_of_size(hist, n, 1);
    double f = records / population;
    /* Probability that a sample unique is a population unique when the
     * population classes are distributed as the sample's (Zayatz 1991). */
    double all = 0;
    for (size_t i = 0; i < n; i++)
        all += (double)hist[i].classes / u *
               hypergeometric_one(population, (double)hist[i].size, records);
    double conditional = c1 / u * hypergeometric_one(population, 1, records) / all;
    double uniques = c1 * conditional / f;
    if (!isfinite(uniques)) {
        if (reason)
            *reason = "the hypergeometric probabilities are zero";
        return NAN;
    }
    return uniques;
}

/* ---- Pitman ----------------------------------------------------------------- */

typedef struct pitman_ctx {
    const risk_size_count *hist;
    size_t n;
    double u, records;
} pitman_ctx;

/* The sums over i = 1..u-1 of 1/(t+ia), i/(t+ia), 1/(t+ia)^2,
 * i/(t+ia)^2 and i^2/(t+ia)^2, in closed form (never a loop over the u
 * classes): through digamma and trigamma of t/a for a != 0 (i/(t+ia) =
 * (1 - t/(t+ia))/a and so on), as powers sums of i for a = 0. */
static void pitman_class_sums(double t, double a, double u, double s[5])
{
    if (a == 0) {
        double m = u - 1;
        s[0] = m / t;
        s[1] = m * u / 2 / t;
        s[2] = m / (t * t);
        s[3] = m * u / 2 / (t * t);
        s[4] = m * u * (2 * u - 1) / 6 / (t * t);
        return;
    }
    double x = t / a;
    s[0] = (risk_digamma(x + u) - risk_digamma(x + 1)) / a;
    s[1] = ((u - 1) - t * s[0]) / a;
    s[2] = (risk_trigamma(x + 1) - risk_trigamma(x + u)) / (a * a);
    s[3] = (s[0] - t * s[2]) / a;
    s[4] = (s[1] - t * s[3]) / a;
}

/* The likelihood equations of the Pitman sampling formula in (theta,
 * alpha) (Hoshino 2001, as ARX solves them):
 *   f0 = sum_{i<u} 1/(t+ia) - sum_{i<n} 1/(t+i)
 *   f1 = sum_{i<u} i/(t+ia) - sum_{classes} sum_{j<size} 1/(j-a) */
static int pitman_equations(const void *vctx, double t, double a, double f[2], double j[4])
{
    const pitman_ctx *c = vctx;
    if (!(a < 1) || !(t + 1 > 0))
        return -1;
    double s[5];
    pitman_class_sums(t, a, c->u, s);
    double o2 = risk_digamma(t + c->records) - risk_digamma(t + 1);
    double d2 = risk_trigamma(t + 1) - risk_trigamma(t + c->records);
    double psi1 = risk_digamma(1 - a), tri1 = risk_trigamma(1 - a);
    double o4 = 0, d4 = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->hist[i].size == 1)
            continue;
        double k = (double)c->hist[i].size, m = (double)c->hist[i].classes;
        o4 += m * (risk_digamma(k - a) - psi1);
        d4 += m * (tri1 - risk_trigamma(k - a));
    }
    f[0] = s[0] - o2;
    f[1] = s[1] - o4;
    j[0] = d2 - s[2];
    j[1] = -s[3];
    j[2] = -s[3];
    j[3] = -s[4] - d4;
    return 0;
}

static int theta_not_negative(double t, double a)
{
    (void)a;
    return t >= 0;
}

double risk_pitman(const risk_size_count *hist, size_t n, double records, double population,
                   const char **reason)
{
    double c1 = classes_of_size(hist, n, 1), c2 = classes_of_size(hist, n, 2);
    double u = all_classes(hist, n);
    /* ARX's starting point (moment estimates; c2 = 0 counts as 1) */
    if (c2 == 0)
        c2 = 1;
    double c = c1 * (c1 - 1) / c2;
    double t0 = (records * u * c - c1 * (records - 1) * (2 * u + c)) /
                (2 * c1 * u + c1 * c - records * c);
    double a0 = (t0 * (c1 - records) + (records - 1) * c1) / (records * u);
    pitman_ctx ctx = {hist, n, u, records};
    solver s = {pitman_equations, theta_not_negative, &ctx, 1};
    double t, a;
    if (!isfinite(t0) || !isfinite(a0) || !solve(&s, t0, a0, &t, &a)) {
        if (reason)
            *reason = "the likelihood equations did not converge";
        return NAN;
    }
    /* uniques = Gamma(t + 1) / Gamma(t + a) * N^a, through log-gamma and
     * directly; ARX keeps the larger of the two that lie in [0, N]. */
    double best = NAN;
    if (a != 0 && t + a > 0) {
        double v1 = exp(lgamma(t + 1) - lgamma(t + a)) * pow(population, a);
        double v2 = tgamma(t + 1) / tgamma(t + a) * pow(population, a);
        if (v1 >= 0 && v1 <= population)
            best = v1;
        if (v2 >= 0 && v2 <= population && !(v2 <= best))
            best = v2;
    }
    if (isnan(best) && reason)
        *reason = "the estimate is outside 0 to the population size";
    return best;
}

/* ---- SNB -------------------------------------------------------------------- */

typedef struct snb_ctx {
    double k, f, c1, c2;
} snb_ctx;

/* Non-empty classes in the population, Shlosser's estimator as ARX writes
 * it (Haas et al. 1998): K = u + c1 * A / B * (C / D)^2 with, over the
 * histogram, A = sum i f^2 (1-f^2)^(i-1) c_i, C = sum (1-f)^i c_i,
 * D = sum i f (1-f)^(i-1) c_i and B = sum ((1-f^2)^i c_i - 1):
 * ARX subtracts the 1 once per histogram bar (its operator precedence),
 * which is kept so that the figures agree. */
static double snb_classes(const risk_size_count *hist, size_t n, double u, double c1, double f)
{
    double va = 0, vb = 0, vc = 0, vd = 0, f2 = f * f;
    for (size_t i = 0; i < n; i++) {
        double size = (double)hist[i].size, m = (double)hist[i].classes;
        va += size * f2 * pow(1 - f2, size - 1) * m;
        /* (1-f)^i (1+f)^i as ARX writes it overflows (0 * inf) for large
         * classes; (1-f^2)^i is the same number and does not */
        vb += pow(1 - f2, size) * m - 1;
        vc += pow(1 - f, size) * m;
        vd += size * f * pow(1 - f, size - 1) * m;
    }
    return u + c1 * (va / vb) * (vc / vd) * (vc / vd);
}

/* The SNB equations in (a, b) as ARX states them, with d = (1-f)(1-b) and
 * g = 1 - d:
 *   f0 = K f (b/g)^a (a d/g + 1) - c1
 *   f1 = K a b^a f^2 (1-b)/2 g^(a+2) (2 - (1-a) d) - c2
 * and their partial derivatives (dg/db = 1-f, d(b/g)/db = f/g^2). */
static int snb_equations(const void *vctx, double a, double b, double fx[2], double j[4])
{
    const snb_ctx *c = vctx;
    double f = c->f, k = c->k;
    double d = (1 - f) * (1 - b), g = 1 - d, r = b / g;
    double ra = pow(r, a), h = a * d / g + 1;
    fx[0] = k * f * ra * h - c->c1;
    j[0] = k * f * ra * (log(r) * h + d / g);
    j[1] = k * f * (a * pow(r, a - 1) * (f / (g * g)) * h - ra * a * (1 - f) / (g * g));

    double e = 2 - (1 - a) * d;
    double ba = pow(b, a), ga = pow(g, a + 2);
    double q = k * f * f / 2 * ba * ga * e; /* f1 + c2 = a (1-b) q */
    fx[1] = a * (1 - b) * q - c->c2;
    /* d/da: (1-b) q [1 + a (ln b + ln g + d/e)] */
    j[2] = (1 - b) * q * (1 + a * (log(b) + log(g) + d / e));
    /* d/db: a q [-1 + (1-b) (a/b + (a+2)(1-f)/g + (1-a)(1-f)/e)] */
    j[3] = a * q * (-1 + (1 - b) * (a / b + (a + 2) * (1 - f) / g + (1 - a) * (1 - f) / e));
    return 0;
}

double risk_snb(const risk_size_count *hist, size_t n, double records, double population,
                const char **reason)
{
    double f = records / population;
    double c1 = classes_of_size(hist, n, 1), c2 = classes_of_size(hist, n, 2);
    double k = snb_classes(hist, n, all_classes(hist, n), c1, f);
    snb_ctx ctx = {k, f, c1, c2};
    solver s = {snb_equations, NULL, &ctx, 1};
    double a, b;
    if (!isfinite(k) || !solve(&s, 1, 1, &a, &b)) {
        if (reason)
            *reason = "the likelihood equations did not converge";
        return NAN;
    }
    double uniques = k * pow(b, a);
    if (!isfinite(uniques) || uniques < 0) {
        if (reason)
            *reason = "the estimate is not a number of records";
        return NAN;
    }
    return uniques;
}

/* ---- all together ----------------------------------------------------------- */

static risk_estimate estimate_of(double uniques, const char *reason, double population)
{
    risk_estimate e = {0, 0, 0, reason};
    /* ARX counts an estimate of exactly 0 as not available too */
    if (isnan(uniques) || uniques == 0) {
        if (!isnan(uniques))
            e.reason = "the estimate is 0";
        return e;
    }
    e.available = 1;
    e.uniques = uniques;
    e.share = uniques / population;
    e.reason = NULL;
    return e;
}

int risk_uniqueness_estimate(const risk_size_count *hist, size_t n, double f,
                             risk_uniqueness *out)
{
    double records = 0;
    for (size_t i = 0; i < n; i++) {
        if (hist[i].classes == 0 || hist[i].size == 0 || (i && hist[i].size <= hist[i - 1].size))
            return -1;
        records += (double)hist[i].size * (double)hist[i].classes;
    }
    if (!(f > 0 && f <= 1) || records == 0)
        return -1;
    double population = round(records / f);
    if (!(population <= MAX_POPULATION) || population < records)
        return -1;
    *out = (risk_uniqueness){0};
    out->sampling_fraction = f;
    out->population = (uint64_t)population;
    out->picked = RISK_NO_MODEL;

    if (classes_of_size(hist, n, 1) == 0) {
        /* no sample uniques: every model says 0, and ARX counts that as an estimate */
        for (int m = 0; m < RISK_N_MODELS; m++)
            out->model[m] = (risk_estimate){1, 0, 0, NULL};
        out->decision = (risk_estimate){1, 0, 0, NULL};
        return 0;
    }
    const char *why[RISK_N_MODELS] = {NULL, NULL, NULL};
    double z = risk_zayatz(hist, n, records, population, &why[RISK_ZAYATZ]);
    double p = risk_pitman(hist, n, records, population, &why[RISK_PITMAN]);
    double s = risk_snb(hist, n, records, population, &why[RISK_SNB]);
    out->model[RISK_ZAYATZ] = estimate_of(z, why[RISK_ZAYATZ], population);
    out->model[RISK_PITMAN] = estimate_of(p, why[RISK_PITMAN], population);
    out->model[RISK_SNB] = estimate_of(s, why[RISK_SNB], population);

    /* Dankar et al. (2012) as ARX applies it, with the sampling fraction
     * records / population: up to 0.1 Pitman, else Zayatz; above 0.1 the
     * smaller of Zayatz and SNB (SNB on a tie), Zayatz without SNB. */
    const risk_estimate *m = out->model;
    if (records / population <= 0.1)
        out->picked = m[RISK_PITMAN].available ? RISK_PITMAN : RISK_ZAYATZ;
    else if (m[RISK_SNB].available)
        out->picked = m[RISK_ZAYATZ].available && m[RISK_ZAYATZ].uniques < m[RISK_SNB].uniques
                          ? RISK_ZAYATZ
                          : RISK_SNB;
    else
        out->picked = RISK_ZAYATZ;
    out->decision = m[out->picked];
    return 0;
}
