"""Assessment indicators (issue 5 item 1): specialised screening flagged and started, children
at home (the question answered, with the notifications made) and the notification duty followed
up (retningslinje 3.5.6, 3.5.10-3.5.11, 3.8; SEL § 153). Counted in SQL over the assessments of
population.courses(); declared here in KPIS, which kpis_outcomes.py registers in the catalogue
among the other outcome indicators (so the catalogue keeps its order)."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from forlob.pathway.models import Assessment

from . import population, rules
from .catalogue import Kpi, Value
from .filters import Filters

#: The dashboard section: declared with the outcome indicators (kpis_outcomes.GROUP).
GROUP = "outcomes"


def _assessments(filters: Filters):
    """Assessments of the selected courses done in the period."""
    return Assessment.objects.filter(course__in=population.courses(filters).values("pk"),
                                     done_on__gte=filters.start, done_on__lte=filters.end)


def assessment_cases(filters: Filters, **narrow):
    """The courses of the assessments counted (a course with two is listed once)."""
    return population.courses(filters).filter(
        pk__in=_assessments(filters).filter(**narrow).values("course"))


def screening_rate(filters: Filters) -> Value:
    """Share of the assessments done in the period that flag specialised (psychiatric,
    cognitive, physical or social) screening or udredning as needed (Assessment
    .screening_needed, retningslinje 3.5.6). ScreeningResult (AUDIT/DUDIT) is substance
    screening, not this."""
    agg = _assessments(filters).aggregate(
        n=Count("pk"), flagged=Count("pk", filter=Q(screening_needed=True)))
    cells = (("flagged", _("Screening/udredning relevant"), agg["flagged"]),
             ("not_flagged", _("Ikke relevant"), agg["n"] - agg["flagged"]))
    return Value(rules.share(agg["flagged"], agg["n"]), agg["flagged"], agg["n"],
                 cells if agg["n"] else ())


def screening_started(filters: Filters) -> Value:
    """Share of the flagged assessments done in the period whose screening or udredning has
    been started (screening_started_on recorded; retningslinje 3.8.1)."""
    agg = _assessments(filters).filter(screening_needed=True).aggregate(
        n=Count("pk"), started=Count("pk", filter=Q(screening_started_on__isnull=False)))
    return Value(rules.share(agg["started"], agg["n"]), agg["started"], agg["n"])


def _notification_duty() -> Q:
    """pathway.rules.notification_duty in SQL: children under 18 at home or a pregnancy (the
    citizen's own or as the expectant father), the heightened duty to notify (SEL § 153;
    retningslinje 3.5.10-3.5.11) that the case page flags while no notification is recorded."""
    return Q(children_at_home=True) | Q(pregnancy=True)


def children_at_home(filters: Filters) -> Value:
    """The issue's figure: of the assessments done in the period, the share where the question
    of children under 18 in the home was answered, with the number of notifications made as a
    cell (notifications sent in the period on the selected courses' assessments, whenever the
    assessment was done).

    The form requires the answer (pathway.rules.assessment_missing; NOT NULL in the database),
    so the share measures the completeness of the recorded assessments: every saved assessment
    counts as answered. Whether the notification duty was followed up is children_notified."""
    agg = _assessments(filters).aggregate(
        n=Count("pk"), answered=Count("pk", filter=Q(children_at_home__isnull=False)))
    sent = Assessment.objects.filter(
        course__in=population.courses(filters).values("pk"),
        notified_on__gte=filters.start, notified_on__lte=filters.end).count()
    cells = (("sent", _("Underretninger sendt i perioden"), sent),)
    return Value(rules.share(agg["answered"], agg["n"]), agg["answered"], agg["n"],
                 cells if agg["n"] or sent else ())


def children_notified(filters: Filters) -> Value:
    """Of the assessments done in the period with the notification duty (children under 18 at
    home or a pregnancy), the share with a notification recorded (notified_on), whenever it
    was sent: a notification a few days after a period's last assessment still counts. Cells:
    an exact split of the denominator (children only, pregnancy only, both), so the
    suppression treats them as counts adding up to it."""
    children, pregnancy = Q(children_at_home=True), Q(pregnancy=True)
    agg = _assessments(filters).filter(_notification_duty()).aggregate(
        n=Count("pk"), notified=Count("pk", filter=Q(notified_on__isnull=False)),
        n_children=Count("pk", filter=children), n_pregnancy=Count("pk", filter=pregnancy),
        n_both=Count("pk", filter=children & pregnancy))
    cells = (("children_only", _("Børn under 18 år i hjemmet, ingen graviditet"),
              agg["n_children"] - agg["n_both"]),
             ("pregnancy_only", _("Graviditet, ingen børn i hjemmet"),
              agg["n_pregnancy"] - agg["n_both"]),
             ("children_and_pregnancy", _("Både børn i hjemmet og graviditet"), agg["n_both"]))
    return Value(rules.share(agg["notified"], agg["n"]), agg["notified"], agg["n"],
                 cells if agg["n"] else ())


def children_cases(filters: Filters):
    """The courses of the assessments children_notified counts (its denominator)."""
    return population.courses(filters).filter(
        pk__in=_assessments(filters).filter(_notification_duty()).values("course"))


# --- The catalogue (registered by kpis_outcomes.py, in its order) ----------------------------

SCREENING_SOURCE = ("Nationale retningslinjer 3.5.6 og 3.8; KL anbefaling 5 (region 2014: "
                    "psykiske lidelser)")
NOTIFICATION_SOURCE = "SEL § 153; bek. 1477 § 1, stk. 2; nationale retningslinjer 3.5.10-3.5.11"

KPIS = (
    Kpi(code="screening_rate", name_da="Specialiseret screening/udredning vurderet relevant",
        name_en="Specialised screening/udredning flagged",
        definition_da=("Andel af afdækninger afsluttet i perioden, hvor specialiseret (fx "
                       "psykiatrisk) screening eller udredning er vurderet relevant."),
        definition_en=("Share of assessments completed in the period that flag specialised "
                       "(e.g. psychiatric) screening or udredning as needed."),
        numerator="assessments with screening/udredning flagged",
        denominator="assessments completed in the period", source=SCREENING_SOURCE,
        better="none", period_date="assessment completed", compute=screening_rate,
        group=GROUP, cases=assessment_cases),
    Kpi(code="screening_started", name_da="Udredning påbegyndt", name_en="Udredning started",
        definition_da=("Andel af afdækninger afsluttet i perioden med screening/udredning "
                       "vurderet relevant, hvor screeningen eller udredningen er påbegyndt."),
        definition_en=("Share of assessments completed in the period with screening/udredning "
                       "flagged where the screening or udredning has been started."),
        numerator="flagged assessments with screening/udredning started",
        denominator="flagged assessments completed in the period",
        source="Nationale retningslinjer 3.8.1", better="higher",
        period_date="assessment completed", compute=screening_started, group=GROUP,
        cases=lambda f: assessment_cases(f, screening_needed=True)),
    Kpi(code="children_at_home", name_da="Børn i hjemmet: spørgsmålet besvaret",
        name_en="Children at home: question answered",
        definition_da=("Andel af afdækninger afsluttet i perioden, hvor spørgsmålet om børn "
                       "under 18 år i hjemmet er besvaret, og antallet af underretninger efter "
                       "SEL § 153 sendt i perioden. Skemaet kræver svaret, før afdækningen kan "
                       "gemmes, så andelen måler, om de registrerede afdækninger er komplette; "
                       "om underretningspligten er fulgt op, viser \"Børn i hjemmet: "
                       "underretning\"."),
        definition_en=("Share of assessments completed in the period where the question of "
                       "children under 18 in the home was answered, and the number of "
                       "notifications under SEL § 153 sent in the period. The form requires the "
                       "answer before an assessment can be saved, so the share measures the "
                       "completeness of the recorded assessments; whether the duty to notify "
                       "was followed up is shown by \"Children at home: notification\"."),
        numerator="assessments with the question of children at home answered",
        denominator="assessments completed in the period", source=NOTIFICATION_SOURCE,
        better="higher",
        period_date="assessment completed (notifications sent: the day sent)",
        compute=children_at_home, group=GROUP, cases=assessment_cases),
    Kpi(code="children_notified", name_da="Børn i hjemmet: underretning",
        name_en="Children at home: notification",
        definition_da=("Af afdækningerne afsluttet i perioden, hvor der er børn under 18 år i "
                       "hjemmet eller en graviditet (den skærpede underretningspligt), andelen "
                       "med en underretning efter SEL § 153 registreret, også hvis den er sendt "
                       "efter perioden. Ikke alle tilfælde kræver en underretning: tallet er et "
                       "opmærksomhedspunkt, ikke et mål på 100 %."),
        definition_en=("Of the assessments completed in the period with children under 18 at "
                       "home or a pregnancy (the heightened duty to notify), the share with a "
                       "notification under SEL § 153 recorded, also when sent after the "
                       "period. Not every case calls for a notification: the figure points to "
                       "cases to look at, it is no target of 100 %."),
        numerator="assessments with children at home or a pregnancy and a notification recorded",
        denominator="assessments completed in the period with children at home or a pregnancy",
        source=NOTIFICATION_SOURCE, better="none", period_date="assessment completed",
        compute=children_notified, group=GROUP, cases=children_cases),
)
