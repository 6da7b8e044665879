"""Access grants for user administration (issue 2, roles: administrator).

A municipality's administrator manages "the users of their municipality": users holding any
membership in one of the administrator's municipalities, or in a provider that municipality
owns. Superusers (the operator's accounts) are never managed by a municipality. Every other
role sees no users and no memberships through these grants.
"""

from django.db.models import Q

from forlob.access import register

from .models import Membership, User


def administered_memberships_q(scope, prefix: str = "") -> Q:
    """Memberships in the administrator's municipalities or their own providers."""
    munis = scope.admin_municipalities
    return Q(**{f"{prefix}municipality_id__in": munis}) | Q(
        **{f"{prefix}provider__owner_municipality_id__in": munis}
    )


@register(User)
def administrator_users(scope, today):
    if scope.admin_municipalities:
        members = Membership.objects.filter(administered_memberships_q(scope)).values("user_id")
        return Q(pk__in=members, is_superuser=False)
    return None


@register(Membership)
def administrator_memberships(scope, today):
    if scope.admin_municipalities:
        return administered_memberships_q(scope) & Q(user__is_superuser=False)
    return None
