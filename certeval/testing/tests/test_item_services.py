"""Writes and reads of the item bank: versions, review by a second person, life cycle, writers,
all-or-nothing import, search and coverage."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import override_settings

from certeval.audit.models import AuditEvent
from certeval.campaigns.tests.factories import UserFactory
from certeval.domain.items.content import Option
from certeval.testing import item_selectors as selectors
from certeval.testing.errors import TestingError
from certeval.testing.item_services import (
    item_create,
    item_edit,
    item_import,
    item_review,
    item_submit,
    item_transition,
    writer_grant,
    writer_revoke,
)
from certeval.testing.models import Item, ItemVersion, ItemWriter
from certeval.testing.tests.item_factories import BANK, bank, record, short_record, writer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _bank() -> None:
    bank()


def actions(item: Item) -> list[str]:
    return list(
        AuditEvent.objects.filter(target_type="testing.item", target_id=str(item.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_create_writes_a_draft_version_1_with_provisional_parameters_and_its_audit_row() -> None:
    author = writer()
    item = item_create(bank=BANK, record=record(), actor=author)
    assert item.status == "draft" and item.author == author
    assert item.current.number == 1 and item.current.irt_provisional
    assert item.current.content().right_options() == {"a"}
    assert actions(item) == ["testing.item_create"]


def test_create_is_refused_to_a_non_writer_and_for_an_invalid_item() -> None:
    with pytest.raises(TestingError):
        item_create(bank=BANK, record=record(), actor=UserFactory())
    bad = record(content={"options": (Option("a", True), Option("b", True), Option("c"))})
    with pytest.raises(TestingError) as refused:
        item_create(bank=BANK, record=bad, actor=writer())
    assert "exactly one right option" in " ".join(refused.value.reasons)
    with pytest.raises(TestingError) as unknown:
        item_create(bank=BANK, record=record(competence="9.9"), actor=writer())
    assert unknown.value.reasons == ["competence 9.9 is not a competence of part crcn-edu"]
    assert not Item.objects.exists()


def test_an_edit_writes_a_new_version_and_leaves_the_served_one_unchanged() -> None:
    author = writer()
    item = item_create(bank=BANK, record=record(), actor=author)
    first = item.current
    item.status = "active"
    item.save()
    changed = record(level="expert", content={"stem": "Nouvelle formulation ?"})
    version = item_edit(item=item, record=changed, actor=author)
    item.refresh_from_db()
    first.refresh_from_db()
    assert version.number == 2 and item.current == version
    assert first.stem.startswith("Quelle messagerie") and first.number == 1
    assert item.level == "expert" and item.status == "draft"  # reviewed again
    assert version.b > 0.9  # provisional b derived again from the new level
    assert actions(item) == ["testing.item_create", "testing.item_edit"]


def test_the_author_cannot_review_and_a_second_writer_approves_or_sends_back() -> None:
    author, reviewer = writer(), writer()
    item = item_create(bank=BANK, record=record(), actor=author)
    # Not submitted yet: its author is still writing it, nobody reviews it.
    assert list(selectors.review_queue(BANK, reviewer)) == []
    with pytest.raises(TestingError, match="soumise"):
        item_review(item=item, actor=reviewer, approve=True)
    item_submit(item=item, actor=author)
    with pytest.raises(TestingError, match="attend déjà"):
        item_submit(item=item, actor=author)
    with pytest.raises(TestingError):
        item_review(item=item, actor=author, approve=True)
    assert list(selectors.review_queue(BANK, author)) == []
    assert list(selectors.review_queue(BANK, reviewer)) == [item]
    with pytest.raises(TestingError):
        item_review(item=item, actor=reviewer, approve=False)  # a comment is required
    item_review(item=item, actor=reviewer, approve=False, comment="Le distracteur b est ambigu.")
    item.refresh_from_db()
    # Sent back: a draft again, out of the queue until its author submits it again.
    assert item.status == "draft" and item.submitted_at is None
    assert list(selectors.review_queue(BANK, reviewer)) == []
    item_submit(item=item, actor=author)
    item_review(item=item, actor=reviewer, approve=True)
    item.refresh_from_db()
    assert item.status == "reviewed" and item.reviewer == reviewer
    review = selectors.last_reviews([item])[item.pk]
    assert review.data["outcome"] == "approved"


def test_life_cycle_moves_and_refusals() -> None:
    author, reviewer = writer(), writer()
    item = item_create(bank=BANK, record=record(), actor=author)
    with pytest.raises(TestingError):
        item_transition(item=item, to="active", actor=author)  # a draft is reviewed first
    item_submit(item=item, actor=author)
    item_review(item=item, actor=reviewer, approve=True)
    with pytest.raises(TestingError):
        item_transition(item=item, to="draft", actor=author, comment="non")  # the author cannot send back
    for status in ("pilot", "active", "retired"):
        item = item_transition(item=item, to=status, actor=author)
        assert item.status == status
    with pytest.raises(TestingError):
        item_transition(item=item, to="draft", actor=author)  # no comment
    item_transition(item=item, to="draft", actor=author, comment="À reprendre pour la session 2027.")
    assert actions(item)[-1] == "testing.item_status"
    assert AuditEvent.objects.filter(action="testing.item_status").count() == 4


def test_writers_are_granted_and_revoked_by_administrators_only() -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory()
    with pytest.raises(TestingError):
        writer_grant(bank=BANK, user=person, actor=writer())
    writer_grant(bank=BANK, user=person, actor=admin)
    assert ItemWriter.objects.filter(bank=BANK, user=person).exists()
    writer_revoke(bank=BANK, user=person, actor=admin)
    assert not ItemWriter.objects.filter(user=person).exists()
    assert list(
        AuditEvent.objects.filter(action__startswith="testing.writer")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == [
        "testing.writer_grant",
        "testing.writer_revoke",
    ]


def test_import_is_all_or_nothing() -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    good = [record("t-001"), short_record("t-002")]
    bad = replace(
        record("t-003"), image="missing.svg", content=replace(record().content, image_alt="x", stem="Autre ?")
    )
    with pytest.raises(TestingError) as refused:
        item_import(bank=BANK, records=[*good, bad], media={}, actor=admin, status="active")
    assert refused.value.reasons == ["t-003: file missing.svg is missing from the import"]
    assert not Item.objects.exists()
    items = item_import(bank=BANK, records=good, media={}, actor=admin, status="active")
    assert [i.status for i in items] == ["active", "active"]
    assert ItemVersion.objects.filter(number=1).count() == 2
    assert all(Item.objects.get(pk=i.pk).current_id for i in items)
    with pytest.raises(TestingError) as again:
        item_import(bank=BANK, records=good, media={}, actor=admin)
    assert "t-001: code already in the bank" in again.value.reasons
    with pytest.raises(TestingError):  # a writer imports drafts only
        item_import(bank=BANK, records=[record("t-009")], media={}, actor=writer(), status="active")


def test_search_filters() -> None:
    author = writer()
    item_create(bank=BANK, record=record("t-001"), actor=author)
    item_create(bank=BANK, record=short_record("t-002", level="expert"), actor=author)
    assert [i.code for i in selectors.search(BANK, {"text": "7 × 6"})] == ["t-002"]
    assert [i.code for i in selectors.search(BANK, {"kind": "single"})] == ["t-001"]
    assert [i.code for i in selectors.search(BANK, {"level": "expert", "audience": "both"})] == ["t-002"]
    assert list(selectors.search(BANK, {"status": "active"})) == []


@override_settings(CERTEVAL_ITEM_COVERAGE_MIN={"practice": 1, "certification": 0})
def test_coverage_counts_statuses_and_flags_gaps_of_active_items() -> None:
    admin = UserFactory(is_superuser=True, is_staff=True)
    item_import(bank=BANK, records=[record("t-001")], media={}, actor=admin, status="active")
    item_create(bank=BANK, record=record("t-002"), actor=writer())
    rows = selectors.coverage(BANK)
    assert len(rows) == 32  # 16 CRCN-Édu + 16 CRCN competences
    row = next(r for r in rows if (r.part, r.competence) == ("crcn-edu", "1.1"))
    cell = row.cells["confirme"]
    assert cell.counts == {"active": 1, "draft": 1} and cell.gaps == []
    assert row.cells["expert"].gaps == ["practice"]
    assert selectors.coverage_gaps(rows) == 32 * 4 - 1


def test_items_name_the_published_framework_version_of_their_part() -> None:
    """CRCN-Édu items point at the Pix+ Édu référentiel, CRCN items at the CRCN (the part's own
    référentiel), at creation and import alike."""
    author = writer()
    edu = item_create(bank=BANK, record=record(), actor=author)
    assert edu.framework_version is not None
    assert edu.framework_version.framework_id == "pix-plus-edu"
    crcn_version = selectors.part_framework(BANK, "crcn")
    assert crcn_version is not None and crcn_version.framework_id == "crcn"
    crcn = item_create(
        bank=BANK,
        record=record("crcn-x", part="crcn", competence="1.1"),
        actor=author,
    )
    assert crcn.framework_version == crcn_version
    imported = item_import(bank=BANK, records=[record("imp-1")], media={}, actor=author)
    assert imported[0].framework_version == edu.framework_version
