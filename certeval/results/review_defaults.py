"""The documented defaults of ``CERTEVAL_REVIEW_REQUEST`` (docs/results.md, « Campaign dashboard and
publication »): how a candidate who is adjourned or not certified asks for a review of the decision
(« recours »). The seeds state neither the procedure nor its deadline, so both are settings: the
settings module starts from these values and the code merges a project's setting over them, so a
setting that leaves a key out gets its default. Pure Python: ``certeval/settings.py`` imports it."""

from __future__ import annotations

from typing import Any

DEFAULT_REVIEW_REQUEST: dict[str, Any] = {
    # Days from the publication of the result (the candidate's session's, else the campaign's) to ask
    # for a review; 60 follows the two months of French administrative appeals.
    "deadline_days": 60,
    # The procedure shown to the candidate, as written here (French).
    "procedure": (
        "Vous pouvez demander le réexamen de la décision du jury (recours gracieux) en écrivant au "
        "président du jury par l'intermédiaire de l'organisateur de la certification. Indiquez votre "
        "nom, la certification, la session, et les motifs de votre demande ; joignez les pièces utiles. "
        "Le jury peut confirmer la décision ou délibérer à nouveau ; la réponse vous est adressée par "
        "courriel."
    ),
    # Where to write (an e-mail address or a postal address); empty: « l'organisateur de la
    # certification ».
    "contact": "",
}
