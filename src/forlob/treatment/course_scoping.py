"""Access grants for facts that hang off a pathway Course, shared by the contexts of issue 4:
the caseworkers of the acting municipality, and the clinicians of a provider the citizen is
actively referred to (treatment start creates that referral)."""

from django.db.models import Q

from forlob.access import register
from forlob.citizens.models import Referral


def course_grants(path):
    """The two grants for a model whose course is reached through `path`."""
    def caseworker(scope, today):
        if scope.caseworker_municipalities:
            return Q(**{f"{path}__acting_municipality_id__in": scope.caseworker_municipalities})
        return None

    def clinician(scope, today):
        if scope.clinician_providers:
            active = Referral.objects.active(today).filter(
                provider_id__in=scope.clinician_providers)
            return Q(**{f"{path}__citizen_id__in": active.values("citizen_id")})
        return None

    return caseworker, clinician


def register_course_models(paths):
    """Register the course grants for each {model: path to its course}."""
    for model, path in paths.items():
        for grant in course_grants(path):
            register(model)(grant)
