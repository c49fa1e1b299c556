"""Reads of automated results (the caller has already checked permissions with
``certeval.testing.permissions``).

Lookup rule — which result an enrolment uses (see docs/testing.md):

1. the enrolment's référentiel names its automated test: ``automated_test_of(version)`` is the
   référentiel's own id, unless the setting ``CERTEVAL_AUTOMATED_TESTS`` maps it to another
   référentiel's automated test. Default: ``{"inspe-crcn-edu": "pix-plus-edu"}`` — seed 002
   says the INSPÉ certification's automated evaluation is « une session de certification
   PIX+Edu », and both référentiels' ``rules.automated`` have the same parts and thresholds.
   A référentiel without ``rules.automated`` has no automated test (and no applicable result);
2. the applicable result is the person's most recent result at that test (latest
   ``obtained_on``, then the latest recorded) obtained on or before the day of the check and
   still valid that day: obtained at most ``rules.automated.validity_years`` years before,
   inclusive (``certeval.domain.rules.dates.valid_until``; no limit when the rules set none).
   ``include_expired`` returns the most recent one even when it has expired, so that a check can
   explain « expiré depuis le … ».
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.models import Campaign, Candidate, Enrolment
from certeval.campaigns.prerequisites import automated_validity_years
from certeval.domain.rules.dates import valid_until
from certeval.frameworks.models import FrameworkVersion
from certeval.testing.models import AutomatedResult, BankVersion

DEFAULT_AUTOMATED_TESTS = {"inspe-crcn-edu": "pix-plus-edu"}


# (version id, content hash) -> whether the version's rules name an automated test: published
# versions never change, so the navigation of every page does not load their documents again.
_HAS_AUTOMATED: dict[tuple[int, str], bool] = {}
# The fields a version is read with when only its automated test is needed (not its document).
LIGHT_VERSION_FIELDS = ("id", "content_hash", "framework_id", "title", "version_number")


def automated_test_of(version: FrameworkVersion) -> str | None:
    """The id of the automated test whose results a référentiel version uses, or None. ``version``
    may be read without its document (``LIGHT_VERSION_FIELDS``): it is then read once per process."""
    key = (version.pk, version.content_hash)
    if key not in _HAS_AUTOMATED:
        full = (
            FrameworkVersion.objects.get(pk=version.pk)
            if "document" in version.get_deferred_fields()
            else version
        )
        _HAS_AUTOMATED[key] = bool((full.document.get("rules") or {}).get("automated"))
    if not _HAS_AUTOMATED[key]:
        return None
    mapping = getattr(settings, "CERTEVAL_AUTOMATED_TESTS", DEFAULT_AUTOMATED_TESTS)
    return str(mapping.get(version.framework_id, version.framework_id))


def level_choices(campaign: Campaign) -> list[tuple[str, str]]:
    return campaign.level_choices


def part_ids(campaign: Campaign) -> list[str]:
    """The parts of the campaign's automated test (``rules.automated.parts``), e.g. crcn-edu, crcn."""
    automated = (campaign.framework_version.document.get("rules") or {}).get("automated") or {}
    return list(automated.get("parts") or {})


def valid_until_of(campaign: Campaign, result: AutomatedResult) -> date | None:
    """The last day the result is valid for the campaign's référentiel (None: no limit)."""
    years = automated_validity_years(campaign.framework_version.document)
    return None if years is None else valid_until(result.obtained_on, years)


def _pick(
    results: Iterable[AutomatedResult], campaign: Campaign, on: date, include_expired: bool
) -> AutomatedResult | None:
    latest = None
    for result in results:  # ordered newest first
        if result.obtained_on <= on:
            latest = result
            break
    if latest is None or include_expired:
        return latest
    until = valid_until_of(campaign, latest)
    return latest if until is None or until >= on else None


def _results(candidate_ids: Iterable[int], test: str) -> list[AutomatedResult]:
    return list(
        AutomatedResult.objects.filter(candidate_id__in=list(candidate_ids), test=test)
        .select_related("campaign")
        .order_by("-obtained_on", "-recorded_at", "-pk")
    )


def applicable_result_of(
    candidate_id: int, campaign: Campaign, *, on: date | None = None, include_expired: bool = False
) -> AutomatedResult | None:
    """The person's result that a campaign's decision uses on day ``on`` (today by default)."""
    test = automated_test_of(campaign.framework_version)
    if test is None:
        return None
    return _pick(_results([candidate_id], test), campaign, on or timezone.localdate(), include_expired)


def applicable_result(
    enrolment: Enrolment, *, on: date | None = None, include_expired: bool = False
) -> AutomatedResult | None:
    """The automated result an enrolment uses (the lookup rule above) — the one read everywhere:
    prerequisites, deliberation, pages and API."""
    return applicable_result_of(
        enrolment.candidate_id, enrolment.campaign, on=on, include_expired=include_expired
    )


def applicable_results(
    campaign: Campaign,
    enrolments: Iterable[Enrolment],
    *,
    on: date | None = None,
    include_expired: bool = False,
) -> dict[int, AutomatedResult | None]:
    """``applicable_result`` for many enrolments of one campaign, in one query: enrolment id → result."""
    enrolments = list(enrolments)
    test = automated_test_of(campaign.framework_version)
    if test is None:
        return dict.fromkeys((e.pk for e in enrolments), None)
    by_candidate: dict[int, list[AutomatedResult]] = {}
    for result in _results({e.candidate_id for e in enrolments}, test):
        by_candidate.setdefault(result.candidate_id, []).append(result)
    day = on or timezone.localdate()
    return {
        e.pk: _pick(by_candidate.get(e.candidate_id, []), campaign, day, include_expired) for e in enrolments
    }


def history_of(candidate_id: int) -> list[AutomatedResult]:
    """Every automated result of a person, newest first, with where it was recorded."""
    return list(
        AutomatedResult.objects.filter(candidate_id=candidate_id)
        .select_related("campaign")
        .order_by("-obtained_on", "-pk")
    )


def known_banks() -> dict[str, str]:
    """Every item bank: the automated tests of the published référentiels, with a title to show
    (the title of the référentiel whose automated test it is)."""
    titles: dict[str, str] = {}
    versions = FrameworkVersion.objects.only(*LIGHT_VERSION_FIELDS).order_by(
        "framework_id", "-version_number"
    )
    for version in versions:
        bank = automated_test_of(version)
        if bank is not None and bank not in titles:
            own = versions.filter(framework_id=bank).first()
            titles[bank] = (own or version).title
    return titles


def bank_version_of(bank: str) -> int:
    """The bank's current version: the last one a calibration opened, 1 before any."""
    number = BankVersion.objects.filter(bank=bank).aggregate(last=Max("number"))["last"]
    return int(number or 1)


def candidate_of(user: User) -> Candidate | None:
    """The person record (candidate identity) of a signed-in user, or None."""
    if not user.is_authenticated:
        return None
    return Candidate.objects.filter(user=user).first()
