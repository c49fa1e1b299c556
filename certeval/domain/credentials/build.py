"""An ``OpenBadgeCredential`` (Open Badges 3.0) from plain data, unsigned.

The Django layer gathers the data of an award (the certification, a bloc of a title or a placement
level) into :class:`CredentialData`; :func:`credential` lays it out as the specification asks:
an ``Achievement`` with its type, criteria, the RNCP / RS code when there is one, its alignments to
the framework's CASE items and a ``ResultDescription`` listing the framework's levels; an
``AchievementSubject`` with the holder's pseudonymous id, name and hashed e-mail address, the
``result`` (the level reached), the evidence (the decision), the dates and the revocation status.
Dates are written in the given time zone with their offset (the site's, Europe/Paris): ``validFrom``
at 00:00:00 of the first day, ``validUntil`` at 23:59:59 of the last day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from certeval.domain.credentials.contexts import CREDENTIALS_V2, OB_V3P0

CONTEXT = [CREDENTIALS_V2, OB_V3P0]
SCHEMA_ID = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json"
)


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str
    url: str
    email: str = ""
    description: str = ""

    def reference(self) -> dict[str, Any]:
        """The issuer as embedded in a credential."""
        data: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name, "url": self.url}
        if self.email:
            data["email"] = self.email
        return data

    def profile(self) -> dict[str, Any]:
        """The issuer ``Profile`` document served at its id."""
        data = {"@context": CONTEXT, **self.reference()}
        if self.description:
            data["description"] = self.description
        return data


@dataclass(frozen=True)
class Alignment:
    target_name: str
    target_url: str
    target_code: str = ""
    target_framework: str = ""
    target_type: str = "CFItem"

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": ["Alignment"],
            "targetName": self.target_name,
            "targetUrl": self.target_url,
            "targetType": self.target_type,
        }
        if self.target_code:
            data["targetCode"] = self.target_code
        if self.target_framework:
            data["targetFramework"] = self.target_framework
        return data


@dataclass(frozen=True)
class Level:
    id: str
    name: str


@dataclass(frozen=True)
class Achievement:
    id: str
    name: str
    description: str
    criteria: str
    achievement_type: str
    criteria_url: str = ""
    code: str = ""
    version: str = ""
    alignments: tuple[Alignment, ...] = ()
    levels: tuple[Level, ...] = ()

    def _part(self, name: str) -> str:
        """An IRI for a part of the achievement: a fragment, or a suffix of the fragment it has."""
        return f"{self.id}-{name}" if "#" in self.id else f"{self.id}#{name}"

    @property
    def result_description_id(self) -> str:
        return self._part("niveaux")

    def level_id(self, level: str) -> str:
        return self._part(f"niveau-{level}")

    def as_dict(self, issuer: Issuer) -> dict[str, Any]:
        criteria: dict[str, Any] = {"narrative": self.criteria}
        if self.criteria_url:
            criteria["id"] = self.criteria_url
        data: dict[str, Any] = {
            "id": self.id,
            "type": ["Achievement"],
            "achievementType": self.achievement_type,
            "name": self.name,
            "description": self.description,
            "criteria": criteria,
            "creator": issuer.reference(),
            "inLanguage": "fr",
        }
        if self.version:
            data["version"] = self.version
        if self.code:
            # Only ``humanCode``: context 3.0.3 defines no ``otherIdentifiers`` term on an Achievement,
            # so such an entry would fall outside the RDF graph the Data Integrity proof signs.
            data["humanCode"] = self.code
        if self.alignments:
            data["alignment"] = [alignment.as_dict() for alignment in self.alignments]
        if self.levels:
            data["resultDescription"] = [
                {
                    "id": self.result_description_id,
                    "type": ["ResultDescription"],
                    "name": "Niveau atteint",
                    "resultType": "RubricCriterionLevel",
                    "rubricCriterionLevel": [
                        {"id": self.level_id(level.id), "type": ["RubricCriterionLevel"], "name": level.name}
                        for level in self.levels
                    ],
                }
            ]
        return data


@dataclass(frozen=True)
class Evidence:
    id: str
    name: str
    narrative: str

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "type": ["Evidence"], "name": self.name, "narrative": self.narrative}


@dataclass(frozen=True)
class Subject:
    id: str
    name: str
    email: str = ""
    salt: str = ""

    def as_dict(self) -> dict[str, Any]:
        identifiers: list[dict[str, Any]] = [
            {"type": "IdentityObject", "identityHash": self.name, "identityType": "name", "hashed": False}
        ]
        if self.email:
            digest = hashlib.sha256((self.email.strip().lower() + self.salt).encode("utf-8")).hexdigest()
            identity: dict[str, Any] = {
                "type": "IdentityObject",
                "identityHash": f"sha256${digest}",
                "identityType": "emailAddress",
                "hashed": True,
            }
            if self.salt:
                identity["salt"] = self.salt
            identifiers.append(identity)
        return {"id": self.id, "type": ["AchievementSubject"], "identifier": identifiers}


@dataclass(frozen=True)
class CredentialData:
    id: str
    name: str
    description: str
    issuer: Issuer
    subject: Subject
    achievement: Achievement
    awarded_on: date
    valid_from: date
    valid_until: date | None = None
    level: str = ""
    evidence: tuple[Evidence, ...] = ()
    status: dict[str, Any] | None = field(default=None)
    # The time zone of the dates: validity starts at midnight and ends at 23:59:59 there.
    zone: str = "UTC"


def start_of(day: date, zone: str = "UTC") -> str:
    """Midnight at the start of ``day`` in ``zone``, with its UTC offset (``Z`` in UTC)."""
    return _stamp(datetime.combine(day, time.min, tzinfo=ZoneInfo(zone)))


def end_of(day: date, zone: str = "UTC") -> str:
    """23:59:59 on ``day`` in ``zone``: a validity's last day is included."""
    return _stamp(datetime.combine(day, time(23, 59, 59), tzinfo=ZoneInfo(zone)))


def _stamp(moment: datetime) -> str:
    text = moment.isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def utc_stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def credential(data: CredentialData) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` of ``data``."""
    subject = data.subject.as_dict()
    subject["achievement"] = data.achievement.as_dict(data.issuer)
    if data.level and data.achievement.levels:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": data.achievement.result_description_id,
                "achievedLevel": data.achievement.level_id(data.level),
                "status": "Completed",
            }
        ]
    document: dict[str, Any] = {
        "@context": CONTEXT,
        "id": data.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": data.name,
        "description": data.description,
        "issuer": data.issuer.reference(),
        "validFrom": start_of(data.valid_from, data.zone),
        "awardedDate": start_of(data.awarded_on, data.zone),
        "credentialSubject": subject,
        "credentialSchema": [{"id": SCHEMA_ID, "type": "1EdTechJsonSchemaValidator2019"}],
    }
    if data.valid_until is not None:
        document["validUntil"] = end_of(data.valid_until, data.zone)
    if data.evidence:
        document["evidence"] = [item.as_dict() for item in data.evidence]
    if data.status is not None:
        document["credentialStatus"] = data.status
    return document
