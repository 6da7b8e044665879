"""Rules of the cluster and region reports (issue 6 items 4 and 5), as pure functions over plain
facts.

Sources: Region Sjælland's statusrapport 2014 (*status 2014*) and the indikatorskema 2014
(*skema*), see ../shared/domain/kl-12-anbefalinger-indikatorskema-2014.md: "Cluster reports
classify each municipality's answer per indicator as Helt indfriet (grøn), Delvist indfriet
(gul) or Ikke indfriet (rød), list the municipalities by abbreviation under each class, and give
examples and the plans/needs for improvement"; "the region report shows, per indicator, the
count of Ja and Nej in each cluster (bar charts)".
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models.rounds import Category, Choice, Status
from .rules import Outcome

#: The mark after a municipality's abbreviation when the coordinator set its category by
#: judgement instead of the rules (issue 6 item 3: "the reports mark which categories were set
#: by judgement"); a legend beside it gives the reason.
JUDGEMENT_MARK = "*"

#: The order the categories are listed in (status 2014: grøn, gul, rød).
CATEGORY_ORDER = (Category.MET, Category.PARTLY, Category.NOT_MET)

#: The answers a report is built from: those the municipality has sent in (indsendt), and
#: those the coordinator has approved (godkendt). Issue 6 item 2: answers go draft → submitted →
#: returned with comments → approved; a draft, or answers sent back for changes, are the
#: municipality's work in progress, not its answer.
REPORTED_STATUSES = (Status.SUBMITTED, Status.APPROVED)

#: Suffix of an EXAMPLES item that belongs to the indicator before it (the framework data
#: numbers "Hvordan/giv eksempler" under indicator 1.1 as "1.1-eks").
EXAMPLES_SEPARATOR = "-"


def abbreviations(municipalities: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """{id: abbreviation} for (id, name, configured abbreviation or "").

    Status 2014 lists the municipalities under each category by abbreviation. A configured
    abbreviation is used as it is (the Abbreviation model keeps them unique); otherwise the
    first three letters of the name in capitals ("Køge" → "KØG"). Two fallbacks that would
    read the same, or one that reads like a configured abbreviation, take one more letter
    until they differ, so no two municipalities in one report share an abbreviation."""
    rows = list(municipalities)
    result = {pk: abbr.strip() for pk, _name, abbr in rows if abbr and abbr.strip()}
    taken = set(result.values())
    pending = [(pk, name.strip().upper()) for pk, name, abbr in rows if pk not in result]
    length = 3
    while pending:
        guesses = {pk: name[:length] or str(pk) for pk, name in pending}
        counts = Counter(guesses.values())
        left = []
        for pk, name in pending:
            guess, whole = guesses[pk], length >= len(name)
            if guess in taken and whole:
                while guess in taken:  # the same name in other letter case: the id decides
                    guess = f"{guess}#{pk}"
            elif guess in taken or (counts[guess] > 1 and not whole):
                left.append((pk, name))
                continue
            result[pk] = guess  # unique, or the whole name (the longer ones take more letters)
            taken.add(guess)
        pending = left
        length += 1
    return result


def reported(status: str) -> bool:
    """Whether a municipality's answers go into the reports (categories, examples, plans, the
    appendix, the region tallies and charts): only once it has submitted them and until they
    are sent back (issue 6 item 2: "draft → submitted → returned with comments → approved";
    status 2014 reports the municipalities' submitted answers). A municipality whose answers
    are not in is named in the report as not submitted, with its status, and nothing else."""
    return status in REPORTED_STATUSES


def preliminary(statuses: Iterable[str]) -> bool:
    """A report is preliminary ("Foreløbig rapport") while any participant's answers are not
    approved by the coordinator: submitted answers may still be sent back, and answers not
    submitted yet may still come in (issue 6 item 2)."""
    return any(s != Status.APPROVED for s in statuses)


def in_force_during(valid_from: dt.date, valid_to: dt.date | None, start: dt.date,
                    end: dt.date) -> bool:
    """Whether a purchase agreement was in force on some day of the round's period [start,
    end]. The cluster report's overview of which municipality buys from whom (skema,
    baggrundsinformation; status 2014 "køberkommuner") covers the round's period, so an
    agreement that began or ended inside it counts."""
    return valid_from <= end and (valid_to is None or valid_to >= start)


def examples_parent(number: str, indicator_numbers: Iterable[str]) -> str | None:
    """The indicator an EXAMPLES item belongs to ("1.1-eks" → "1.1"), or None when it stands
    on its own in the recommendation (skema: "Hvordan/giv eksempler" under an indicator)."""
    head, sep, _rest = number.partition(EXAMPLES_SEPARATOR)
    return head if sep and head in set(indicator_numbers) else None


@dataclass(frozen=True)
class Tally:
    """One cluster's answers to one indicator, for the region report's bar chart."""

    yes: int = 0
    partly: int = 0  # resolved answer "delvis": kept as delvist indfriet, or still open
    no: int = 0
    open: int = 0  # of `partly`: a delvis the coordinator has not resolved yet
    unanswered: int = 0
    judged: int = 0  # categories the coordinator set by judgement against the rules

    @property
    def answered(self) -> int:
        return self.yes + self.partly + self.no


def tally(outcomes: Iterable[Outcome]) -> Tally:
    """Count a cluster's answers to one indicator (status 2014: "the count of Ja and Nej in
    each cluster").

    The count is of the *resolved* answers: after the split-area rule (areas that differ count
    as nej) and the coordinator's resolution of a delvis to ja or nej. A delvis kept as
    delvist indfriet, or not resolved yet, is its own bar "Delvis" rather than being forced
    into ja or nej, so the chart never claims more than was decided. A category the
    coordinator set by judgement does not move the bars (they show what was answered); it is
    counted beside them (`judged`)."""
    counts = {"yes": 0, "partly": 0, "no": 0, "open": 0, "unanswered": 0, "judged": 0}
    for o in outcomes:
        key = {Choice.YES: "yes", Choice.PARTLY: "partly", Choice.NO: "no"}.get(o.resolved)
        counts[key or "unanswered"] += 1
        counts["open"] += bool(o.needs_resolution)
        counts["judged"] += bool(o.by_judgement)
    return Tally(**counts)


def flagged(found: Mapping[int, object]) -> list[int]:
    """The members whose answer the measured data contradicts, in the given order: {member id:
    evidence.Evidence or None} → [member id]. Issue 6 item 6: "Show the evidence … in both
    reports"; the region report counts them per cluster and names them per indicator. The flag
    is evidence.py's (rules.disagrees on the suppressed value: a hidden value never flags), so
    a count of flagged municipalities says nothing a reader could not see in the cluster
    report."""
    return [member for member, ev in found.items() if ev is not None and ev.flag]


def grouped(outcomes: Mapping[int, Outcome]) -> dict[str, list[int]]:
    """{category or "open" or "unanswered": [member ids]} in the given order: the cluster
    report's lists of municipalities under Helt, Delvist and Ikke indfriet (status 2014). A
    delvis waiting for the coordinator and an unanswered indicator are listed apart, never
    under a category the rules have not given."""
    groups: dict[str, list[int]] = {c: [] for c in CATEGORY_ORDER}
    groups["open"], groups["unanswered"] = [], []
    for member, o in outcomes.items():
        if o.category in groups:
            groups[o.category].append(member)
        elif o.needs_resolution:
            groups["open"].append(member)
        else:
            groups["unanswered"].append(member)
    return groups
