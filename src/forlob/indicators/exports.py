"""The municipality's own data (issue 5 item 5): its courses, and the events of its courses, as
rows with a documented field list (docs/exports.md; a test keeps the tables there equal to the
lists here, `update_doc()` rewrites them).

No CPR number, name or address is ever exported. The citizen is identified by a pseudonymous
key: the keyed blind-index HMAC of citizens/crypto.py over the citizen's internal id, with a
prefix of its own so it can never equal the index of a CPR number. The key is stable across
exports (it changes only with FORLOB_CPR_INDEX_KEY, which is never rotated without
re-indexing) and cannot be turned back into the citizen without the key.

Every row set is one queryset (a UNION for the events), ordered by citizen so that the audit
(jobs.Auditor) sees each citizen's rows together. Nothing here loops over cases in Python
beyond formatting the rows as they stream.
"""

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from forlob.citizens import crypto
from forlob.pathway import models as pm
from forlob.pathway.choices import TRACK_CHOICES
from forlob.treatment import models as tm

from . import population
from .filters import Filters

#: The columns every row query carries for the audit, besides the exported fields.
AUDIT_KEYS = ("c_citizen", "c_ref", "c_subject")


@dataclass(frozen=True)
class Field:
    """One exported column: its name, type ("int", "text", "date", "bool" or "key"), meaning
    and the model field it comes from. `key` is the column of the row query."""

    name: str
    type: str
    meaning: str
    source: str
    key: str = ""

    @property
    def column(self) -> str:
        return self.key or self.name


@dataclass(frozen=True)
class Selection:
    """What one export covers: one municipality (checked by the caller with
    access.may_drill_down) and an optional period (None: from the beginning / until today)."""

    municipality_id: int
    start: dt.date | None = None
    end: dt.date | None = None

    def as_json(self) -> dict:
        return {"municipality": self.municipality_id,
                "start": self.start.isoformat() if self.start else None,
                "end": self.end.isoformat() if self.end else None}

    @classmethod
    def from_json(cls, data: dict) -> "Selection":
        def day(v):
            return dt.date.fromisoformat(v) if v else None
        return cls(int(data["municipality"]), day(data.get("start")), day(data.get("end")))

    def in_period(self, column: str) -> Q:
        q = Q(**{f"{column}__isnull": False})
        if self.start:
            q &= Q(**{f"{column}__gte": self.start})
        if self.end:
            q &= Q(**{f"{column}__lte": self.end})
        return q


def citizen_key(citizen_id: int) -> str:
    """The citizen's pseudonymous key in every export (see the module docstring)."""
    return crypto.blind_index(f"forlob.indicators.export.citizen:{citizen_id}")[:32]


KEY = Field("borger_noegle", "key", "Pseudonymous citizen key: the same for every course and "
            "every export of the same citizen; 32 hex digits", "HMAC-SHA256 of Citizen.id",
            "c_citizen")
COURSE = Field("forloeb_id", "int", "The course's id in Forløb", "Course.id", "c_course")
MUNICIPALITY = Field("kommunekode", "text", "The acting municipality's code (three digits)",
                     "Course.acting_municipality.code", "c_muni")

