"""Who sees and who writes a municipality's quality standard. The standard holds no personal
data; staff pages still answer 404 outside the user's municipalities (issue 2 scoping rule).
The adopted version in force is also public (views_public)."""

from django.db.models import Q

from forlob.access.scope import scope_for
from forlob.organisations.models import Municipality


def editable_municipalities(user) -> frozenset:
    """Who writes a municipality's standard: its leaders and administrators."""
    scope = scope_for(user)
    return scope.admin_municipalities | scope.leader_municipalities


def visible_municipalities(user):
    """Municipalities whose drafts and history `user` sees: those they write, plus those of
    the clusters and regions a quality coordinator works for (issue 7 item 3)."""
    scope = scope_for(user)
    return Municipality.objects.filter(
        Q(pk__in=editable_municipalities(user))
        | Q(cluster_id__in=scope.coordinator_clusters)
        | Q(cluster__region_id__in=scope.coordinator_regions)).order_by("name")
