"""Measured evidence beside a self-assessed answer (issue 6 item 6).

Where a KPI measures what an indicator claims (rules_evidence.PAIRS), the municipality's value
for the round's period is computed through the indicators catalogue with
Filters(municipalities={m}) and shown ALWAYS suppressed (indicators.presentation, as a leader
or coordinator sees figures): a round crosses the personal-data scope. A "ja" the data
contradicts is flagged (rules.disagrees); a suppressed value never flags.

The figures are aggregates with small cells suppressed, so reading them is not audited as a
read of personal data (as the indicator dashboard for leaders and coordinators).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forlob.indicators.catalogue import CATALOGUE, Value
from forlob.indicators.filters import Filters
from forlob.indicators.presentation import figure, shown_value

from . import rules_evidence
from .models import Item, ItemKind, Participant
from .outcomes import indicators, round_outcomes
from .rules import combine_areas, disagrees


@dataclass(frozen=True)
class Evidence:
    item_number: str  # "5.2" or an anvisning "3.12.1"
    kpi_code: str  # indicators.catalogue code
    name: str  # the KPI's name in the current language
    shown: str  # the value as shown, suppressed where needed ("12 %", "–", "skjult …")
    value: float | None  # the shown value (None when no data or suppressed)
    #: The answer disagrees with the data (rules.disagrees), on this line or a further one.
    flag: bool
    #: e.g. "Svaret er ja, men 12 % af …"; the texts of every flagged line, joined.
    flag_text: str
    hidden: bool = False  # there is a value, but suppression hides it
    denominator: str = ""  # the denominator as shown ("25", "<5"), "" when none
    threshold: float | None = None  # below this a "ja" is flagged (rules_evidence)
    source: str = ""  # the pair's source (rules_evidence.Pair.source)
    #: Further lines under the same item (5.2: follow-up after 6 months beside 1 month).
    further: tuple = ()

    @property
    def lines(self) -> tuple["Evidence", ...]:
        """This line and the further ones, for templates listing every measured value."""
        return (self, *self.further)


def _municipality_id(municipality) -> int:
    return getattr(municipality, "pk", municipality)


def _choice(answer) -> str:
    """An answer as given: a resolved choice, or a mapping area → choice (combined by the
    split-area rule)."""
    if isinstance(answer, Mapping):
        return combine_areas(answer)
    return answer or ""


def _line(pair: rules_evidence.Pair, v: Value, choice: str) -> Evidence:
    kpi = CATALOGUE[pair.kpi]
    shown = figure(kpi, v, suppress=True)
    value = shown_value(v, suppress=True)
    # A hidden share never flags (rules.disagrees gets None): whether a flag appears must
    # follow from what is shown alone, or its absence would narrow down the hidden count
    # (issue 5 item 4). The reader is told that the answer cannot be checked against the data.
    text = (_("skjult af hensyn til små tal – svaret kan ikke vurderes mod data")
            if shown.hidden else shown.value)
    flag = disagrees(choice, value, pair.threshold)
    flag_text = str(pair.flag_text) % {"value": shown.value} if flag else ""
    return Evidence(
        item_number=pair.item, kpi_code=pair.kpi, name=str(kpi.name(get_language())),
        shown=text, value=value, flag=flag, flag_text=flag_text,
        hidden=shown.hidden, denominator=shown.denominator, threshold=pair.threshold,
        source=pair.source)


def _build(rnd, municipality_id: int, pairs, answers: Mapping) -> dict[str, Evidence]:
    """One compute per KPI for the municipality over the round's period, then one Evidence
    per item (its first pair the main line, the others further lines)."""
    filters = Filters(start=rnd.period_start, end=rnd.period_end,
                      municipalities=frozenset({municipality_id}))
    values: dict[str, Value] = {}
    lines: dict[str, list[Evidence]] = {}
    for pair in pairs:
        if pair.kpi not in CATALOGUE:
            continue
        if pair.kpi not in values:
            values[pair.kpi] = CATALOGUE[pair.kpi].compute(filters)
        lines.setdefault(pair.item, []).append(
            _line(pair, values[pair.kpi], _choice(answers.get(pair.item))))
    result = {}
    for number, (main, *further) in lines.items():
        flagged = [line for line in (main, *further) if line.flag]
        result[number] = replace(
            main, flag=bool(flagged), flag_text=" ".join(line.flag_text for line in flagged),
            further=tuple(further))
    return result


def _answerable_numbers(framework) -> set[str]:
    return set(Item.objects.filter(section__framework=framework, kind=ItemKind.INDICATOR,
                                   section__greyed=False).values_list("number", flat=True))


def evidence_for(rnd, municipality, answers=None) -> dict[str, Evidence]:
    """{item number: Evidence} for one municipality over the round's period. `answers` maps
    item number → resolved choice (or → {area: choice}) for the flag; without it no flag is
    raised. Only the round's framework's answerable indicators that a KPI measures."""
    numbers = _answerable_numbers(rnd.framework)
    pairs = [p for p in rules_evidence.pairs_for(rnd.framework.code) if p.item in numbers]
    if not pairs:
        return {}
    return _build(rnd, _municipality_id(municipality), pairs, answers or {})


def evidence_for_round(rnd, numbers: Iterable[str] | None = None,
                       participants=None) -> dict[tuple[int, str], Evidence]:
    """{(municipality id, item number): Evidence} for every participant of the round (or the
    given ones), flagged against the resolved answers (outcomes.round_outcomes: split areas
    and the coordinator's delvis resolutions applied). `numbers` limits the items (a page of a
    report). One compute per KPI per municipality."""
    items = {i.pk: i.number for i in indicators(rnd.framework)}
    pairs = [p for p in rules_evidence.pairs_for(rnd.framework.code, numbers)
             if p.item in set(items.values())]
    if not pairs:
        return {}
    participants = list(participants if participants is not None
                        else Participant.objects.filter(round=rnd))
    outcomes = round_outcomes(rnd, participants)
    result = {}
    for participant in participants:
        answers = {items[item_id]: o.resolved for (pid, item_id), o in outcomes.items()
                   if pid == participant.pk}
        for number, ev in _build(rnd, participant.municipality_id, pairs, answers).items():
            result[(participant.municipality_id, number)] = ev
    return result
