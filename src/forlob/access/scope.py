"""What a user may see, derived from their memberships (issue 2, roles)."""

from dataclasses import dataclass, field

from forlob.accounts.models import PERSONAL_DATA_ROLES, Role


@dataclass(frozen=True)
class Scope:
    """The organisations a user acts for, per role. Ids only: cheap to build and compare."""

    user_id: int | None = None
    caseworker_municipalities: frozenset[int] = field(default_factory=frozenset)
    clinician_providers: frozenset[int] = field(default_factory=frozenset)
    leader_municipalities: frozenset[int] = field(default_factory=frozenset)
    admin_municipalities: frozenset[int] = field(default_factory=frozenset)
    coordinator_clusters: frozenset[int] = field(default_factory=frozenset)
    coordinator_regions: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def sees_personal_data(self) -> bool:
        return bool(self.roles & PERSONAL_DATA_ROLES)

    @property
    def is_coordinator(self) -> bool:
        return Role.COORDINATOR in self.roles

    def has(self, role: str) -> bool:
        return role in self.roles


EMPTY = Scope()


def scope_for(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, "_forlob_scope", None)
    if cached is not None:
        return cached
    buckets: dict[str, set[int]] = {
        "caseworker_municipalities": set(),
        "clinician_providers": set(),
        "leader_municipalities": set(),
        "admin_municipalities": set(),
        "coordinator_clusters": set(),
        "coordinator_regions": set(),
    }
    roles = set()
    for m in user.memberships.all():
        roles.add(m.role)
        if m.role == Role.CASEWORKER:
            buckets["caseworker_municipalities"].add(m.municipality_id)
        elif m.role == Role.CLINICIAN:
            buckets["clinician_providers"].add(m.provider_id)
        elif m.role == Role.LEADER:
            buckets["leader_municipalities"].add(m.municipality_id)
        elif m.role == Role.ADMINISTRATOR:
            buckets["admin_municipalities"].add(m.municipality_id)
        elif m.role == Role.COORDINATOR:
            if m.cluster_id:
                buckets["coordinator_clusters"].add(m.cluster_id)
            if m.region_id:
                buckets["coordinator_regions"].add(m.region_id)
    scope = Scope(
        user_id=user.pk,
        roles=frozenset(roles),
        **{k: frozenset(v) for k, v in buckets.items()},
    )
    user._forlob_scope = scope
    return scope
