"""Rules for importing self-assessment answers from a file (issue 6 item 8), as pure functions
over plain facts: what the file says (AnswerFile, read by exchange.py / exchange_xlsx.py) and
what the round's framework and participants are. They return every problem at once, each with
where it is in the file (row number or JSON path), the item number and a Danish message, so
the import can refuse the whole file with a report (issue 6, "Bad input": "An import is all or
nothing, with a report of each problem line").

Sources: the scheme's answer types and "maks. 5 linjer" (indikatorskema 2014, "Udfyldelsen af
skemaet"; rules.too_long), greyed recommendations 3, 4, 8 and 11 that are not answered (same),
the areas alkohol / stof / unge (same: "nogle kommuner besvarer ét skema pr. område"), and
issue 6 "Bad input": an import file whose items do not match the framework version is refused.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models.rounds import AREAS, Area, Choice
from .rules import editable
from .rules_submission import AnswerFacts, ItemFacts, answer_problems

#: The file format's name and version, written into every export and required on import.
FORMAT = "forlob-kvalitet-svar"
FORMAT_VERSION = 1

#: Largest file accepted (bytes). A whole region's round is well below 1 MB [inference: 17
#: municipalities × about 80 items × 3 areas × 5 lines of text].
MAX_BYTES = 2 * 1024 * 1024
#: Largest number of answer lines in one file, and of characters in one text [inference:
#: sanity bounds far above any real round; they keep a hostile file from exhausting memory].
MAX_ROWS = 20_000
MAX_TEXT_CHARS = 10_000

#: Echoed values (an unknown item number, a choice) are cut to this length in messages.
ECHO_CHARS = 40


class ImportRefused(Exception):
    """The file is refused as a whole, with every problem; nothing was written."""

    def __init__(self, problems):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


@dataclass(frozen=True)
class Problem:
    """One problem line of the import report."""

    where: str  # "Svar, række 7" or "participants[0].answers[3].choice"
    item: str  # the item number the line is about, or ""
    message: str


@dataclass
class Row:
    """One answer line of the file: an item in an area, with its values as read."""

    where: str  # where the line is, for the report
    item: str
    area: str
    choice: str = ""
    text: str = ""
    ticks: tuple[str, ...] = ()
    #: Where each value sits, when that differs from `where` (JSON paths of the fields).
    paths: dict = field(default_factory=dict)

    def at(self, name: str) -> str:
        return self.paths.get(name, self.where)


@dataclass
class FilePart:
    """One municipality's part of the file: its background and its answer lines."""

    where: str
    municipality: str  # the municipality code
    areas: tuple[str, ...] = ()
    buyer: bool = False
    rows: list[Row] = field(default_factory=list)


@dataclass
class AnswerFile:
    """A file as read, before the rules: the framework it was written for and its parts."""

    framework_code: str = ""
    framework_version: str = ""
    where_framework: str = ""
    parts: list[FilePart] = field(default_factory=list)


def echo(value) -> str:
    """A value from the file, safe and short enough to repeat in a message."""
    text = str(value)
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = "".join(c if c.isprintable() else "?" for c in text)
    return text if len(text) <= ECHO_CHARS else text[:ECHO_CHARS - 1] + "…"


def bad_characters(text: str) -> bool:
    """Text no database column can hold: NUL characters and lone surrogates (a JSON file can
    carry both as escapes)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def normal_choice(value: str) -> str | None:
    """The answer to an indicator as stored ("ja", "delvis", "nej", or "" for none), from what
    a person may type in a spreadsheet ("Ja ", "NEJ"); None when it is none of them (skema:
    indicators are answered ja, nej or delvis)."""
    value = (value or "").strip().casefold()
    if value == "":
        return ""
    return value if value in Choice.values else None


def normal_areas(values: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """(the areas in the scheme's order, the unknown ones). No areas: the municipality answers
    as a whole (skema: one scheme per area only where the effort differs)."""
    given = {(v or "").strip().casefold() for v in values} - {""}
    known = tuple(a.value for a in AREAS if a.value in given)
    unknown = sorted(given - set(Area.values))
    return known, unknown


def section_of(number: str, sections: Sequence[str]) -> str | None:
    """The section an item number belongs to: the longest section number that is the item
    number or its prefix before a dot ("3.4.1" → "3.4", "5.2" → "5")."""
    best = None
    for s in sections:
        if (number == s or number.startswith(s + ".")) and (best is None or len(s) > len(best)):
            best = s
    return best


def framework_problem(doc: AnswerFile, code: str, version: str) -> Problem | None:
    """The file must be written for the round's framework and version (issue 6, "Bad input":
    an import file whose items do not match the framework version)."""
    if (doc.framework_code, doc.framework_version) == (code, version):
        return None
    return Problem(doc.where_framework, "", _(
        "Filen er til rammeværket %(file_code)s version %(file_version)s, men runden bruger "
        "%(code)s version %(version)s. Eksportér en skabelon fra runden, og brug den.") % {
        "file_code": echo(doc.framework_code) or "–",
        "file_version": echo(doc.framework_version) or "–", "code": code, "version": version})


def part_problems(part: FilePart, targets: Mapping[str, str], only: str | None) -> list[Problem]:
    """The part's municipality must take part in the round with answers that can still be
    changed (rules.editable); a municipality's own import holds only its own part."""
    code = part.municipality
    if only is not None and code != only:
        return [Problem(part.where, "", _(
            "Filen indeholder svar for kommunekode %(code)s, men du importerer til kommune "
            "%(only)s. Filen må kun indeholde én kommunes svar.") % {
            "code": echo(code) or "–", "only": only})]
    if code not in targets:
        return [Problem(part.where, "", _(
            "Kommunekode %(code)s deltager ikke i runden.") % {"code": echo(code) or "–"})]
    if not editable(targets[code]):
        return [Problem(part.where, "", _(
            "Kommunekode %(code)s har indsendt eller fået godkendt sine svar. De kan ikke "
            "ændres ved import, før koordinatoren sender dem retur.") % {"code": code})]
    return []


