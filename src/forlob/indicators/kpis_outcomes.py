"""Outcome indicators (issue 5 item 1): change in AUDIT/DUDIT and in days of use, client
satisfaction, psychiatric screening, children at home, network involvement and coverage. The
assessment indicators (screening, children at home, notification) are computed and declared in
kpis_assessments.py and registered here, so the catalogue keeps its order.

Every compute is set-based: population.courses(filters) narrowed by subqueries, then one
aggregate. Pure rules live in rules.py and rules_outcomes.py.
"""

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from forlob.network.models import Consent, NetworkMember
from forlob.organisations.models import Municipality, Provider, PurchaseAgreement
from forlob.pathway.models import CourseTrack, ScreeningResult, TreatmentStart
from forlob.survey import questionnaire
from forlob.survey.models import Answer, Response
from forlob.survey.rules import month_of
from forlob.treatment.models import Review

from . import population, rules, rules_outcomes
from .catalogue import Kpi, Value, register
from .filters import Filters
from .kpis_assessments import KPIS as assessment_kpis

GROUP = "outcomes"


def _active(qs, filters: Filters):
    """Courses in treatment at some time in the period: started by its end and not
    discharged before its start."""
    return qs.filter(started_on__lte=filters.end).filter(
        Q(discharged_on__isnull=True) | Q(discharged_on__gte=filters.start))


# --- Change in use: first against last (retningslinje 3.9; KL anbefaling 5) ----------------

def _first_last(filters: Filters, measures, day: str, value: str):
    """Courses whose last measure on or before the period end falls in the period and which
    have an earlier one, annotated first_value and last_value (ordered by date, then id).
    `measures` is the model's queryset narrowed to the measures that count."""
    own = measures.filter(course=OuterRef("pk"), **{f"{day}__lte": filters.end})
    first = own.order_by(day, "pk")
    last = own.order_by(f"-{day}", "-pk")
    qs = population.courses(filters).annotate(
        first_id=Subquery(first.values("pk")[:1]), first_value=Subquery(first.values(value)[:1]),
        last_id=Subquery(last.values("pk")[:1]), last_value=Subquery(last.values(value)[:1]),
        last_on=Subquery(last.values(day)[:1]))
    return population.in_period(qs, "last_on", filters).filter(~Q(first_id=F("last_id")))


def _change_value(qs, unit: str) -> Value:
    agg = qs.aggregate(
        n=Count("pk"), mean=Avg(F("last_value") - F("first_value")),
        improved=Count("pk", filter=Q(last_value__lt=F("first_value"))),
        same=Count("pk", filter=Q(last_value=F("first_value"))),
        worse=Count("pk", filter=Q(last_value__gt=F("first_value"))))
    if not agg["n"]:
        return Value(None, 0, 0, unit=unit)
    cells = (("improved", _("Forbedret"), agg["improved"]),
             ("unchanged", _("Uændret"), agg["same"]),
             ("worse", _("Forværret"), agg["worse"]))
    return Value(float(agg["mean"]), agg["improved"], agg["n"], cells, unit)


def change_score(filters: Filters, instrument: str) -> Value:
    """Mean change (last - first) of the AUDIT or DUDIT total, over the courses with two or
    more results of the instrument on or before the period end, the last in the period;
    numerator: the courses whose last total is below the first. Results from the assessment
    and those repeated at reviews are the same ScreeningResult rows (treatment.services
    add_review), so both count."""
    return _change_value(change_score_cases(filters, instrument), "score")


def change_score_cases(filters: Filters, instrument: str):
    measures = ScreeningResult.objects.filter(instrument=instrument)
    return _first_last(filters, measures, "administered_on", "total")


def days_of_use_cases(filters: Filters):
    """Courses whose latest review with days of use (up to the period end) is in the period."""
    reviews = Review.objects.filter(course=OuterRef("pk"), held_on__lte=filters.end,
                                    days_of_use_30__isnull=False).order_by("-held_on", "-pk")
    qs = population.courses(filters).annotate(
        last_on=Subquery(reviews.values("held_on")[:1]),
        last_value=Subquery(reviews.values("days_of_use_30")[:1]))
    return population.in_period(qs, "last_on", filters)


def days_of_use(filters: Filters) -> Value:
    """Mean days of use in the last 30 days at each course's latest review with the figure
    recorded, on or before the period end, where that review falls in the period."""
    agg = days_of_use_cases(filters).aggregate(n=Count("pk"), mean=Avg("last_value"))
    if not agg["n"]:
        return Value(None, None, 0, unit="days")
    return Value(float(agg["mean"]), None, agg["n"], unit="days")


