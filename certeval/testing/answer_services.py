"""Serving a question in a run and storing its answer: the one write path every online test shares.

A question is stored when it is served, before the candidate sees it, with a random key; the answer
form sends the key back. So a closed tab resumes at the same question, and a double submission or a
retry after a network error (same key) stores one answer and returns it; a stale page (another key)
is refused with a clear message. The answer is scored with the exact item version served (its
wording, options and IRT parameters are frozen), and written in the same transaction as its audit row.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign
from certeval.core import metrics
from certeval.domain.items.content import Response, ResponseError, score
from certeval.testing.errors import TestingError
from certeval.testing.models import ItemVersion, Question, Run

MAX_SECONDS = 24 * 3600.0  # a longer duration is a clock error, not a time spent on the question


def new_key() -> str:
    return secrets.token_urlsafe(24)


def serve(run: Run, item_version: ItemVersion, *, scored: bool = True, after: int | None = None) -> Question:
    """Store the next question of ``run`` before it is shown; call inside the caller's transaction,
    with the run locked (``select_for_update``) so that two requests cannot serve the same position.
    ``after``: the last position served, when the caller has just read the run's questions."""
    last = after if after is not None else run.questions.aggregate(last=Max("position"))["last"] or 0
    return Question.objects.create(
        run=run, position=last + 1, item_version=item_version, scored=scored, idempotency_key=new_key()
    )


def record_answer(
    actor: User,
    question: Question,
    response: Response,
    *,
    idempotency_key: str,
    seconds: float | None = None,
    client_key: str = "",
    on_answer: Callable[[Question], None] | None = None,
) -> Question:
    """Store the answer to ``question`` and return the question.

    Only the run's own candidate answers, while the run is in progress. The same key again returns the
    stored answer unchanged (``on_answer`` is not called twice); another key, or a question already
    answered, is refused with a French :class:`TestingError`. ``on_answer`` runs in the same
    transaction after a fresh answer (training schedules the replay there). ``client_key``: the key the
    candidate's page generated for the question, stored with the answer."""
    with transaction.atomic():
        run = Run.objects.select_for_update().select_related("candidate").get(pk=question.run_id)
        if run.candidate.user_id != actor.pk:
            raise TestingError(_("Cette question est introuvable."))
        stored = Question.objects.select_related("item_version__item").get(pk=question.pk)
        if not idempotency_key or idempotency_key != stored.idempotency_key:
            raise TestingError(
                _(
                    "Cette page n'est plus à jour : la question affichée a changé. Rechargez la page pour continuer."
                )
            )
        if stored.answered_at is not None:
            return stored  # a retry of the same submission: one answer, already stored
        if run.status != Run.Status.IN_PROGRESS:
            raise TestingError(_("Cette passation est terminée : elle ne reçoit plus de réponse."))
        content = stored.item_version.content()
        try:
            correct = score(content, response)
        except ResponseError as exc:
            raise TestingError(_("Cette réponse ne correspond pas à la question posée.")) from exc
        stored.response = response.as_json()
        stored.correct = correct
        stored.seconds = None if seconds is None else min(max(float(seconds), 0.0), MAX_SECONDS)
        stored.answered_at = timezone.now()
        fields = ["response", "correct", "seconds", "answered_at"]
        if client_key:
            stored.client_key = client_key[:64]
            fields.append("client_key")
        stored.save(update_fields=fields)
        audit_record(
            actor=actor,
            action="testing.answer",
            target=stored,
            data={
                "run": run.pk,
                "kind": run.kind,
                "position": stored.position,
                "item": stored.item_version.item.code,
                "version": stored.item_version.number,
                "scored": stored.scored,
                "correct": correct,
            },
            # The id is all the audit row needs: no query for the campaign itself.
            campaign=Campaign(pk=run.campaign_id) if run.campaign_id else None,
            person=actor,
        )
        if on_answer is not None:
            on_answer(stored)
        # Counted for /metrics once the answer is committed (certeval/core/metrics.py).
        kind = str(run.kind)
        transaction.on_commit(lambda: metrics.answer_stored(kind))
        return stored
