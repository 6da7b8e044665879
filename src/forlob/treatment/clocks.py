"""Open items of a course after treatment start, for the case page and the worklists: plan due
until a plan exists, the next review (sooner after a slip or relapse), each open follow-up after
discharge, personal supervision of a residential placement and coordinating-plan meetings.
Every date comes from the rules (pathway.rules_aftercare, treatment.rules) and the
municipality's configuration; rows have the shape of the pathway's ClockRow so the worklist
shows them with its own."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.pathway import rules as pathway_rules
from forlob.pathway.views_timeline import ClockRow
from forlob.standards import rules as standards_rules
from forlob.standards.levels import levels_on

from . import rules
from .models import Discharge

LABELS = {
    "plan": _("Behandlingsplan"),
    "review": _("Opfølgning på behandlingsplanen"),
    "relapse": _("Opfølgning på behandlingsplanen efter skred eller tilbagefald"),
    "follow_up_1": _("Opfølgning 1 måned efter udskrivning"),
    "follow_up_2": _("Opfølgning 6 måneder efter udskrivning"),
    "supervision": _("Personrettet tilsyn med døgnanbringelse"),
    "coordinating": _("Møde om koordinerende indsatsplan"),
    "outreach": _("Opsøgende kontakt efter udeblivelse"),
    "new_decision": _("Anmodning om ny afgørelse"),
    "follow_on_offer": _("Efterfølgende ambulant tilbud eller dagtilbud efter døgnbehandling"),
    "outreach_contact": _("Kontakt til opsøgende tjenester efter uplanlagt udskrivning"),
}


@dataclass(frozen=True)
class TreatmentRow(ClockRow):
    @property
    def label(self):
        return LABELS.get(self.clock.name, self.clock.name)


#: An open item as a pathway Clock (pathway.rules.open_clock: breached once past due).
due_clock = pathway_rules.open_clock


def levels(course, day):
    """The service levels of the course's municipality in force on `day`, the day a clock
    started (standards.levels; issue 7 item 2)."""
    return levels_on(course.acting_municipality_id, day)


def review_months(course, anchor) -> int:
    """The course's review interval in the standard in force at `anchor` (the plan or the last
    review): the shortest of the course's tracks (standards.rules.review_months)."""
    return standards_rules.review_months(course.tracks.values_list("track", flat=True),
                                         levels(course, anchor))


def _plan_clock(start, course, today):
    days = levels(course, start.started_on).plan_days
    return due_clock("plan", start.started_on, pathway_rules.plan_due(start.started_on, days),
                     today)


def course_intensity(course) -> str:
    """The intensity of the treatment: the current plan's when set, else the latest decision's."""
    plan = course.plans.order_by("-number").first()
    if plan is not None and plan.intensity:
        return plan.intensity
    decision = course.decisions.exclude(intensity="").order_by("-decided_on", "-pk").first()
    return decision.intensity if decision else ""


def _review(course, today):
    plans = list(course.plans.values_list("agreed_on", flat=True))
    if not plans:
        return _plan_clock(course.start, course, today)
    anchor = rules.review_anchor(plans, course.reviews.values_list("held_on", flat=True))
    regular = pathway_rules.review_due(anchor, review_months(course, anchor))
    relapses = course.relapse_events.values_list("occurred_on", flat=True)
    due, by_relapse = rules.next_review_due(regular, anchor, relapses)
    return due_clock("relapse" if by_relapse else "review", anchor, due, today)


def _supervision(course, today):
    if not rules.is_residential(course_intensity(course)):
        return None
    visits = course.supervision_visits.values_list("visited_on", flat=True)
    anchor = rules.supervision_anchor(course.start.started_on, visits)
    months = levels(course, anchor).supervision_months
    return due_clock("supervision", anchor, pathway_rules.supervision_due(anchor, months), today)


def _coordinating(course, today):
    plans = course.plans.order_by("number").values_list("agreed_on", "coordinating_plan")
    anchor = rules.coordinating_anchor(
        plans, course.coordinating_meetings.values_list("held_on", flat=True))
    if anchor is None:
        return None
    return due_clock("coordinating", anchor, pathway_rules.coordinating_plan_meeting_due(anchor),
                  today)


def open_items(course, today=None) -> list[TreatmentRow]:
    """What is due on `course` now, earliest first."""
    today = today or clock.today()
    start = getattr(course, "start", None)
    discharge = Discharge.objects.filter(course=course).first()
    clocks = []
    if start is not None and discharge is None:
        clocks += [c for c in (_review(course, today), _supervision(course, today),
                               _coordinating(course, today)) if c is not None]
    if discharge is not None:
        for task in course.follow_ups.order_by("number"):
            status = pathway_rules.follow_up_status(task.due, today, task.held_on,
                                                    task.declined_on)
            if status in (pathway_rules.FollowUpStatus.OPEN, pathway_rules.FollowUpStatus.MISSED):
                clocks.append(due_clock(f"follow_up_{task.number}", discharge.discharged_on,
                                     task.due, today))
        prompts = pathway_rules.discharge_prompts(
            pathway_rules.DischargeReason(discharge.reason), course_intensity(course))
        for task in prompts:
            if getattr(discharge, Discharge.TASK_FIELDS[task]) is None:
                clocks.append(due_clock(task, discharge.discharged_on, pathway_rules.
                                        discharge_task_due(discharge.discharged_on, task), today))
    return sorted((TreatmentRow(c) for c in clocks), key=lambda r: r.clock.due)
