"""The steps of a course as form sections of the case page (issue 3 item 11).

Each step posts to its own URL. Without JavaScript the browser posts normally and is sent back
to the case page; with htmx, an invalid form swaps its own section and a saved one swaps the
case body (clocks, timeline and forms all change). The form's hidden `version` is the course
version it was loaded with: a stale one is refused (optimistic locking).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from forlob.access import get_scoped_or_404
from forlob.audit.recorder import Action, record
from forlob.locking import StaleRecord

from . import rules, services
from .forms import (
    BreachForm,
    ContactForm,
    CounsellingForm,
    CustodyHolderForm,
    DoctorForm,
    FreeChoiceForm,
    RequestForm,
    ScreeningStartForm,
    StartForm,
    TracksForm,
    YouthRouteForm,
    add_service_errors,
)
from .forms_assessment import AssessmentForm, ScreeningForm
from .forms_decision import DecisionForm
from .models import Course
from .views_timeline import CLOCK_LABELS, clock_rows, timeline

#: URL name -> form, in the order the case page shows them.
STEPS = {
    "breach": BreachForm,
    "contact": ContactForm,
    "counselling": CounsellingForm,
    "request": RequestForm,
    "tracks": TracksForm,
    "doctor": DoctorForm,
    "assessment": AssessmentForm,
    "screening": ScreeningForm,
    "screening_start": ScreeningStartForm,
    "decision": DecisionForm,
    "free_choice": FreeChoiceForm,
    "start": StartForm,
    "youth_route": YouthRouteForm,
    "custody": CustodyHolderForm,
}
#: Steps for a citizen under 18 (issue 3 item 4): recordable on any course, but for youth shown
#: in their own section at the top of the case page.
YOUTH_STEPS = ("youth_route", "custody")
TEMPLATES = {
    "request": "pathway/steps/_request.html",
    "assessment": "pathway/steps/_assessment.html",
    "screening": "pathway/steps/_screening.html",
    "decision": "pathway/steps/_decision.html",
}
DEFAULT_TEMPLATE = "pathway/steps/_fields.html"


def load_course(request, course_id):
    return get_scoped_or_404(
        request.user,
        Course.objects.select_related("citizen", "acting_municipality", "caseworker"),
        pk=course_id,
    )


def open_breaches(rows):
    """Names of breached, still open clocks whose breach is not yet recorded."""
    return [r.clock.name for r in rows if r.overdue and not r.breach_recorded]


def make_form(key, course, rows, data=None):
    kwargs = {"course": course}
    if key == "breach":
        kwargs.update(clocks=open_breaches(rows), labels=CLOCK_LABELS)
    return STEPS[key](data, **kwargs)


def visible_steps(course, rows):
    """Which steps apply now: a course starts once; free choice needs a track with it;
    a breach form appears when a clock is breached and its breach is not yet recorded."""
    tracks = set(course.tracks.values_list("track", flat=True))
    hidden = set()
    if hasattr(course, "start"):
        hidden.add("start")
    if tracks and not any(rules.free_choice_allowed(t) for t in tracks):
        hidden.add("free_choice")
    if not open_breaches(rows):
        hidden.add("breach")
    flagged = course.assessments.filter(screening_needed=True)
    if not flagged.exists() or flagged.filter(screening_started_on__isnull=False).exists():
        hidden.add("screening_start")
    return [k for k in STEPS if k not in hidden]


def step_context(key, course, form, is_open=False):
    context = {
        "key": key, "slug": form.slug, "title": form.title, "help": getattr(form, "help", ""),
        "submit": form.submit, "form": form, "url": reverse(f"pathway:{key}", args=[course.pk]),
        "template": TEMPLATES.get(key, DEFAULT_TEMPLATE), "open": is_open,
    }
    if key == "decision" and form.selected_track():
        context["route"] = rules.complaint_route(rules.Track(form.selected_track()))
    return context


def case_context(request, course, bound_key=None, bound_form=None, saved=""):
    """Everything the case body shows; `bound_form` replaces the blank form of its step."""
    clocks = services.course_clocks(course)
    rows = clock_rows(course, clocks)
    can_act = services.can_act(request.user, course)
    steps = []
    if can_act:
        for key in visible_steps(course, rows):
            if key == bound_key:
                steps.append(step_context(key, course, bound_form, is_open=True))
            else:
                steps.append(step_context(key, course, make_form(key, course, rows)))
    facts = services.course_facts(course)
    holders = list(course.custody_holders.order_by("pk"))
    youth_steps = []
    if facts.is_youth:
        youth_steps = [s for s in steps if s["key"] in YOUTH_STEPS]
        steps = [s for s in steps if s["key"] not in YOUTH_STEPS]
        missing = {"youth_route": course.youth_routed_on is None, "custody": not holders}
        for s in youth_steps:
            s["open"] = s["open"] or missing[s["key"]]
    latest = course.assessments.order_by("-done_on", "-pk").first()
    return {
        "course": course,
        "citizen": course.citizen,
        "tracks": [t.get_track_display() for t in course.tracks.all()],
        "clock_rows": rows,
        "timeline": timeline(course),
        "steps": steps,
        "can_act": can_act,
        "is_youth": facts.is_youth,
        "youth_steps": youth_steps,
        "custody_holders": holders,
        "show_youth": facts.is_youth or bool(holders) or course.youth_routed_on is not None,
        "first_request": services.first_request(course),
        "notification_missing": latest is not None and not latest.notified_on
        and rules.notification_duty(latest.children_at_home, latest.pregnancy),
        "saved": saved,
    }


@login_required
@require_POST
def step(request, course_id, key):
    course = load_course(request, course_id)
    if not services.can_act(request.user, course):
        raise Http404
    rows = clock_rows(course, services.course_clocks(course))
    if key not in visible_steps(course, rows):
        raise Http404
    form = make_form(key, course, rows, data=request.POST)
    if apply_form(request, course, form):
        return _saved(request, course, form)
    return render_invalid(request, course_id, key, form,
                          lambda course: case_context(request, course, key, form))


def apply_form(request, course, form) -> bool:
    """Validate a step form and run its service with the version the user loaded. True when
    saved; otherwise the service's Danish errors are on the form and nothing was written."""
    if not form.is_valid():
        return False
    course.version = form.cleaned_data["version"]
    try:
        form.apply(request)
    except ValidationError as exc:
        add_service_errors(form, exc, form.field_map)
    except StaleRecord as exc:
        form.add_error(None, str(exc))
    except PermissionDenied as exc:
        raise Http404 from exc
    else:
        return True
    return False


