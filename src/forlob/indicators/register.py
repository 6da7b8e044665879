"""The register extract (issue 5 item 5): the municipality's courses in the shape of the
national register's reporting events (Stofmisbrugsdatabasen, SMDB), one row per event.

The authority (the acting municipality) reports the request, the start (iværksættelse), the
provider enrolment (tilbudstilknytning) and the end; the provider reports its enrolment
(indskrivning) and its discharge (udskrivning) with the seven discharge fields: the discharge
date (the event's date), the reason, the status of use, contact with a self-help network,
moving in with a partner who does not use drugs, housing and means of support
(treatment.models.Discharge, issue 4 item 7).

The events are those Forløb records, as dst.py reads them: the request is the course's first
TreatmentRequest (the guarantee's start, DST's BehandlingAnmodningDato); start and both
enrolments come from TreatmentStart; the authority's end and the provider's discharge are the
Discharge. [inference: a course has one start and one discharge in Forløb, so the authority's
end is the provider's discharge date; SMDB's own code lists are external, and the codes here
are Forløb's (treatment/choices.py).]

Scope: drug treatment, which is what SMDB holds: courses with the track SEL § 101 or SUL § 142
of named citizens. Anonymous treatment (§ 101 a, anonymous alcohol treatment) is reported
without identity and is not in the extract; nor is alcohol treatment alone (SUL § 141), which
is reported to the alcohol register, not to SMDB.
"""

from django.db.models import (
    BigIntegerField,
    BooleanField,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
)

from forlob.pathway.models import Course, CourseTrack, TreatmentRequest
from forlob.pathway.rules import Track

from .exports import AUDIT_KEYS, COURSE, KEY, MUNICIPALITY, Field, Selection, null

#: SMDB's tracks: social (SEL § 101) and medical (SUL § 142) drug treatment.
TRACKS = (Track.SOCIAL_DRUG.value, Track.MEDICAL_DRUG.value)

#: The discharge fields besides the date: (column, Discharge field, type, meaning).
DISCHARGE = (
    ("udskrivningsaarsag", "reason", "text", "Discharge reason"),
    ("status_brug", "use_status", "text", "Status of use at discharge"),
    ("selvhjaelp", "self_help_contact", "bool", "Contact with a self-help network"),
    ("partner_uden_misbrug", "partner_drug_free", "bool",
     "Moves in with a partner who does not use drugs"),
    ("bolig", "housing", "text", "Housing after discharge"),
    ("forsoergelse", "means_of_support", "text", "Means of support after discharge"),
)

REGISTER_FIELDS = (
    Field("haendelse", "text", "Reporting event (list below)", "see the list", "c_type"),
    Field("indberetter", "text", "Who reports it: myndighed (the municipality) or tilbud "
          "(the provider)", "see the list", "c_reporter"),
    Field("dato", "date", "The event's date; for udskrivning the discharge date, the first "
          "of the seven discharge fields", "see the list", "c_date"),
    MUNICIPALITY,
    Field("tilbud_id", "int", "The provider's id in Forløb (empty for anmodning)",
          "TreatmentStart.provider", "c_provider"),
    Field("tilbud", "text", "The provider's name", "TreatmentStart.provider.name",
          "c_provider_name"),
    COURSE, KEY,
    Field("foedselsaar", "int", "Year of birth", "Citizen.birth_year", "c_birth_year"),
    Field("koen", "text", "Sex: M, F or empty (not stated)", "Citizen.sex", "c_sex"),
    *(Field(name, kind, meaning + " (udskrivning only)", f"Discharge.{source}", f"c_{source}")
      for name, source, kind, meaning in DISCHARGE),
)

#: Event -> (reporter, date column on Course, carries the provider, carries the discharge).
#: The order is SMDB's order of a course's events.
EVENTS = {
    "anmodning": ("myndighed", "c_first_request", False, False),
    "ivaerksaettelse": ("myndighed", "start__started_on", True, False),
    "tilbudstilknytning": ("myndighed", "start__enrolled_on", True, False),
    "indskrivning": ("tilbud", "start__enrolled_on", True, False),
    "udskrivning": ("tilbud", "discharge__discharged_on", True, True),
    "afslutning": ("myndighed", "discharge__discharged_on", True, False),
}
SOURCES = {"c_first_request": "min TreatmentRequest.requested_on"}


def base(sel: Selection):
    """The courses the extract covers (see the module docstring)."""
    first = TreatmentRequest.objects.filter(course=OuterRef("pk")).order_by("requested_on", "pk")
    return Course.objects.filter(
        acting_municipality_id=sel.municipality_id, citizen__is_anonymous=False).filter(
        Exists(CourseTrack.objects.filter(course=OuterRef("pk"), track__in=TRACKS))).annotate(
        c_first_request=Subquery(first.values("requested_on")[:1]))


def _part(sel: Selection, order: int, name: str):
    reporter, date, provider, discharge = EVENTS[name]
    discharged = {
        f"c_{source}": (F(f"discharge__{source}") if discharge else null(
            BooleanField() if kind == "bool" else CharField()))
        for _col, source, kind, _m in DISCHARGE}
    return base(sel).filter(sel.in_period(date)).annotate(
        c_type=Value(name, output_field=CharField()),
        c_reporter=Value(reporter, output_field=CharField()), c_date=F(date),
        c_muni=F("acting_municipality__code"),
        c_provider=F("start__provider_id") if provider else null(BigIntegerField()),
        c_provider_name=F("start__provider__name") if provider else null(CharField()),
        c_course=F("pk"), c_citizen=F("citizen_id"), c_ref=F("citizen__public_id"),
        c_subject=F("citizen__acting_municipality_id"), c_birth_year=F("citizen__birth_year"),
        c_sex=F("citizen__sex"), c_order=Value(order, output_field=IntegerField()),
        **discharged,
    ).order_by().values(*[f.column for f in REGISTER_FIELDS if f.column != "c_citizen"],
                        "c_order", *AUDIT_KEYS)


def events(sel: Selection):
    """The reporting events dated in the period, one row each: one UNION query, ordered by
    citizen, course, date and SMDB's order of events."""
    parts = [_part(sel, i, name) for i, name in enumerate(EVENTS)]
    return parts[0].union(*parts[1:], all=True).order_by(
        "c_citizen", "c_course", "c_date", "c_order")


def doc_types() -> str:
    lines = ["| Event | Reported by | Date | Provider | Discharge fields |",
             "|---|---|---|---|---|"]
    for name, (reporter, date, provider, discharge) in EVENTS.items():
        source = SOURCES.get(date) or date.replace("start__", "TreatmentStart.").replace(
            "discharge__", "Discharge.")
        lines.append(f"| `{name}` | {reporter} | {source} | {'yes' if provider else '–'} | "
                     f"{'yes' if discharge else '–'} |")
    return "\n".join(lines) + "\n"
