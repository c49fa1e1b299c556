"""Agreement statistics against Krippendorff's published worked example.

K. Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section C: 4 observers,
12 units, missing values; alpha = 0.743 (nominal), 0.815 (ordinal), 0.849 (interval),
0.797 (ratio).
"""

import pytest

from certeval.domain.juries.agreement import (
    Metric,
    agreement_report,
    disagreements,
    krippendorff_alpha,
    rater_severity,
)

N = None
RELIABILITY_DATA = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    "C": [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
}
UNITS = [{rater: values[u] for rater, values in RELIABILITY_DATA.items()} for u in range(12)]


@pytest.mark.parametrize(
    ("metric", "expected"),
    [(Metric.NOMINAL, 0.743), (Metric.ORDINAL, 0.815), (Metric.INTERVAL, 0.849), (Metric.RATIO, 0.797)],
)
def test_krippendorff_reference_values(metric: Metric, expected: float) -> None:
    alpha = krippendorff_alpha(UNITS, metric)
    assert alpha is not None
    assert alpha == pytest.approx(expected, abs=5e-4)


def test_alpha_is_one_for_perfect_agreement_and_undefined_without_variation() -> None:
    assert krippendorff_alpha([{"a": 1, "b": 1}, {"a": 3, "b": 3, "c": None}]) == pytest.approx(1.0)
    assert krippendorff_alpha([{"a": 2, "b": 2}, {"a": 2, "b": 2}]) is None
    assert krippendorff_alpha([{"a": 2, "b": None}]) is None


def test_ordinal_penalises_distant_levels_more() -> None:
    near = [{"a": 1, "b": 2}, {"a": 3, "b": 3}, {"a": 4, "b": 4}, {"a": 1, "b": 1}]
    far = [{"a": 1, "b": 4}, {"a": 3, "b": 3}, {"a": 2, "b": 2}, {"a": 1, "b": 1}]
    near_alpha = krippendorff_alpha(near)
    far_alpha = krippendorff_alpha(far)
    assert near_alpha is not None and far_alpha is not None
    assert near_alpha > far_alpha


def test_pooled_alpha_is_computed_over_the_units_of_every_jury() -> None:
    report = agreement_report({"jury-1": UNITS[:6], "jury-2": UNITS[6:]})
    assert set(report.per_jury) == {"jury-1", "jury-2"}
    assert report.pooled == pytest.approx(krippendorff_alpha(UNITS))


def test_severity_is_the_mean_deviation_from_the_others() -> None:
    units: list[dict[str, float | None]] = [
        {"lenient": 4, "mid": 3, "severe": 2},
        {"lenient": 3, "mid": 3, "severe": 3},
        {"lenient": 2, "mid": None, "severe": 1},
    ]
    result = {s.rater: s for s in rater_severity(units)}
    # unit 1: 4 - 2.5 = 1.5; unit 2: 0; unit 3: 2 - 1 = 1 -> 2.5 / 3
    assert result["lenient"].mean_deviation == pytest.approx(2.5 / 3)
    assert result["lenient"].units == 3
    assert result["mid"].mean_deviation == pytest.approx(0.0)
    assert result["mid"].units == 2
    assert result["severe"].mean_deviation == pytest.approx((-1.5 + 0 - 1) / 3)


def test_disagreements_of_two_levels_or_more() -> None:
    found = disagreements(
        {"1.1": {"a": 1, "b": 3}, "1.2": {"a": 2, "b": 3}, "2.1": {"a": 4, "b": 1, "c": None}}
    )
    assert [(d.unit, d.spread) for d in found] == [("2.1", 3), ("1.1", 2)]
    assert found[0].values == {"a": 4, "b": 1}
