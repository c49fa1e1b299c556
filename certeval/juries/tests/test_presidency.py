"""Who presides a jury: one definition (certeval.juries.presidency) for the right to harmonise and
validate, the score sheet's signature block and the pages (issue 9, defect 5)."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from certeval.juries import selectors
from certeval.juries.errors import JuryError
from certeval.juries.models import Jury, JuryMember
from certeval.juries.permissions import can_harmonise, juries_presided
from certeval.juries.presidency import presiding_person
from certeval.juries.services.composition import jury_group_set_president
from certeval.juries.services.deliberation import deliberation_validate
from certeval.juries.tests.factories import JuryCampaign, jury_campaign
from certeval.juries.tests.test_services import _harmonise

pytestmark = pytest.mark.django_db


def _pdf_words(client: Client, slot_id: int) -> str:
    pdf = client.get(reverse("juries:score_sheet", args=[slot_id]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    return " ".join(text.split())


def _presiding_member(jc: JuryCampaign) -> JuryMember:
    return JuryMember.objects.select_related("juror__user").get(
        jury=jc.slot().jury, role=JuryMember.Role.PRESIDENT
    )


def test_the_score_sheet_names_the_president_who_validated(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    member = _presiding_member(jc)  # the juror with the president role; the group has a president
    _harmonise(jc)
    deliberation_validate(slot=jc.slot(), actor=jc.president)
    client.force_login(jc.president)
    words = _pdf_words(client, jc.slot().pk)
    president = jc.president.get_full_name()
    assert f"par {president}." in words
    assert f"Président du jury {president} Signature" in words
    assert f"Président du jury {member.juror.display_name}" not in words
    assert f"Membre du jury {member.juror.display_name} Signature" in words
    assert words.count("Président du jury") == 1


def test_one_president_for_rights_pages_and_score_sheet(client: Client) -> None:
    jc = jury_campaign(candidates=1)
    jury = Jury.objects.get(pk=jc.slot().jury_id)
    member = _presiding_member(jc)
    # The group has a president: they preside; the juror with the president role does not.
    assert presiding_person(jury) == jc.president
    assert can_harmonise(jc.president, jury) and not can_harmonise(member.juror.user, jury)
    assert list(juries_presided(jc.president)) == [jury]
    assert not juries_presided(member.juror.user).exists()
    _harmonise(jc)
    with pytest.raises(JuryError, match="président"):
        deliberation_validate(slot=jc.slot(), actor=member.juror.user)
    client.force_login(jc.organiser)
    page = client.get(reverse("juries:jury", args=[jury.pk])).content.decode()
    assert f"présidé par {jc.president.get_full_name()}" in page
    assert f"{member.juror.display_name} — Membre du jury" in page
    # Without a group president, the juror with the president role presides, everywhere.
    jury_group_set_president(group=jury.group, president=None, actor=jc.organiser)
    jury = selectors.jury_detail(jury.pk)
    assert presiding_person(jury) == member.juror.user
    assert can_harmonise(member.juror.user, jury) and not can_harmonise(jc.president, jury)
    assert list(juries_presided(member.juror.user)) == [jury]
    with pytest.raises(JuryError, match="président"):
        deliberation_validate(slot=jc.slot(), actor=jc.president)
    deliberation_validate(slot=jc.slot(), actor=member.juror.user)
    page = client.get(reverse("juries:jury", args=[jury.pk])).content.decode()
    assert f"présidé par {member.juror.display_name}" in page
    assert f"{member.juror.display_name} — Président du jury" in page
    client.force_login(member.juror.user)
    words = _pdf_words(client, jc.slot().pk)
    assert f"par {member.juror.display_name}." in words
    assert f"Président du jury {member.juror.display_name} Signature" in words
    assert words.count("Président du jury") == 1
