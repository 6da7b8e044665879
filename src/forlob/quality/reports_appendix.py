"""The cluster report's appendix (issue 6 item 4): each municipality's own answers as given,
item by item and area by area, before any aggregation rule (status 2014 puts "den enkelte
klyngekommunes input" in an appendix to the cluster reports)."""

from dataclasses import dataclass

from .models import Area, Choice, ItemKind


@dataclass(frozen=True)
class AnswerLine:
    number: str
    text: str
    kind: str
    given: tuple[tuple[str, str], ...]  # (area label, "" for the whole municipality; shown)


@dataclass(frozen=True)
class AppendixSection:
    number: str
    title: str
    lines: tuple[AnswerLine, ...]


@dataclass(frozen=True)
class Appendix:
    member: object  # reports.Member
    sections: tuple[AppendixSection, ...]

    @property
    def anchor(self) -> str:
        return f"bilag-{self.member.municipality_id}"


def area_label(area: str) -> str:
    """The area's label, "" for the whole municipality."""
    return "" if area == Area.WHOLE else str(Area(area).label) if area in Area.values else area


def shown(item, answer) -> str:
    """An answer as written in the scheme: the choice, the text, or the ticks; "–" when
    nothing is given."""
    if answer is None:
        return "–"
    if item.kind == ItemKind.INDICATOR:
        return str(Choice(answer.choice).label) if answer.choice in Choice.values else "–"
    if item.kind == ItemKind.TICKLIST:
        return ", ".join(str(t) for t in answer.ticks) or "–"
    return answer.text.strip() or "–"


def appendix(participant, member, sections, answers) -> Appendix:
    """`sections` with their items prefetched; `answers` as reports.answers_of. Greyed
    recommendations are not answered (skema) and are left out."""
    areas = participant.answer_areas()
    result = []
    for section in sections:
        if section.greyed:
            continue
        lines = []
        for item in section.items.all():
            given = tuple((area_label(area),
                           shown(item, answers.get((participant.pk, item.pk, area))))
                          for area in areas)
            lines.append(AnswerLine(item.number, item.text, item.kind, given))
        result.append(AppendixSection(section.number, section.title, tuple(lines)))
    return Appendix(member, tuple(result))
