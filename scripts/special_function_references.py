"""Reference values for Tests/SwiftVITests/SpecialFunctionReferenceTests.swift.

Computes digamma, trigamma, log-beta, the inverse error functions, the regularized
incomplete gamma functions P and Q, dP/da and the regularized incomplete beta
function with mpmath at 50+ significant digits at random and extreme arguments
(fixed seeds), then prints a selection as Swift arrays. Where mpmath's own
gammainc/betainc do not converge (a >= 1e4, max(a, b) > 200) the value comes from
the series (hypergeometric 1F1) or the classical continued fraction evaluated at
60-70 digits; dP/da is a central difference at 80 digits with step 1e-25 max(1, a)
of the smaller of P and Q. For a from 1e7 to 2.5e15, where the series would need
millions of terms, the smaller of P and Q is the integral of the Gamma(a, 1)
density from x (Gauss-Legendre by mp.quad over 640 panels of width at most √a/8).

    python3 scripts/special_function_references.py > /tmp/references.swift
"""
import mpmath as mp, random
mp.mp.dps = 50
random.seed(1)
out = []
def f(v): return repr(float(v))
def logu(lo, hi): return 10**random.uniform(lo, hi)
# digamma/trigamma
xs = [logu(-300, 300) for _ in range(40)] + [random.uniform(0, 20) for _ in range(60)] + [random.uniform(-20, 0) for _ in range(30)] + [1.4616321449683622, 1.46163214496836, 1.2, 1.72, 1e-8, 2.0, 10.0, 9.999]
for x in xs:
    out.append(f"digamma {f(x)} {f(mp.digamma(x))}")
    out.append(f"trigamma {f(x)} {f(mp.polygamma(1, x))}")
for _ in range(100):
    a, b = logu(-10, 15), logu(-10, 15)
    out.append(f"logbeta {f(a)} {f(b)} {f(mp.log(mp.beta(a, b)))}")
for _ in range(100):
    a, b = random.uniform(0, 30), random.uniform(0, 30)
    out.append(f"logbeta {f(a)} {f(b)} {f(mp.log(mp.beta(a, b)))}")
for y in [random.uniform(-1, 1) for _ in range(50)] + [1e-20, -1e-300, 0.9999999, 1 - 1e-15, -0.5]:
    out.append(f"erfinv {f(y)} {f(mp.erfinv(y))}")
for z in [logu(-300, 0.3) for _ in range(50)] + [1.9999, 1.5, 1.0 - 1e-12]:
    if z < 2:
        with mp.workdps(int(max(0, -mp.log10(z))) + 60):
            r = mp.erfinv(1 - mp.mpf(z))
        out.append(f"erfcinv {f(z)} {f(r)}")
# incomplete gamma
def upper_cf(a, x):
    # Legendre's continued fraction for Gamma(a, x), modified Lentz at the working precision
    tiny = mp.mpf(10)**(-mp.mp.dps * 3)
    b = x + 1 - a; c = 1 / tiny; d = 1 / b; h = d; i = 1
    while True:
        an = -i * (i - a); b += 2
        d = an * d + b; d = d if abs(d) > tiny else tiny
        c = b + an / c; c = c if abs(c) > tiny else tiny
        d = 1 / d; delta = d * c; h *= delta; i += 1
        if abs(delta - 1) < mp.mpf(10)**(-mp.mp.dps + 5): break
    return mp.exp(a * mp.log(x) - x - mp.loggamma(a)) * h

def PQ(a, x):
    a = mp.mpf(a); x = mp.mpf(x)
    with mp.workdps(mp.mp.dps + 10):
        if a < 1e4:
            P = mp.gammainc(a, 0, x, regularized=True)
            Q = mp.gammainc(a, x, mp.inf, regularized=True) if P > 0.5 else 1 - P
        elif x < a:
            P = mp.exp(a * mp.log(x) - x - mp.loggamma(a + 1)) * mp.hyp1f1(1, a + 1, x, maxterms=10**7)
            Q = 1 - P
        else:
            Q = upper_cf(a, x)
            P = 1 - Q
        return +P, +Q
cases = []
for _ in range(150):
    a = logu(-3, 6)
    if a > 1e3:
        x = a + a**0.5 * random.gauss(0, 4)
    else:
        x = a * logu(-1.5, 1.5) if random.random() < 0.6 else logu(-5, 3)
    cases.append((a, x))
cases += [(1e-10, 0.5), (1e-10, 10), (1e-300, 1e-300), (0.5, 1e-300), (1e6, 1e6), (1e6, 1e6 + 1000), (1e6, 999000), (1e6, 1e6 - 1), (3.0, 1e-10), (1e-3, 1.5), (0.999, 1.5), (0.999, 1.50001), (20, 500), (5, 600), (0.3, 700), (1e4, 1e4 + 100)]
for a, x in cases:
    P, Q = PQ(a, x)
    out.append(f"gammapq {f(a)} {f(x)} {f(P)} {f(Q)}")
