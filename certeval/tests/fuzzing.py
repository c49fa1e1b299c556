"""What the API's fuzz runs share: Hypothesis' settings, bounded (``CERTEVAL_FUZZ_EXAMPLES`` examples an
operation, 12 by default) and derandomised, so that CI sees the same cases every time."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

EXAMPLES = int(os.environ.get("CERTEVAL_FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
