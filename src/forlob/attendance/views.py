"""The attendance steps of the case page (issue 4 item 5): each posts to its own URL under
/forloeb/<course_id>/fremmoede/. Like treatment.views: without JavaScript the browser is sent
back to the case page; with htmx an invalid form swaps its own section and a saved one the case
body. Out of scope, or not allowed to write: 404.

Also the municipality's gift-voucher settings (/forloeb/gavekort/), for its administrators
and leaders; no personal data."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forlob.pathway import services as pathway_services
from forlob.pathway.views_steps import (
    saved_response,
    section_step,
)
from forlob.treatment import services as treatment_services

from . import rules, services
from .clocks import open_items
from .forms import (
    AppointmentForm,
    AttemptForm,
    CloseNewDecisionForm,
    CloseOutreachForm,
    NewDecisionForm,
    RelapseForm,
    VoucherForm,
)

STEPS = {
    "appointment": AppointmentForm,
    "attempt": AttemptForm,
    "close_outreach": CloseOutreachForm,
    "relapse": RelapseForm,
    "new_decision": NewDecisionForm,
    "close_new_decision": CloseNewDecisionForm,
    "voucher": VoucherForm,
}
DEFAULT_TEMPLATE = "pathway/steps/_fields.html"


def visible_steps(user, course):
    """Which steps apply now: appointments from treatment start; outreach steps while a task
    is open; slips, requests and vouchers between start and discharge (vouchers only when the
    acting municipality uses them); closing a request is the caseworker's."""
    if not treatment_services.can_write(user, course):
        return []
    started = hasattr(course, "start")
    discharged = services.discharged_on(course) is not None
    shown = []
    if started:
        shown.append("appointment")
    if services.open_outreach(course):
        shown += ["attempt", "close_outreach"]
    if started and not discharged:
        shown.append("relapse")
        if not services.open_new_decision_requests(course):
            shown.append("new_decision")
    if pathway_services.can_act(user, course) and services.open_new_decision_requests(course):
        shown.append("close_new_decision")
    if started and not discharged and services.voucher_settings(
            course.acting_municipality_id).enabled:
        shown.append("voucher")
    return shown


def step_context(key, course, form, is_open=False):
    return {
        "key": key, "slug": form.slug, "title": form.title, "help": getattr(form, "help", ""),
        "submit": form.submit, "form": form,
        "url": reverse(f"attendance:{key}", args=[course.pk]),
        "template": DEFAULT_TEMPLATE, "open": is_open,
    }


def section_context(user, course, bound_key=None, bound_form=None):
    """What the attendance section shows; open items come from clocks.open_items (rules)."""
    steps = []
    for key in visible_steps(user, course):
        form = bound_form if key == bound_key else STEPS[key](course=course)
        steps.append(step_context(key, course, form, is_open=key == bound_key))
    dates = services.decision_dates(course)
    requests = [(r, rules.new_decision_open(r.requested_on, dates, r.closed_on))
                for r in course.new_decision_requests.order_by("-requested_on", "-pk")]
    config = services.voucher_settings(course.acting_municipality_id)
    return {
        "course": course,
        "items": open_items(course),
        "appointments": course.appointments.select_related("outreach_task").order_by(
            "-held_on", "-pk"),
        "tasks": [(t, rules.task_open(t.closed_on, [a.reached for a in t.attempts.all()]))
                  for t in course.outreach_tasks.select_related("appointment")
                  .prefetch_related("attempts").order_by("-due", "-pk")],
        "relapses": course.relapse_events.order_by("-occurred_on", "-pk"),
        "requests": requests,
        "vouchers": course.gift_vouchers.order_by("-given_on", "-pk"),
        "voucher_config": config,
        "steps": steps,
        "started": hasattr(course, "start"),
    }


@login_required
@require_POST
def step(request, course_id, key):
    return section_step(request, course_id, key, steps=STEPS, visible=visible_steps,
                        bound="attendance_bound", saved=_saved, step_for=step_context)


def _saved(request, course, form):
    return saved_response(request, course, [_("%(step)s er gemt.") % {"step": form.title}])
