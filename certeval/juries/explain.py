"""French wording of the solver's answers: half-days, broken constraints and infeasibility.

The solver (``certeval.domain.juries``) names candidates and jurors by the ids of its instance
(``C<enrolment pk>``, ``J<juror pk>``) and words its messages in English for the CLI; the web
pages show them in French, with people's names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _

from certeval.domain.juries import Explanation, Violation

HALFDAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(am|pm)$")
IDS = re.compile(r"\b[CJ]\d+\b")
HALFDAY_IN_TEXT = re.compile(r"\b\d{4}-\d{2}-\d{2}-(?:am|pm)\b")


def halfday_date(halfday: str) -> date:
    match = HALFDAY.match(halfday)
    if match is None:
        raise ValueError(f"not a half-day: {halfday!r} (expected YYYY-MM-DD-am or -pm)")
    year, month, day, _part = match.groups()
    return date(int(year), int(month), int(day))


def is_halfday(value: str) -> bool:
    match = HALFDAY.match(value)
    if match is None:
        return False
    try:
        halfday_date(value)
    except ValueError:
        return False
    return True


def halfday_label(halfday: str) -> str:
    """``2026-12-14-am`` → ``lundi 14 décembre 2026, matin`` (in the active language)."""
    when = formats.date_format(halfday_date(halfday), "l j F Y")
    if halfday.endswith("-am"):
        return _("%(day)s, matin") % {"day": when}
    return _("%(day)s, après-midi") % {"day": when}


def roles_label(roles: list[str]) -> str:
    """Juror role codes of a composition rule group by their French names."""
    from certeval.juries.models import JurorRole

    names = {value: str(label) for value, label in JurorRole.choices}
    return ", ".join(names.get(role, role) for role in roles)


def run_status_label(status: str) -> str:
    """The solver's status (``optimal``, ``feasible``, ``infeasible``, ``unknown``) in French."""
    return {
        "optimal": _("solution optimale"),
        "feasible": _("solution valide (optimalité non prouvée)"),
        "infeasible": _("aucune solution possible"),
        "unknown": _("aucune solution trouvée dans le temps imparti"),
    }.get(status, status)


def constraint_label(constraint: str) -> str:
    labels = {
        "coverage": _("Un jury pour chaque candidat"),
        "size": _("Taille du jury"),
        "group": _("Qualités des membres du jury"),
        "academy": _("Jury interacadémique"),
        "conflict": _("Conflit d'intérêts"),
        "availability": _("Disponibilités des jurés"),
        "max_load": _("Charge maximale des jurés"),
        "stable_team": _("Équipe stable sur la demi-journée"),
        "slot": _("Créneaux d'oral"),
        "capacity": _("Capacité des jurys"),
        "unknown_id": _("Personne inconnue"),
        "time_limit": _("Temps de calcul"),
        "reading_delay": _("Délai de lecture des dossiers"),
    }
    return labels.get(constraint, constraint)


def _names(text: str, names: Mapping[str, str]) -> str:
    text = IDS.sub(lambda m: names.get(m.group(0), m.group(0)), text)
    return HALFDAY_IN_TEXT.sub(lambda m: halfday_label(m.group(0)), text)


def _first(pattern: str, text: str) -> re.Match[str] | None:
    return re.search(pattern, text)


def violation_fr(violation: Violation, names: Mapping[str, str]) -> str:
    """A French sentence for a broken hard constraint, naming the people concerned."""
    text = violation.message
    who = {key: names.get(key, key) for key in IDS.findall(text)}
    candidates = [v for k, v in who.items() if k.startswith("C")]
    jurors = [v for k, v in who.items() if k.startswith("J")]
    candidate = candidates[0] if candidates else ""
    juror = jurors[0] if jurors else ""
    days = HALFDAY_IN_TEXT.findall(text)
    day = halfday_label(days[0]) if days else ""
    code = violation.constraint
    if code == "academy" and juror and candidate:
        return _(
            "%(juror)s appartient à l'académie de %(candidate)s : le jury doit être interacadémique."
        ) % {
            "juror": juror,
            "candidate": candidate,
        }
    if code == "conflict" and juror and candidate:
        return _("%(juror)s a déclaré un conflit d'intérêts avec %(candidate)s.") % {
            "juror": juror,
            "candidate": candidate,
        }
    if code == "availability" and juror:
        return _("%(juror)s n'est pas disponible le %(day)s.") % {"juror": juror, "day": day}
    if code == "max_load" and (m := _first(r": (\d+) candidates, max_load is (\d+)", text)):
        return _("%(juror)s aurait %(n)s candidats pour une charge maximale de %(max)s.") % {
            "juror": juror,
            "n": m.group(1),
            "max": m.group(2),
        }
    if code == "stable_team" and (m := _first(r"sits in (\d+) different juries", text)):
        return _("%(juror)s siégerait dans %(n)s jurys différents le %(day)s.") % {
            "juror": juror,
            "n": m.group(1),
            "day": day,
        }
    if code == "slot" and juror:
        return _("%(juror)s aurait plusieurs candidats sur le même créneau le %(day)s.") % {
            "juror": juror,
            "day": day,
        }
    if code == "slot" and (m := _first(r"slot outside 1\.\.(\d+)", text)):
        return _("Le créneau de %(candidate)s sort des %(n)s créneaux de la demi-journée.") % {
            "candidate": candidate,
            "n": m.group(1),
        }
    if code == "group" and (m := _first(r"(\d+) member\(s\) with role (\S+), needs (\d+)\.\.(\d+)", text)):
        return _(
            "Le jury de %(candidate)s compterait %(count)s membre(s) de qualité %(roles)s ; "
            "la règle en demande de %(min)s à %(max)s."
        ) % {
            "candidate": candidate,
            "count": m.group(1),
            "roles": m.group(2).replace("/", ", "),
            "min": m.group(3),
            "max": m.group(4),
        }
    if code == "size" and (m := _first(r"jury of (\d+) members, the rule needs (\d+)", text)):
        return _("Le jury de %(candidate)s compterait %(count)s membres ; la règle en demande %(size)s.") % {
            "candidate": candidate,
            "count": m.group(1),
            "size": m.group(2),
        }
    if code == "size":
        return _("Un juré figurerait deux fois dans le jury de %(candidate)s.") % {"candidate": candidate}
    if code == "reading_delay" and (m := _first(r"earliest oral date (\d{4})-(\d{2})-(\d{2})", text)):
        earliest = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        return _(
            "L'oral de %(candidate)s le %(day)s tomberait avant le %(earliest)s : les jurés doivent "
            "disposer du délai de lecture des dossiers après leur gel (réglage de la campagne)."
        ) % {"candidate": candidate, "day": day, "earliest": formats.date_format(earliest, "l j F Y")}
    if code == "coverage" and "has no jury" in text:
        return _("%(candidate)s n'aurait pas de jury.") % {"candidate": candidate}
    if code == "coverage":
        return _("%(candidate)s serait convoqué plusieurs fois.") % {"candidate": candidate}
    return f"{constraint_label(code)} : {_names(text, names)}"


def explanation_fr(explanation: Explanation, names: Mapping[str, str]) -> dict[str, str]:
    """An infeasibility reason: the French name of the blocking constraint and the solver's
    detail, with people's names instead of ids."""
    return {
        "constraint": explanation.constraint,
        "label": constraint_label(explanation.constraint),
        "detail": _names(explanation.message, names),
    }
