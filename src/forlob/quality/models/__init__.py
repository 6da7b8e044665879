"""Quality self-assessment (issue 6): frameworks as versioned data, assessment rounds and their
answers, the coordinator's resolutions, report texts, and the competence and method map."""

from .competence import DevelopmentProject, StaffCompetence
from .frameworks import Framework, Item, ItemKind, Obligation, Section
from .reports import Abbreviation, ClusterReportText, RegionReportText, SectionReportText
from .rounds import (
    AREAS,
    Answer,
    Area,
    Category,
    Choice,
    Participant,
    ParticipantEvent,
    Resolution,
    Round,
    Status,
)

__all__ = [
    "AREAS", "Abbreviation", "Answer", "Area", "Category", "Choice", "ClusterReportText",
    "DevelopmentProject", "Framework", "Item", "ItemKind", "Obligation", "Participant",
    "ParticipantEvent", "RegionReportText", "Resolution", "Round", "Section",
    "SectionReportText", "StaffCompetence", "Status",
]
