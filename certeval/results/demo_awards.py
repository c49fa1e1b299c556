"""Demo of awards: the published demo campaigns already issue their awards at publication (the
campaigns' state hook); this part backfills what is missing — awards of campaigns published before
awards existed and of finished placement runs — so the demo shows attestations. Idempotent."""

from __future__ import annotations

from typing import TextIO

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign
from certeval.core.demo import DemoAccount
from certeval.juries.demo import FACILITATEUR_PUBLISHED_TITLE
from certeval.results.award_services import award_issue_for_placement, award_revoke, awards_issue_for_campaign
from certeval.results.models import Award
from certeval.results.selectors import RESULT_STATES
from certeval.testing.models import Run


def populate(stdout: TextIO) -> list[DemoAccount]:
    before = Award.objects.count()
    for campaign in Campaign.objects.filter(state__in=RESULT_STATES).order_by("pk"):
        awards_issue_for_campaign(campaign, by=None)
    runs = Run.objects.filter(kind=Run.Kind.PLACEMENT, status=Run.Status.FINISHED).select_related(
        "campaign__framework_version"
    )
    for run in runs.order_by("pk"):
        award_issue_for_placement(run, by=None)
    added = Award.objects.count() - before
    stdout.write(f"Awards: {added} issued ({Award.objects.count()} in all).\n")
    _revoke_one(stdout)
    return []


REVOCATION_REASON = "Fraude établie après le contrôle des traces du dossier (décision du certificateur)."


def _revoked() -> Award | None:
    return Award.objects.filter(revoked_at__isnull=False).order_by("pk").first()


def _revoke_one(stdout: TextIO) -> None:
    """One award of the published Facilitateur campaign is revoked, so the public verification shows
    « révoquée » with its date."""
    if _revoked() is not None:
        return
    award = (
        Award.objects.filter(campaign__title=FACILITATEUR_PUBLISHED_TITLE, revoked_at__isnull=True)
        .exclude(candidate__user__email="candidat.titre@demo.certeval.fr")
        .order_by("-pk")
        .first()
    )
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    if award is None or admin is None:
        return
    award_revoke(award, by=admin, reason=REVOCATION_REASON)
    stdout.write(f"Awards: {award.grouped_code} revoked (demo of a revocation).\n")


def notes() -> list[str]:
    award = (
        Award.objects.filter(
            candidate__user__email="candidat.titre@demo.certeval.fr",
            kind=Award.Kind.CERTIFICATION,
            revoked_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    lines = [
        "Attestations : « Mes attestations » (/mes-attestations/) pour les candidats dont les résultats sont "
        "publiés ; un parcours bilan terminé (candidat@, /tests-en-ligne/) délivre l'attestation de son niveau."
    ]
    if award is not None:
        lines.append(
            f"Vérification publique d'une attestation (candidat.titre@) : "
            f"http://127.0.0.1:8000/verifier/{award.code}/ (code {award.grouped_code})."
        )
    revoked = _revoked()
    if revoked is not None:
        lines.append(
            f"Attestation révoquée : http://127.0.0.1:8000/verifier/{revoked.code}/ (code {revoked.grouped_code})."
        )
    return lines
