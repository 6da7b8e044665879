"""Assessment indicators (issue 5 item 1): specialised screening flagged and started, and the
notification duty when children live at home (retningslinje 3.5.6, 3.5.10-3.5.11, 3.8; SEL
§ 153). Counted in SQL over the assessments of population.courses(); kpis_outcomes.py declares
them in the catalogue with the other outcome indicators."""

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from forlob.pathway.models import Assessment

from . import population, rules
from .catalogue import Value
from .filters import Filters


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
    """Of the assessments done in the period with the notification duty (children under 18 at
    home or a pregnancy), the share with a notification recorded (notified_on), whenever it
    was sent: a notification a few days after a period's last assessment still counts.

    Why not "the question answered": children_at_home is a required yes/no, the assessment
    cannot be saved without it (pathway.rules.assessment_missing, NOT NULL in the database),
    so that share would always be 100 %. The issue's "how many notifications were made" stays,
    as a cell: notifications sent in the period on the selected courses' assessments,
    whenever the assessment was done. Cells also count the assessments with children at home
    and those with a pregnancy (a course can have both)."""
    assessments = _assessments(filters)
    agg = assessments.filter(_notification_duty()).aggregate(
        n=Count("pk"), notified=Count("pk", filter=Q(notified_on__isnull=False)),
        children=Count("pk", filter=Q(children_at_home=True)),
        pregnancy=Count("pk", filter=Q(pregnancy=True)))
    sent = Assessment.objects.filter(
        course__in=population.courses(filters).values("pk"),
        notified_on__gte=filters.start, notified_on__lte=filters.end).count()
    cells = (("children", _("Børn under 18 år i hjemmet"), agg["children"]),
             ("pregnancy", _("Graviditet"), agg["pregnancy"]),
             ("sent", _("Underretninger sendt i perioden"), sent))
    return Value(rules.share(agg["notified"], agg["n"]), agg["notified"], agg["n"],
                 cells if agg["n"] or sent else ())


def children_cases(filters: Filters):
    """The courses of the assessments children_at_home counts (its denominator)."""
    return population.courses(filters).filter(
        pk__in=_assessments(filters).filter(_notification_duty()).values("course"))
