"""A campaign may cap its test's number of questions (``CampaignDelivery.max_questions``, a mock test
or the demo): each part of the form keeps its share, the quotas that cannot hold are relaxed."""

from __future__ import annotations

from typing import Any

import pytest

from certeval.domain.cat.form import FormSpec, PartSpec, Quota
from certeval.testing import console_services as console
from certeval.testing import sitting_services as candidate
from certeval.testing.sitting_engine import FORMS_DIR, capped_form, load_form
from certeval.testing.tests.sitting_factories import proctored_session

pytestmark = pytest.mark.django_db


def test_a_capped_form_keeps_each_part_share() -> None:
    form = load_form(FORMS_DIR / "pix_plus_edu.yaml")
    assert capped_form(form, 64) is form
    short = capped_form(form, 6)
    assert short.length == 6
    assert {p.name: p.count for p in short.parts} == {"crcn-edu": 2, "crcn": 4}
    assert all(p.competence.min == 0 and not p.domains for p in short.parts)
    assert {p.name: p.count for p in capped_form(form, 1).parts} == {"crcn": 1}
    plain = FormSpec(length=64)
    assert capped_form(plain, 10).length == 10
    tiny = FormSpec(length=4, parts=(PartSpec("a", 2, Quota(1)), PartSpec("b", 2, Quota(1))))
    assert {p.name: p.count for p in capped_form(tiny, 3).parts} == {"a": 2, "b": 1}


def test_a_campaign_cap_gives_a_short_test(settings: Any) -> None:
    settings.CERTEVAL_DELIVERY = {**settings.CERTEVAL_DELIVERY, "max_questions": 4}
    ps = proctored_session(1)
    assert candidate.campaign_delivery(ps.session.campaign_id).max_questions == 4
    e = ps.enrolments[0]
    sitting = candidate.join(
        access_code=ps.delivery.access_code, name=e.candidate.birth_name, birth_date=e.candidate.birth_date
    )
    tab = candidate.claim_tab(sitting.pk)
    who = ps.invigilator
    console.mark_present(delivery=ps.delivery, sitting_id=sitting.pk, who=who)
    console.check_identity(delivery=ps.delivery, sitting_id=sitting.pk, document="id-card", who=who)
    console.authorise(delivery=ps.delivery, sitting_id=sitting.pk, who=who)
    started = candidate.start(sitting_id=sitting.pk, tab=tab)
    assert started.run is not None and started.run.settings["max_items"] == 4
