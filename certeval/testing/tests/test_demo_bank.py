"""The demo item bank: every item passes the structural checks (``certeval.domain.items.check``: one
right option for single choice, alt text with every image, answers that normalise, no duplicate
stems, files present), and the demo import gives active items for all 32 competences; the demo's
item writers have a review queue."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from certeval.accounts import demo as accounts_demo
from certeval.accounts.models import User
from certeval.domain.items.check import main as check_main
from certeval.domain.items.content import Content, Kind, normalise, option_id
from certeval.domain.items.exchange import read_path
from certeval.testing import demo
from certeval.testing import item_selectors as selectors
from certeval.testing.models import Item
from certeval.testing.tests.item_factories import bank

FILES = sorted(demo.DEMO_BANK.glob("*.yaml"))


def test_every_demo_item_passes_the_structural_checks(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(FILES) == 32
    assert check_main([str(p) for p in FILES]) == 0
    assert capsys.readouterr().out.strip() == "OK: 512 items"


def test_the_right_option_is_not_given_away_by_its_position() -> None:
    """Always ticking the same position must not pay: in the single-choice items, no position holds
    the right answer much more often than by chance (1 in 4 with four options)."""
    records = [r for r in read_path(demo.DEMO_BANK).records if r.content.kind is Kind.SINGLE]
    positions = [min(r.content.right_options()) for r in records]
    shares = {p: positions.count(p) / len(positions) for p in set(positions)}
    assert max(shares.values()) <= 0.32, shares


def _option_lengths(content: Content) -> tuple[list[int], list[int]]:
    """Lengths of the right options and of the wrong ones (distractors) of a choice item."""
    right = content.right_options()
    lengths = [(option_id(i) in right, len(o.text)) for i, o in enumerate(content.options)]
    return [n for ok, n in lengths if ok], [n for ok, n in lengths if not ok]


def test_the_right_option_is_not_given_away_by_its_length() -> None:
    """Always ticking the longest option must not pay either (a classic item-writing flaw: the right
    answer gets the qualifications, the distractors are written quickly). In the single-choice items,
    the right option is strictly the longest in at most 30 % of them (chance is 25 % with four options).

    For multiple choice, the cue would be right options systematically longer than wrong ones: if length
    says nothing about correctness, an item's right options are on average longer than its wrong ones
    about half the time. The bound is that half (it was two items in three before the distractors were
    rewritten), so ticking the longer options is no better a strategy than ticking the shorter ones."""
    records = read_path(demo.DEMO_BANK).records
    singles = [_option_lengths(r.content) for r in records if r.content.kind is Kind.SINGLE]
    longest = [r for r, w in singles if r[0] > max(w)]
    assert len(longest) / len(singles) <= 0.30, (len(longest), len(singles))
    multiples = [_option_lengths(r.content) for r in records if r.content.kind is Kind.MULTIPLE]
    longer = [r for r, w in multiples if sum(r) / len(r) > sum(w) / len(w)]
    assert len(longer) / len(multiples) <= 0.50, (len(longer), len(multiples))


def test_the_checks_hold_item_by_item() -> None:
    records = read_path(demo.DEMO_BANK).records
    stems = [normalise(r.content.stem) for r in records]
    assert len(set(stems)) == len(stems)
    for record in records:
        content = record.content
        if content.kind is Kind.SINGLE:
            assert len(content.right_options()) == 1, record.code
        if record.image:
            assert content.image_alt.strip(), record.code
        for blank in content.blanks:
            assert all(normalise(str(a)) for a in blank.answers), record.code


def test_the_checker_fails_on_a_broken_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "crcn-1.1.yaml"
    text = FILES[0].read_text(encoding="utf-8")
    broken.write_text(text.replace("    correct: true\n", "", 1), encoding="utf-8")
    assert check_main([str(broken)]) == 2
    assert "right option" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_demo_imports_active_items_for_all_32_competences(
    settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    bank()
    monkeypatch.setattr(demo, "seed_pilot_answers", lambda bank, stdout: 0)  # tested in test_calibration_demo
    accounts_demo.populate(io.StringIO())
    out = io.StringIO()
    demo.populate(out)
    active = Item.objects.filter(bank=demo.BANK, status="active")
    assert active.count() == 512
    competences = set(active.values_list("part", "competence"))
    assert len(competences) == 32
    known = {(part, cid) for part, listed in selectors.competences(demo.BANK).items() for cid, _t in listed}
    assert competences == known
    assert all(i.current.irt_provisional for i in active.select_related("current")[:20])
    statuses = dict(Item.objects.filter(code__startswith="demo-redac").values_list("code", "status"))
    assert sorted(statuses.values()) == ["draft", "draft", "pilot", "reviewed"]
    reviewer = User.objects.get(email="relecteur@demo.certeval.fr")
    assert selectors.review_queue(demo.BANK, reviewer).count() == 2
    demo.populate(io.StringIO())  # twice: nothing changes
    assert Item.objects.filter(bank=demo.BANK).count() == 516