def days_of_use_change(filters: Filters) -> Value:
    """Days of use at the latest review (as days_of_use) against the first review with the
    figure recorded, for courses with both: mean change and the number that fell."""
    return _change_value(days_of_use_change_cases(filters), "days")


def days_of_use_change_cases(filters: Filters):
    measures = Review.objects.filter(days_of_use_30__isnull=False)
    return _first_last(filters, measures, "held_on", "days_of_use_30")


# --- Client satisfaction (KL inspirationskatalog 2009, bilag 8) -----------------------------

def _municipalities(filters: Filters):
    munis = Municipality.objects.filter(pk__in=filters.municipalities)
    if filters.cluster:
        munis = munis.filter(cluster=filters.cluster)
    return munis


def serving_providers(filters: Filters):
    """Providers serving the selected municipalities in the period (as survey.services
    visible_providers, bound to the period): owned by one of them, under a purchase agreement
    with one in force on some day of the period, or treating one of their courses in it."""
    munis = _municipalities(filters).values("pk")
    agreements = PurchaseAgreement.objects.filter(
        municipality__in=munis, valid_from__lte=filters.end).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=filters.start))
    starts = TreatmentStart.objects.filter(
        course__acting_municipality__in=munis, started_on__lte=filters.end).filter(
        Q(course__discharge__isnull=True) | Q(course__discharge__discharged_on__gte=filters.start))
    providers = Provider.objects.filter(
        Q(owner_municipality__in=munis) | Q(pk__in=agreements.values("provider_id"))
        | Q(pk__in=starts.values("provider_id")))
    if filters.provider:
        providers = providers.filter(pk=filters.provider)
    return providers


def satisfaction(filters: Filters) -> Value:
    """The answers of the current questionnaire per question and answer option, from the
    responses given to the serving providers in the months overlapping the period (answers are
    anonymous and kept by provider and month only, survey.models). The survey cannot be split
    by sex, age or track, so with such a filter there is no figure. Value: the responses."""
    if filters.sex is not None or filters.age_group or filters.track:
        return Value(None, unit="count")
    q = questionnaire.CURRENT
    responses = Response.objects.filter(
        provider__in=serving_providers(filters).values("pk"), version=q.version,
        month__gte=month_of(filters.start), month__lte=filters.end)
    total = responses.count()
    if not total:
        return Value(None, None, 0, unit="count")
    counts = {(row["question"], row["choice"]): row["n"] for row in Answer.objects.filter(
        response__in=responses, choice__isnull=False).values("question", "choice").annotate(
        n=Count("pk")).order_by()}
    cells = tuple(((question.key, option), format_lazy("{}: {}", question.section, label),
                   counts.get((question.key, option), 0))
                  for question in q.scaled for option, label in question.scale)
    return Value(total, None, total, cells, "count")


# --- Network involvement (KL anbefaling 1; retningslinje 3.2) -------------------------------

def _consent_in_force_during(filters: Filters) -> Q:
    """rules_outcomes.consent_in_force_during in SQL: the consent covers at least one day of
    the period."""
    return (Q(given_on__lte=filters.end)
            & (Q(valid_until__isnull=True)
               | Q(valid_until__gte=filters.start) & Q(valid_until__gte=F("given_on")))
            & (Q(withdrawn_on__isnull=True)
               | Q(withdrawn_on__gt=filters.start) & Q(withdrawn_on__gt=F("given_on"))))


def network_cases(filters: Filters):
    return _active(population.courses(filters), filters)


def network_involvement(filters: Filters) -> Value:
    """Share of the courses in treatment in the period (started by its end, not discharged
    before its start) with a network person involved (consent to involve them given on or
    before the period end; network.services) or a consent to share with the external network
    in force on some day of the period (rules_outcomes.NETWORK_CONSENT_PARTIES)."""
    member = Exists(NetworkMember.objects.filter(
        course=OuterRef("pk"), involvement_consent_on__lte=filters.end))
    consent = Exists(Consent.objects.filter(
        _consent_in_force_during(filters), course=OuterRef("pk"),
        party__in=rules_outcomes.NETWORK_CONSENT_PARTIES))
    qs = network_cases(filters).annotate(member=member, consent=consent)
    agg = qs.aggregate(n=Count("pk"), either=Count("pk", filter=Q(member=True) | Q(consent=True)),
                       members=Count("pk", filter=Q(member=True)),
                       consents=Count("pk", filter=Q(consent=True)))
    cells = (("member", _("Netværksperson inddraget"), agg["members"]),
             ("consent", _("Samtykke til netværket"), agg["consents"]))
    return Value(rules.share(agg["either"], agg["n"]), agg["either"], agg["n"],
                 cells if agg["n"] else ())


