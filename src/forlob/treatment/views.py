"""The treatment steps of the case page (issue 4): each posts to its own URL under
/forloeb/<course_id>/behandling/. Like pathway.views_steps: without JavaScript the browser is
sent back to the case page; with htmx an invalid form swaps its own section and a saved one the
case body. Out of scope: 404; not allowed to write: 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from forlob import clock
from forlob.pathway import rules as pathway_rules
from forlob.pathway import services as pathway_services
from forlob.pathway.views_steps import (
    saved_response,
    section_step,
)

from . import services, services_aftercare
from .forms import (
    DeclineForm,
    DischargeForm,
    NewRequestForm,
    OutcomeForm,
    PlanForm,
    ReviewForm,
    prompt_texts,
)
from .forms_aftercare import CoordinatingMeetingForm, DischargeTaskForm, SupervisionForm
from .measures import measure_charts
from .models import Discharge
from .worklist import due_items

STEPS = {
    "plan": PlanForm,
    "review": ReviewForm,
    "discharge": DischargeForm,
    "decline": DeclineForm,
    "outcome": OutcomeForm,
    "new_request": NewRequestForm,
    "supervision": SupervisionForm,
    "coordinating": CoordinatingMeetingForm,
    "discharge_task": DischargeTaskForm,
}
TEMPLATES = {"plan": "treatment/steps/_plan.html", "review": "treatment/steps/_review.html"}
DEFAULT_TEMPLATE = "pathway/steps/_fields.html"


def visible_steps(user, course):
    """Which steps apply now: plan, review and discharge between start and discharge (with a
    coordinating-plan meeting while the current plan links one, and supervision of a residential
    placement by the caseworker); decline and outcome while a follow-up is open; a new request
    (the municipality's) at follow-up."""
    if not services.can_write(user, course):
        return []
    started = hasattr(course, "start")
    discharged = Discharge.objects.filter(course=course).exists()
    shown = []
    if started and not discharged:
        shown.append("plan")
        plan = services.current_plan(course)
        if plan is not None:
            shown.append("review")
            if plan.coordinating_plan:
                shown.append("coordinating")
        if pathway_services.can_act(user, course) and services_aftercare.supervision_applies(
                course):
            shown.append("supervision")
        shown.append("discharge")
    if services.open_discharge_tasks(course):
        shown.append("discharge_task")
    if services.open_follow_ups(course).exists():
        shown += ["decline", "outcome"]
    if pathway_services.can_act(user, course) and course.follow_ups.filter(
            declined_on=None, new_course=None).exists():
        shown.append("new_request")
    return shown


def step_context(key, course, form, is_open=False):
    return {
        "key": key, "slug": form.slug, "title": form.title, "help": getattr(form, "help", ""),
        "submit": form.submit, "form": form,
        "url": reverse(f"treatment:{key}", args=[course.pk]),
        "template": TEMPLATES.get(key, DEFAULT_TEMPLATE), "open": is_open,
    }


def section_context(user, course, bound_key=None, bound_form=None):
    """What the treatment section of the case page shows. Statuses and due dates come from
    the rules (clocks.open_items, rules_aftercare.follow_up_status)."""
    today = clock.today()
    steps = []
    for key in visible_steps(user, course):
        if key == bound_key:
            steps.append(step_context(key, course, bound_form, is_open=True))
        else:
            steps.append(step_context(key, course, STEPS[key](course=course)))
    follow_ups = [(t, pathway_rules.follow_up_status(t.due, today, t.held_on, t.declined_on))
                  for t in course.follow_ups.order_by("number")]
    return {
        "course": course,
        "items": due_items(course, today),
        "charts": measure_charts(course),
        "supervision_visits": course.supervision_visits.order_by("-visited_on", "-pk"),
        "coordinating_meetings": course.coordinating_meetings.order_by("-held_on", "-pk"),
        "plans": course.plans.prefetch_related("goals").order_by("-number"),
        "reviews": course.reviews.prefetch_related("goal_statuses__goal").order_by("-held_on"),
        "discharge": Discharge.objects.filter(course=course).first(),
        "follow_ups": follow_ups,
        "steps": steps,
        "started": hasattr(course, "start"),
    }


@login_required
@require_POST
def step(request, course_id, key):
    return section_step(request, course_id, key, steps=STEPS, visible=visible_steps,
                        bound="treatment_bound", saved=_saved, step_for=step_context)


def _saved(request, course, form):
    texts = [_("%(step)s er gemt.") % {"step": form.title}, *prompt_texts(form.prompts)]
    if form.new_course is not None:
        messages.success(request, " ".join(texts))
        target = reverse("pathway:case", args=[form.new_course.pk])
        if request.htmx:
            return HttpResponseClientRedirect(target)
        return redirect(target)
    return saved_response(request, course, texts)
