"""Juror pool, composition rule and extra time, through pages, API and services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Enrolment
from certeval.juries.models import Juror, JurySettings, OralSlot
from certeval.juries.services.composition import jury_compose_campaign
from certeval.juries.tests.factories import academy, jury_campaign, submitted_enrolment

pytestmark = pytest.mark.django_db


def _halfday() -> str:
    day = max(timezone.localdate(), timezone.localdate() + timedelta(days=11))
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return f"{day:%Y-%m-%d}-am"


def test_organiser_adds_a_new_person_who_gets_the_password_email(
    client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    jc = jury_campaign(candidates=1)
    client.force_login(jc.organiser)
    url = reverse("juries:pool", args=[jc.campaign.pk])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="halfdays"' in page and "matin" in page
    data = {
        "email": "Nouvelle.Jure@exemple.fr",
        "first_name": "Nina",
        "last_name": "Nouvelle",
        "role": "inspecteur",
        "academy": academy("rennes").pk,
        "halfdays": [_halfday()],
        "max_load": 5,
        "conflict_enrolments": [jc.enrolments[0].pk],
        "conflict_schools": "0750001a",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    assert "Nina Nouvelle ajouté au vivier" in response.content.decode()
    juror = Juror.objects.get(user__email="nouvelle.jure@exemple.fr")
    assert juror.role == "inspecteur" and juror.conflict_schools == ["0750001A"]
    assert list(juror.conflict_enrolments.all()) == [jc.enrolments[0]]
    assert not juror.user.has_usable_password()
    assert any("nouvelle.jure@exemple.fr" in m.to for m in mail.outbox)
    assert "/comptes/" in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="juries.juror_add").exists()
    assert AuditEvent.objects.filter(action="juries.conflicts").exists()
    # Wrong UAI: a French error on the field.
    wrong = client.post(url, data | {"email": "autre@exemple.fr", "conflict_schools": "75ABC"})
    assert "UAI invalides : 75ABC" in wrong.content.decode()
    # Edit: load and availability; audited with the change.
    edit = reverse("juries:juror", args=[jc.campaign.pk, juror.pk])
    client.post(
        edit,
        {k: v for k, v in data.items() if k not in ("email", "first_name", "last_name")} | {"max_load": 9},
    )
    juror.refresh_from_db()
    assert juror.max_load == 9
    event = AuditEvent.objects.filter(action="juries.juror_update").latest("pk")
    assert event.data["max_load"] == {"from": 5, "to": 9}


def test_rule_form_validates_in_french_and_saves(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    client.force_login(jc.organiser)
    url = reverse("juries:rule", args=[jc.campaign.pk])
    base = {"size": 3, "halfday_slots": 4, "buffer_minutes": 10}
    bad = base | {"roles_0": ["drane", "expert"], "min_0": 2, "roles_1": ["expert"], "min_1": 2}
    html = client.post(url, bad).content.decode()
    assert "Une qualité n&#x27;appartient qu&#x27;à un seul groupe." in html
    assert "Les minimums des groupes dépassent le nombre de membres du jury (3)." in html
    html = client.post(url, base | {"roles_0": ["expert"], "min_0": 2, "max_0": 1}).content.decode()
    assert "Le maximum est inférieur au minimum." in html
    good = base | {"roles_0": ["inspecteur"], "min_0": 1, "roles_1": ["expert"], "min_1": 1, "max_1": 2}
    assert client.post(url, good | {"same_academy": "on"}).status_code == 302
    settings = JurySettings.objects.get(campaign=jc.campaign)
    assert settings.groups == [
        {"roles": ["inspecteur"], "min": 1, "max": 3},
        {"roles": ["expert"], "min": 1, "max": 2},
    ]
    assert settings.same_academy is True
    assert AuditEvent.objects.filter(action="juries.settings_update").exists()


def test_api_pool_and_rule(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    client.force_login(jc.organiser)
    base = f"/api/v1/juries/campaigns/{jc.campaign.pk}"
    created = client.post(
        f"{base}/jurors",
        {"email": "api.jure@exemple.fr", "role": "expert", "academy": "nice", "halfdays": ["2026-05-12-am"]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["role"] == "expert"
    again = client.post(
        f"{base}/jurors",
        {"email": "api.jure@exemple.fr", "role": "expert", "academy": "nice", "halfdays": []},
        content_type="application/json",
    )
    assert again.status_code == 409 and "déjà dans le vivier" in again.json()["detail"]
    juror_id = created.json()["id"]
    changed = client.put(
        f"{base}/jurors/{juror_id}",
        {"role": "pair", "academy": "nice", "halfdays": ["2026-05-12-pm"], "max_load": 3},
        content_type="application/json",
    )
    assert changed.json()["halfdays"] == ["2026-05-12-pm"] and changed.json()["max_load"] == 3
    assert len(client.get(f"{base}/jurors").json()) == 4
    rule = client.get(f"{base}/rule").json()
    assert rule["size"] == 3
    refused = client.put(
        f"{base}/rule", rule | {"groups": [{"roles": ["expert"], "min": 4}]}, content_type="application/json"
    )
    assert refused.status_code == 422


def test_extra_time_lengthens_the_oral_and_shifts_the_next(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    campaign = jc.campaign
    slow = submitted_enrolment(campaign)
    Enrolment.objects.filter(pk=slow.pk).update(extra_time_percent=33)
    OralSlot.objects.filter(jury__campaign=campaign).delete()
    result = jury_compose_campaign(campaign=campaign, actor=jc.organiser, time_limit=10)
    assert result.ok
    slots = list(OralSlot.objects.filter(jury__campaign=campaign).order_by("index"))
    durations = {s.enrolment_id: s.duration_minutes for s in slots}
    assert durations[slow.pk] == 60 and durations[jc.enrolments[0].pk] == 45  # 45 + ceil(45 × 33 %)
    gap = (slots[1].starts_at - slots[0].starts_at).total_seconds() / 60
    assert gap == slots[0].duration_minutes + 10
    client.force_login(jc.organiser)
    page = client.get(reverse("juries:jury", args=[slots[0].jury_id])).content.decode()
    assert "60 min" in page and "temps majoré de 33 %" in page
