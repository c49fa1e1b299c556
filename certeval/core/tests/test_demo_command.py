"""``certeval demo`` end to end, as ``make demo`` runs it: every référentiel, the campaigns, the
juries, accounts that sign in, and nothing changed by a second run."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from certeval.audit.models import AuditEvent
from certeval.campaigns.models import Campaign, CampaignState, HeldBloc, Session
from certeval.frameworks.models import FrameworkVersion
from certeval.juries.models import Deliberation, OralSlot
from certeval.privacy.tests.retention_demo_checks import (
    assert_retention_on_the_demo_reports_then_keeps_the_statistics,
)
from certeval.testing import selectors as testing_selectors
from certeval.testing.models import AutomatedResult

pytestmark = pytest.mark.django_db


def test_the_demo_loads_everything_and_a_second_run_changes_nothing() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    printed = out.getvalue()

    assert set(FrameworkVersion.objects.values_list("framework_id", flat=True)) == {
        "crcn",
        "pix-plus-edu",
        "inspe-crcn-edu",
        "langues-vivantes-innovation",
        "facilitateur-apprentissage",
        "titre-responsable-formation",
    }
    main = Campaign.objects.get(title="Pix+ Édu — campagne 2025-2026")
    assert main.state == CampaignState.JURIES
    assert OralSlot.objects.filter(jury__campaign=main).count() == 39
    assert Deliberation.objects.filter(slot__jury__campaign=main, state="validated").exists()
    # The titre (2025 and the two sessions of the title by blocs, results/demo_titre.py), the Facilitateur
    # (2025 and the 2026 DEP with declared evidence), the langues session (results/demo_evidence.py), the
    # INSPÉ's master MEEF campaign (results/demo_inspe.py), Pix+ Édu 2024-2025.
    assert Campaign.objects.filter(state=CampaignState.PUBLISHED).count() == 8
    assert HeldBloc.objects.filter(candidate__email="candidat.blocs@demo.certeval.fr").count() == 6
    # Sessions are the proctored automated test, taken before the deposit deadline; each
    # candidate's automated result is dated from their session.
    for session in Session.objects.filter(campaign=main):
        assert session.ends_at < main.deposit_deadline
    for result in AutomatedResult.objects.filter(campaign=main).select_related("enrolment__session"):
        assert result.obtained_on == result.enrolment.session.starts_at.date()

    # Adjourned in 2024-2025, Adrien uses the automated result obtained then in the spring campaign.
    earlier = Deliberation.objects.get(slot__enrolment__candidate__email="adrien.ajourne@demo.certeval.fr")
    assert earlier.outcome == "adjourned"
    spring = Campaign.objects.get(title="Pix+ Édu — session de printemps 2026")
    again_enrolled = spring.enrolments.get(candidate__email="adrien.ajourne@demo.certeval.fr")
    used = testing_selectors.applicable_result(again_enrolled)
    assert used is not None and used.enrolment_id == earlier.slot.enrolment_id

    accounts = re.findall(r"(\S+@demo\.certeval\.fr)\s+(\S+)", printed)
    # With the two item writers (accounts/demo.py), the peer (results/demo_prep.py), the INSPÉ's five,
    # the langues and Facilitateur candidates (results/demo_evidence.py) and the president of the
    # regroupement Nord-Ouest (results/demo_regroup.py), the title's candidate (results/demo_titre.py).
    assert len(accounts) == 21
    # Every account signs in from one address, one after the other, without being locked out.
    for email, password in accounts:
        request = RequestFactory().post("/comptes/connexion/", REMOTE_ADDR="127.0.0.1")
        assert authenticate(request, username=email, password=password) is not None, email

    # The second factor (accounts/demo.py): one shared authenticator secret, printed, for every staff
    # account; candidates have none.
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert "One entry in an authenticator app serves every demo staff account" in printed
    secret = re.search(r"secret \(base32\)\s+([A-Z2-7]+)", printed)
    assert secret is not None and "otpauth://totp/" in printed
    juror = TOTPDevice.objects.get(user__email="jure@demo.certeval.fr")
    assert juror.bin_key == base64.b32decode(secret.group(1)) and juror.confirmed
    assert totp(juror.bin_key) == totp(base64.b32decode(secret.group(1)))
    assert TOTPDevice.objects.filter(user__email="admin@demo.certeval.fr").exists()
    assert not TOTPDevice.objects.filter(user__email="candidat@demo.certeval.fr").exists()

    # Preparation support (results/demo_prep.py): a peer's feedback on the draft, a rehearsal with feedback.
    from certeval.dossiers.peer_models import PeerFeedback
    from certeval.juries.rehearsal_models import RehearsalBooking

    mine = main.enrolments.get(candidate__email="candidat@demo.certeval.fr")
    assert (
        PeerFeedback.objects.filter(
            invitation__enrolment=mine, invitation__email="pair@demo.certeval.fr"
        ).count()
        == 3
    )
    assert RehearsalBooking.objects.get(enrolment=mine).feedback

    # INSPÉ (seed 002): the student evaluated by her teacher, the staff member by a jury.
    inspe = Deliberation.objects.get(slot__enrolment__candidate__email="etudiante.inspe@demo.certeval.fr")
    assert (inspe.slot.jury.kind, inspe.state, inspe.outcome, inspe.final_level) == (
        "teachers",
        "validated",
        "certified",
        "avance",
    )
    assert inspe.validated_by.email == "enseignant.inspe@demo.certeval.fr"
    staff = Deliberation.objects.get(
        slot__enrolment__candidate__email="enseignante.continue@demo.certeval.fr"
    )
    assert (staff.slot.jury.kind, staff.state) == ("composed", "validated")

    events = AuditEvent.objects.count()
    again = io.StringIO()
    call_command("demo", stdout=again)
    assert AuditEvent.objects.count() == events
    assert re.findall(r"(\S+@demo\.certeval\.fr)\s+(\S+)", again.getvalue()) == accounts
    # Last, as it changes the demo: the retention job's dry run and real run on it.
    assert_retention_on_the_demo_reports_then_keeps_the_statistics()