#: Which value of the line a problem of rules_submission.answer_problems is about.
_FIELD_OF_CODE = {"greyed": "item", "choice": "choice", "too_long": "text", "tick": "ticks"}


def row_problems(row: Row, areas: Sequence[str], items: Mapping[str, ItemFacts],
                 sections: Mapping[str, bool], other_versions: Mapping[str, Sequence[str]],
                 ) -> list[Problem]:
    """The problems of one answer line: the file's own (an item number the round's framework
    version does not hold, an unknown area or one the municipality does not answer, a choice
    that is not ja/delvis/nej, characters no database holds), then the same checks as a draft
    saved on the answer page (rules_submission.answer_problems: an answer to a greyed
    recommendation, a choice on an item that is no indicator, text over "maks. 5 linjer",
    ticks outside the tick-list).

    `areas` are the areas the municipality answers ([""] as a whole), `items` the round's
    framework items by number, `sections` every section number → greyed, and `other_versions`
    item numbers of other versions of the same framework → those versions."""
    number = row.item
    if not number:
        return [Problem(row.at("item"), "", _("Punktnummeret mangler."))]
    item = items.get(number)
    if item is None:
        section = section_of(number, list(sections))
        if section is not None and sections[section]:
            message = _("Anbefaling %(section)s er grå og besvares ikke.") % {
                "section": section}
        elif number in other_versions:
            message = _("Punktet findes ikke i rundens version af rammeværket, kun i version "
                        "%(versions)s.") % {"versions": ", ".join(other_versions[number])}
        else:
            message = _("Ukendt punktnummer.")
        return [Problem(row.at("item"), echo(number), message)]
    problems = []

    def add(name, message):
        problems.append(Problem(row.at(name), number, message))

    area = row.area
    if area not in Area.values:
        add("area", _("Ukendt område »%(area)s«. Brug alkohol, stof, unge eller tomt for hele "
                      "kommunen.") % {"area": echo(area)})
    elif area not in areas:
        if list(areas) == [Area.WHOLE]:
            add("area", _("Kommunen svarer samlet, men linjen er til området »%(area)s«.")
                % {"area": area})
        else:
            add("area", _("Kommunen svarer opdelt på %(areas)s; linjen skal have et af "
                          "områderne.") % {"areas": ", ".join(areas)})
    choice = normal_choice(row.choice)
    if choice is None:
        add("choice", _("Svaret »%(choice)s« er ikke ja, delvis eller nej.")
            % {"choice": echo(row.choice)})
    if bad_characters(row.text):
        add("text", _("Teksten indeholder ugyldige tegn."))
    elif len(row.text) > MAX_TEXT_CHARS:
        add("text", _("Teksten er for lang (højst %(n)s tegn).") % {"n": MAX_TEXT_CHARS})
    if problems:
        return problems
    facts = AnswerFacts(number=number, area=area, choice=choice, text=row.text,
                        ticks=tuple(row.ticks))
    for p in answer_problems(item, facts):
        add(_FIELD_OF_CODE.get(p.code, "item"), p.message)
    return problems


def check(doc: AnswerFile, *, code: str, version: str, items: Mapping[str, ItemFacts],
          sections: Mapping[str, bool], other_versions: Mapping[str, Sequence[str]],
          targets: Mapping[str, str], only: str | None = None) -> list[Problem]:
    """Every problem of the file, for a round of framework `code` `version`.

    `targets` maps the round's municipality codes to their participation's status; `only` is
    the municipality code of a municipality's own import (None for the coordinator's import of
    the round). An empty list means the file may be imported."""
    wrong = framework_problem(doc, code, version)
    if wrong:
        return [wrong]
    if not doc.parts:
        return [Problem(doc.where_framework, "", _("Filen indeholder ingen kommuners svar."))]
    problems: list[Problem] = []
    seen_parts: set[str] = set()
    for part in doc.parts:
        if part.municipality in seen_parts:
            problems.append(Problem(part.where, "", _(
                "Kommunekode %(code)s står mere end én gang.") % {"code": echo(part.municipality)}))
            continue
        seen_parts.add(part.municipality)
        found = part_problems(part, targets, only)
        problems += found
        if found:
            continue
        known, unknown = normal_areas(part.areas)
        for area in unknown:
            problems.append(Problem(part.where, "", _(
                "Ukendt område »%(area)s«. Brug alkohol, stof eller unge.") % {
                "area": echo(area)}))
        if len(known) == 1:
            problems.append(Problem(part.where, "", _(
                "Vælg mindst to områder, eller besvar for hele kommunen.")))
        areas = list(known) or [Area.WHOLE]
        seen_rows: set[tuple[str, str]] = set()
        for row in part.rows:
            key = (row.item, row.area)
            if row.item and key in seen_rows:
                problems.append(Problem(row.where, echo(row.item), _(
                    "Punktet står mere end én gang for samme område.")))
                continue
            seen_rows.add(key)
            problems += row_problems(row, areas, items, sections, other_versions)
    return problems


def answer_values(row: Row) -> dict:
    """The values an answer line stores (call only on a line without problems)."""
    return {"choice": normal_choice(row.choice) or "", "text": row.text,
            "ticks": list(dict.fromkeys(row.ticks))}
