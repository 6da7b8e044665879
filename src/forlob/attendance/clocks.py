"""Open items of attendance and retention for the worklists and reminders (issue 4 item 10):
each open outreach task ("outreach") and each open request for a new decision
("new_decision"). Rows have the shape of treatment.clocks.TreatmentRow, so the treatment
context merges them with its own. Every date comes from the rules (rules.py)."""

from forlob import clock
from forlob.treatment.clocks import LABELS as TREATMENT_LABELS
from forlob.treatment.clocks import TreatmentRow, due_clock

from . import rules, services

#: The rows are treatment.clocks.TreatmentRow, whose labels name these items too.
LABELS = {name: TREATMENT_LABELS[name] for name in ("outreach", "new_decision")}


def open_items(course, today=None) -> list[TreatmentRow]:
    """What is open on `course` now, earliest due first."""
    today = today or clock.today()
    clocks = [due_clock("outreach", task.appointment.held_on, task.due, today)
              for task in services.open_outreach(course)]
    clocks += [due_clock("new_decision", r.requested_on, rules.new_decision_due(r.requested_on),
                      today)
               for r in services.open_new_decision_requests(course)]
    return sorted((TreatmentRow(c) for c in clocks), key=lambda r: r.clock.due)
