"""Models of the results context, one module per topic."""

from certeval.results.models.stats import PastCohortRow, PastJurorAnswer  # noqa: F401
