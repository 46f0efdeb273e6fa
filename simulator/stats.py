"""Order statistics shared by the what-if simulator and ``drillsim compare``: one owner for the quantile.

Pure Python and light to import (no numpy): ``reports.compare`` reads its medians and ranges
here, ``simulator.whatif`` its p10/median/p90.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def quantile(values: Sequence[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` by linear interpolation between order statistics.

    Matches ``numpy.quantile``'s default ("linear", type 7). ``math.inf`` is allowed and
    sorts last: a quantile that falls on or next to an infinite value is infinite.
    """
    if not values:
        raise ValueError("quantile of no values")
    if not 0.0 <= q <= 1.0:
        raise ValueError("q must be between 0 and 1")
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    fraction = position - low
    a, b = ordered[low], ordered[high]
    if fraction == 0.0 or a == b:
        return a
    if math.isinf(a) or math.isinf(b):
        return math.inf
    return a + (b - a) * fraction
