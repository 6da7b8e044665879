"""Pure rules of the journal (issue 4 item 6). Dates in, answers out; `today` is passed in."""

import datetime as dt
from collections.abc import Iterable

#: The legal track of anonymous drug treatment (pathway.rules.Track.ANONYMOUS_DRUG).
ANONYMOUS_TRACK = "sel101a"


def journal_allowed(is_anonymous: bool, tracks: Iterable[str]) -> bool:
    """Whether journal notes may be written on a course.

    Anonymous ambulant treatment after serviceloven § 101 a keeps minimal, anonymous data
    (requirements-nationale-retningslinjer.md, state SA and L254). The guidelines do not
    themselves forbid records on § 101 a; the rule that there are no journal notes on an
    anonymous § 101 a course is the project's requirement (issue 4 item 6). A course is a
    § 101 a course when the citizen is anonymous or the course has the § 101 a track."""
    return not is_anonymous and ANONYMOUS_TRACK not in set(tracks)


def written_on_problem(written_on: dt.date | None, today: dt.date) -> str | None:
    """'missing' or 'future' when the day a note concerns cannot be recorded, else None.
    A journal records what has happened (journalføring): never a day after today."""
    if written_on is None:
        return "missing"
    if written_on > today:
        return "future"
    return None
