"""The caseworker's pages of the pathway (issue 3): open a course from a citizen, the case page
the caseworker lives in, and the worklist of open deadlines. Every course comes through the
scoping layer (out of scope: 404); every page showing a citizen is audited. Clinicians see the
case page of citizens referred to their provider, read-only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from forlob.access import get_scoped_or_404, scope_for, scoped
from forlob.audit.recorder import Action, record, record_many
from forlob.citizens.models import Citizen
from forlob.treatment.rules import Party
from forlob.treatment.worklist import FollowUpSetting, items_for

from . import rules, services
from .forms import OpenCourseForm, add_service_errors, to_bool
from .models import Course
from .views_steps import case_context, load_course
from .views_timeline import ClockRow


def _require_caseworker(user):
    if not scope_for(user).caseworker_municipalities:
        raise Http404


@login_required
@require_safe
def case(request, course_id):
    course = load_course(request, course_id)
    record(request, Action.VIEW, citizen=course.citizen, obj=course)
    return render(request, "pathway/case.html", case_context(request, course))


@login_required
@require_http_methods(["GET", "POST"])
def open_course(request, citizen_id):
    citizen = get_scoped_or_404(request.user, Citizen.objects.select_related(
        "acting_municipality"), public_id=citizen_id)
    _require_caseworker(request.user)
    form = OpenCourseForm(request.POST or None, citizen=citizen, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            course = form.apply(request)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error("acting_municipality", _("Vælg en af dine kommuner."))
        else:
            messages.success(request, _("Forløbet er oprettet."))
            return redirect("pathway:case", course_id=course.pk)
    record(request, Action.VIEW, citizen=citizen, purpose=_("opret forløb"))
    return render(request, "pathway/open.html", {"citizen": citizen, "form": form},
                  status=400 if form.errors else 200)


@login_required
@require_safe
def worklist(request):
    """Open deadlines of the caseworker's courses, the earliest due first: overdue ones come
    first by construction and are flagged. After treatment start, the caseworker's items of
    treatment.worklist (reviews, supervision, follow-ups when the municipality does them).
    Courses with a waived guarantee (free choice) are listed apart with their waiting days."""
    scope = scope_for(request.user)
    _require_caseworker(request.user)
    only_mine = request.GET.get("vis") == "mine"
    courses = scoped(request.user, Course).filter(
        acting_municipality_id__in=scope.caseworker_municipalities
    ).select_related("citizen", "caseworker").prefetch_related("breaches")
    if only_mine:
        courses = courses.filter(caseworker=request.user)
    rows, waived, treatment = [], [], []
    setting = FollowUpSetting()
    for course in courses:
        recorded = {b.clock for b in course.breaches.all()}
        for clock_ in services.course_clocks(course):
            row = ClockRow(clock_, clock_.name in recorded)
            if row.is_open:
                rows.append((course, row))
            elif clock_.status == rules.ClockStatus.WAIVED and clock_.done_on is None:
                waived.append((course, row))
        treatment += [(course, row) for row in items_for(  # issue 4: after treatment start
            course, Party.CASEWORKER, follow_up_by=setting(course))]
    rows.sort(key=lambda r: (r[1].clock.due, r[0].pk))
    waived.sort(key=lambda r: (-(r[1].clock.waiting_days or 0), r[0].pk))
    treatment.sort(key=lambda r: (r[1].clock.due, r[0].pk))
    shown = {}
    for course, _row in rows + waived + treatment:
        shown.setdefault(course.citizen_id, course.citizen)
    record_many(request, Action.VIEW, shown.values(), purpose=_("arbejdsliste"))
    return render(request, "pathway/worklist.html", {
        "rows": rows, "waived": waived, "only_mine": only_mine, "treatment_rows": treatment,
    })


@login_required
@require_safe
def complaint_route(request):
    """The complaint route of a track, for the decision form (htmx partial; no personal data)."""
    _require_caseworker(request.user)
    value = request.GET.get("afgoerelse-track") or request.GET.get("spor", "")
    try:
        route = rules.complaint_route(rules.Track(value))
    except ValueError:
        route = None
    return _partial(request, "pathway/_complaint_route.html", {"route": route},
                    _("Klagevejledning"))


@login_required
@require_safe
def notify_duty(request):
    """Whether the answers on children and pregnancy show the duty to notify (SEL § 153);
    an htmx partial of the assessment form, without personal data."""
    _require_caseworker(request.user)
    children = to_bool(request.GET.get("afdaekning-children_at_home"))
    pregnancy = to_bool(request.GET.get("afdaekning-pregnancy"))
    return _partial(request, "pathway/_notify_duty.html", {
        "duty": rules.notification_duty(bool(children), bool(pregnancy)),
        "pregnancy": bool(pregnancy),
    }, _("Skærpet underretningspligt"))


def _partial(request, template, context, title):
    """The fragment for htmx; a whole page with a heading when opened directly."""
    if request.htmx:
        return render(request, template, context)
    return render(request, "pathway/fragment_page.html",
                  {**context, "fragment": template, "title": title})
