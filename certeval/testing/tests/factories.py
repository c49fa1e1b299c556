"""Campaigns, enrolments and organisers for the testing tests."""

from __future__ import annotations

from certeval.campaigns.models import Academy, Campaign, Enrolment
from certeval.campaigns.tests.factories import CampaignFactory, EnrolmentFactory
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import DATA_DIR, framework_publish_file


def published(framework_id: str) -> FrameworkVersion:
    if not FrameworkVersion.objects.filter(framework_id=framework_id).exists():
        framework_publish_file(path=DATA_DIR / f"{framework_id}.yaml")
    return FrameworkVersion.objects.filter(framework_id=framework_id).order_by("-version_number").first()  # type: ignore[return-value]


def academy(code: str) -> Academy:
    return Academy.objects.get_or_create(code=code, defaults={"name": code.capitalize()})[0]


def campaign_of(framework_id: str = "pix-plus-edu", **fields: object) -> Campaign:
    return CampaignFactory(framework_version=published(framework_id), **fields)


def enrolment_in(campaign: Campaign, academy_code: str = "versailles", **fields: object) -> Enrolment:
    return EnrolmentFactory(campaign=campaign, academy=academy(academy_code), **fields)