COURSE_FIELDS = (
    COURSE, KEY, MUNICIPALITY,
    Field("anonym", "bool", "The citizen is anonymous (no CPR number; § 101 a or anonymous "
          "alcohol treatment)", "Citizen.is_anonymous", "anonymous"),
    Field("foedselsaar", "int", "Year of birth", "Citizen.birth_year", "c_birth_year"),
    Field("koen", "text", "Sex: M, F or empty (not stated)", "Citizen.sex", "sex"),
    Field("alder_ved_anmodning", "int", "Age at the first request (request year minus year "
          "of birth)", "TreatmentRequest.requested_on, Citizen.birth_year", "age"),
    *(Field(f"spor_{code}", "bool", f"The course has the track {code}",
            "CourseTrack.track", f"c_{code}") for code, _label in TRACK_CHOICES),
    Field("foerste_kontakt", "date", "First contact", "min Contact.received_on",
          "c_first_contact"),
    Field("foerste_anmodning", "date", "First request for treatment (starts the guarantee)",
          "min TreatmentRequest.requested_on", "first_request"),
    Field("foerste_afdaekning", "date", "First assessment done", "min Assessment.done_on",
          "first_assessment"),
    Field("foerste_afgoerelse", "date", "First decision", "min Decision.decided_on",
          "first_decision"),
    Field("afgoerelse_udfald", "text", "Outcome of the first decision: bevilling, delvis, "
          "afslag", "Decision.outcome", "c_first_outcome"),
    Field("frit_valg", "bool", "The citizen chose another offer (free choice, not limited)",
          "FreeChoice (limited = false)", "free_choice"),
    Field("garanti_dage", "int", "Guarantee days in the quality standard in force at the "
          "first request (the law's 14 without one)", "ServiceStandard.guarantee_days",
          "guarantee_days"),
    Field("ivaerksat", "date", "Treatment start (iværksættelse)",
          "TreatmentStart.started_on", "started_on"),
    Field("tilknyttet_tilbud", "date", "Provider enrolment (tilbudstilknytning)",
          "TreatmentStart.enrolled_on", "c_enrolled_on"),
    Field("tilbud_id", "int", "The provider's id in Forløb", "TreatmentStart.provider",
          "start_provider"),
    Field("tilbud", "text", "The provider's name", "TreatmentStart.provider.name",
          "c_provider_name"),
    Field("udskrevet", "date", "Discharge", "Discharge.discharged_on", "discharged_on"),
    Field("udskrivningsaarsag", "text", "Discharge reason (code list below)",
          "Discharge.reason", "discharge_reason"),
    Field("status_brug", "text", "Status of use at discharge (code list below)",
          "Discharge.use_status", "c_use_status"),
    Field("oprettet", "date", "The day the course was created in Forløb", "Course.created_at",
          "c_created"),
)


def _first(model, column, **match):
    qs = model.objects.filter(course=OuterRef("pk"), **match).order_by(column, "pk")
    return Subquery(qs.values(column)[:1])


def _filters(sel: Selection) -> Filters:
    return Filters(start=sel.start or dt.date.min, end=sel.end or dt.date.max,
                   municipalities=frozenset({sel.municipality_id}))


def courses(sel: Selection):
    """The municipality's courses that touch the period: begun (first request, else first
    contact, else created) on or before its end, and not discharged before its start. One
    query with every column; ordered by citizen, then course."""
    tracks = {f"c_{code}": Exists(pm.CourseTrack.objects.filter(course=OuterRef("pk"),
                                                                track=code))
              for code, _label in TRACK_CHOICES}
    qs = population.courses(_filters(sel)).annotate(
        c_course=F("pk"), c_citizen=F("citizen_id"), c_ref=F("citizen__public_id"),
        c_subject=F("citizen__acting_municipality_id"), c_muni=F("acting_municipality__code"),
        c_birth_year=F("citizen__birth_year"), c_first_contact=_first(pm.Contact, "received_on"),
        c_first_outcome=_first(pm.Decision, "outcome"), c_enrolled_on=F("start__enrolled_on"),
        c_provider_name=F("start__provider__name"), c_use_status=F("discharge__use_status"),
        c_created=TruncDate("created_at"), **tracks,
    ).annotate(c_begun=Coalesce("first_request", "c_first_contact", "c_created"))
    if sel.end:
        qs = qs.filter(c_begun__lte=sel.end)
    if sel.start:
        qs = qs.filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=sel.start))
    columns = [f.column for f in COURSE_FIELDS if f.column != "c_citizen"]
    return qs.order_by("citizen_id", "pk").values(*columns, *AUDIT_KEYS)


# --- Events ------------------------------------------------------------------------------------

