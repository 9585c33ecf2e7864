"""The bank rules' χ² and binomial tests agree with scipy, the reference implementation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from qbank.rules.bank._stats import binomial_two_sided, chi2_sf, chi_square


@given(st.floats(min_value=0.0, max_value=400.0, allow_nan=False), st.integers(min_value=1, max_value=12))
@settings(max_examples=300, deadline=None)
def test_chi2_sf_matches_scipy(x, df):
    assert chi2_sf(x, df) == pytest.approx(float(stats.chi2.sf(x, df)), rel=1e-9, abs=1e-300)


@given(st.lists(st.integers(min_value=0, max_value=60), min_size=2, max_size=6).filter(lambda c: sum(c) > 0))
@settings(max_examples=200, deadline=None)
def test_chi_square_matches_scipy(counts):
    statistic, p_value = chi_square(counts)
    reference = stats.chisquare(counts)
    assert statistic == pytest.approx(float(reference.statistic), rel=1e-12, abs=1e-12)
    assert p_value == pytest.approx(float(reference.pvalue), rel=1e-9, abs=1e-300)


@given(st.integers(min_value=1, max_value=400), st.data(), st.floats(min_value=0.01, max_value=0.99))
@settings(max_examples=300, deadline=None)
def test_binomial_matches_scipy(n, data, p):
    hits = data.draw(st.integers(min_value=0, max_value=n))
    assert binomial_two_sided(hits, n, p) == pytest.approx(float(stats.binomtest(hits, n, p).pvalue), rel=1e-7, abs=1e-12)


def test_known_values():
    assert chi_square([0, 10]) == (10.0, pytest.approx(0.0015654022580025))
    assert binomial_two_sided(12, 14, 1 / 3) == pytest.approx(8.2e-05, rel=0.01)
