"""The documented defaults of ``CERTEVAL_CONTROLLER`` (docs/privacy.md, « Notices and register »):
who the data controller is and how to reach its data protection officer (DPO). The French certifier
running the instance is the controller; a campaign run by a certifying organisation (an INSPÉ, a
rectorat: ``campaigns.Organisation``) names that organisation as the controller of its campaign's
data, with the same DPO contact unless the organisation's own is configured in ``organisations``.
Pure Python: ``certeval/settings.py`` imports it; the code merges a project's setting over these."""

from __future__ import annotations

from typing import Any

DEFAULT_CONTROLLER: dict[str, Any] = {
    # The certifier (responsable de traitement) as its notices and register name it.
    "name": "Certificateur (à renseigner : CERTEVAL_CONTROLLER['name'])",
    "address": "Adresse postale du certificateur (à renseigner)",
    "email": "contact@certificateur.invalid",
    # The data protection officer (délégué à la protection des données).
    "dpo_name": "Délégué à la protection des données",
    "dpo_email": "dpo@certificateur.invalid",
    "dpo_address": "",
    # The supervisory authority a person may complain to.
    "authority": "Commission nationale de l'informatique et des libertés (CNIL), 3 place de Fontenoy, "
    "TSA 80715, 75334 Paris Cedex 07 — www.cnil.fr",
    # Per certifying organisation (by its exact name): its own DPO contact, e.g.
    # {"INSPÉ de l'académie d'Amiens": {"dpo_email": "dpo@u-picardie.fr", "address": "…"}}.
    "organisations": {},
}
