"""Code lists of the pathway (issue 3). Labels are Danish; English via the catalogue."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from forlob.organisations.models import TreatmentKind

TRACK_CHOICES = [(k.value, k.label) for k in TreatmentKind if k != TreatmentKind.YOUTH]
"""The legal tracks of a course: the treatment kinds a provider offers, less youth (being under
18 is a flag on the course, not a legal track of its own)."""


class TrackChoice:
    choices = TRACK_CHOICES


class Channel(models.TextChoices):
    IN_PERSON = "personal", _("Personligt fremmøde")
    PHONE = "phone", _("Telefon")
    WRITTEN = "written", _("Skriftligt")
    DIGITAL = "digital", _("Digitalt")
    REPRESENTATIVE = "representative", _("Via partsrepræsentant")
    AUTHORITY = "authority", _("Via anden myndighed (fx jobcenter)")
    OUTREACH = "outreach", _("Opsøgende arbejde")


class Substance(models.TextChoices):
    DRUGS = "drugs", _("Stoffer")
    ALCOHOL = "alcohol", _("Alkohol")
    BOTH = "both", _("Stoffer og alkohol")
    MEDICINE = "medicine", _("Ikke-ordineret medicin")


class Asks(models.TextChoices):
    COUNSELLING = "counselling", _("Kun rådgivning")
    TREATMENT = "treatment", _("Anmodning om behandling")


class Instrument(models.TextChoices):
    EUROPASI = "europasi", "EuropASI"
    VOKSENMAP = "voksenmap", "VoksenMap"
    UNGMAP = "ungmap", "UngMap"
    MATE = "mate", "MATE"
    OTHER = "other", _("Andet")


class Outcome(models.TextChoices):
    GRANT = "bevilling", _("Bevilling")
    PARTIAL = "delvis", _("Delvis bevilling")
    REFUSAL = "afslag", _("Afslag")


class ScreeningInstrument(models.TextChoices):
    AUDIT = "audit", "AUDIT"
    DUDIT = "dudit", "DUDIT"


class BreachReason(models.TextChoices):
    NO_SHOW = "no_show", _("Borgeren mødte ikke op")
    CITIZEN_WISH = "citizen_wish", _("Borgerens eget ønske om senere start")
    COORDINATION = "coordination", _("Koordinering på tværs af kommune, region og kriminalforsorg")
    CAPACITY = "capacity", _("Manglende kapacitet i tilbuddet")
    CASE_HANDLING = "case_handling", _("Sagsbehandlingstid i kommunen")
    OTHER = "other", _("Anden årsag")


DOMAINS = [
    ("intoxicants", _("Forbrug af rusmidler (stoffer og alkohol)")),
    ("social", _("Sociale forhold, herunder netværk og familie")),
    ("health", _("Fysisk og psykisk helbred")),
    ("work", _("Arbejde og/eller uddannelse")),
    ("housing", _("Boligforhold")),
    ("other", _("Andre relevante forhold, herunder anden hjælp")),
]
"""The six mandatory assessment domains (bek. nr. 1477 af 17.12.2019, § 1, stk. 2)."""


CLOCK_LABELS = {
    "assessment": _("Helhedsorienteret afdækning"),
    "decision": _("Afgørelse"),
    "doctor": _("Vederlagsfri lægesamtale"),
    "guarantee": _("Behandlingsstart (14-dagesgaranti)"),
    "screening": _("Specialiseret screening eller udredning påbegyndt"),
}
"""Display names of the clocks that rules.clocks computes (one list for pages, API, e-mail)."""
