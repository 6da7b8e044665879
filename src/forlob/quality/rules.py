"""The self-assessment's rules (issue 6), as pure functions over plain facts.

Sources: KL's 12 recommendations with Region Sjælland's indikatorskema 2014 ("Udfyldelsen af
skemaet", cited as *skema*), and the aggregation rules of Region Sjælland's statusrapport 2014
(cited as *status 2014*); see ../shared/domain/kl-12-anbefalinger-indikatorskema-2014.md.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .models.rounds import Category, Choice, Status

#: Characters in one line of the Word scheme [inference: the scheme's text boxes hold about 90
#: characters per line at its font and width]; a longer paragraph counts as several lines.
LINE_CHARS = 90


def line_count(text: str) -> int:
    """Lines the text fills: each paragraph counts ceil(len / LINE_CHARS) lines, at least one;
    trailing blank lines do not count. Skema: "maks. 5 linjer"."""
    paragraphs = (text or "").rstrip().splitlines()
    return sum(max(1, math.ceil(len(p.rstrip()) / LINE_CHARS)) for p in paragraphs)


def too_long(text: str, max_lines: int | None) -> bool:
    """Whether `text` breaks the item's "maks. N linjer" (skema; None = no limit)."""
    return max_lines is not None and line_count(text) > max_lines


def combine_areas(choices: Mapping[str, str]) -> str:
    """The municipality's common answer to an indicator from its answers per area.

    Status 2014: where a municipality answered separately for alcohol and drugs and the areas
    answered an indicator differently, its common answer is "nej": taken as a whole it does not
    meet the recommendation. The same answer in every area is kept. An area that has not
    answered leaves the common answer open ("")."""
    values = list(choices.values())
    if not values or any(v not in Choice.values for v in values):
        return ""
    first = values[0]
    return first if all(v == first for v in values) else Choice.NO


@dataclass(frozen=True)
class Outcome:
    """One municipality's result on one indicator, raw answers beside the resolved category."""

    raw: tuple  # ((area, choice), ...) as answered
    combined: str  # after the split-area rule: "ja", "delvis", "nej" or "" (unanswered)
    resolved: str  # after the coordinator resolved a delvis: "ja", "nej", "delvis" or ""
    category: str | None  # Category value, None while unanswered
    by_rule: str | None  # the category the rules give, before any judgement
    by_judgement: bool  # the category was set by the coordinator against the rules
    reason: str  # the recorded reason for a delvis resolution or a judgement
    needs_resolution: bool  # a delvis still waiting for the coordinator
    areas_differ: bool  # split areas answered differently (common answer forced to nej)


def category_for(resolved: str) -> str | None:
    """Status 2014 classes: ja → Helt indfriet (grøn); delvis kept → Delvist indfriet (gul);
    nej → Ikke indfriet (rød)."""
    return {Choice.YES: Category.MET, Choice.PARTLY: Category.PARTLY,
            Choice.NO: Category.NOT_MET}.get(resolved)


def outcome(choices: Mapping[str, str], delvis_to: str = "", override: str = "",
            delvis_reason: str = "", override_reason: str = "") -> Outcome:
    """One indicator's outcome for one municipality.

    1. Split areas that differ make the answer "nej" (status 2014).
    2. A "delvis" is resolved by the coordinator to "ja" or "nej" from the supplementary
       answers, or kept as delvist indfriet; the reason is recorded (status 2014: "ja if the
       municipality seemed to be in line with the others who said ja, otherwise nej").
    3. The category follows the resolved answer, unless the coordinator set another one with a
       recorded reason (the clusters judged e.g. a køberkommune's "nej" met through its
       purchase agreement)."""
    raw = tuple(sorted(choices.items()))
    combined = combine_areas(choices)
    differ = len(set(choices.values())) > 1 and all(v in Choice.values for v in choices.values())
    resolved = combined
    needs = False
    reason = ""
    if combined == Choice.PARTLY:
        if delvis_to in Choice.values:
            resolved, reason = delvis_to, delvis_reason
        else:
            needs = True
    by_rule = category_for(resolved) if not needs else None
    category = by_rule
    judged = False
    if override in Category.values and combined:
        judged = override != by_rule
        category = override
        reason = override_reason or reason
    return Outcome(raw=raw, combined=combined, resolved=resolved, category=category,
                   by_rule=by_rule, by_judgement=judged, reason=reason,
                   needs_resolution=needs and not judged, areas_differ=differ)


#: Colours of the categories in reports and forms (status 2014: grøn, gul, rød), as DKFDS
#: alert variants so colour is never the only cue (WCAG 1.4.1: the label is always shown).
COLOURS = {Category.MET: "success", Category.PARTLY: "warning", Category.NOT_MET: "error"}


def colour(category: str | None) -> str:
    return COLOURS.get(category, "")


def plan_required(indicator_choices: Iterable[str]) -> bool:
    """A "plan for løsning" is required where the municipality cannot tick an indicator of the
    recommendation (skema: "Plan for løsning: hvor kommunen ikke kan sætte kryds")."""
    return any(c in (Choice.PARTLY, Choice.NO) for c in indicator_choices)


#: Status moves (issue 6 item 2): draft → submitted → returned with comments → (draft again
#: while being corrected) → submitted → approved. Approved is final.
TRANSITIONS = {
    Status.DRAFT: {Status.SUBMITTED},
    Status.RETURNED: {Status.SUBMITTED},
    Status.SUBMITTED: {Status.RETURNED, Status.APPROVED},
    Status.APPROVED: set(),
}


def may_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, set())


def editable(status: str) -> bool:
    """The municipality edits its answers while they are a draft or returned to it."""
    return status in (Status.DRAFT, Status.RETURNED)


def disagrees(choice: str, value: float | None, threshold: float) -> bool:
    """Measured evidence against a self-assessed "ja" (issue 6 item 6): the answer claims the
    indicator is met, while the municipality's own data for the round's period shows the share
    below `threshold`. No value (no data, or suppressed) never flags: absence of data is not
    evidence, and a flag on a hidden share would narrow down the hidden count (whether it
    appears must follow from what is shown alone)."""
    return choice == Choice.YES and value is not None and value < threshold



def overdue(deadline, today, done: bool) -> bool:
    """Whether a municipality (or, with `done` meaning everyone has submitted, a round) is
    missing answers after the round's deadline. Issue 6 item 2: the coordinator sees who has
    not answered by the deadline. The deadline day itself is still in time; answers
    submitted (or approved) are never overdue, whenever they came in."""
    return not done and today > deadline
