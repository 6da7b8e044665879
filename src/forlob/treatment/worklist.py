"""One list of what is due on a course after treatment start (issue 4 item 10): the treatment
clocks (plan, reviews, follow-ups, supervision, coordinating-plan meetings) merged with the
attendance context's (outreach after a no-show, a request for a new decision). Each row has
days left or days overdue (ClockRow.days_text). Who sees a row, and whom its reminder goes to,
is rules.shown_to / rules.owner with the municipality's follow-up setting."""

from forlob import clock
from forlob.attendance.clocks import open_items as attendance_items
from forlob.standards.levels import levels_on

from . import rules
from .clocks import open_items as treatment_items
from .models import Discharge


def due_items(course, today=None) -> list:
    """Every open item of `course`, the earliest due first."""
    today = today or clock.today()
    rows = [*treatment_items(course, today), *attendance_items(course, today)]
    return sorted(rows, key=lambda r: (r.clock.due, r.clock.name))


class FollowUpSetting:
    """Who follows up a course after discharge: the responsibility in the quality standard in
    force on the discharge day (the day the follow-up clocks started, and the day the
    provider's referral end was set), or today's for a course not yet discharged. Read once per
    municipality and day for a list."""

    def __init__(self, today=None):
        self._today = today or clock.today()
        self._cache = {}

    def __call__(self, course) -> str:
        discharge = Discharge.objects.filter(course=course).values_list(
            "discharged_on", flat=True).first()
        key = (course.acting_municipality_id, discharge or self._today)
        if key not in self._cache:
            self._cache[key] = levels_on(*key).follow_up_by
        return self._cache[key]


def items_for(course, party: rules.Party, today=None, follow_up_by=None) -> list:
    """The rows of `course` shown on `party`'s worklist."""
    by = follow_up_by or FollowUpSetting(today)(course)
    return [row for row in due_items(course, today) if rules.shown_to(row.clock.name, party, by)]


def owned_by(course, party: rules.Party, today=None, follow_up_by=None) -> list:
    """The rows of `course` whose reminder goes to `party`."""
    by = follow_up_by or FollowUpSetting(today)(course)
    return [row for row in due_items(course, today) if rules.owner(row.clock.name, by) == party]