# derivative of P in a: a central difference at 80 digits with step 1e-25·max(1, a)
# (truncation error ~1e-50, cancellation leaves ~50 correct digits)
for a, x in cases[:100] + cases[150:]:
    with mp.workdps(80):
        h = mp.mpf(10)**-25 * max(1, a)
        hi, lo = PQ(mp.mpf(a) + h, x), PQ(mp.mpf(a) - h, x)
        # difference the smaller of P and Q, which carries all its digits
        d = (hi[0] - lo[0]) / (2 * h) if hi[0] < 0.5 else -(hi[1] - lo[1]) / (2 * h)
    out.append(f"gammapda {f(a)} {f(x)} {f(d)}")
# incomplete beta
def beta_cf(a, b, x):
    # I_x(a, b) by the classical continued fraction (modified Lentz) at the working precision
    tiny = mp.mpf(10)**(-mp.mp.dps * 3); eps = mp.mpf(10)**(-mp.mp.dps + 5)
    g = lambda v: v if abs(v) > tiny else tiny
    c = mp.mpf(1); d = 1 / g(1 - (a + b) * x / (a + 1)); h = d; m = 1
    while True:
        e = m * (b - m) * x / ((a + 2*m - 1) * (a + 2*m))
        d = 1 / g(1 + e * d); c = g(1 + e / c); h *= d * c
        o = -(a + m) * (a + b + m) * x / ((a + 2*m) * (a + 2*m + 1))
        d = 1 / g(1 + o * d); c = g(1 + o / c); delta = d * c; h *= delta; m += 1
        if abs(delta - 1) < eps: break
    return mp.exp(a * mp.log(x) + b * mp.log(1 - x) - mp.log(mp.beta(a, b))) / a * h

def IC(a, b, x):
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    with mp.workdps(mp.mp.dps + 20):
        try:
            if max(a, b) > 200: raise ValueError("use the continued fraction")
            I = mp.betainc(a, b, 0, x, regularized=True)
            C = mp.betainc(a, b, x, 1, regularized=True) if I > 0.5 else 1 - I
        except Exception:
            if x < (a + 1) / (a + b + 2):
                I = beta_cf(a, b, x); C = 1 - I
            else:
                C = beta_cf(b, a, 1 - x); I = 1 - C
        return +I, +C

bc = []
for _ in range(150):
    a, b = logu(-3, 5), logu(-3, 5)
    m = a / (a + b)
    x = min(max(m * logu(-1, 0.3), 1e-300), 1 - 1e-16) if random.random() < 0.6 else random.random()
    bc.append((a, b, x))
bc += [(1e5, 1e5, 0.5), (1e5, 1e5, 0.501), (1e-3, 1e-3, 0.5), (1e-3, 5, 1e-10), (20, 20, 1e-20), (0.5, 1e5, 1e-5), (1e5, 0.5, 1 - 1e-5), (2, 3, 0.9999)]
for a, b, x in bc:
    I, C = IC(a, b, x)
    out.append(f"betai {f(a)} {f(b)} {f(x)} {f(I)} {f(C)}")

rows = {}
for line in out:
    name, *values = line.split()
    rows.setdefault(name, []).append([float(v) for v in values])
random.seed(7)


def pick(name, n, must=lambda r: False):
    forced = [r for r in rows[name] if must(r)]
    rest = [r for r in rows[name] if not must(r)]
    random.shuffle(rest)
    return forced + rest[: max(0, n - len(forced))]


special_gamma = ((20, 500), (5, 600), (0.3, 700), (0.999, 1.5), (0.999, 1.50001), (1e-3, 1.5), (1e4, 1e4 + 100))
selection = [
    ("digammaReferences", "(x, ψ(x))", pick("digamma", 24, lambda r: r[0] in (1.4616321449683622, 1.46163214496836, 1e-8, 1.2, 1.72) or r[0] > 1e200 or r[0] < -15)),
    ("trigammaReferences", "(x, ψ′(x))", pick("trigamma", 16, lambda r: r[0] in (1e-8, 1.2) or r[0] > 1e200)),
    ("logBetaReferences", "(a, b, log B(a, b))", pick("logbeta", 20, lambda r: max(r[0], r[1]) > 1e13 or min(r[0], r[1]) < 1e-9)),
    ("erfinvReferences", "(y, erf⁻¹ y)", pick("erfinv", 10, lambda r: r[0] in (1e-20, -1e-300, 0.9999999, 1 - 1e-15))),
    ("erfcinvReferences", "(z, erfc⁻¹ z)", pick("erfcinv", 10, lambda r: r[0] < 1e-200 or r[0] in (1.9999, 1.0 - 1e-12))),
    ("incompleteGammaReferences", "(a, x, P(a, x), Q(a, x))", pick("gammapq", 40, lambda r: r[0] >= 1e6 or r[0] < 1e-9 or r[1] < 1e-9 or tuple(r[:2]) in special_gamma)),
    ("incompleteGammaDerivativeReferences", "(a, x, ∂P(a, x)/∂a)", pick("gammapda", 26, lambda r: r[0] >= 1e6 or r[0] < 1e-9 or tuple(r[:2]) in special_gamma)),
    ("incompleteBetaReferences", "(a, b, x, Iₓ(a, b), 1 − Iₓ(a, b))", pick("betai", 30, lambda r: max(r[0], r[1]) >= 1e5 or min(r[0], r[1]) <= 1e-3 or r[2] < 1e-19)),
]
for name, doc, chosen in selection:
    print(f"/// {doc}")
    print(f"let {name}: [[Double]] = [")
    for r in sorted(chosen):
        print("    [" + ", ".join(".infinity" if x == float("inf") else repr(x) for x in r) + "],")
    print("]\n")


