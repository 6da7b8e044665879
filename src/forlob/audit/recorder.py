"""Write audit records. Views call `record`/`record_many` for every personal-data access."""

from collections.abc import Iterable

from forlob import clock
from forlob.access import scope_for
from forlob.accounts.models import Role

from .models import Action, AuditEvent

__all__ = ["Action", "record", "record_many"]


def _client_ip(request):
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _channel(request) -> str:
    if request is None:
        return "cli"
    path = request.path
    if path.startswith("/api/"):
        return "api"
    if path.startswith("/admin/"):
        return "admin"
    return "ui"


def acting_capacity(user, citizen) -> tuple[str, str, int | None]:
    """The role and organisation through which `user` reaches `citizen` (for the record)."""
    if user is None or not user.is_authenticated:
        return "", "", None
    memberships = getattr(user, "_forlob_memberships", None)
    if memberships is None:
        memberships = list(user.memberships.select_related("municipality", "provider"))
        user._forlob_memberships = memberships
    if citizen is not None:
        for m in memberships:
            if m.role == Role.CASEWORKER and m.municipality_id == citizen.acting_municipality_id:
                return m.role, str(m.municipality), m.municipality_id
        # The provider through which a clinician reaches the citizen today (an ended referral
        # gives no access, so it is not the capacity being exercised).
        referred = set(
            citizen.referrals.active(clock.today()).values_list("provider_id", flat=True)
        )
        for m in memberships:
            if m.role == Role.CLINICIAN and m.provider_id in referred:
                return m.role, str(m.provider), m.provider.owner_municipality_id
    for m in memberships:
        if m.role in (Role.CASEWORKER, Role.ADMINISTRATOR, Role.CLINICIAN, Role.LEADER):
            muni = m.municipality_id or (m.provider.owner_municipality_id if m.provider else None)
            return m.role, str(m.organisation), muni
    if memberships:
        m = memberships[0]
        return m.role, str(m.organisation), None
    return "", "", None


def _event(request, action, citizen=None, obj=None, purpose="", user=None) -> AuditEvent:
    user = user if user is not None else getattr(request, "user", None)
    role, organisation, actor_muni = acting_capacity(user, citizen)
    return AuditEvent(
        user_id=user.pk if user is not None and user.is_authenticated else None,
        username=user.get_username() if user is not None and user.is_authenticated else "",
        role=role,
        organisation=organisation[:200],
        actor_municipality_id=actor_muni,
        subject_municipality_id=citizen.acting_municipality_id if citizen else None,
        citizen_id=citizen.pk if citizen else None,
        citizen_ref=str(citizen.public_id) if citizen else "",
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        action=action,
        purpose=(purpose or "")[:300],
        channel=_channel(request),
        path=(request.path[:300] if request is not None else ""),
        ip=_client_ip(request),
    )


def record(request, action: str, citizen=None, obj=None, purpose: str = "", user=None):
    """Append one audit record for an access to `citizen` (and optionally a related object)."""
    return AuditEvent.objects.bulk_create(
        [_event(request, action, citizen=citizen, obj=obj, purpose=purpose, user=user)]
    )[0]


def record_many(request, action: str, citizens: Iterable, purpose: str = ""):
    """Append one record per citizen shown, e.g. the rows of a list page."""
    events = [_event(request, action, citizen=c, purpose=purpose) for c in citizens]
    if events:
        AuditEvent.objects.bulk_create(events)
    return events


def scope_of(request):
    return scope_for(getattr(request, "user", None))
