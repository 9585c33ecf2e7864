"""Two tests for the bank rules, in closed form with the math module only.

- :func:`chi2_sf`: the survival function of the χ² distribution for an integer number
  of degrees of freedom, P(X ≥ x) = Q(k/2, x/2), by the finite sums of Abramowitz and
  Stegun 26.4.4 (even k) and 26.4.5 (odd k, with erfc).
- :func:`binomial_two_sided`: the exact two-sided binomial test, summing the
  probabilities of every outcome no more likely than the observed one (the "minlike"
  rule of R's binom.test and scipy.stats.binomtest, with the same 1e-7 tolerance).

scipy gives the same numbers (tests/test_bank_stats.py checks it) but costs 0.7 s of
import on every ``qbank lint``; these cost nothing.
"""

from __future__ import annotations

import math


def chi2_sf(x: float, df: int) -> float:
    if df < 1:
        raise ValueError("df must be at least 1")
    if x <= 0:
        return 1.0
    half = x / 2
    if df % 2 == 0:
        term = total = 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    total = 0.0
    term = math.sqrt(half) / math.gamma(1.5)
    for j in range(1, (df - 1) // 2 + 1):
        total += term
        term *= half / (j + 0.5)
    return min(1.0, math.erfc(math.sqrt(half)) + math.exp(-half) * total)


def chi_square(counts: list[int]) -> tuple[float, float]:
    """Pearson's goodness-of-fit test against equal shares: (statistic, p-value)."""
    n, k = sum(counts), len(counts)
    expected = n / k
    statistic = sum((c - expected) ** 2 / expected for c in counts) if n else 0.0
    return statistic, chi2_sf(statistic, k - 1)


def _log_pmf(i: int, n: int, p: float) -> float:
    if p in (0.0, 1.0):
        return 0.0 if i == (0 if p == 0.0 else n) else float("-inf")
    return math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) + i * math.log(p) + (n - i) * math.log1p(-p)


_NEGLIGIBLE = -800.0
"""math.exp of a log-probability below this is exactly 0.0 (doubles underflow below about -745)."""


def _edge(n: int, p: float, start: int, step: int) -> int:
    """From the mode ``start``, the last outcome in direction ``step`` whose probability is not exactly 0.0."""
    low, high = 0, (n - start if step > 0 else start)  # how far to go: found within [low, high]
    while low < high:
        middle = (low + high + 1) // 2
        if _log_pmf(start + step * middle, n, p) >= _NEGLIGIBLE:
            low = middle
        else:
            high = middle - 1
    return start + step * low


def binomial_two_sided(hits: int, n: int, p: float) -> float:
    """P-value of ``hits`` successes in ``n`` trials of probability ``p``, two-sided.

    Outcomes whose probability underflows to exactly 0.0 are skipped (the log-pmf is
    concave, so they form the two far tails, found by bisection): the sum is the same
    float as over every outcome, at a fraction of the cost for large ``n``.
    """
    observed = _log_pmf(hits, n, p)
    bound = observed + math.log1p(1e-7)
    outcomes = range(n + 1)
    if 0.0 < p < 1.0:
        mode = min(n, int((n + 1) * p))
        outcomes = range(_edge(n, p, mode, -1), _edge(n, p, mode, 1) + 1)
    total = sum(math.exp(lp) for lp in (_log_pmf(i, n, p) for i in outcomes) if lp <= bound)
    return min(1.0, total)
