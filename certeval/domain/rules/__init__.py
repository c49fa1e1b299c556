"""Evaluation and decision rules of the certifications, driven by each framework's ``rules:``.

Build a :class:`RuleSet` once per framework with :meth:`RuleSet.from_framework`, then call
:meth:`RuleSet.evaluate` on a case (parsed JSON): the :class:`Evaluation` carries a level and/or
an outcome and French reasons. Malformed rules raise :class:`RulesError`, malformed cases
:class:`CaseError`, both naming the path of the problem. See ``docs/rules.md``.
"""

from certeval.domain.rules.errors import CaseError, RulesError
from certeval.domain.rules.result import ADJOURNED, CERTIFIED, INELIGIBLE, NOT_CERTIFIED, OUTCOMES, Evaluation
from certeval.domain.rules.ruleset import RuleSet

__all__ = [
    "ADJOURNED",
    "CERTIFIED",
    "INELIGIBLE",
    "NOT_CERTIFIED",
    "OUTCOMES",
    "CaseError",
    "Evaluation",
    "RuleSet",
    "RulesError",
]
