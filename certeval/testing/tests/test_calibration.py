"""Item calibration in the product: the background task over stored answers, the minimum of
responses, one calibration at a time, activation into new versions, failures, pages and API."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from django.test import Client

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Candidate
from certeval.testing import calibration_selectors as selectors
from certeval.testing import calibration_services
from certeval.testing.calibration_services import (
    _Discarded,
    _Progress,
    calibration_activate,
    calibration_discard,
    calibration_run,
    calibration_start,
)
from certeval.testing.errors import TestingError
from certeval.testing.models import BankVersion, Calibration, Item, ItemVersion, Question, Run
from certeval.testing.tests.calibration_factories import BANK, admin, answers, make_items, truth_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def minimum(settings: Any) -> int:
    settings.CERTEVAL_CALIBRATION_MIN_RESPONSES = 150
    return 150


def run_now(captured: Any, **kwargs: Any) -> Calibration:
    """Start a calibration and run its task (the immediate backend, once the transaction commits)."""
    with captured(execute=True):
        calibration = calibration_start(bank=BANK, **kwargs)
    calibration.refresh_from_db()
    return calibration


def test_the_task_recovers_the_parameters_of_synthetic_answers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = admin()
    items = make_items(20)  # provisional: a = 1, b = 0 for all
    truth = truth_for(items)
    assert answers(items, truth, 900) == 900 * 20
    calibration = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    assert calibration.status == Calibration.Status.DONE, calibration.message
    assert calibration.progress == 1.0 and calibration.finished_at is not None
    assert (calibration.candidates, calibration.responses) == (900, 18000)
    rows = {r["id"]: r for r in calibration.result["items"]}
    assert set(rows) == {i.pk for i in items} and calibration.result["skipped"] == []
    new_b = np.array([rows[i.pk]["new"]["b"] for i in items])
    true_b = np.array([truth[i.pk][1] for i in items])
    new_a = np.array([rows[i.pk]["new"]["a"] for i in items])
    true_a = np.array([truth[i.pk][0] for i in items])
    assert np.corrcoef(new_b, true_b)[0, 1] > 0.97
    assert float(np.mean(np.abs(new_b - true_b))) < 0.2
    assert float(np.mean(np.abs(new_a - true_a))) < 0.25
    row = rows[items[0].pk]
    assert row["old"] == {"a": 1.0, "b": 0.0, "c": 0.0} and row["provisional"] and row["version"] == 1
    assert row["responses"] == 900 and 0 < row["se"]["b"] < 0.3 and row["se"]["c"] == 0.0
    summary = calibration.result["summary"]
    assert summary["calibrated"] == 20 and summary["converged"]
    assert calibration.result["bank_version"] == 1 and calibration.result["min_responses"] == 150
    actions = list(AuditEvent.objects.filter(target_id=str(calibration.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["testing.calibration_done", "testing.calibration_start"]
    assert not AuditEvent.objects.filter(target_id=str(calibration.pk), campaign__isnull=False).exists()
    # Nothing changes in the bank until the result is activated.
    assert ItemVersion.objects.count() == 20 and not BankVersion.objects.exists()


def test_items_below_the_minimum_are_skipped_with_their_count(
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = admin()
    frequent = make_items(6)
    rare = make_items(2, start=6)
    never = make_items(1, start=8, status="pilot")
    make_items(1, start=9, status="draft")  # not served: not listed
    answers(frequent, truth_for(frequent), 200, prefix="many")
    answers(rare, truth_for(rare), 40, prefix="few")
    calibration = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    assert calibration.status == Calibration.Status.DONE, calibration.message
    assert {r["code"] for r in calibration.result["items"]} == {i.code for i in frequent}
    skipped = {r["code"]: r["responses"] for r in calibration.result["skipped"]}
    assert skipped == {rare[0].code: 40, rare[1].code: 40, never[0].code: 0}
    assert calibration.candidates == 200  # the 40 people who answered only rare items are left out


def test_first_answer_of_a_person_only_and_no_training_answers() -> None:
    items = make_items(3)
    answers(items, {i.pk: (1.0, 0.0, 0.0) for i in items}, 5)
    person = Candidate.objects.order_by("pk").first()
    assert person is not None
    first = Question.objects.filter(run__candidate=person, item_version__item=items[0]).get()
    # The same person answers the same item again later (another run), and in training.
    for kind in (Run.Kind.PLACEMENT, Run.Kind.TRAINING):
        run = Run.objects.create(
            candidate=person, kind=kind, bank=BANK, bank_version=1, status=Run.Status.FINISHED
        )
        Question.objects.create(
            run=run,
            position=1,
            item_version=items[0].current,
            correct=not first.correct,
            answered_at=first.answered_at.replace(year=first.answered_at.year + 1),  # type: ignore[union-attr]
        )
    data = selectors.response_matrix(BANK, 1)
    assert data.respondents == 5 and data.responses == 15
    row = sorted(Candidate.objects.values_list("pk", flat=True)).index(person.pk)
    assert data.matrix[row, [i.pk for i in data.items].index(items[0].pk)] == float(first.correct)
    assert selectors.respondents_per_item(BANK)[items[0].pk] == 5


def test_one_calibration_at_a_time_per_bank() -> None:
    actor = admin()
    make_items(2)
    waiting = calibration_start(bank=BANK, model="2pl", actor=actor)  # never run: stays queued
    with pytest.raises(TestingError, match="déjà en attente"):
        calibration_start(bank=BANK, model="3pl", actor=actor)
    client = Client()
    client.force_login(actor)
    page = client.post(f"/banque-de-questions/{BANK}/calibrations/", {"model": "2pl"})
    assert page.status_code == 200 and "déjà en attente" in page.content.decode()
    api = client.post(f"/api/v1/testing/banks/{BANK}/calibrations", {"model": "2pl"}, "application/json")
    assert api.status_code == 409 and "déjà en attente" in api.json()["detail"]
    assert Calibration.objects.count() == 1
    calibration_discard(calibration=waiting, actor=actor)
    calibration_run(waiting.pk)  # the task finds it discarded and does nothing
    waiting.refresh_from_db()
    assert waiting.status == Calibration.Status.DISCARDED and waiting.result.get("items") is None
    created = client.post(f"/api/v1/testing/banks/{BANK}/calibrations", {"model": "3pl"}, "application/json")
    assert created.status_code == 202 and created.json()["status_label"] == "En attente"


def test_activation_writes_new_versions_and_leaves_served_questions_alone(
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = admin()
    items = make_items(8)
    answers(items, truth_for(items), 400)
    served = list(Question.objects.values_list("pk", "item_version_id"))
    calibration = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    version = calibration_activate(calibration=calibration, actor=actor)
    assert (version.bank, version.number, version.calibration_id) == (BANK, 2, calibration.pk)
    assert selectors.bank_version_of(BANK) == 2
    rows = {r["id"]: r for r in calibration.result["items"]}
    for item in Item.objects.filter(pk__in=rows).select_related("current"):
        current = item.current
        assert current is not None and current.number == 2 and current.bank_version == 2
        assert not current.irt_provisional and current.created_by == actor
        assert (current.a, current.b, current.c) == tuple(rows[item.pk]["new"][k] for k in "abc")
        assert (current.stem, current.options, current.kind) == (
            f"Question {item.code[1:].lstrip('0') or 0}",
            [{"text": "Oui", "correct": True}, {"text": "Non", "correct": False}],
            "single",
        )
        old = item.versions.get(number=1)
        assert (old.a, old.b, old.irt_provisional, old.bank_version) == (1.0, 0.0, True, 1)
    # Every answer already given keeps pointing at the version it was scored with.
    assert list(Question.objects.values_list("pk", "item_version_id")) == served
    assert all(v.number == 1 for v in ItemVersion.objects.filter(pk__in=[v for _q, v in served]))
    calibration.refresh_from_db()
    assert calibration.status == Calibration.Status.ACTIVATED
    event = AuditEvent.objects.get(action="testing.calibration_activate")
    assert event.data["bank_version"] == 2 and event.data["items"] == 8 and event.campaign_id is None
    with pytest.raises(TestingError, match="terminée peut être activée"):
        calibration_activate(calibration=calibration, actor=actor)


def test_a_calibration_started_before_another_activation_is_refused(
    django_capture_on_commit_callbacks: Any,
) -> None:
    actor = admin()
    items = make_items(4)
    answers(items, truth_for(items), 200)
    first = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    second = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    calibration_activate(calibration=second, actor=actor)
    with pytest.raises(TestingError, match="passée à la version 2"):
        calibration_activate(calibration=first, actor=actor)
    assert BankVersion.objects.count() == 1 and ItemVersion.objects.count() == 8


def test_flagged_items_can_keep_their_parameters(django_capture_on_commit_callbacks: Any) -> None:
    actor = admin()
    items = make_items(6)
    truth = truth_for(items)
    truth[items[0].pk] = (0.1, 0.0, 0.0)  # almost no discrimination: flagged
    answers(items, truth, 400)
    calibration = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    rows = {r["id"]: r for r in calibration.result["items"]}
    assert "low-discrimination" in rows[items[0].pk]["flags"]
    flagged = {pk for pk, r in rows.items() if r["flags"]}
    assert len(flagged) < len(items)
    calibration_activate(calibration=calibration, actor=actor, keep_flagged=True)
    for item in Item.objects.select_related("current"):
        assert item.current.number == (1 if item.pk in flagged else 2)  # type: ignore[union-attr]
    kept = AuditEvent.objects.get(action="testing.calibration_activate").data["kept"]
    assert kept == sorted(rows[pk]["code"] for pk in flagged)


def test_failures_store_a_french_message(django_capture_on_commit_callbacks: Any, monkeypatch: Any) -> None:
    actor = admin()
    items = make_items(3)
    nothing = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    assert nothing.status == Calibration.Status.FAILED and nothing.finished_at is not None
    assert "Aucune question n'a encore été répondue par au moins 150 personnes" in nothing.message
    assert AuditEvent.objects.filter(action="testing.calibration_fail", target_id=str(nothing.pk)).exists()
    answers(items, truth_for(items), 200)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise np.linalg.LinAlgError("Singular matrix")

    monkeypatch.setattr(calibration_services, "calibrate", broken)
    crashed = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    assert crashed.status == Calibration.Status.FAILED
    assert "erreur inattendue (LinAlgError)" in crashed.message
    client = Client()
    client.force_login(actor)
    page = client.get(f"/banque-de-questions/{BANK}/calibrations/{crashed.pk}/")
    assert page.status_code == 200 and "La calibration a échoué" in page.content.decode()
    # A failed calibration does not block the next one.
    monkeypatch.undo()
    assert run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor).status == "done"


def test_progress_moves_as_em_converges_and_a_discard_stops_the_run(
    django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    actor = admin()
    items = make_items(6)
    answers(items, truth_for(items), 200)
    saved: list[float] = []
    original = _Progress.save

    def spy(self: _Progress, value: float) -> None:
        saved.append(value)
        original(self, value)

    monkeypatch.setattr(_Progress, "save", spy)
    run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    assert saved[0] == 0.05 and len(saved) > 3 and saved == sorted(saved) and saved[-1] <= 0.9
    running = Calibration.objects.create(bank=BANK, status=Calibration.Status.RUNNING)
    progress = _Progress(running.pk)
    progress(1, 0.5)  # the first change sets the scale
    progress(2, 0.01)  # half-way to the tolerance on a log scale
    running.refresh_from_db()
    assert 0.5 < running.progress < 0.7
    calibration_discard(calibration=running, actor=actor)
    with pytest.raises(_Discarded):
        progress(40, 1e-4)


def test_only_managers_start_and_unknown_models_are_refused() -> None:
    actor = admin()
    make_items(1)
    with pytest.raises(TestingError, match="Modèle inconnu"):
        calibration_start(bank=BANK, model="4pl", actor=actor)
    with pytest.raises(TestingError, match="introuvable"):
        calibration_start(bank="inconnue", model="2pl", actor=actor)
    assert not Calibration.objects.exists()


def test_pages_progress_review_filters_and_activation(django_capture_on_commit_callbacks: Any) -> None:
    actor = admin()
    items = make_items(6)
    truth = truth_for(items)
    truth[items[0].pk] = (0.1, 0.0, 0.0)
    answers(items, truth, 300)
    client = Client()
    client.force_login(actor)
    base = f"/banque-de-questions/{BANK}/calibrations/"
    listing = client.get(base).content.decode()
    assert "6 questions sur 6 (en expérimentation ou actives) ont au moins 150 répondants" in listing
    queued = client.post(base, {"model": "2pl"})  # the task runs once the test's transaction commits: never
    calibration = Calibration.objects.get()
    assert queued.status_code == 302 and queued["Location"] == f"{base}{calibration.pk}/"
    page = client.get(f"{base}{calibration.pk}/").content.decode()
    assert '<progress id="calibration-bar" max="100" value="0">' in page
    assert 'hx-trigger="every 2s"' in page and "Actualiser la page" in page
    assert '<label for="calibration-bar">' in page and 'id="calibration-announce" role="status"' in page
    partial = client.get(f"{base}{calibration.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert partial.startswith('<div id="calibration-progress"') and "<html" not in partial
    calibration_run(calibration.pk)
    finished = client.get(f"{base}{calibration.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in finished and 'hx-swap-oob="innerHTML"' in finished
    assert "Terminée, à examiner" in finished
    review = client.get(f"{base}{calibration.pk}/").content.decode()
    assert "Discrimination faible (a &lt; 0,3)" in review and "1,00 (provisoire)" in review
    assert "6 questions affichées" in review and "<progress" not in review
    flagged = client.get(f"{base}{calibration.pk}/?show=flagged&sort=se").content.decode()
    # The weak item is flagged; sampling noise may flag another one for fit, never all of them.
    shown = int(re.search(r"(\d+) questions? affichées?", flagged).group(1))  # type: ignore[union-attr]
    assert items[0].code in flagged and 1 <= shown < 6 and flagged.count('<th scope="row">') == shown
    assert client.get(f"{base}{calibration.pk}/?show=nonsense").status_code == 200
    confirm = client.get(f"{base}{calibration.pk}/activer/").content.decode()
    assert "ouvre la version 2 de la banque" in confirm and "Garder les paramètres actuels" in confirm
    done = client.post(f"{base}{calibration.pk}/activer/", {})
    assert done.status_code == 302
    assert "la banque passe à la version 2" in client.get(done["Location"]).content.decode()
    again = client.post(f"{base}{calibration.pk}/activer/", {})
    assert again.status_code == 200 and "ne peut pas être activée" in again.content.decode()
    api = client.get(f"/api/v1/testing/banks/{BANK}/calibrations/{calibration.pk}").json()
    assert api["status"] == "activated" and api["calibrated"] == 6 and api["flagged"] == shown


def test_the_automated_results_page_links_campaign_wide_organisers_to_the_calibrations() -> None:
    from certeval.campaigns.tests.factories import organiser_of
    from certeval.testing.tests.factories import academy, campaign_of

    campaign = campaign_of(BANK)
    link = f'href="/banque-de-questions/{BANK}/calibrations/"'
    for user, shown in (
        (organiser_of(campaign), True),
        (organiser_of(campaign, academy=academy("lyon")), False),
    ):
        client = Client()
        client.force_login(user)
        page = client.get(f"/volet-automatise/campagne/{campaign.pk}/").content.decode()
        assert (link in page) is shown


def test_standard_errors_and_fit_that_are_not_numbers_are_stored_empty(
    django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    import dataclasses

    from certeval.domain.cat.calibration import calibrate

    actor = admin()
    items = make_items(4)
    answers(items, truth_for(items), 200)

    def singular(*args: Any, **kwargs: Any) -> Any:
        fitted = calibrate(*args, **kwargs)
        se_b, fit_p = fitted.se_b.copy(), fitted.fit_p.copy()
        se_b[0], fit_p[1] = np.inf, np.nan
        return dataclasses.replace(fitted, se_b=se_b, fit_p=fit_p)

    monkeypatch.setattr(calibration_services, "calibrate", singular)
    calibration = run_now(django_capture_on_commit_callbacks, model="2pl", actor=actor)
    assert calibration.status == Calibration.Status.DONE, calibration.message
    rows = {r["id"]: r for r in calibration.result["items"]}
    assert rows[items[0].pk]["se"]["b"] is None and rows[items[1].pk]["fit_p"] is None
    assert calibration.result["summary"]["mean_se_b"] is not None
    client = Client()
    client.force_login(actor)
    base = f"/banque-de-questions/{BANK}/calibrations/{calibration.pk}/"
    for sort in ("se", "fit"):
        page = client.get(f"{base}?sort={sort}").content.decode()
        assert page.index(f'<th scope="row">{items[0 if sort == "se" else 1].code}</th>') < page.index(
            f'<th scope="row">{items[2].code}</th>'
        )
