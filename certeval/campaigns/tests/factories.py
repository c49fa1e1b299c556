"""Factories shared by the campaigns, dossiers and accounts tests."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import factory
from django.utils import timezone

from certeval.accounts.models import User
from certeval.campaigns.models import Academy, Campaign, CampaignRole, Candidate, Enrolment, Session
from certeval.dossiers.models import Dossier, DossierState
from certeval.frameworks.models import FrameworkVersion
from certeval.frameworks.services import DATA_DIR, framework_publish_file

PASSWORD = "mot-de-passe-de-test"


def pix_plus_edu() -> FrameworkVersion:
    found = FrameworkVersion.objects.filter(framework_id="pix-plus-edu").first()
    if found is not None:
        return found
    framework_publish_file(path=DATA_DIR / "pix-plus-edu.yaml")
    return FrameworkVersion.objects.get(framework_id="pix-plus-edu")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"personne{n}@example.fr")
    first_name = "Alex"
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    password = factory.django.Password(PASSWORD)


class AcademyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academy
        django_get_or_create = ("code",)

    code = factory.Iterator(["versailles", "creteil", "lyon"])
    name = factory.LazyAttribute(
        lambda o: {"versailles": "Versailles", "creteil": "Créteil", "lyon": "Lyon"}[o.code]
    )


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    title = factory.Sequence(lambda n: f"Pix+ Édu {n}")
    framework_version = factory.LazyFunction(pix_plus_edu)
    state = "open"
    deposit_deadline = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    campaign = factory.SubFactory(CampaignFactory)
    label = factory.Sequence(lambda n: f"Session {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda o: o.user.email)
    birth_name = factory.Sequence(lambda n: f"Durand{n}")
    first_names = "Camille"
    birth_date = date(1985, 4, 12)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    candidate = factory.SubFactory(CandidateFactory)
    academy = factory.SubFactory(AcademyFactory)
    school_level = "second"
    training = "continue"

    class Params:
        # EnrolmentFactory(submitted=True): the dossier is already deposited (frozen now).
        submitted = factory.Trait(dossier__state=DossierState.SUBMITTED)

    @factory.post_generation
    def dossier(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            if kwargs.get("state") == DossierState.SUBMITTED:
                kwargs.setdefault("frozen_at", timezone.now())
            Dossier.objects.get_or_create(enrolment=self, defaults=kwargs)


def organiser_of(campaign: Campaign, **scope: Any) -> User:
    user = UserFactory()
    CampaignRole.objects.create(campaign=campaign, user=user, role="organiser", **scope)
    return user


def pdf_bytes(pages: int = 3, text: str = "Dossier") -> bytes:
    """A real PDF with ``pages`` blank pages (pypdf)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
