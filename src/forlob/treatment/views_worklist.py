"""The clinician's worklist (issue 4 item 10): what is due on the courses of citizens actively
referred to the clinician's provider and treated there, the earliest due first; follow-ups after
discharge when the municipality leaves them to the discharging provider (rules.shown_to). Every
course comes through the scoping layer; every citizen shown is audited."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from forlob import clock
from forlob.access import scope_for, scoped
from forlob.audit.recorder import Action, record_many
from forlob.pathway.models import Course

from .rules import Party
from .worklist import FollowUpSetting, items_for


def clinician_rows(user, today=None):
    """[(course, row), ...] for the clinician's providers, the earliest due first."""
    today = today or clock.today()
    providers = scope_for(user).clinician_providers
    courses = scoped(user, Course).filter(start__provider_id__in=providers).select_related(
        "citizen", "start__provider")
    setting = FollowUpSetting()
    rows = [(course, row) for course in courses
            for row in items_for(course, Party.CLINICIAN, today,
                                 setting(course))]
    rows.sort(key=lambda r: (r[1].clock.due, r[0].pk, r[1].clock.name))
    return rows


@login_required
@require_safe
def worklist(request):
    if not scope_for(request.user).clinician_providers:
        raise Http404
    rows = clinician_rows(request.user)
    shown = {course.citizen_id: course.citizen for course, _row in rows}
    record_many(request, Action.VIEW, shown.values(), purpose=_("arbejdsliste (behandler)"))
    return render(request, "treatment/worklist.html", {"rows": rows})
