"""Who sees which provider activity report (issue 5 item 6), and which of its rows.

- A clinician: the reports of their own providers, every purchasing municipality's row (the
  provider reports to each of them), the anonymous treatments without a stated residence
  included.
- A municipality's caseworker, leader or administrator: the rows of their own municipality,
  from every provider that served it (a purchase agreement, a course the municipality acts for,
  or an anonymous alcohol treatment of a resident who stated it).
- A quality coordinator: the rows of the municipalities of their clusters and regions, from
  every provider that served one of them.

Rights add up over a user's memberships. A provider or municipality outside this answers 404
(the views' business). The figures are aggregates without personal data and are always
suppressed (views_activity.py): the report crosses the personal-data scope."""

from django.db.models import Exists, OuterRef, Q

from forlob.access.scope import scope_for
from forlob.organisations.models import Municipality, Provider, PurchaseAgreement
from forlob.pathway.models import TreatmentStart

from .rules_activity import ALCOHOL_TRACK


def purchaser_municipalities(user):
    """The municipalities whose rows `user` sees in any provider's report, as a queryset."""
    scope = scope_for(user)
    own = (scope.caseworker_municipalities | scope.leader_municipalities
           | scope.admin_municipalities)
    return Municipality.objects.filter(
        Q(pk__in=own) | Q(cluster_id__in=scope.coordinator_clusters)
        | Q(cluster__region_id__in=scope.coordinator_regions)).order_by("name")


def _served(municipalities):
    """Providers that served one of `municipalities` (a queryset of them)."""
    agreement = PurchaseAgreement.objects.filter(provider=OuterRef("pk"),
                                                 municipality__in=municipalities)
    named = TreatmentStart.objects.filter(
        provider=OuterRef("pk"), course__citizen__is_anonymous=False,
        course__acting_municipality__in=municipalities)
    anonymous = TreatmentStart.objects.filter(
        provider=OuterRef("pk"), course__citizen__is_anonymous=True,
        course__tracks__track=ALCOHOL_TRACK,
        course__citizen__residence_municipality__in=municipalities)
    return Q(Exists(agreement)) | Q(Exists(named)) | Q(Exists(anonymous))


def providers_for(user):
    """The providers whose report `user` may open: their own as clinician, and those that
    served a municipality whose rows they see."""
    scope = scope_for(user)
    return Provider.objects.filter(
        Q(pk__in=scope.clinician_providers) | _served(purchaser_municipalities(user))
    ).order_by("name")


def has_any(user) -> bool:
    """Whether the user has a role that can see any report at all (else the pages are 404)."""
    scope = scope_for(user)
    return bool(scope.clinician_providers or purchaser_municipalities(user).exists())


def municipality_choices(user):
    """The municipalities offered to narrow a report to: the user's purchaser municipalities
    and those their own providers report to (an agreement or a course acted for)."""
    own = scope_for(user).clinician_providers
    return Municipality.objects.filter(
        Q(pk__in=purchaser_municipalities(user).values("pk"))
        | Q(purchase_agreements__provider__in=own) | Q(courses__start__provider__in=own)
    ).distinct().order_by("name")


def may_narrow_to(rows: frozenset | None, municipality_id: int) -> bool:
    """Whether a report whose rows are `rows` (rows_for) may be narrowed to
    `municipality_id`'s row: any existing municipality for the provider's clinicians (None),
    else one of the user's own rows only. The view checks this on the form's cleaned id."""
    if rows is None:
        return Municipality.objects.filter(pk=municipality_id).exists()
    return municipality_id in rows


def rows_for(user, provider_id: int) -> frozenset | None:
    """The municipality rows `user` sees in `provider_id`'s report: None for all of them (the
    provider's own clinicians), else the ids of the user's purchaser municipalities."""
    if provider_id in scope_for(user).clinician_providers:
        return None
    return frozenset(purchaser_municipalities(user).values_list("pk", flat=True))
