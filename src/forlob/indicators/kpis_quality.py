"""Indicators the quality self-assessment reads as measured evidence (issue 6 item 6): complete
registration (KL 7.1), medical and psychosocial treatment in use (KL 9.1) and plans linked to a
§ 141 handleplan or a koordinerende indsatsplan (KL 12.2).

Set-based like every KPI: population.courses(filters) narrowed by subqueries, then one
aggregate. The pure rules are rules_quality.py's; the SQL conditions below state them again
column by column (the tests check both against the same courses).
"""

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from forlob.pathway.models import CourseTrack, Decision
from forlob.treatment.models import TreatmentPlan

from . import population, rules
from . import rules_quality as rq
from .catalogue import Kpi, Value, register
from .filters import Filters

GROUP = "aftercare"


def in_treatment(filters: Filters):
    """Courses in treatment at some time in the period: started by its end and not discharged
    before its start (as kpis_outcomes counts network involvement and coverage)."""
    return population.courses(filters).filter(started_on__lte=filters.end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=filters.start))


# --- Complete registration (KL anbefaling 7.1; retningslinje 2.7.6, 3.11.1; SMDB) -----------

def _between(column: str, filters: Filters) -> Q:
    return Q(**{f"{column}__gte": filters.start, f"{column}__lte": filters.end})


def registration_cases(filters: Filters):
    """Courses with a register event in the period: started or discharged in it, annotated
    with the facts rules_quality.registration_complete reads."""
    granted = Decision.objects.filter(course=OuterRef("pk"), outcome__in=rq.GRANTING_OUTCOMES)
    planned = TreatmentPlan.objects.filter(course=OuterRef("pk"))
    return population.courses(filters).filter(
        _between("started_on", filters) | _between("discharged_on", filters)).annotate(
        enrolled_on=F("start__enrolled_on"),
        granted_intensity=Exists(granted.exclude(intensity="")),
        planned_intensity=Exists(planned.exclude(intensity="")),
        **{f"d_{name}": F(f"discharge__{name}") for name in rq.DISCHARGE_TEXT_FIELDS})


def registration_complete(filters: Filters) -> Value:
    """Share of the courses started or discharged in the period whose register facts are
    complete (rules_quality.registration_complete). Cells: an exact split of the denominator
    (complete, missing only at the start, missing only at discharge, missing at both), so the
    suppression treats them as counts adding up to it: overlapping cells would leave a cell
    equal to the numerator visible where the rate hides it, revealing the incomplete."""
    start_missing = _between("started_on", filters) & (
        Q(enrolled_on__isnull=True) | Q(start_provider__isnull=True)
        | Q(granted_intensity=False, planned_intensity=False))
    empty = Q()
    for name in rq.DISCHARGE_TEXT_FIELDS:
        empty |= Q(**{f"d_{name}": ""}) | Q(**{f"d_{name}__isnull": True})
    discharge_missing = _between("discharged_on", filters) & empty
    agg = registration_cases(filters).aggregate(
        n=Count("pk"), start=Count("pk", filter=start_missing),
        discharge=Count("pk", filter=discharge_missing),
        both=Count("pk", filter=start_missing & discharge_missing),
        incomplete=Count("pk", filter=start_missing | discharge_missing))
    complete = agg["n"] - agg["incomplete"]
    cells = (("complete", _("Komplet registreret"), complete),
             ("start_only", _("Mangler kun ved start (tilbud eller intensitet)"),
              agg["start"] - agg["both"]),
             ("discharge_only", _("Mangler kun ved udskrivning (udskrivningsfelterne)"),
              agg["discharge"] - agg["both"]),
             ("both_missing", _("Mangler både ved start og ved udskrivning"), agg["both"]))
    return Value(rules.share(complete, agg["n"]), complete, agg["n"], cells if agg["n"] else ())


# --- Medical and psychosocial treatment (KL anbefaling 9; retningslinje 2.3.7) --------------

def kinds_cases(filters: Filters):
    """Courses in treatment in the period, annotated with whether they are on a medical and on
    a psychosocial track (rules_quality.MEDICAL_TRACKS, PSYCHOSOCIAL_TRACKS)."""
    tracks = CourseTrack.objects.filter(course=OuterRef("pk"))
    return in_treatment(filters).annotate(
        medical=Exists(tracks.filter(track__in=rq.MEDICAL_TRACKS)),
        psychosocial=Exists(tracks.filter(track__in=rq.PSYCHOSOCIAL_TRACKS)))


def medical_and_psychosocial(filters: Filters) -> Value:
    """Whether both medical (SUL § 142) and psychosocial (SEL § 101, § 101 a, SUL § 141)
    treatment were in use in the period: value = the share of the two kinds with a course in
    treatment (rules_quality.kinds_in_use: 1.0 both, 0.5 one). Denominator: the courses in
    treatment it is computed over (no numerator: the value is not a share of courses). Cells:
    courses per kind (a course on both counts in both)."""
    agg = kinds_cases(filters).aggregate(
        n=Count("pk"), n_medical=Count("pk", filter=Q(medical=True)),
        n_psychosocial=Count("pk", filter=Q(psychosocial=True)))
    if not agg["n"]:
        return Value(None, None, 0)
    cells = (("medical", _("Medicinsk behandling (SUL § 142)"), agg["n_medical"]),
             ("psychosocial", _("Psykosocial behandling (SEL § 101, SUL § 141)"),
              agg["n_psychosocial"]))
    return Value(rq.kinds_in_use(agg["n_medical"], agg["n_psychosocial"]), None, agg["n"],
                 cells)


