"""What stands in the way of a municipality's answers (issue 6 item 2 and "Bad input"), as pure
functions over plain facts: no models, no database.

Sources: Region Sjælland's indikatorskema 2014, "Udfyldelsen af skemaet" (cited as *skema*):
the municipalities answer the recommendations that concern them (1, 2, 5, 6, 7, 9, 10, 12); the
others are greyed and not answered; indicators are ticked (ja, in practice also nej and delvis);
follow-up questions and plans are answered in at most 5 lines; where the municipality cannot
tick an indicator, it describes its plan for løsning. Where a municipality answers separately
per area (alkohol, stof, unge), each area is a scheme of its own, so every check runs per area.

`answer_problems` checks one answer (used when a draft is saved and by imports);
`submission_problems` checks a whole submission; `progress` counts the mandatory answers.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from . import rules
from .models.frameworks import ItemKind
from .models.rounds import Area, Choice


@dataclass(frozen=True)
class ItemFacts:
    number: str  # "5.2"
    section: str  # the recommendation's number, "5"
    kind: str  # ItemKind value
    mandatory: bool = False
    greyed: bool = False  # the section is greyed (skema: not answered)
    max_lines: int | None = None
    options: tuple[str, ...] = ()  # a tick-list's options


@dataclass(frozen=True)
class AnswerFacts:
    number: str
    area: str = Area.WHOLE
    choice: str = ""
    text: str = ""
    ticks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Problem:
    """Why an answer, or a submission, is refused: where (item number, area) and a message."""

    number: str
    area: str
    code: str  # one of CODES
    message: str


CODES = ("greyed", "choice", "too_long", "tick", "unanswered", "plan_missing")


def area_label(area: str) -> str:
    return str(Area(area).label) if area in Area.values else area


def _where(number: str, area: str) -> str:
    if area:
        return _("%(number)s (%(area)s)") % {"number": number, "area": area_label(area)}
    return number


def is_answered(item: ItemFacts, answer: AnswerFacts | None) -> bool:
    """An indicator is answered by its choice, a tick-list by a tick, the rest by text."""
    if answer is None:
        return False
    if item.kind == ItemKind.INDICATOR:
        return answer.choice in Choice.values
    if item.kind == ItemKind.TICKLIST:
        return bool(answer.ticks)
    return bool(answer.text.strip())


def is_empty(answer: AnswerFacts) -> bool:
    return not (answer.choice or answer.text.strip() or answer.ticks)


def answer_problems(item: ItemFacts, answer: AnswerFacts) -> list[Problem]:
    """Problems of one answer on its own, whatever the rest of the scheme holds:

    - an answer to a greyed recommendation (skema: recommendations 3, 4, 8 and 11 are aimed at
      KL, the state or the regions and are not answered);
    - a choice other than ja, delvis or nej, or a choice on an item that is not an indicator
      (skema: indicators are ticked; the other items are text or ticks);
    - text over the item's "maks. 5 linjer" (skema; rules.too_long);
    - a tick that is not one of the tick-list's options (skema 9.3: Medicinsk / Psykosocial).

    An empty answer is never a problem here (leaving an item blank is what `submission_problems`
    judges)."""
    where = _where(item.number, answer.area)
    found = []

    def add(code, message):
        found.append(Problem(item.number, answer.area, code, message))

    if item.greyed:
        if not is_empty(answer):
            add("greyed", _("%(where)s: anbefalingen er grå og besvares ikke af kommunerne.")
                % {"where": where})
        return found
    if answer.choice and (item.kind != ItemKind.INDICATOR or answer.choice not in Choice.values):
        add("choice", _("%(where)s: svaret skal være ja, delvis eller nej.") % {"where": where})
    if answer.text and rules.too_long(answer.text, item.max_lines):
        add("too_long", _("%(where)s: teksten fylder %(lines)s linjer; der er plads til højst "
                          "%(max)s.") % {"where": where, "lines": rules.line_count(answer.text),
                                          "max": item.max_lines})
    if answer.ticks:
        outside = [t for t in answer.ticks if t not in item.options]
        if item.kind != ItemKind.TICKLIST or outside:
            add("tick", _("%(where)s: kan kun afkrydses med %(options)s.")
                % {"where": where,
                   "options": ", ".join(item.options) if item.options else _("ingen valg")})
    return found


def _by_key(answers: Iterable[AnswerFacts]) -> dict[tuple[str, str], AnswerFacts]:
    return {(a.number, a.area): a for a in answers}


def submission_problems(items: Iterable[ItemFacts], answers: Iterable[AnswerFacts],
                        areas: Iterable[str]) -> list[Problem]:
    """Everything that stands in the way of submitting, item by item and area by area:

    - any answer to a greyed recommendation, and every answer's own problems in the areas
      answered (`answer_problems`);
    - a mandatory item unanswered in an area the municipality answers (skema: the
      municipality answers the recommendations that concern it);
    - a plan for løsning missing where an indicator of the recommendation is not ja in that area
      (skema: "Plan for løsning: hvor kommunen ikke kan sætte kryds"; rules.plan_required)."""
    items = list(items)
    areas = list(areas) or [Area.WHOLE]
    given = _by_key(answers)
    known = {i.number: i for i in items}
    found: list[Problem] = []
    for (number, _area), answer in given.items():
        item = known.get(number)
        if item is not None and item.greyed:
            found += answer_problems(item, answer)
    by_section: dict[str, list[ItemFacts]] = {}
    for item in items:
        if not item.greyed:
            by_section.setdefault(item.section, []).append(item)
    for section_items in by_section.values():
        for area in areas:
            choices = [given[(i.number, area)].choice for i in section_items
                       if i.kind == ItemKind.INDICATOR and (i.number, area) in given]
            needs_plan = rules.plan_required(choices)
            for item in section_items:
                answer = given.get((item.number, area))
                where = _where(item.number, area)
                if answer is not None:
                    found += answer_problems(item, answer)
                if item.kind == ItemKind.PLAN and needs_plan and not is_answered(item, answer):
                    found.append(Problem(item.number, area, "plan_missing", _(
                        "%(where)s: beskriv en plan for løsning, fordi en indikator under "
                        "anbefalingen ikke er besvaret ja.") % {"where": where}))
                elif item.mandatory and not is_answered(item, answer):
                    found.append(Problem(item.number, area, "unanswered", _(
                        "%(where)s: skal besvares, før svarene kan indsendes.")
                        % {"where": where}))
    return found


def progress(items: Iterable[ItemFacts], answers: Iterable[AnswerFacts],
             areas: Iterable[str]) -> tuple[int, int]:
    """(answered, total) mandatory items over the areas answered; greyed items never count."""
    given = _by_key(answers)
    areas = list(areas) or [Area.WHOLE]
    mandatory = [i for i in items if i.mandatory and not i.greyed]
    answered = sum(1 for i in mandatory for a in areas if is_answered(i, given.get((i.number, a))))
    return answered, len(mandatory) * len(areas)


def carry_over(old_areas: Iterable[str], new_areas: Iterable[str],
               answers: Mapping[tuple[str, str], AnswerFacts]) -> dict[tuple[str, str],
                                                                         AnswerFacts]:
    """The answers after the municipality changes how it splits its answers (issue 6 item 2:
    "as a whole or split by area").

    Areas kept keep their answers. Going from the whole municipality to areas copies the
    whole-municipality answers into every new area as a starting point (the same scheme, now
    per area). Going from areas to the whole municipality keeps an answer that every former
    area gave identically. Anything else of an area no longer answered is dropped (the history
    keeps it)."""
    old = list(old_areas) or [Area.WHOLE]
    new = list(new_areas) or [Area.WHOLE]
    result = {}
    for (number, area), a in answers.items():
        if area in new:
            result[(number, area)] = a
    if old == [Area.WHOLE] and new != [Area.WHOLE]:
        for (number, area), a in answers.items():
            if area == Area.WHOLE:
                for target in new:
                    result.setdefault((number, target), AnswerFacts(
                        number, target, a.choice, a.text, tuple(a.ticks)))
    elif new == [Area.WHOLE] and old != [Area.WHOLE]:
        numbers = {number for (number, area) in answers if area in old}
        for number in sorted(numbers):
            per_area = [answers.get((number, area)) for area in old]
            if all(p is not None for p in per_area):
                first = per_area[0]
                same = all((p.choice, p.text, tuple(p.ticks))
                           == (first.choice, first.text, tuple(first.ticks)) for p in per_area)
                if same:
                    result.setdefault((number, Area.WHOLE), AnswerFacts(
                        number, Area.WHOLE, first.choice, first.text, tuple(first.ticks)))
    return result
