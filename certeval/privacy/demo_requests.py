"""Demo of a person's requests (docs/privacy.md, « Rectification and erasure »): the langues candidate
(``candidat.langues@demo.certeval.fr``) has an erasure request waiting for its answer; the candidate
adjourned in 2024-2025 (``adrien.ajourne@demo.certeval.fr``) asked to correct his birth place, and the
demo administrator accepted it (the correction went through the campaigns' identity-correction path).
Both show on « Mes demandes » for the candidate and on « Demandes des personnes » for the
administrator. Running it twice changes nothing."""

from __future__ import annotations

from typing import TextIO

from certeval.accounts.models import User
from certeval.campaigns.models import Candidate
from certeval.core.demo import DemoAccount
from certeval.privacy import requests_services as services
from certeval.privacy.requests_models import PersonRequest, RequestKind

ERASURE_EMAIL = "candidat.langues@demo.certeval.fr"
RECTIFICATION_EMAIL = "adrien.ajourne@demo.certeval.fr"
BIRTH_PLACE = "Saint-Étienne (Loire)"


def populate(stdout: TextIO) -> list[DemoAccount]:
    admin = User.objects.filter(email="admin@demo.certeval.fr", is_superuser=True).first()
    if admin is None:
        return []
    erasing = Candidate.objects.filter(email=ERASURE_EMAIL).select_related("user").first()
    if (
        erasing is not None
        and not PersonRequest.objects.filter(user=erasing.user, kind=RequestKind.ERASURE).exists()
    ):
        services.erasure_request(
            by=erasing.user, reason="Je ne souhaite plus que mes données soient conservées après ma session."
        )
    correcting = Candidate.objects.filter(email=RECTIFICATION_EMAIL).select_related("user").first()
    if (
        correcting is not None
        and not PersonRequest.objects.filter(user=correcting.user, kind=RequestKind.RECTIFICATION).exists()
    ):
        request = services.rectification_request(
            by=correcting.user,
            field="birth_place",
            requested_value=BIRTH_PLACE,
            reason="Le département manque : la Caisse des Dépôts rapproche les titulaires sur l'état civil.",
        )
        try:
            services.request_accept(request=request, by=admin, answer="Lieu de naissance corrigé. Merci.")
        except services.RequestRefused as refused:
            stdout.write(f"Demo rectification left pending: {refused}\n")
    return []