# --- Coverage (dækningsgrad; Region Sjælland statusrapport 2014) ----------------------------

KIND_LABELS = {"alcohol": _("Alkohol"), "drugs": _("Stoffer"), "youth": _("Unge")}


def coverage_targets(filters: Filters) -> dict[str, float]:
    """The estimated target group of each kind measured (rules_outcomes.coverage_kinds) for
    the selected municipalities together (rules.target_group, linear in population)."""
    people = _municipalities(filters).aggregate(p=Sum("population"))["p"] or 0
    return {kind: rules.target_group(people, kind)
            for kind in rules_outcomes.coverage_kinds(filters.track)}


def coverage(filters: Filters) -> Value:
    """Citizens in treatment in the period (distinct citizens with a course started by its end
    and not discharged before its start) in a measured kind, per the estimated target group of
    those kinds: value = citizens / target. Kinds: youth (age at the first request up to
    rules.YOUTH_MAX_AGE, any track), adults on an alcohol track, adults on a drug track (a
    course on both counts in both cells, once in the total). Cells: citizens per kind. Target
    groups are not split by sex or age band: no figure with those filters. Nobody in treatment
    is no data, not a coverage of 0 (issue 5: an empty period shows "no data", never 0)."""
    found = _coverage_population(filters)
    if found is None:
        return Value(None, unit="ratio")
    qs, kinds, targets, measured = found
    target = sum(targets.values())
    agg = qs.aggregate(all=Count("citizen", distinct=True, filter=measured),
                       **{kind: Count("citizen", distinct=True, filter=kinds[kind])
                          for kind in targets})
    if not agg["all"]:
        return Value(None, 0, round(target), unit="ratio")
    cells = tuple((kind, KIND_LABELS[kind], agg[kind]) for kind in targets)
    return Value(agg["all"] / target, agg["all"], round(target), cells, "ratio")


def coverage_cases(filters: Filters):
    """The courses behind the numerator (the denominator is an estimate, not cases)."""
    found = _coverage_population(filters)
    return population.courses(filters).none() if found is None else found[0].filter(found[3])


def _coverage_population(filters: Filters):
    """(courses in treatment, the condition per kind, the targets, any measured kind), or None
    without a figure (sex or age group chosen, or no target group)."""
    targets = coverage_targets(filters)
    if filters.sex is not None or filters.age_group or not sum(targets.values()):
        return None
    adult = Q(age__gt=rules.YOUTH_MAX_AGE) | Q(age__isnull=True)
    kinds = {"youth": Q(age__lte=rules.YOUTH_MAX_AGE),
             "alcohol": adult & Q(on_alcohol=True), "drugs": adult & Q(on_drugs=True)}
    measured = Q()
    for kind in targets:
        measured |= kinds[kind]
    tracks = CourseTrack.objects.filter(course=OuterRef("pk"))
    qs = _active(population.courses(filters), filters).annotate(  # booleans first: Django
        # cannot relabel an Exists inside an aggregate's filter over a subquery
        on_alcohol=Exists(tracks.filter(track__in=[
            t for t, kind in rules_outcomes.TRACK_KIND.items() if kind == "alcohol"])),
        on_drugs=Exists(tracks.filter(track__in=[
            t for t, kind in rules_outcomes.TRACK_KIND.items() if kind == "drugs"])))
    return qs, kinds, targets, measured


# --- The catalogue ---------------------------------------------------------------------------

_CHANGE_SOURCE = ("Nationale retningslinjer 3.9 (opfølgning med AUDIT/DUDIT); KL anbefaling 5 "
                  "(resultatmåling under behandlingen)")
_CHANGE_DA = ("Gennemsnitlig ændring i {0}-score (sidste minus første) for forløb med mindst to "
              "{0}-screeninger, hvor den sidste inden periodens slutning ligger i perioden; "
              "tælleren er forløb, hvor den sidste score er lavere end den første.")
_CHANGE_EN = ("Mean change in the {0} score (last minus first) for courses with at least two "
              "{0} screenings, the last one up to the period end falling in the period; the "
              "numerator is courses whose last score is below the first.")
for _code, _name in (("audit", "AUDIT"), ("dudit", "DUDIT")):
    register(Kpi(
        code=f"change_{_code}", name_da=f"Ændring i {_name}", name_en=f"Change in {_name}",
        definition_da=_CHANGE_DA.format(_name), definition_en=_CHANGE_EN.format(_name),
        numerator=f"courses whose last {_name} total is below the first",
        denominator=f"courses with two or more {_name} results, the last in the period",
        source=_CHANGE_SOURCE, better="lower", period_date=f"last {_name} result",
        compute=lambda f, _i=_code: change_score(f, _i), group=GROUP,
        cases=lambda f, _i=_code: change_score_cases(f, _i)))