def render_invalid(request, course_id, key, form, context_for, step_for=None):
    """An invalid step: with htmx its own section (htmx swaps only 2xx answers, so 200), else
    the whole case page with the form's errors (400), audited as a view."""
    course = load_course(request, course_id)
    form.course = course
    if request.htmx:
        return render(request, "pathway/_step.html",
                      {"step": (step_for or step_context)(key, course, form, is_open=True)})
    record(request, Action.VIEW, citizen=course.citizen, obj=course)
    return render(request, "pathway/case.html", context_for(course), status=400)


def _saved(request, course, form):
    return saved_response(request, course, [_("%(step)s er gemt.") % {"step": form.title}])


def saved_response(request, course, texts, anchor=""):
    """After a saved step: without htmx, the texts as messages and back to the case page (at
    `anchor`); with htmx, the fresh case body (audited as a view) showing the texts."""
    if not request.htmx:
        for text in texts:
            messages.success(request, text)
        return redirect(reverse("pathway:case", args=[course.pk]) + anchor)
    course = load_course(request, course.pk)
    record(request, Action.VIEW, citizen=course.citizen, obj=course)
    response = render(request, "pathway/_case_body.html",
                      case_context(request, course, saved=" ".join(texts)))
    return reswap(retarget(response, "#case-body"), "outerHTML")


def section_step(request, course_id, key, *, steps, visible, bound, saved, step_for):
    """The POST of a step in another context's section of the case page (treatment, network,
    attendance): 404 unless the step is `visible` to the user now; a saved form answers with
    `saved(request, course, form)`; an invalid one comes back bound, through the case
    context's key `bound` that the section's template tag reads."""
    course = load_course(request, course_id)
    if key not in visible(request.user, course):
        raise Http404
    form = steps[key](request.POST, course=course)
    if apply_form(request, course, form):
        return saved(request, course, form)

    def context_for(course):
        context = case_context(request, course)
        context[bound] = (key, form)
        return context

    return render_invalid(request, course_id, key, form, context_for, step_for=step_for)
