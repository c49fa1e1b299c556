"""The juries' staff roles for the second factor (``certeval.accounts.staff``): the jurors of a
campaign's pool (members and presidents of juries) and INSPÉ teachers attached to students."""

from __future__ import annotations

from django.db.models import OuterRef

from certeval.accounts.models import User
from certeval.accounts.staff import holds_any
from certeval.juries.models import Juror, TeacherAttachment


def holds_jury_role(user: User) -> bool:
    person = OuterRef("pk")
    return holds_any(
        user, Juror.objects.filter(user=person), TeacherAttachment.objects.filter(teacher=person)
    )
