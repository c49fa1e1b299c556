"""The statistics of the jury report (seed 004 §5.1, §5.2): counts per stage, the earlier-year rule,
rates and shares, and the demo cohort that reproduces the report's published tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certeval.domain.stats import (
    DEGRES,
    FORMATIONS,
    STAGES,
    CohortRow,
    SchoolYear,
    cohort_counts,
    cohort_report,
    percent,
    row_problems,
    satisfaction,
)
from certeval.domain.stats_csv import CsvRefused, parse_cohort, parse_feedback

LEVELS = ("initie", "confirme", "avance", "expert")
YEAR = SchoolYear.parse("2022-2023")
DATA = Path(__file__).resolve().parents[2] / "data" / "stats"

# Seed 004, §5.1 « Résultats (année 2022-2023) », the six tables as published.
SEED_5_1 = {
    "initiale": {
        "premier": {
            "bilan": {"initie": 298, "confirme": 244},
            "auto": {"initie": 69, "confirme": 58},
            "cert": {"initie": 6, "confirme": 29},
        },
        "second": {
            "bilan": {"initie": 161, "confirme": 210},
            "auto": {"initie": 50, "confirme": 60},
            "cert": {"initie": 10, "confirme": 16},
        },
    },
    "continue": {
        "premier": {
            "bilan": {"confirme": 12, "avance": 10, "expert": 53},
            "auto": {"confirme": 1, "avance": 1, "expert": 14},
            "cert": {"confirme": 3, "avance": 1, "expert": 14},
        },
        "second": {
            "bilan": {"confirme": 72, "avance": 130, "expert": 286},
            "auto": {"confirme": 17, "avance": 32, "expert": 102},
            "cert": {"confirme": 10, "avance": 19, "expert": 44},
        },
    },
}


def test_school_year() -> None:
    assert SchoolYear(date(2022, 9, 1), date(2023, 8, 31)) == YEAR
    assert YEAR.label == "2022-2023"
    assert SchoolYear.of_day(date(2023, 8, 31)) == YEAR
    assert SchoolYear.of_day(date(2022, 9, 1)) == YEAR
    assert SchoolYear.of_day(date(2022, 8, 31)) == SchoolYear.parse("2021-2022")
    assert date(2023, 9, 1) not in YEAR
    for wrong in ("2022", "2022-2024", "22-23", "2023-2022", "abcd-efgh"):
        with pytest.raises(ValueError):
            SchoolYear.parse(wrong)


def test_earlier_year_result_counts_at_certification_only() -> None:
    this_year = CohortRow("continue", "premier", "expert", "expert", date(2023, 3, 1), "expert")
    earlier = CohortRow("continue", "premier", None, "confirme", date(2022, 5, 2), "confirme")
    counts = cohort_counts([this_year, earlier], YEAR, LEVELS)
    stages = counts["continue"]["premier"]
    assert stages == {
        "bilan": {"expert": 1},
        "auto": {"expert": 1},
        "cert": {"confirme": 1, "expert": 1},
    }
    assert counts["initiale"]["second"] == {"bilan": {}, "auto": {}, "cert": {}}


def test_percent_roundings() -> None:
    assert percent(237, 913) == 26  # seed 004 §5.1: « 237 (26%) »
    assert percent(167, 563) == 30  # « 167 (30%) »
    assert percent(11, 14, "floor") == 78  # §5.2: « 78% » of 14 answers
    assert percent(13, 14, "floor") == 92
    assert percent(1, 2) == 50 and percent(1, 8) == 13 and percent(1, 8, "floor") == 12
    assert percent(3, 0) is None
    with pytest.raises(ValueError):
        percent(1, 2, "ceiling")


def test_row_problems() -> None:
    ok = CohortRow("initiale", "second", "initie", "initie", date(2023, 1, 2), "initie")
    assert row_problems(ok, YEAR, LEVELS, 3) == []
    assert row_problems(CohortRow("x", "tiers", "novice"), YEAR, LEVELS, 3) == [
        "formation 'x' unknown (initiale or continue)",
        "degre 'tiers' unknown (premier or second)",
        "placement_level: level 'novice' unknown (initie, confirme, avance, expert)",
    ]
    expired = CohortRow("continue", "second", None, "expert", date(2019, 8, 31), "expert")
    assert "expired before the year 2022-2023" in row_problems(expired, YEAR, LEVELS, 3)[0]
    assert row_problems(expired, YEAR, LEVELS, None) == []
    still_valid = CohortRow("continue", "second", None, "expert", date(2019, 9, 1), "expert")
    assert row_problems(still_valid, YEAR, LEVELS, 3) == []
    future = CohortRow("continue", "second", "expert", "expert", date(2023, 9, 1))
    assert "after the end of the year" in row_problems(future, YEAR, LEVELS, 3)[0]
    assert row_problems(CohortRow("continue", "second", final_level="avance"), YEAR, LEVELS, 3) == [
        "final_level without an automated part: the certification needs both parts"
    ]
    above = CohortRow("continue", "second", "avance", "avance", date(2023, 1, 2), "expert")
    assert row_problems(above, YEAR, LEVELS, 3) == ["final_level 'expert' above automated_level 'avance'"]
    undated = CohortRow("continue", "second", "avance", "avance")
    assert row_problems(undated, YEAR, LEVELS, 3) == [
        "automated_level and automated_obtained_on go together (both or neither)"
    ]


rows_strategy = st.lists(
    st.builds(
        CohortRow,
        formation=st.sampled_from(FORMATIONS),
        degre=st.sampled_from(DEGRES),
        placement_level=st.none() | st.sampled_from(LEVELS),
        automated_level=st.none() | st.sampled_from(LEVELS),
        automated_obtained_on=st.none() | st.dates(date(2019, 1, 1), date(2024, 12, 31)),
        final_level=st.none() | st.sampled_from(LEVELS),
    ),
    max_size=60,
)


@given(rows_strategy)
def test_counts_add_up(rows: list[CohortRow]) -> None:
    counts = cohort_counts(rows, YEAR, LEVELS)
    for stage, reached in (
        ("bilan", lambda r: r.placement_level is not None),
        ("auto", lambda r: r.automated_level is not None and r.automated_obtained_on in YEAR),
        ("cert", lambda r: r.final_level is not None),
    ):
        total = sum(sum(counts[f][d][stage].values()) for f in FORMATIONS for d in DEGRES)
        assert total == sum(1 for r in rows if reached(r))
    for f in FORMATIONS:
        for d in DEGRES:
            assert set(counts[f][d]) == set(STAGES)
            for cell in counts[f][d].values():
                assert all(n > 0 for n in cell.values())
                assert list(cell) == [lv for lv in LEVELS if lv in cell]
    # The earlier-year rule: moving every automated result one year back leaves the certification
    # stage unchanged and the automated stage empty of them.
    shifted = [
        CohortRow(
            r.formation,
            r.degre,
            r.placement_level,
            r.automated_level,
            r.automated_obtained_on.replace(year=r.automated_obtained_on.year - 1)
            if r.automated_obtained_on
            and r.automated_obtained_on in YEAR
            and r.automated_obtained_on.month != 2
            else r.automated_obtained_on,
            r.final_level,
        )
        for r in rows
    ]
    moved = cohort_counts(shifted, YEAR, LEVELS)
    for f in FORMATIONS:
        for d in DEGRES:
            assert moved[f][d]["cert"] == counts[f][d]["cert"]
            assert moved[f][d]["bilan"] == counts[f][d]["bilan"]
            assert sum(moved[f][d]["auto"].values()) <= sum(counts[f][d]["auto"].values())


@given(rows_strategy)
def test_report_tables_match_counts(rows: list[CohortRow]) -> None:
    report = cohort_report(rows, YEAR, LEVELS)
    for formation in report.formations:
        for table in formation.tables:
            by_degre = report.counts[formation.formation]
            for degre, values, total, rate in table.rows:
                cell = by_degre[degre][table.stage]
                assert dict(zip(table.levels, values, strict=True)) == {
                    lv: cell.get(lv, 0) for lv in table.levels
                }
                assert total == sum(cell.values())
                base = sum(by_degre[degre]["bilan"].values())
                assert rate == (None if table.stage == "bilan" else percent(total, base))
            assert table.total == sum(table.totals) == sum(r[2] for r in table.rows)


@given(st.lists(st.fixed_dictionaries({"a": st.none() | st.integers(1, 4)}), max_size=30))
def test_satisfaction_share(answers: list[dict[str, int | None]]) -> None:
    share = satisfaction(answers, ["a"])["a"]
    given_values = [a["a"] for a in answers if a["a"] is not None]
    assert share.answered == len(given_values)
    assert share.satisfied == sum(1 for v in given_values if v is not None and v >= 3)
    assert 0 <= share.satisfied <= share.answered


def test_demo_cohort_reproduces_the_published_tables() -> None:
    text = (DATA / "pix-plus-edu-2022-2023.csv").read_text(encoding="utf-8")
    rows = [r.row for r in parse_cohort(text, YEAR, LEVELS, 3)]
    report = cohort_report(rows, YEAR, LEVELS)
    assert report.counts == SEED_5_1
    initial, continuing = report.formations
    assert initial.levels == ("initie", "confirme")
    assert continuing.levels == ("confirme", "avance", "expert")
    # « 913 candidats ont réalisé le parcours bilan et 237 (26%) ont obtenu le volet automatisé.
    # 61 candidats ont validé les deux volets »; « 563 … 167 (30%) … 91 ».
    assert [(t.total, t.rate) for t in initial.tables] == [(913, None), (237, 26), (61, 7)]
    assert [(t.total, t.rate) for t in continuing.tables] == [(563, None), (167, 30), (91, 16)]
    assert initial.table("bilan").totals == (459, 454)
    assert continuing.table("cert").totals == (13, 20, 58)


def test_demo_jurors_reproduce_the_published_shares() -> None:
    rows = parse_feedback((DATA / "pix-plus-edu-2022-2023-jurors.csv").read_text(encoding="utf-8"))
    assert len(rows) == 14  # « 14 réponses enregistrées fin juillet »
    shares = satisfaction([r.answers for r in rows], ["dossiers", "traces", "analyses", "organisation"])
    # « La qualité des dossiers est jugée satisfaisante par 92% des répondants ; 64% sont satisfaits
    # des traces observées, et 78% ont estimé que la qualité des analyses critiques répond aux attentes. »
    assert [shares[t].percent() for t in ("dossiers", "traces", "analyses")] == [92, 64, 78]
    assert shares["organisation"].answered == 0 and shares["organisation"].percent() is None


HEADER = "id,formation,degre,placement_level,automated_level,automated_obtained_on,final_level\n"


def test_parse_cohort_reports_every_row() -> None:
    text = HEADER + (
        "a,initiale,premier,initie,,,\n"
        "a,initiale,premier,initie,,,\n"
        "b,continue,second,expert,expert,2023-13-01,\n"
        ",continue,tiers,,,,\n"
    )
    with pytest.raises(CsvRefused) as refused:
        parse_cohort(text, YEAR, LEVELS, 3)
    assert refused.value.errors == [
        "line 3 (a): id already on line 2",
        "line 4 (b): automated_obtained_on « 2023-13-01 » is not a date YYYY-MM-DD",
        "line 5: id is empty",
        "line 5: degre 'tiers' unknown (premier or second)",
        "line 5: no stage reached (placement_level, automated_level and final_level empty)",
    ]
    with pytest.raises(CsvRefused) as refused:
        parse_cohort("id,formation\nx,initiale\n", YEAR, LEVELS, 3)
    assert refused.value.errors[0].startswith("line 1: missing column(s) degre, placement_level")
    with pytest.raises(CsvRefused, match="no row"):
        parse_cohort(HEADER, YEAR, LEVELS, 3)
    with pytest.raises(CsvRefused, match="more values than columns"):
        parse_cohort(HEADER + "a,initiale,premier,initie,,,,extra\n", YEAR, LEVELS, 3)


def test_parse_feedback_errors() -> None:
    text = "id,dossiers,traces,analyses,organisation\nj1,3,5,,\nj2,,,,\n"
    with pytest.raises(CsvRefused) as refused:
        parse_feedback(text)
    assert refused.value.errors == [
        "line 2 (j1): traces « 5 » is not 1, 2, 3, 4 or empty",
        "line 3 (j2): no answer",
    ]
