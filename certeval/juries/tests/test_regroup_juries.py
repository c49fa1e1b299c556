"""Regroupements inter-académiques in the jury work: composition keeps each jury within its
regroupement, the regroupement's president presides (and only) its juries, its meetings open the
scoring, hand edits may not cross regroupements nor break the reading delay."""

from __future__ import annotations

import pytest
from django.test import Client

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import ReviewerAssignment
from certeval.campaigns.regroup_services import regroupement_save
from certeval.campaigns.tests.factories import UserFactory
from certeval.juries.errors import JuryError
from certeval.juries.models import JuryGroup, Meeting
from certeval.juries.permissions import can_harmonise
from certeval.juries.selectors import jury_settings_of, scoring_open
from certeval.juries.services.composition import (
    jury_compose_campaign,
    jury_group_set_president,
    jury_member_swap,
    oral_slot_move,
)
from certeval.juries.tests.factories import JurorFactory, academy
from certeval.juries.tests.regroup_fixtures import NORD_OUEST, SUD_EST, regroup_campaign

pytestmark = pytest.mark.django_db


def client_of(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_composition_keeps_each_jury_within_its_regroupement() -> None:
    rc = regroup_campaign()
    for key, codes in (("se", SUD_EST), ("no", NORD_OUEST)):
        jury = rc.jury_of(key)
        assert {m.juror.academy.code for m in jury.members.all()} <= set(codes)
        assert {s.enrolment_id for s in jury.slots.all()} == {e.pk for e in rc.enrolments[key]}
        assert jury.group.name.startswith(jury.group.regroupement.name)
    assert rc.jury_of("se").group.president == rc.president_se
    assert rc.jury_of("no").group.president == rc.president_no


def test_a_president_presides_and_reads_only_their_regroupement() -> None:
    rc = regroup_campaign()
    se, no = rc.jury_of("se"), rc.jury_of("no")
    assert can_harmonise(rc.president_se, se) and not can_harmonise(rc.president_se, no)
    read = set(ReviewerAssignment.objects.filter(user=rc.president_se).values_list("enrolment_id", flat=True))
    assert read == {e.pk for e in rc.enrolments["se"]}
    client = client_of(rc.president_se)
    mine = client.get("/jurys/").content.decode()
    assert f'href="/jurys/regroupement/{rc.sud_est.pk}/"' in mine
    assert f'href="/jurys/regroupement/{rc.nord_ouest.pk}/"' not in mine
    assert client.get(f"/jurys/regroupement/{rc.sud_est.pk}/").status_code == 200
    assert client.get(f"/jurys/{se.pk}/").status_code == 200
    for url in (
        f"/jurys/regroupement/{rc.nord_ouest.pk}/",
        f"/jurys/{no.pk}/",
        f"/jurys/{no.pk}/harmonisation/",
        f"/jurys/oral/{no.slots.first().pk}/harmoniser/",
        f"/campagnes/regroupements/{rc.sud_est.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    before = Meeting.objects.count()
    response = client.post(
        f"/jurys/regroupement/{rc.nord_ouest.pk}/reunion/",
        {"kind": "calibration", "held_at": "2026-05-01T10:00", "attendees": [rc.president_no.pk]},
    )
    assert response.status_code == 404 and Meeting.objects.count() == before
    listing = client.get(f"/campagnes/{rc.campaign.pk}/regroupements/").content.decode()
    assert "Regroupement Sud-Est" in listing and "Regroupement Nord-Ouest" not in listing


def test_a_new_president_of_the_regroupement_presides_its_juries() -> None:
    rc = regroup_campaign()
    newcomer = UserFactory(first_name="Nina", last_name="Nouvelle")
    regroupement_save(
        campaign=rc.campaign,
        by=rc.organiser,
        name=rc.sud_est.name,
        academies=list(rc.sud_est.academies.all()),
        president=newcomer,
        regroupement=rc.sud_est,
    )
    jury = rc.jury_of("se")
    assert jury.group.president == newcomer and can_harmonise(newcomer, jury)
    assert not can_harmonise(rc.president_se, jury)
    assert not ReviewerAssignment.objects.filter(user=rc.president_se).exists()
    with pytest.raises(JuryError, match="regroupement « Regroupement Sud-Est »"):
        jury_group_set_president(group=jury.group, president=rc.president_no, actor=rc.organiser)


def test_the_regroupement_meeting_opens_scoring_of_its_juries_only() -> None:
    rc = regroup_campaign()
    settings = jury_settings_of(rc.campaign)
    se, no = rc.jury_of("se"), rc.jury_of("no")
    assert not scoring_open(se, settings)
    response = client_of(rc.president_se).post(
        f"/jurys/regroupement/{rc.sud_est.pk}/reunion/",
        {
            "kind": "calibration",
            "held_at": "2026-05-01T10:00",
            "attendees": [rc.president_se.pk, rc.jurors["se"][0].user_id],
            "minutes": "Cadrage du regroupement",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.regroupement == rc.sud_est and meeting.group is None
    assert scoring_open(se, settings) and not scoring_open(no, settings)
    page = client_of(rc.president_se).get(f"/jurys/{se.pk}/").content.decode()
    assert "Cadrage du regroupement" in page
    assert AuditEvent.objects.filter(action="juries.meeting").exists()


def test_hand_edits_may_not_cross_regroupements() -> None:
    rc = regroup_campaign()
    se = rc.jury_of("se")
    member = se.members.get(juror=rc.jurors["se"][1])
    stranger = rc.jurors["no"][1]  # an expert of Nantes, in the other regroupement
    with pytest.raises(JuryError) as refused:
        jury_member_swap(member=member, new_juror=stranger, actor=rc.organiser)
    assert any(
        "Regroupement Nord-Ouest" in reason and "ne peut pas entendre" in reason
        for reason in refused.value.reasons
    )
    slot = rc.jury_of("no").slots.first()
    with pytest.raises(JuryError) as moved:
        oral_slot_move(slot=slot, jury=se, index=4, actor=rc.organiser)
    assert any("un jury est formé des jurés du regroupement" in reason for reason in moved.value.reasons)


def test_candidates_outside_every_regroupement_are_composed_apart() -> None:
    rc = regroup_campaign(compose=False)
    from certeval.juries.tests.factories import submitted_enrolment

    outsider = submitted_enrolment(rc.campaign, "grenoble")
    result = jury_compose_campaign(campaign=rc.campaign, actor=rc.organiser, time_limit=10)
    assert not result.ok
    assert any(reason["label"].startswith("Hors regroupement") for reason in result.explanation)
    for role, code in (("drane", "amiens"), ("expert", "dijon"), ("expert", "rouen")):
        JurorFactory(campaign=rc.campaign, role=role, academy=academy(code))
    result = jury_compose_campaign(campaign=rc.campaign, actor=rc.organiser, time_limit=10)
    assert result.ok, result.explanation
    group = JuryGroup.objects.get(juries__slots__enrolment=outsider)
    assert group.regroupement is None


def test_reading_delay_is_enforced_when_composing_and_editing() -> None:
    rc = regroup_campaign()
    slot = rc.jury_of("se").slots.first()
    # Dossiers frozen on 21/04/2026 at midnight, Paris time (fixtures); the orals are on 12/05/2026.
    # A 30-day delay makes the 21/05/2026 the first possible day.
    type(rc.campaign).objects.filter(pk=rc.campaign.pk).update(reading_delay_days=30)
    rc.campaign.refresh_from_db()
    with pytest.raises(JuryError) as refused:
        oral_slot_move(slot=slot, jury=slot.jury, index=3, actor=rc.organiser)
    assert any("avant le" in reason and "délai de lecture" in reason for reason in refused.value.reasons)
    result = jury_compose_campaign(campaign=rc.campaign, actor=rc.organiser, time_limit=10)
    assert not result.ok
    details = " ".join(reason["detail"] for reason in result.explanation)
    assert "jeudi 21 mai 2026" in details and "30 jour(s)" in details
    assert result.run.result["explanation"][0]["constraint"] == "reading_delay"