# incomplete gamma for large a, at x = a + d√a: the smaller tail by quadrature
print("/// (a, x, P(a, x), Q(a, x)) for large a")
print("let largeShapeIncompleteGammaReferences: [[Double]] = [")
for a in (mp.mpf("1e7"), mp.mpf("3.5e8"), mp.mpf("1e12"), mp.mpf("2.5e15")):
    s, lg = mp.sqrt(a), mp.loggamma(a)
    density = lambda t: mp.exp((a - 1) * mp.log(t) - t - lg)
    for d in (-37, -6, -1, -0.01, 0.3, 2, 8, 37):
        x = mp.mpf(float(a + d * s))
        width = 80 * s / max(1, abs(d))
        if d < 0:
            p = mp.quad(density, mp.linspace(x - width, x, 641)); q = 1 - p
        else:
            q = mp.quad(density, mp.linspace(x, x + width, 641)); p = 1 - q
        print("    [" + ", ".join(repr(float(v)) for v in (a, x, p, q)) + "],")
print("]")

# dP/da for large a: the integral of (log t - psi(a)) times the density, from 0 to x
# (or minus the integral from x, since the whole integral is 0)
print("/// (a, x, ∂P(a, x)/∂a) for large a")
print("let largeShapeIncompleteGammaDerivativeReferences: [[Double]] = [")
for a in (mp.mpf("1e7"), mp.mpf("1e12")):
    s, lg, psi = mp.sqrt(a), mp.loggamma(a), mp.digamma(a)
    integrand = lambda t: mp.exp((a - 1) * mp.log(t) - t - lg) * (mp.log(t) - psi)
    for d in (-6, -1, 0, 0.5, 3):
        x = mp.mpf(float(a + d * s))
        width = 80 * s / max(1, abs(d))
        if d < 0:
            v = mp.quad(integrand, mp.linspace(x - width, x, 641))
        else:
            v = -mp.quad(integrand, mp.linspace(x, x + width, 641))
        print("    [" + ", ".join(repr(float(w)) for w in (a, x, v)) + "],")
print("]")


# incomplete beta with one parameter large (a from 1e5 to 1e300) and b <= 1, at
# x = 1 - y: t ~ Beta(b, a) has 1 - I_x(a, b) = P(t <= y); with s = a t its density
# is c s^(b-1) (1 - s/a)^(a-1), c = Gamma(a + b)/(Gamma(a) a^b Gamma(b)), integrated
# by mp.quad at 40 digits on each side of s0 = a y (the arguments taken as the doubles
# the test passes)
mp.mp.dps = 40
def large_parameter_beta(a, b, y):
    a, b, y = mp.mpf(float(a)), mp.mpf(float(b)), mp.mpf(y)
    with mp.workdps(700):
        # Γ(a + b)/(Γ(a) aᵇ Γ(b)): the normalizing constant of the density of s = a t, t ~ Beta(b, a)
        logc = mp.loggamma(a + b) - mp.loggamma(a) - b * mp.log(a) - mp.loggamma(b)
    c = mp.exp(logc)
    g = lambda s: c * s**(b - 1) * mp.exp((a - 1) * mp.log1p(-s / a))
    s0 = a * y
    # C = 1 − Iₓ(a, b) = P(t ≤ y) and I = P(t > y), each integrated where its mass is;
    # C in v = sᵇ, which takes the sᵇ⁻¹ singularity at 0 out of the integrand
    h = lambda v: c / b * mp.exp((a - 1) * mp.log1p(-v**(1 / b) / a))
    C = mp.quad(h, [0, s0**b / 2, s0**b])
    # scaled by the integrand at s0, as quad's tolerance is absolute
    top = g(s0)
    I = top * mp.quad(lambda s: g(s) / top, [s0 + d for d in (0, 0.5, 1, 2, 4, 8, 16, 32, 64, 128, 256, 400)])
    return I, C
rows = []
for a in ["1e5", "3e6", "1e9", "1e13", "1e17", "1e30", "1e100", "1e300"]:
    for b in ["0.5", "0.001", "0.3", "1"]:
        for s0 in ["1e-8", "1e-3", "0.1", "0.7", "2", "9", "40", "300"]:
            y = float(mp.mpf(s0) / mp.mpf(float(a)))
            I, C = large_parameter_beta(a, b, y)
            rows.append((float(a), float(b), y, float(I), float(C)))
print("/// (a, b, y, Iₓ(a, b), 1 − Iₓ(a, b)) at x = 1 − y for a ≥ 1e5 and b ≤ 1")
print("let largeParameterIncompleteBetaReferences: [[Double]] = [")
for r in rows:
    print("    [" + ", ".join(repr(v) for v in r) + "],")
print("]")
