"""Import and export of self-assessment answers (issue 6 item 8), so earlier rounds held in Word
or Excel can be loaded and compared.

One format in two encodings, JSON (here) and XLSX (exchange_xlsx.py); both are described in
docs/quality.md ("Import og eksport"). An export holds the framework's code and version, the
round, and per municipality its areas, the køberkommune flag and one line per answerable item
and area (blank where not answered), so an export doubles as the template to fill in.

An import reads the file into plain facts (rules_exchange.AnswerFile), checks them all at once
(rules_exchange.check) and either writes everything in one transaction, with a
ParticipantEvent holding every change, or nothing and answers the problem report. An imported
change of an indicator's answer deletes the coordinator's resolution on it in the same
transaction, kept in the same event (services_rounds.drop_resolutions). The answers hold no
personal data and are not audited as such.
"""

import json
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from forlob import clock
from forlob.locking import StaleRecord, save_versioned

from . import exchange_xlsx
from .models import Answer, Item, Participant, ParticipantEvent, Section
from .rules_exchange import (
    FORMAT,
    FORMAT_VERSION,
    MAX_BYTES,
    MAX_ROWS,
    AnswerFile,
    FilePart,
    ImportRefused,
    Problem,
    Row,
    answer_values,
    bad_characters,
    check,
    echo,
    normal_areas,
)
from .services_rounds import BACKGROUND, RESOLUTION, drop_resolutions, item_facts, items_of

JSON_TYPE = "application/json"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Imported:
    """What an import changed: per municipality code the number of answers changed."""

    changed: dict  # {municipality code: number of answer lines changed}
    events: list  # the ParticipantEvents written

    @property
    def total(self) -> int:
        return sum(self.changed.values())


# --- Export -----------------------------------------------------------------------------------

def answerable_items(framework) -> list[Item]:
    """The items a municipality answers, in the scheme's order (greyed sections left out)."""
    return [i for i in items_of(framework) if not i.section.greyed]


def document(rnd, participants) -> dict:
    """The export of `participants` of round `rnd` as a JSON-ready dict (the format's one
    description: docs/quality.md)."""
    fw = rnd.framework
    items = answerable_items(fw)
    participants = list(participants)
    answers = {}
    for a in Answer.objects.filter(participant__in=participants).select_related("item"):
        answers[(a.participant_id, a.item_id, a.area)] = a
    parts = []
    for p in participants:
        lines = []
        for item in items:
            for area in p.answer_areas():
                a = answers.get((p.pk, item.pk, area))
                lines.append({"item": item.number, "area": area,
                              "choice": a.choice if a else "", "text": a.text if a else "",
                              "ticks": list(a.ticks or []) if a else []})
        parts.append({"municipality": p.municipality.code,
                      "municipality_name": p.municipality.name, "areas": list(p.areas),
                      "buyer": p.buyer, "status": p.status, "answers": lines})
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "framework": {"code": fw.code, "version": fw.version, "name": fw.name},
            "round": {"name": rnd.name, "period_start": rnd.period_start.isoformat(),
                      "period_end": rnd.period_end.isoformat()},
            "exported_at": clock.now().isoformat(timespec="seconds"),
            "participants": parts}


def questions(framework) -> dict[str, tuple[str, str]]:
    """{item number: (kind label, item text)} for the XLSX's explanatory columns."""
    return {i.number: (str(i.get_kind_display()), i.text) for i in answerable_items(framework)}


def export_json(rnd, participants) -> bytes:
    return json.dumps(document(rnd, participants), ensure_ascii=False, indent=2).encode()


def export_xlsx(rnd, participants) -> bytes:
    return exchange_xlsx.write(document(rnd, participants), questions(rnd.framework))


def filename(rnd, participant=None, ext="json") -> str:
    who = participant.municipality.code if participant is not None else f"runde-{rnd.pk}"
    return f"kvalitet-svar-{rnd.framework.code}-{rnd.framework.version}-{who}.{ext}"


# --- Reading a file ---------------------------------------------------------------------------

