"""Who presides a jury: one definition, read by the harmonisation and validation rights
(``certeval.juries.permissions``), the score sheet (PDF) and the jury pages.

The president of a jury is the president of its group when the group has one (the group
president runs the calibration and harmonisation of all the group's juries); otherwise the
member of the jury with the president role. The member with the president role of a jury whose
group has a president sits as a member of the jury.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from certeval.accounts.models import User
from certeval.juries.models import Jury, JuryMember


def presided_by(user: User) -> Q:
    """The juries ``user`` presides, as a filter on ``Jury`` (same rule as :func:`presiding_person`)."""
    return Q(group__president=user) | Q(
        group__president__isnull=True, members__juror__user=user, members__role=JuryMember.Role.PRESIDENT
    )


def presiding_person(jury: Jury) -> User | None:
    """The person who presides ``jury`` (None when its group has no president and no member has
    the president role)."""
    if jury.group.president_id is not None:
        return jury.group.president
    member = next((m for m in jury.members.all() if m.role == JuryMember.Role.PRESIDENT), None)
    return None if member is None else member.juror.user


def person_name(user: User) -> str:
    return user.get_full_name() or user.email


def member_role_label(member: JuryMember, president: User | None) -> str:
    """The member's role as shown: a member with the president role who does not preside (the
    group's president does) sits as a member of the jury."""
    if member.role == JuryMember.Role.PRESIDENT and (
        president is None or member.juror.user_id != president.pk
    ):
        return _("Membre du jury")
    return member.get_role_display()


def signatories(jury: Jury, president: User | None) -> list[tuple[str, str]]:
    """``(role, name)`` of who signs the jury's score sheet: the president first (« Président du
    jury »), then the other members."""
    rows = [] if president is None else [(str(JuryMember.Role.PRESIDENT.label), person_name(president))]
    for member in jury.members.all():
        if president is not None and member.juror.user_id == president.pk:
            continue
        rows.append((member_role_label(member, president), member.juror.display_name))
    return rows


def annotate_presidency(jury: Jury) -> Jury:
    """Set ``jury.president_name`` and each prefetched member's ``role_label`` for the pages."""
    president = presiding_person(jury)
    jury.president_name = "" if president is None else person_name(president)  # type: ignore[attr-defined]
    for member in jury.members.all():
        member.role_label = member_role_label(member, president)  # type: ignore[attr-defined]
    return jury
