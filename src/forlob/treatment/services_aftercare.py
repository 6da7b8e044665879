"""State changes of the course's aftercare duties (issue 4 items 2, 8, 9): personal supervision
of a residential placement, coordinating-plan meetings, and each municipality's settings (review
interval per track, supervision interval, who follows up after discharge).

Like services.py: one transactional, audited function per step; the writer is checked, the
rules validate, the course version is compared (optimistic locking). Messages are Danish.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from forlob.audit.recorder import Action, record
from forlob.pathway import services as pathway_services
from forlob.pathway.choices import TRACK_CHOICES

from . import rules
from .clocks import course_intensity
from .models import CoordinatingMeeting, SupervisionVisit
from .services import (
    _check_day,
    _not_discharged,
    _require,
    _started_on,
    _store,
    _versioned,
    current_plan,
)

TRACKS = [key for key, _label in TRACK_CHOICES]


def supervision_applies(course) -> bool:
    """Started, not discharged, and residential (rules.is_residential; SEL § 148)."""
    from .models import Discharge

    return (hasattr(course, "start") and not Discharge.objects.filter(course=course).exists()
            and rules.is_residential(course_intensity(course)))


def add_supervision_visit(request, course, visit: SupervisionVisit):
    """A personal supervision visit of a residential placement, by the caseworker of the
    acting municipality who placed the citizen (SEL § 148; issue 4 item 9)."""
    if not pathway_services.can_act(request.user, course):
        raise PermissionDenied
    started_on = _started_on(course, "supervision")
    _not_discharged(course)
    if not rules.is_residential(course_intensity(course)):
        raise ValidationError(_("Personrettet tilsyn gælder kun borgere i døgnbehandling."))
    _check_day("visited_on", visit.visited_on, started_on)
    if not (visit.progression or "").strip():
        raise ValidationError({"progression": _("Beskriv borgerens progression.")})
    if visit.placement_fits is None:
        raise ValidationError({"placement_fits": _("Svar ja eller nej.")})
    with _versioned(request, course):
        visit.course = course
        _store(request, visit)
        record(request, Action.CREATE, citizen=course.citizen, obj=visit)
    return visit


def add_coordinating_meeting(request, course, meeting: CoordinatingMeeting):
    """A meeting on the coordinating action plan, at most 6 months apart (retningslinje
    2.6.13); only while the current treatment plan links a coordinating plan."""
    _require(request, course)
    started_on = _started_on(course, "coordinating")
    _not_discharged(course)
    plan = current_plan(course)
    if plan is None or not plan.coordinating_plan:
        raise ValidationError(_("Den gældende behandlingsplan har ingen koordinerende "
                                "indsatsplan."))
    _check_day("held_on", meeting.held_on, started_on)
    with _versioned(request, course):
        meeting.course = course
        _store(request, meeting)
        record(request, Action.CREATE, citizen=course.citizen, obj=meeting)
    return meeting


# --- Settings per municipality (no personal data) ---------------------------------------------
