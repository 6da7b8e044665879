"""Access grants for courses and their facts (issue 2 roles applied to issue 3).

A caseworker sees the courses of their municipality; a clinician sees a course while the
citizen has an active referral to their provider (created at provider enrolment).
"""

from django.db.models import Q

from forlob.access import register
from forlob.citizens.models import Citizen, Referral

from .models import Course


@register(Course)
def caseworker_courses(scope, today):
    if scope.caseworker_municipalities:
        return Q(acting_municipality_id__in=scope.caseworker_municipalities)
    return None


@register(Course)
def clinician_courses(scope, today):
    if scope.clinician_providers:
        active = Referral.objects.active(today).filter(provider_id__in=scope.clinician_providers)
        return Q(citizen_id__in=active.values("citizen_id"))
    return None


@register(Citizen)
def caseworker_citizens_by_course(scope, today):
    """A course in the caseworker's municipality gives access to its citizen, also when the
    citizen's register entry names another acting municipality (retningslinje 3.4.4)."""
    if scope.caseworker_municipalities:
        courses = Course.objects.filter(acting_municipality_id__in=scope.caseworker_municipalities)
        return Q(pk__in=courses.values("citizen_id"))
    return None
