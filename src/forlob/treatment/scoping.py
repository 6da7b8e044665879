"""Access grants for the treatment facts, through their course: the same grants as a
pathway Course (caseworker of the acting municipality; clinician while the citizen is actively
referred to their provider - treatment start creates that referral)."""

from .course_scoping import register_course_models
from .models import (
    CoordinatingMeeting,
    Discharge,
    FollowUp,
    PlanGoal,
    Review,
    ReviewGoalStatus,
    SupervisionVisit,
    TreatmentPlan,
)

#: Model -> lookup path to its Course.
COURSE_PATHS = {
    TreatmentPlan: "course",
    PlanGoal: "plan__course",
    Review: "course",
    ReviewGoalStatus: "review__course",
    Discharge: "course",
    FollowUp: "course",
    SupervisionVisit: "course",
    CoordinatingMeeting: "course",
}
register_course_models(COURSE_PATHS)
