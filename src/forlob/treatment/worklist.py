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


def due_items(course, today=None) -> list:
    """Every open item of `course`, the earliest due first."""
    today = today or clock.today()
    rows = [*treatment_items(course, today), *attendance_items(course, today)]
    return sorted(rows, key=lambda r: (r.clock.due, r.clock.name))


class FollowUpSetting:
    """The follow-up responsibility per municipality in the quality standard in force today,
    read once per list."""

    def __init__(self, today=None):
        self._today = today or clock.today()
        self._cache = {}

    def __call__(self, municipality_id) -> str:
        if municipality_id not in self._cache:
            self._cache[municipality_id] = levels_on(municipality_id, self._today).follow_up_by
        return self._cache[municipality_id]


def items_for(course, party: rules.Party, today=None, follow_up_by=None) -> list:
    """The rows of `course` shown on `party`'s worklist."""
    by = follow_up_by or FollowUpSetting(today)(course.acting_municipality_id)
    return [row for row in due_items(course, today) if rules.shown_to(row.clock.name, party, by)]


def owned_by(course, party: rules.Party, today=None, follow_up_by=None) -> list:
    """The rows of `course` whose reminder goes to `party`."""
    by = follow_up_by or FollowUpSetting(today)(course.acting_municipality_id)
    return [row for row in due_items(course, today) if rules.owner(row.clock.name, by) == party]
