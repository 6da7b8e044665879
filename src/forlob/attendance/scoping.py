"""Access grants of the attendance context, through the course."""

from forlob.treatment.course_scoping import register_course_models

from .models import (
    Appointment,
    ContactAttempt,
    GiftVoucher,
    NewDecisionRequest,
    OutreachTask,
    RelapseEvent,
)

COURSE_PATHS = {
    RelapseEvent: "course",
    Appointment: "course",
    OutreachTask: "course",
    ContactAttempt: "task__course",
    NewDecisionRequest: "course",
    GiftVoucher: "course",
}
register_course_models(COURSE_PATHS)
