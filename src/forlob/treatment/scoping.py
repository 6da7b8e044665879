"""Access grants for the treatment facts, through their course: the same grants as a
pathway Course (caseworker of the acting municipality; clinician while the citizen is actively
referred to their provider - treatment start creates that referral)."""

from django.db.models import Q

from forlob.access import register
from forlob.citizens.models import Referral

from .models import Discharge, FollowUp, PlanGoal, Review, ReviewGoalStatus, TreatmentPlan

#: Model -> lookup path to its Course.
COURSE_PATHS = {
    TreatmentPlan: "course",
    PlanGoal: "plan__course",
    Review: "course",
    ReviewGoalStatus: "review__course",
    Discharge: "course",
    FollowUp: "course",
}


def _grants(path):
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


for _model, _path in COURSE_PATHS.items():
    for _grant in _grants(_path):
        register(_model)(_grant)
