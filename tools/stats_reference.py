#!/usr/bin/env python3
"""Reference values for the unit tests of app/src/monitoring/stats.rs, computed with
independent tools (run with statsmodels 0.15.0 and numpy 2.4.6): statsmodels' Wilson interval and numpy's variance.

Not part of the test command (it needs `pip install statsmodels numpy`); run it by hand
to reproduce or extend the figures the tests quote.

statsmodels uses z = 1.959964 where Soundings uses 1.96 (PRODUCT.md), so the tests allow
0.01 percentage points of difference.
"""
import math

import numpy as np
from statsmodels.stats.proportion import proportion_confint

Z = 1.96


def wilson(successes, n, population=None):
    """Wilson 95% interval in percent; with a population, via n_eff = n (N-1)/(N-n)."""
    n_eff = n if population is None else n * (population - 1) / (population - n)
    p = successes / n
    low, high = proportion_confint(p * n_eff, n_eff, alpha=0.05, method="wilson")
    return round(100 * low, 4), round(100 * high, 4)


def nps(promoters, passives, detractors, population=None):
    """NPS and its half-width, from per-respondent scores +1 / 0 / -1 and numpy's var."""
    x = np.array([1] * promoters + [0] * passives + [-1] * detractors, dtype=float)
    n = len(x)
    half = 100 * Z * math.sqrt(np.var(x) / n)
    if population is not None:
        half *= math.sqrt((population - n) / (population - 1))
    return round(100 * x.mean(), 4), round(half, 4)


for case in [(40, 50, None), (40, 50, 200), (0, 10, None), (10, 10, None), (1, 1, None), (7, 12, 300)]:
    print("wilson", case, wilson(*case))
for case in [(50, 30, 20, None), (50, 30, 20, 400), (5, 0, 5, None), (3, 1, 1, 12)]:
    print("nps", case, nps(*case))