register(Kpi(
    code="days_of_use", name_da="Dage med brug", name_en="Days of use",
    definition_da=("Gennemsnitligt antal dage med brug de seneste 30 dage ved forløbets seneste "
                   "opfølgning på planen med tallet registreret, når den ligger i perioden."),
    definition_en=("Mean days of use in the last 30 days at the course's latest plan review "
                   "with the figure recorded, when it falls in the period."),
    numerator="sum of days of use at the latest review (mean)",
    denominator="courses whose latest review with days of use falls in the period",
    source="Nationale retningslinjer 3.9; KL anbefaling 5", better="lower",
    period_date="latest review with days of use", compute=days_of_use, group=GROUP,
    cases=days_of_use_cases))

register(Kpi(
    code="days_of_use_change", name_da="Ændring i dage med brug",
    name_en="Change in days of use",
    definition_da=("Gennemsnitlig ændring i dage med brug de seneste 30 dage fra første til "
                   "seneste opfølgning med tallet registreret, for forløb med begge, hvor den "
                   "seneste ligger i perioden; tælleren er forløb med færre dage ved den seneste."),
    definition_en=("Mean change in days of use in the last 30 days from the first to the latest "
                   "review with the figure recorded, for courses with both, the latest in the "
                   "period; the numerator is courses with fewer days at the latest."),
    numerator="courses with fewer days of use at the latest review than at the first",
    denominator="courses with two or more reviews with days of use, the latest in the period",
    source="Nationale retningslinjer 3.9; KL anbefaling 5", better="lower",
    period_date="latest review with days of use", compute=days_of_use_change, group=GROUP,
    cases=days_of_use_change_cases))

register(Kpi(
    code="satisfaction", name_da="Brugertilfredshed", name_en="Client satisfaction",
    definition_da=("Fordelingen af svar pr. spørgsmål i den anonyme tilfredshedsundersøgelse for "
                   "de behandlingstilbud, der betjener de valgte kommuner, i de måneder perioden "
                   "dækker. Kan ikke opdeles på køn, alder eller spor."),
    definition_en=("The distribution of answers per question in the anonymous satisfaction "
                   "survey for the providers serving the selected municipalities, in the months "
                   "the period covers. Cannot be split by sex, age or track."),
    numerator="answers per question and answer option",
    denominator="responses to the current questionnaire",
    source="KL's inspirationskatalog 2009, bilag 8; bek. 1477 (brugerinddragelse)",
    better="none", period_date="month of the response", compute=satisfaction, group=GROUP))

for _kpi in assessment_kpis:  # screening_rate, screening_started, children_*
    register(_kpi)

register(Kpi(
    code="network_involvement", name_da="Netværk inddraget", name_en="Network involved",
    definition_da=("Andel af forløb i behandling i perioden med en netværksperson inddraget "
                   "(samtykke til inddragelse) eller et samtykke til egen læge, psykiatrien "
                   "eller jobcenteret, der gælder på en dag i perioden."),
    definition_en=("Share of courses in treatment in the period with a network person involved "
                   "(consent to involve) or a consent to the GP, psychiatry or job centre in "
                   "force on a day of the period."),
    numerator="courses with a network person involved or a network consent in force",
    denominator="courses in treatment in the period",
    source="KL anbefaling 1 (familieorienteret behandling); nationale retningslinjer 3.2",
    better="higher", period_date="in treatment (started, not discharged)",
    compute=network_involvement, group=GROUP, cases=network_cases))

register(Kpi(
    code="coverage", name_da="Dækningsgrad", name_en="Coverage",
    definition_da=("Borgere i behandling i perioden pr. skønnet målgruppe (pr. 35.000 indbyggere: "
                   "3.500 alkohol, 210 stoffer, 175 unge), skaleret efter indbyggertal."),
    definition_en=("Citizens in treatment in the period per estimated target group (per 35,000 "
                   "inhabitants: 3,500 alcohol, 210 drugs, 175 young people), scaled by "
                   "population."),
    numerator="distinct citizens in treatment in the period",
    denominator="estimated target group of the selected municipalities",
    source="Region Sjælland, statusrapport 2014", better="higher",
    period_date="in treatment (started, not discharged)", compute=coverage, group=GROUP,
    cases=coverage_cases))