def read(data: bytes) -> AnswerFile:
    """The file as plain facts, whatever its encoding (XLSX by its zip signature, else JSON).
    Raises ImportRefused for a file that cannot be read at all."""
    if len(data) > MAX_BYTES:
        raise ImportRefused([Problem("", "", _("Filen er for stor (højst %(mb)s MB).")
                                     % {"mb": MAX_BYTES // (1024 * 1024)})])
    if not data:
        raise ImportRefused([Problem("", "", _("Filen er tom."))])
    if data.startswith(b"PK\x03\x04"):
        return exchange_xlsx.read(data)
    return read_json(data)


def _refuse(where, message):
    raise ImportRefused([Problem(where, "", message)])


def read_json(data: bytes) -> AnswerFile:
    """A JSON file in the export's format (docs/quality.md). Every value's type is checked;
    a wrong one is reported at its JSON path."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse("", _("Filen er hverken en XLSX-fil eller en JSON-fil (UTF-8)."))
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        _refuse("", _("Filen er hverken en XLSX-fil eller gyldig JSON."))
    return from_document(doc)


class _Reader:
    """Type checks of a decoded JSON document; problems are collected, not raised, so the
    report lists them all."""

    def __init__(self):
        self.problems: list[Problem] = []

    def fail(self, path, message, item=""):
        self.problems.append(Problem(path, item, message))

    def string(self, obj, key, path, required=False) -> str:
        value = obj.get(key, None)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", _("Værdien mangler."))
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # "5.2" typed as a number, a municipality code as 269
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", _("Værdien skal være tekst."))
            return ""
        if key != "text" and bad_characters(value):
            self.fail(f"{path}.{key}", _("Værdien indeholder ugyldige tegn."))
            return ""
        return value

    def strings(self, obj, key, path) -> tuple[str, ...]:
        value = obj.get(key, None)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(f"{path}.{key}", _("Værdien skal være en liste af tekster."))
            return ()
        return tuple(value)

    def object(self, value, path) -> dict | None:
        if not isinstance(value, dict):
            self.fail(path, _("Værdien skal være et objekt ({…})."))
            return None
        return value

    def array(self, obj, key, path) -> list:
        value = obj.get(key, None)
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", _("Værdien skal være en liste ([…])."))
            return []
        return value


def from_document(doc) -> AnswerFile:
    """The decoded JSON document as plain facts; ImportRefused listing every shape problem."""
    r = _Reader()
    top = r.object(doc, "$")
    if top is None:
        raise ImportRefused(r.problems)
    if top.get("format") != FORMAT or top.get("format_version") != FORMAT_VERSION:
        _refuse("$.format", _("Filen er ikke i Forløbs format for svar (format "
                              "%(format)s, version %(version)s).")
                % {"format": FORMAT, "version": FORMAT_VERSION})
    fw = r.object(top.get("framework"), "$.framework") or {}
    result = AnswerFile(framework_code=r.string(fw, "code", "$.framework", required=True),
                        framework_version=r.string(fw, "version", "$.framework", required=True),
                        where_framework="$.framework")
    count = 0
    for i, raw in enumerate(r.array(top, "participants", "$")):
        path = f"$.participants[{i}]"
        part = r.object(raw, path)
        if part is None:
            continue
        buyer = part.get("buyer", False)
        if not isinstance(buyer, bool):
            r.fail(f"{path}.buyer", _("Værdien skal være true eller false."))
            buyer = False
        fp = FilePart(where=path,
                      municipality=r.string(part, "municipality", path, required=True).strip(),
                      areas=r.strings(part, "areas", path), buyer=buyer)
        for j, raw_line in enumerate(r.array(part, "answers", path)):
            count += 1
            if count > MAX_ROWS:
                _refuse(path, _("Filen har flere end %(n)s svarlinjer.") % {"n": MAX_ROWS})
            lp = f"{path}.answers[{j}]"
            line = r.object(raw_line, lp)
            if line is None:
                continue
            fp.rows.append(Row(
                where=lp, item=r.string(line, "item", lp, required=True).strip(),
                area=r.string(line, "area", lp).strip().casefold(),
                choice=r.string(line, "choice", lp), text=r.string(line, "text", lp),
                ticks=r.strings(line, "ticks", lp),
                paths={k: f"{lp}.{k}" for k in ("item", "area", "choice", "text", "ticks")}))
        result.parts.append(fp)
    if r.problems:
        raise ImportRefused(r.problems)
    return result


# --- Importing --------------------------------------------------------------------------------

def _facts_of_round(rnd):
    """The framework facts the rules need (rules_exchange.check's keyword arguments)."""
    fw = rnd.framework
    items = {i.number: item_facts(i) for i in items_of(fw)}
    sections = dict(Section.objects.filter(framework=fw).values_list("number", "greyed"))
    others: dict[str, list[str]] = {}
    rows = Item.objects.filter(section__framework__code=fw.code).exclude(
        section__framework=fw).values_list("number", "section__framework__version")
    for number, version in rows:
        if number not in items:
            others.setdefault(number, []).append(version)
    return {"code": fw.code, "version": fw.version, "items": items, "sections": sections,
            "other_versions": {k: sorted(set(v)) for k, v in others.items()}}


def import_file(user, rnd, data: bytes, *, participant=None, expected_version=None,
                name="") -> Imported:
    """Import a file into the round's participations: into `participant` only (a
    municipality's own import, or the coordinator's for one municipality), else into every
    municipality the file holds (the coordinator's import of the round).

    The caller has fetched `rnd` / `participant` through the access querysets. All or
    nothing: any problem raises ImportRefused with the full report, and nothing is written.
    `expected_version` is the participation's version the page was loaded with (optimistic
    locking); a round import locks each participation at the version it reads."""
    if rnd.closed:
        raise ImportRefused([Problem("", "", _("Runden er afsluttet. Svarene kan ikke ændres."))])
    doc = read(data)
    facts = _facts_of_round(rnd)
    with transaction.atomic():
        qs = Participant.objects.select_for_update().filter(round=rnd).select_related(
            "municipality")
        if participant is not None:
            qs = qs.filter(pk=participant.pk)
        by_code = {p.municipality.code: p for p in qs}
        targets = {code: p.status for code, p in by_code.items()}
        only = participant.municipality.code if participant is not None else None
        problems = check(doc, targets=targets, only=only, **facts)
        if problems:
            raise ImportRefused(problems)
        items = {i.number: i for i in items_of(rnd.framework)}
        changed, events = {}, []
        for part in doc.parts:
            target = by_code[part.municipality]
            version = expected_version if participant is not None else target.version
            event = _apply(user, target, part, items, version, name)
            changed[part.municipality] = len([
                k for k in event.changes
                if k != BACKGROUND and not k.startswith(f"{RESOLUTION}:")])
            events.append(event)
    return Imported(changed=changed, events=events)


def _value(answer) -> dict:
    if answer is None:
        return {"choice": "", "text": "", "ticks": []}
    return {"choice": answer.choice, "text": answer.text, "ticks": list(answer.ticks or [])}


def _apply(user, participant, part: FilePart, items, expected_version, name):
    """Write one municipality's part (checked already): its background, the answers of the
    lines (a blank line clears the answer), and drop the answers of areas no longer answered;
    an indicator whose choice changed in any area loses the coordinator's resolution on it.
    Answers the ParticipantEvent holding the changes."""
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        raise StaleRecord(str(StaleRecord.message)) from None
    areas, _unknown = normal_areas(part.areas)
    areas = list(areas)
    changes = {}
    rechosen = set()  # ids of the items whose choice changed in some area
    if areas != list(participant.areas) or part.buyer != participant.buyer:
        changes[BACKGROUND] = {
            "old": {"buyer": participant.buyer, "areas": list(participant.areas)},
            "new": {"buyer": part.buyer, "areas": areas}}
    participant.areas, participant.buyer = areas, part.buyer
    save_versioned(participant, expected, ["areas", "buyer"])
    kept = participant.answer_areas()
    stored = {(a.item.number, a.area): a for a in
              Answer.objects.filter(participant=participant).select_related("item")}
    for (number, area), answer in stored.items():
        if area not in kept:
            changes[f"{area}:{number}"] = {"old": _value(answer), "new": _value(None)}
            if answer.choice:
                rechosen.add(answer.item_id)
            answer.delete()
    for row in part.rows:
        new = answer_values(row)
        answer = stored.get((row.item, row.area))
        old = _value(answer)
        if new == old:
            continue
        if not (new["choice"] or new["text"] or new["ticks"]):
            answer.delete()  # a blank line clears the answer
        elif answer is None:
            Answer.objects.create(participant=participant, item=items[row.item], area=row.area,
                                  **new)
        else:
            Answer.objects.filter(pk=answer.pk).update(**new)
        changes[f"{row.area}:{row.item}"] = {"old": old, "new": new}
        if new["choice"] != old["choice"]:
            rechosen.add(items[row.item].pk)
    changes.update(drop_resolutions(participant, rechosen))
    comment = (_("Svar importeret fra filen »%(name)s«.") % {"name": echo(name)} if name
               else _("Svar importeret fra fil."))
    return ParticipantEvent.objects.create(participant=participant, at=clock.now(), user=user,
                                           comment=comment, changes=changes)