EVENT_FIELDS = (
    COURSE, KEY, MUNICIPALITY,
    Field("haendelse", "text", "Event type (list below)", "the model, see the list", "c_type"),
    Field("dato", "date", "The event's date", "see the list", "c_date"),
    Field("tilbud_id", "int", "The provider the event names, if any (decision, free choice, "
          "start, enrolment)", "see the list", "c_provider"),
    Field("kode", "text", "The event's code, if any (channel, instrument, outcome, reason "
          "...)", "see the list", "c_code"),
    Field("vaerdi", "int", "The event's number, if any (score, days of use, plan or "
          "follow-up number)", "see the list", "c_value"),
    Field("haendelse_id", "int", "The row's id within its event type", "id of the event's row",
          "c_id"),
)

#: Event type -> (model, date field, provider field, code field, number field).
#: The order is the order of a course's events on the same day.
EVENT_TYPES = {
    "kontakt": (pm.Contact, "received_on", None, "channel", None),
    "raadgivning": (pm.CounsellingSession, "held_on", None, None, None),
    "anmodning": (pm.TreatmentRequest, "requested_on", None, "channel", None),
    "laegesamtale_tilbudt": (pm.DoctorConsultation, "offered_on", None, None, None),
    "laegesamtale_afholdt": (pm.DoctorConsultation, "held_on", None, None, None),
    "afdaekning": (pm.Assessment, "done_on", None, "instrument", None),
    "screening": (pm.ScreeningResult, "administered_on", None, "instrument", "total"),
    "afgoerelse": (pm.Decision, "decided_on", "provider_id", "outcome", None),
    "frit_valg": (pm.FreeChoice, "chosen_on", "provider_id", None, None),
    "ivaerksaettelse": (pm.TreatmentStart, "started_on", "provider_id", None, None),
    "tilbudstilknytning": (pm.TreatmentStart, "enrolled_on", "provider_id", None, None),
    "behandlingsplan": (tm.TreatmentPlan, "agreed_on", None, "intensity", "number"),
    "opfoelgning_plan": (tm.Review, "held_on", None, None, "days_of_use_30"),
    "tilsyn": (tm.SupervisionVisit, "visited_on", None, None, None),
    "koordinerende_moede": (tm.CoordinatingMeeting, "held_on", None, None, None),
    "udskrivning": (tm.Discharge, "discharged_on", None, "reason", None),
    "efterfoelgende_opfoelgning": (tm.FollowUp, "held_on", None, "use_status", "number"),
    "efterfoelgende_opfoelgning_afslaaet": (tm.FollowUp, "declined_on", None, None, "number"),
}


def _const(value, output):
    return Value(value, output_field=output)


def null(output):
    """NULL of a type: PostgreSQL takes two untyped NULLs in a UNION for text."""
    return Cast(Value(None), output_field=output)


def _event_part(sel: Selection, order: int, name: str, spec):
    model, date, provider, code, number = spec
    return model.objects.filter(sel.in_period(date),
                                course__acting_municipality_id=sel.municipality_id).annotate(
        c_course=F("course_id"), c_citizen=F("course__citizen_id"),
        c_ref=F("course__citizen__public_id"),
        c_subject=F("course__citizen__acting_municipality_id"),
        c_muni=F("course__acting_municipality__code"),
        c_type=_const(name, CharField()), c_date=F(date),
        c_provider=F(provider) if provider else null(BigIntegerField()),
        c_code=F(code) if code else null(CharField()),
        c_value=F(number) if number else null(IntegerField()),
        c_id=F("pk"), c_order=_const(order, IntegerField()),
    ).order_by().values(*[f.column for f in EVENT_FIELDS if f.column != "c_citizen"],
                        "c_order", *AUDIT_KEYS)


