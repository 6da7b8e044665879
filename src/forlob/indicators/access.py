"""Who sees which indicators (issue 5): aggregates for the municipalities a user works for or
coordinates; unsuppressed figures only for a user who may see every case behind them anyway;
the case list behind a figure only for the municipality's own caseworkers."""

from django.db.models import Q

from forlob.access.scope import scope_for
from forlob.organisations.models import Municipality


def municipalities_for(user):
    """The municipalities whose indicators `user` sees: their own as caseworker, leader or
    administrator; those of the clusters and regions they coordinate."""
    scope = scope_for(user)
    own = (scope.caseworker_municipalities | scope.leader_municipalities
           | scope.admin_municipalities)
    return Municipality.objects.filter(
        Q(pk__in=own) | Q(cluster_id__in=scope.coordinator_clusters)
        | Q(cluster__region_id__in=scope.coordinator_regions)).order_by("name")


def sees_cases(user, municipality_ids) -> bool:
    """Whether every case behind figures for `municipality_ids` is within the user's own
    personal-data scope: the caseworkers of each municipality, who are granted its courses
    (pathway.scoping). Anything else crosses the scope and is suppressed (issue 5 item 4),
    including every coordinator view; an administrator manages users, not cases, so the
    administrator's figures are suppressed too."""
    scope = scope_for(user)
    mine = scope.caseworker_municipalities
    ids = set(municipality_ids)
    return bool(ids) and ids <= mine


def may_drill_down(user, municipality_id) -> bool:
    """The case list behind a figure, and the exports of the municipality's own data: the
    municipality's caseworkers only (their cases are in their scope anyway); every drill-down
    and export is audited."""
    return sees_cases(user, {municipality_id})


def comparison_municipalities(user):
    """The municipalities `user` may compare across (issue 5 item 3, always suppressed): a
    quality coordinator those of their clusters and regions, a leader those of their own
    municipality's cluster; anyone else none."""
    scope = scope_for(user)
    led = scope.leader_municipalities
    return Municipality.objects.filter(
        Q(cluster_id__in=scope.coordinator_clusters)
        | Q(cluster__region_id__in=scope.coordinator_regions)
        | Q(cluster__in=Municipality.objects.filter(pk__in=led).values("cluster"))
    ).order_by("name")
