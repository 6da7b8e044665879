"""Queries on consents that other contexts use (journal visibility, follow-up contact)."""

from django.db.models import Q

from .models import Consent


def in_force_q(day, prefix=""):
    """A Q selecting consents in force on `day` (rules.consent_in_force, as SQL)."""
    p = prefix
    return (Q(**{f"{p}given_on__lte": day})
            & (Q(**{f"{p}valid_until__isnull": True}) | Q(**{f"{p}valid_until__gte": day}))
            & (Q(**{f"{p}withdrawn_on__isnull": True}) | Q(**{f"{p}withdrawn_on__gt": day})))


def has_consent(course, party, day) -> bool:
    """Whether `course` has a consent to `party` in force on `day`."""
    return Consent.objects.filter(in_force_q(day), course=course, party=party).exists()
