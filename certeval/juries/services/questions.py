"""Writes of the question bank and the jurors' feedback questionnaire."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.audit.services import audit_record
from certeval.campaigns.models import Campaign
from certeval.frameworks.selectors import framework_of
from certeval.juries.errors import JuryError
from certeval.juries.models import (
    Juror,
    JurorFeedback,
    JuryQuestion,
)


@transaction.atomic
def jury_question_add(*, campaign: Campaign, domain: str, text: str, actor: User) -> JuryQuestion:
    framework, _rules = framework_of(campaign.framework_version)
    if domain not in {d.id for d in framework.domains}:
        raise JuryError(_("Domaine inconnu."))
    if not text.strip():
        raise JuryError(_("La question est vide."))
    question = JuryQuestion.objects.create(campaign=campaign, domain=domain, text=text.strip(), author=actor)
    audit_record(actor=actor, action="juries.question_add", target=question, data={"domain": domain})
    return question


@transaction.atomic
def juror_feedback_submit(
    *, juror: Juror, answers: Mapping[str, int], comment: str, actor: User
) -> JurorFeedback:
    if JurorFeedback.objects.filter(juror=juror).exists():
        raise JuryError(_("Vous avez déjà répondu au questionnaire."))
    feedback = JurorFeedback(
        juror=juror, comment=comment.strip(), **{t: answers[t] for t in JurorFeedback.TOPICS}
    )
    feedback.full_clean()
    feedback.save()
    audit_record(actor=actor, action="juries.feedback", target=juror, data=dict(answers))
    return feedback
