"""Access grants for the citizen register (issue 2, roles).

- Sagsbehandler: citizens whose acting municipality (handlekommune) is theirs.
- Behandler: citizens referred to their provider, only while the referral is active.
- Leder, kvalitetskoordinator, administrator: no personal data through these grants.
"""

from django.db.models import Q

from forlob.access import register

from .models import Citizen, Referral


@register(Citizen)
def caseworker_citizens(scope, today):
    if scope.caseworker_municipalities:
        return Q(acting_municipality_id__in=scope.caseworker_municipalities)
    return None


@register(Citizen)
def clinician_citizens(scope, today):
    if scope.clinician_providers:
        active = Referral.objects.active(today).filter(provider_id__in=scope.clinician_providers)
        return Q(pk__in=active.values("citizen_id"))
    return None


@register(Referral)
def caseworker_referrals(scope, today):
    if scope.caseworker_municipalities:
        return Q(citizen__acting_municipality_id__in=scope.caseworker_municipalities)
    return None


@register(Referral)
def clinician_referrals(scope, today):
    if scope.clinician_providers:
        return Q(provider_id__in=scope.clinician_providers, referred_on__lte=today) & (
            Q(ended_on__isnull=True) | Q(ended_on__gte=today)
        )
    return None
