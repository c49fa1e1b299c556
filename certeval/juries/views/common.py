"""What every jury page module shares."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from certeval.domain.framework import Framework
from certeval.juries.errors import JuryError


def _refused(request: HttpRequest, error: JuryError) -> None:
    messages.error(request, " ".join([str(error), *error.reasons]))


def _levels(framework: Framework) -> list[tuple[str, str]]:
    return [(level.id, level.label) for level in framework.levels]
