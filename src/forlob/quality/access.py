"""Who may do what in the quality self-assessment (issue 6). The answers hold no personal data;
the measured evidence beside them does come from personal data and is always shown suppressed
(indicators.presentation), because a round crosses the personal-data scope.

- A quality coordinator opens and runs rounds for their cluster or region, resolves answers and
  writes the reports.
- A municipality's leader or administrator answers for their municipality.
- Anyone working in a cluster (municipality staff of its municipalities, the coordinator, the
  clinicians of providers that serve them) may search the competence and method map.

Out-of-scope objects answer 404: views fetch through these querysets and `get_object_or_404`.
"""

from django.db.models import Q

from forlob.access.scope import scope_for
from forlob.organisations.models import Municipality, PurchaseAgreement

from .models import Participant, Round


def _coordinated(scope):
    return Q(cluster_id__in=scope.coordinator_clusters) | Q(
        region_id__in=scope.coordinator_regions)


def answering_municipalities(user) -> frozenset[int]:
    """Municipalities the user answers for: as their leader or administrator."""
    scope = scope_for(user)
    return scope.leader_municipalities | scope.admin_municipalities


def coordinated_municipalities(user):
    """The municipalities of the clusters and regions the user coordinates."""
    scope = scope_for(user)
    return Municipality.objects.filter(
        Q(cluster_id__in=scope.coordinator_clusters)
        | Q(cluster__region_id__in=scope.coordinator_regions)).order_by("name")


def coordinated_rounds(user):
    """Rounds the user runs: those of their clusters, and of their regions (including the
    rounds opened for a cluster within a region they coordinate)."""
    scope = scope_for(user)
    return Round.objects.filter(
        _coordinated(scope) | Q(cluster__region_id__in=scope.coordinator_regions))


def visible_rounds(user):
    """Rounds the user may open: the ones they coordinate and those their municipality takes
    part in."""
    scope = scope_for(user)
    mine = answering_municipalities(user)
    return Round.objects.filter(
        _coordinated(scope) | Q(cluster__region_id__in=scope.coordinator_regions)
        | Q(participants__municipality_id__in=mine)).distinct()


def may_coordinate(user, round_: Round) -> bool:
    return coordinated_rounds(user).filter(pk=round_.pk).exists()


def answerable_participants(user):
    """The participations the user answers: their own municipality's."""
    return Participant.objects.filter(municipality_id__in=answering_municipalities(user))


def visible_participants(user):
    """Participations the user may read: their own, and all in rounds they coordinate."""
    return Participant.objects.filter(
        Q(municipality_id__in=answering_municipalities(user))
        | Q(round__in=coordinated_rounds(user)))


def cluster_ids(user) -> frozenset[int]:
    """The clusters a user works in, for the competence and method map: coordinated clusters
    (and all clusters of coordinated regions), the clusters of the municipalities they work
    for, and those of the municipalities their providers serve."""
    scope = scope_for(user)
    own = (scope.caseworker_municipalities | scope.leader_municipalities
           | scope.admin_municipalities)
    served = PurchaseAgreement.objects.filter(
        provider_id__in=scope.clinician_providers).values("municipality_id")
    owned = Municipality.objects.filter(
        owned_providers__in=scope.clinician_providers).values("pk")
    ids = Municipality.objects.filter(
        Q(pk__in=own) | Q(pk__in=served) | Q(pk__in=owned)
        | Q(cluster_id__in=scope.coordinator_clusters)
        | Q(cluster__region_id__in=scope.coordinator_regions)
    ).values_list("cluster_id", flat=True)
    return frozenset(ids)


# --- Reports (issue 6 items 4 and 5) ---------------------------------------------------------

#: A user's right on a cluster report: read it, or also write the cluster's texts.
REPORT_READ, REPORT_WRITE = "read", "write"


def report_rounds(user):
    """Rounds whose reports the user may reach: those they may open (visible_rounds), and
    region rounds of the region of a cluster they coordinate (the clusters wrote their own
    reports in 2014)."""
    scope = scope_for(user)
    return Round.objects.filter(
        Q(pk__in=visible_rounds(user).values("pk"))
        | Q(region__clusters__in=scope.coordinator_clusters)).distinct()


def cluster_report_right(user, round_: Round, cluster) -> str | None:
    """REPORT_WRITE, REPORT_READ or None for the cluster report of `cluster` in `round_`.

    - The round's coordinators (may_coordinate) write it.
    - In a region round, the coordinator of that cluster writes it.
    - The leaders and administrators of the cluster's participating municipalities read it
      (those who answer for a municipality, answering_municipalities), whatever their own
      answers' status; what the report shows of the others is reports.py's concern.
    - Anyone else: None (404)."""
    if may_coordinate(user, round_):
        return REPORT_WRITE
    scope = scope_for(user)
    if round_.region_id and cluster.pk in scope.coordinator_clusters:
        return REPORT_WRITE
    answering = Participant.objects.filter(
        round=round_, municipality__cluster=cluster,
        municipality_id__in=answering_municipalities(user))
    return REPORT_READ if answering.exists() else None
