"""Open items of attendance and retention for the worklists and reminders (issue 4 item 10):
each open outreach task ("outreach") and each open request for a new decision
("new_decision"). Rows have the shape of treatment.clocks.TreatmentRow, so the treatment
context merges them with its own. Every date comes from the rules (rules.py)."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from forlob import clock
from forlob.pathway.rules import Clock, ClockStatus
from forlob.pathway.views_timeline import ClockRow

from . import rules, services

LABELS = {
    "outreach": _("Opsøgende kontakt efter udeblivelse"),
    "new_decision": _("Anmodning om ny afgørelse"),
}


@dataclass(frozen=True)
class AttendanceRow(ClockRow):
    @property
    def label(self):
        return LABELS.get(self.clock.name, self.clock.name)


def _clock(name, started, due, today):
    status = ClockStatus.BREACHED if today > due else ClockStatus.OPEN
    return Clock(name=name, started=started, due=due, status=status,
                 days_left=(due - today).days)


def open_items(course, today=None) -> list[AttendanceRow]:
    """What is open on `course` now, earliest due first."""
    today = today or clock.today()
    clocks = [_clock("outreach", task.appointment.held_on, task.due, today)
              for task in services.open_outreach(course)]
    clocks += [_clock("new_decision", r.requested_on, rules.new_decision_due(r.requested_on),
                      today)
               for r in services.open_new_decision_requests(course)]
    return sorted((AttendanceRow(c) for c in clocks), key=lambda r: r.clock.due)
