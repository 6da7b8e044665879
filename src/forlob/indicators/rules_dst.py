"""Pure rules of Danmarks Statistik's "Stofmisbrugsbehandling – Social" (issue 5 item 2): the
merge of requests into contact courses, which courses a period counts, the guarantee status of
a start, and the end-status groups. No database and no clock here; dst.py feeds plain tuples.

Sources (Danmarks Statistik's statistics documentation on dst.dk):
- "Stofmisbrugsbehandling - Social", statistisk behandling: to count contact courses
  (kontaktforløb), two or more requests of the same person are merged when there are ten days
  or fewer between the end of the first course and the start of the next.
- Indhold / begreber: a contact course runs from the request (anmodning) to the end of
  treatment (afsluttet behandling); a treatment course (behandlingsforløb) from the start
  (iværksættelse) to the end. The end status is grouped as drug free, reduced/stabilised use
  and other. Anonymous treatment (SEL § 101 a) and privately paid treatment are not included.
- Variable KONTAKTFORLOEBID: a person cannot have more than one contact course in the same
  municipality at the same time; an ongoing contact course has no end date. So the key a
  contact course is merged on is the person within the acting municipality (a person who
  moves can have a course in each).
- Nyt fra Danmarks Statistik, "Stofmisbrugsbehandling social 2018": courses are counted as
  begun (påbegyndt) in the year, ended (afsluttet) in the year and - for the headline counts
  of contact and treatment courses, which exceed the year's requests and starts - active at
  some time in the year. All three are given here.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from forlob.pathway.rules import GUARANTEE_DAYS

#: Requests of the same person merge into one contact course when the next request comes ten
#: days or fewer after the end of the previous course (DST, statistisk behandling).
MERGE_GAP_DAYS = 10

#: DST's end-status groups ("stoffri, reduceret/stabiliseret stofmisbrug og andet") from the
#: status of use at discharge (the SMDB discharge field, retningslinje 3.11.1). [inference:
#: "stabiliseret" is Forløb's "uændret"; increased and unknown use fall under "andet".]
END_STATUS_GROUPS = ("stoffri", "reduceret_stabiliseret", "andet")
END_STATUS_OF_USE = {"ophoert": "stoffri", "reduceret": "reduceret_stabiliseret",
                     "uaendret": "reduceret_stabiliseret", "oeget": "andet", "ukendt": "andet"}

#: Guarantee status of a start (DST monitors the 14-day guarantee from request to start;
#: SEL § 101, stk. 4; the guarantee lapses when the citizen uses free choice, stk. 6).
KEPT, BROKEN, WAIVED = "kept", "broken", "waived"


@dataclass(frozen=True)
class ContactCourse:
    """One contact course: the person key, the first request, the end of treatment (None while
    open) and how many requests (register courses) were merged into it."""

    person: Hashable
    start: dt.date
    end: dt.date | None
    requests: int = 1

    def begun_in(self, first: dt.date, last: dt.date) -> bool:
        return first <= self.start <= last

    def ended_in(self, first: dt.date, last: dt.date) -> bool:
        return self.end is not None and first <= self.end <= last

    def active_in(self, first: dt.date, last: dt.date) -> bool:
        """Running on at least one day of [first, last]: begun by its end and not ended
        before its start."""
        return self.start <= last and (self.end is None or self.end >= first)


def _end_key(end: dt.date | None) -> dt.date:
    return dt.date.max if end is None else end


def merge_contact_courses(rows: Iterable[tuple[Hashable, dt.date, dt.date | None]]
                          ) -> list[ContactCourse]:
    """Merge (person, request date, end date or None) rows into contact courses (DST,
    "Stofmisbrugsbehandling - Social", statistisk behandling): per person, in request order, a
    request joins the course before it when that course is still open (no end: DST's
    KONTAKTFORLOEBID allows one open contact course per person and municipality, so an open
    course absorbs every later request) or when it comes at most MERGE_GAP_DAYS days after that
    course's end (a request before the end, an overlap, joins too). The merged course runs from
    its first request to the latest end of its rows, or stays open if any row is open.

    An end before its own request is a recording error; it is read as ending on the request day.
    The result does not depend on the order of `rows`; it is sorted by person and start, so
    person keys must be mutually orderable (ints or tuples of ints)."""
    by_person: dict[Hashable, list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for person, requested, end in rows:
        by_person[person].append((requested, None if end is None else max(end, requested)))
    merged = []
    for person, spans in by_person.items():
        spans.sort(key=lambda s: (s[0], _end_key(s[1])))
        start, end = spans[0]
        count = 1
        for requested, until in spans[1:]:
            if end is None or (requested - end).days <= MERGE_GAP_DAYS:
                end = None if end is None or until is None else max(end, until)
                count += 1
            else:
                merged.append(ContactCourse(person, start, end, count))
                start, end, count = requested, until, 1
        merged.append(ContactCourse(person, start, end, count))
    return sorted(merged, key=lambda c: (c.person, c.start))


def course_counts(courses: Iterable[ContactCourse], first: dt.date, last: dt.date
                  ) -> tuple[int, int, int]:
    """(begun, ended, active) counts of contact courses for the period [first, last]."""
    begun = ended = active = 0
    for c in courses:
        begun += c.begun_in(first, last)
        ended += c.ended_in(first, last)
        active += c.active_in(first, last)
    return begun, ended, active


def guarantee_status(requested: dt.date, started: dt.date, days: int,
                     free_choice: bool) -> str:
    """KEPT when treatment started at most `days` days after the first request (started on
    day `days` at the latest: retningslinje 3.4.1, SEL § 101, stk. 4), BROKEN when later, and
    WAIVED when the citizen used free choice (SEL § 101, stk. 6: no claim to start within the
    guarantee, so such courses are counted apart)."""
    if free_choice:
        return WAIVED
    return KEPT if (started - requested).days <= days else BROKEN


def legal_guarantee_status(requested: dt.date, started: dt.date, free_choice: bool) -> str:
    """The status against the law's 14 days, which is what DST monitors."""
    return guarantee_status(requested, started, GUARANTEE_DAYS, free_choice)


def end_status_group(use_status: str) -> str:
    """DST's end-status group of a discharge's status of use (unknown codes: "andet")."""
    return END_STATUS_OF_USE.get(use_status, "andet")