# --- Linked plans (KL anbefaling 12; retningslinje 2.6) -------------------------------------

def linked_plans_cases(filters: Filters):
    """Courses in treatment in the period with a plan agreed on or before its end, annotated
    with their current plan's links (the highest plan number, treatment.models.TreatmentPlan)."""
    current = TreatmentPlan.objects.filter(
        course=OuterRef("pk"), agreed_on__lte=filters.end).order_by("-number", "-pk")
    return in_treatment(filters).annotate(
        plan_id=Subquery(current.values("pk")[:1]),
        plan_141=Subquery(current.values("action_plan_141")[:1]),
        plan_kip=Subquery(current.values("coordinating_plan")[:1])).filter(
        plan_id__isnull=False)


def linked_plans(filters: Filters) -> Value:
    """Share of the active plans (linked_plans_cases) linked to a § 141 handleplan or a
    koordinerende indsatsplan (rules_quality.plan_linked). Cells: an exact split of the
    denominator (§ 141 only, coordinating plan only, both, not linked), so the suppression
    treats them as counts adding up to it (see registration_complete)."""
    p141, kip = Q(plan_141=True), Q(plan_kip=True)
    agg = linked_plans_cases(filters).aggregate(
        n=Count("pk"), linked=Count("pk", filter=p141 | kip), p141=Count("pk", filter=p141),
        kip=Count("pk", filter=kip), both=Count("pk", filter=p141 & kip))
    cells = (("action_plan_141_only", _("Kun handleplan efter § 141"),
              agg["p141"] - agg["both"]),
             ("coordinating_plan_only", _("Kun koordinerende indsatsplan"),
              agg["kip"] - agg["both"]),
             ("both_plans", _("Både handleplan efter § 141 og koordinerende indsatsplan"),
              agg["both"]),
             ("not_linked", _("Ikke koblet"), agg["n"] - agg["linked"]))
    return Value(rules.share(agg["linked"], agg["n"]), agg["linked"], agg["n"],
                 cells if agg["n"] else ())


# --- The catalogue ---------------------------------------------------------------------------

register(Kpi(
    code="registration_complete", name_da="Komplet registrering",
    name_en="Complete registration",
    definition_da=("Andel af forløb startet eller udskrevet i perioden, hvor registreringen er "
                   "komplet: ved start tilknytning til et tilbud og en intensitet (på en "
                   "bevilling eller behandlingsplanen); ved udskrivning alle udskrivningsfelter "
                   "til Stofmisbrugsdatabasen (årsag, status for brug, bolig, forsørgelse; "
                   "dato, selvhjælpsnetværk og partner har altid en værdi)."),
    definition_en=("Share of courses started or discharged in the period whose registration is "
                   "complete: at the start, enrolment with a provider and an intensity (on a "
                   "grant or the treatment plan); at discharge, every discharge field for the "
                   "drug treatment register (reason, status of use, housing, means of support; "
                   "date, self-help network and partner always hold a value)."),
    numerator="courses whose register facts for the period are complete",
    denominator="courses started or discharged in the period",
    source=("KL anbefaling 7 (7.1); nationale retningslinjer 2.7 (2.7.6) og 3.11.1; bek. nr. "
            "1094 af 22.10.2019, bilag 4 (Stofmisbrugsdatabasen)"),
    better="higher", period_date="treatment start or discharge",
    compute=registration_complete, group="", cases=registration_cases))

register(Kpi(
    code="medical_and_psychosocial", name_da="Medicinsk og psykosocial behandling i brug",
    name_en="Medical and psychosocial treatment in use",
    definition_da=("Om både medicinsk (SUL § 142) og psykosocial behandling (SEL § 101, § 101 a, "
                   "SUL § 141) var i brug i perioden: 100 % når begge havde forløb i behandling, "
                   "50 % når kun den ene havde. Fordelingen viser forløb pr. behandlingsform."),
    definition_en=("Whether both medical (SUL § 142) and psychosocial treatment (SEL § 101, "
                   "§ 101 a, SUL § 141) were in use in the period: 100 % when both had courses in "
                   "treatment, 50 % when only one had. The cells show courses per kind."),
    numerator="kinds of treatment with a course in treatment, of the two",
    denominator="courses in treatment in the period",
    source="KL anbefaling 9 (9.1); nationale retningslinjer 2.3.7; SUL § 142; SEL § 101",
    better="higher", period_date="in treatment (started, not discharged)",
    compute=medical_and_psychosocial, group=GROUP, cases=kinds_cases))

register(Kpi(
    code="linked_plans", name_da="Planer koblet til handleplan eller indsatsplan",
    name_en="Plans linked to an action plan",
    definition_da=("Andel af forløb i behandling i perioden, hvis gældende behandlingsplan (den "
                   "seneste aftalt inden periodens slutning) er koblet til en handleplan efter "
                   "§ 141 eller en koordinerende indsatsplan."),
    definition_en=("Share of courses in treatment in the period whose current treatment plan "
                   "(the latest agreed by the period end) is linked to an action plan under "
                   "§ 141 or a coordinating action plan (koordinerende indsatsplan)."),
    numerator="courses whose current plan is linked to a § 141 plan or a coordinating plan",
    denominator="courses in treatment in the period with a plan agreed by its end",
    source="KL anbefaling 12 (12.2); nationale retningslinjer 2.6 (2.6.13); SEL § 141",
    better="higher", period_date="in treatment (started, not discharged)",
    compute=linked_plans, group=GROUP, cases=linked_plans_cases))
