"""What an erasure request can erase for one person, and erasing it (docs/privacy.md,
« Rectification and erasure »). RGPD art. 17(3) lets the certifier keep what a legal obligation or a
task in the public interest needs:

- the decisions, awards and the holders' register of a certified holder (the certifier must be able to
  attest the certification, and the holder to prove it), hence their identity;
- everything of a campaign still under way (enrolment, dossier, test, jury) until its results are
  published;
- the audit log (who did what), insert-only;
- the rows the month-level statistics count (formation, degré, levels), with no identity once erased.

The rest goes: dossier files and receipts (bytes), free texts, answers to the online test, proctoring
events and messages, and, for a person who holds nothing and has no campaign under way, the identity
(pseudonym) and the account (closed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from certeval.campaigns.models import CampaignState, Candidate, Enrolment
from certeval.privacy import retention_anonymise as anonymise
from certeval.results.models import Award
from certeval.testing.models import Run

FINISHED_STATES = (CampaignState.PUBLISHED, CampaignState.ARCHIVED)


@dataclass
class ErasurePlan:
    finished: list[Enrolment] = field(default_factory=list)
    ongoing: list[Enrolment] = field(default_factory=list)
    holder: bool = False
    staff: bool = False
    already: bool = False

    @property
    def identity_erasable(self) -> bool:
        return not self.holder and not self.staff and not self.ongoing and not self.already


def erasure_plan(candidate: Candidate | None) -> ErasurePlan:
    if candidate is None:
        return ErasurePlan()
    plan = ErasurePlan(
        holder=Award.objects.filter(candidate=candidate).exists(),
        staff=anonymise.is_staff(candidate),
        already=anonymise.is_anonymised(candidate.pk),
    )
    for enrolment in Enrolment.objects.filter(candidate=candidate).select_related("campaign").order_by("pk"):
        (plan.finished if enrolment.campaign.state in FINISHED_STATES else plan.ongoing).append(enrolment)
    return plan


def erase_person(candidate: Candidate, *, now: datetime) -> dict[str, object]:
    """Erase what the plan allows (the caller holds the transaction and audits); returns the report:
    counts per category erased, and what was kept with its reason code."""
    plan = erasure_plan(candidate)
    ids = [e.pk for e in plan.finished]
    # Runs outside any enrolment (training, a placement run on one's own), except those of a
    # campaign under way.
    loose = (
        Run.objects.filter(candidate=candidate, enrolment__isnull=True)
        .exclude(campaign_id__in=[e.campaign_id for e in plan.ongoing])
        .values_list("pk", flat=True)
    )
    report: dict[str, object] = {
        "proctoring_events": anonymise.proctoring_of(ids),
        "test_responses": anonymise.responses_of(ids, list(loose)),
        "dossier_files": anonymise.dossiers_of(ids),
        "enrolment_texts": anonymise.enrolment_texts_of(ids),
        "identity": False,
        "kept": [],
    }
    kept: list[str] = ["audit"]
    if plan.holder:
        kept.append("holder")
    if plan.ongoing:
        kept.append("ongoing")
    if plan.staff:
        kept.append("staff")
    if plan.identity_erasable:
        anonymise.pseudonymise(candidate, reason="erasure", now=now)
        report["identity"] = True
    report["kept"] = kept
    report["ongoing_campaigns"] = [e.campaign.title for e in plan.ongoing]
    return report


KEPT_LABELS = {
    "audit": _(
        "Le journal d'audit (qui a fait quoi) : conservé, il ne contient pas le contenu de vos données."
    ),
    "holder": _(
        "Vos décisions, attestations et l'inscription au registre des titulaires : le certificateur doit "
        "pouvoir attester votre certification (obligation légale) ; votre identité reste donc attachée."
    ),
    "ongoing": _("Vos données des campagnes en cours, jusqu'à la publication de leurs résultats."),
    "staff": _(
        "Votre compte et votre identité : vous exercez aussi un rôle (organisation, jury, surveillance) "
        "dont le travail reste attribué ; adressez-vous à l'administrateur pour le quitter."
    ),
}