def events(sel: Selection):
    """Every dated event of the municipality's courses in the period, one row each: one UNION
    query, ordered by citizen, course, date and the order of EVENT_TYPES."""
    parts = [_event_part(sel, i, name, spec) for i, (name, spec) in
             enumerate(EVENT_TYPES.items())]
    return parts[0].union(*parts[1:], all=True).order_by(
        "c_citizen", "c_course", "c_date", "c_order", "c_id")


# --- Rows ------------------------------------------------------------------------------------

def row(fields, record: dict) -> list:
    """One exported row as Python values (date, bool, int, str or None), in field order."""
    out = []
    for f in fields:
        value = record[f.column]
        if f.type == "key":
            value = citizen_key(value)
        elif f.type == "bool" and value is not None:
            value = bool(value)
        elif f.type == "date" and isinstance(value, str):  # a UNION can lose the type
            value = dt.date.fromisoformat(value[:10])
        out.append(value)
    return out


# --- docs/exports.md ---------------------------------------------------------------------------

DOC = Path(settings.BASE_DIR) / "docs" / "exports.md"
_SECTION = re.compile(r"(<!-- fields:(?P<name>[a-z]+) -->\n).*?(<!-- /fields -->)", re.S)


def doc_table(fields) -> str:
    lines = ["| Column | Type | Meaning | Source |", "|---|---|---|---|"]
    lines += [f"| `{f.name}` | {f.type} | {f.meaning} | {f.source} |" for f in fields]
    return "\n".join(lines) + "\n"


def doc_tables() -> dict[str, str]:
    from . import register

    event_types = ["| Event type | Date | Provider | Code | Number |", "|---|---|---|---|---|"]
    for name, (model, date, provider, code, number) in EVENT_TYPES.items():
        label = model.__name__
        event_types.append(f"| `{name}` | {label}.{date} | {provider or '–'} | "
                           f"{code or '–'} | {number or '–'} |")
    return {"courses": doc_table(COURSE_FIELDS), "events": doc_table(EVENT_FIELDS),
            "eventtypes": "\n".join(event_types) + "\n",
            "register": doc_table(register.REGISTER_FIELDS),
            "registertypes": register.doc_types(), "codes": _code_lists()}


def _code_lists() -> str:
    """The code lists of the coded columns, with their Danish labels."""
    from django.utils import translation

    from forlob.citizens.models import Sex
    from forlob.organisations.models import Intensity
    from forlob.pathway import choices as pc
    from forlob.treatment import choices as tc

    lists = [
        ("koen", Sex), ("afgoerelse_udfald; kode of afgoerelse", pc.Outcome),
        ("udskrivningsaarsag; kode of udskrivning", tc.Reason),
        ("status_brug; kode of efterfoelgende_opfoelgning", tc.UseStatus),
        ("bolig", tc.Housing), ("forsoergelse", tc.Support),
        ("kode of kontakt and anmodning", pc.Channel), ("kode of afdaekning", pc.Instrument),
        ("kode of screening", pc.ScreeningInstrument), ("kode of behandlingsplan", Intensity),
    ]
    lines = []
    with translation.override("da"):
        for columns, choices in lists:
            codes = ", ".join(f"`{value}` {label}" if value else f"empty: {label}"
                              for value, label in choices.choices)
            lines.append(f"- **{columns}:** {codes}")
        tracks = ", ".join(f"`{value}` {label}" for value, label in TRACK_CHOICES)
    lines.append(f"- **spor_<track>:** {tracks}")
    return "\n".join(lines) + "\n"


def update_doc(path: Path = DOC) -> None:
    """Rewrite the generated tables of docs/exports.md in place."""
    tables = doc_tables()
    text = path.read_text(encoding="utf-8")
    path.write_text(_SECTION.sub(lambda m: m.group(1) + tables[m["name"]] + m.group(3), text),
                    encoding="utf-8")


def doc_sections(text: str) -> dict[str, str]:
    return {m["name"]: m.group(0)[len(m.group(1)):-len(m.group(3))]
            for m in _SECTION.finditer(text)}
