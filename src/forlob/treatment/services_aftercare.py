"""State changes of the course's aftercare duties (issue 4 items 2, 8, 9): personal supervision
of a residential placement, coordinating-plan meetings, and each municipality's settings (review
interval per track, supervision interval, who follows up after discharge).

Like services.py: one transactional, audited function per step; the writer is checked, the
rules validate, the course version is compared (optimistic locking). Messages are Danish.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from forlob.access import scope_for
from forlob.audit.recorder import Action, record
from forlob.locking import StaleRecord
from forlob.pathway import services as pathway_services
from forlob.pathway.choices import TRACK_CHOICES

from . import rules
from .choices import FollowUpBy
from .clocks import course_intensity
from .models import AftercareSettings, CoordinatingMeeting, ReviewInterval, SupervisionVisit
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

def configurable_municipalities(user) -> frozenset:
    """The municipalities whose settings `user` may change: their administrators and leaders."""
    scope = scope_for(user)
    return scope.admin_municipalities | scope.leader_municipalities


def intervals(municipality) -> dict:
    """{track: months} configured for the municipality (missing tracks use the default)."""
    return dict(ReviewInterval.objects.filter(municipality=municipality)
                .values_list("track", "months"))


def save_settings(user, municipality, version, supervision_months, follow_up_by,
                  review_months: dict):
    """Save a municipality's aftercare settings. `review_months` maps each track to its
    interval, or None for the default (3 months). Refused outside the user's municipalities;
    a changed record since `version` was read raises StaleRecord; nothing is half-saved."""
    if municipality.pk not in configurable_municipalities(user):
        raise PermissionDenied
    errors = {}
    if not isinstance(supervision_months, int) or not (
            1 <= supervision_months <= rules.SUPERVISION_MONTHS_MAX):
        errors["supervision_months"] = _("Skriv et antal måneder mellem 1 og %(max)s.") % {
            "max": rules.SUPERVISION_MONTHS_MAX}
    if follow_up_by not in FollowUpBy.values:
        errors["follow_up_by"] = _("Vælg en af de viste muligheder.")
    for track, months in review_months.items():
        if track not in TRACKS:
            errors["review_months"] = _("Ukendt spor.")
        elif months is not None and not (
                rules.REVIEW_MONTHS_MIN <= months <= rules.REVIEW_MONTHS_MAX):
            errors[f"review_{track}"] = _("Skriv et antal måneder mellem %(min)s og %(max)s.") % {
                "min": rules.REVIEW_MONTHS_MIN, "max": rules.REVIEW_MONTHS_MAX}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        settings, _created = AftercareSettings.objects.get_or_create(municipality=municipality)
        settings = AftercareSettings.objects.select_for_update().get(pk=settings.pk)
        if settings.version != version:
            raise StaleRecord(str(StaleRecord.message))
        settings.supervision_months, settings.follow_up_by = supervision_months, follow_up_by
        settings.version += 1
        settings.save()
        for track, months in review_months.items():
            if months is None:
                ReviewInterval.objects.filter(municipality=municipality, track=track).delete()
            else:
                ReviewInterval.objects.update_or_create(
                    municipality=municipality, track=track, defaults={"months": months})
        # A change of the municipality's service levels is recorded like the voucher settings.
        record(None, Action.UPDATE, obj=settings, purpose="opfølgningsintervaller", user=user)
    return settings
