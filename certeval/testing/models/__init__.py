"""Models of the testing context: automated results, the item bank and the runs candidates take."""

from certeval.testing.models.invitations import PlacementInvitation
from certeval.testing.models.items import BankVersion, Calibration, Item, ItemVersion, ItemWriter
from certeval.testing.models.results import AutomatedResult
from certeval.testing.models.runs import Question, ReviewCard, Run, TestProfile
from certeval.testing.models.sessions import (
    CampaignDelivery,
    Incident,
    LiveAlert,
    ProctoringEvent,
    ServicePulse,
    SessionDelivery,
    Sitting,
    SittingMessage,
)

__all__ = [
    "AutomatedResult",
    "BankVersion",
    "Calibration",
    "CampaignDelivery",
    "Incident",
    "Item",
    "ItemVersion",
    "ItemWriter",
    "LiveAlert",
    "PlacementInvitation",
    "ProctoringEvent",
    "Question",
    "ReviewCard",
    "Run",
    "ServicePulse",
    "SessionDelivery",
    "Sitting",
    "SittingMessage",
    "TestProfile",
]
