"""Open items of a course after treatment start, for the case page and the worklist: plan due
until a plan exists, the next review, and each open follow-up after discharge. Every date comes
from the rules (pathway.rules_aftercare, treatment.rules); rows have the shape of the pathway's
ClockRow so the worklist shows them with its own."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.pathway import rules as pathway_rules
from forlob.pathway.rules import Clock, ClockStatus
from forlob.pathway.views_timeline import ClockRow

from . import rules
from .models import Discharge

LABELS = {
    "plan": _("Behandlingsplan"),
    "review": _("Opfølgning på behandlingsplanen"),
    "follow_up_1": _("Opfølgning 1 måned efter udskrivning"),
    "follow_up_2": _("Opfølgning 6 måneder efter udskrivning"),
}


@dataclass(frozen=True)
class TreatmentRow(ClockRow):
    @property
    def label(self):
        return LABELS.get(self.clock.name, self.clock.name)


def _clock(name, started, due, today):
    status = ClockStatus.BREACHED if today > due else ClockStatus.OPEN
    return Clock(name=name, started=started, due=due, status=status,
                 days_left=(due - today).days)


def open_items(course, today=None) -> list[TreatmentRow]:
    """What is due on `course` now, earliest first."""
    today = today or clock.today()
    start = getattr(course, "start", None)
    discharge = Discharge.objects.filter(course=course).first()
    clocks = []
    if start is not None and discharge is None:
        plans = list(course.plans.values_list("agreed_on", flat=True))
        if not plans:
            clocks.append(_clock("plan", start.started_on,
                                 pathway_rules.plan_due(start.started_on), today))
        else:
            reviews = course.reviews.values_list("held_on", flat=True)
            anchor = rules.review_anchor(plans, reviews)
            clocks.append(_clock("review", anchor, pathway_rules.review_due(anchor), today))
    if discharge is not None:
        for task in course.follow_ups.order_by("number"):
            status = pathway_rules.follow_up_status(task.due, today, task.held_on,
                                                    task.declined_on)
            if status in (pathway_rules.FollowUpStatus.OPEN, pathway_rules.FollowUpStatus.MISSED):
                clocks.append(_clock(f"follow_up_{task.number}", discharge.discharged_on,
                                     task.due, today))
    return sorted((TreatmentRow(c) for c in clocks), key=lambda r: r.clock.due)
