"""The XLSX encoding of the answer format (issue 6 item 8; docs/quality.md, "Import og
eksport"). Three sheets with fixed Danish names and headers, in every language, so a file
written in one language imports in another:

- "Om filen": key/value rows: Format, Formatversion, Rammeværk, Version (+ round, period and
  time of export, for the reader);
- "Kommuner": one row per municipality: Kommunekode, Kommune, Områder (comma-separated, empty
  for the whole municipality), Køberkommune (ja/nej);
- "Svar": one row per item and area: Kommunekode, Kommune, Nummer, Område, Svar, Tekst,
  Afkrydsninger (separated by ";"), and Type and Spørgsmål for the reader.

Columns are found by their header, so their order may change; extra columns are ignored.
Text is always written as text, never as a formula (a cell starting with "=" stays text).
"""

import io
import zipfile

from django.utils.translation import gettext as _

from .rules_exchange import (
    FORMAT,
    FORMAT_VERSION,
    MAX_ROWS,
    AnswerFile,
    FilePart,
    ImportRefused,
    Problem,
    Row,
    bad_characters,
    echo,
)

ABOUT, MUNICIPALITIES, ANSWERS = "Om filen", "Kommuner", "Svar"
MUNICIPALITY_COLUMNS = ["Kommunekode", "Kommune", "Områder", "Køberkommune", "Status"]
ANSWER_COLUMNS = ["Kommunekode", "Kommune", "Nummer", "Område", "Svar", "Tekst",
                  "Afkrydsninger", "Type", "Spørgsmål"]
REQUIRED_MUNICIPALITY = ["Kommunekode", "Områder", "Køberkommune"]
REQUIRED_ANSWER = ["Kommunekode", "Nummer", "Område", "Svar", "Tekst", "Afkrydsninger"]
TICK_SEPARATOR = "; "

#: A zip whose parts unpack to more than this is refused before openpyxl sees it (a small
#: file that unpacks to gigabytes would exhaust memory) [inference: a region's round is a few
#: MB unpacked].
MAX_UNPACKED = 64 * 1024 * 1024
MAX_PARTS = 200
MAX_COLUMNS = 40

YES = {"ja", "j", "x", "1", "true", "sand", "yes"}
NO = {"nej", "n", "", "0", "false", "falsk", "no"}


# --- Writing ----------------------------------------------------------------------------------

def _text(value):
    """A cell value: text without the control characters XLSX cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _append(sheet, values):
    """A row whose text cells are text, never formulas."""
    sheet.append([_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"


def write(doc: dict, questions: dict) -> bytes:
    """The export `doc` (exchange.document) as XLSX; `questions` maps item number to (kind
    label, text) for the explanatory columns."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    about = book.active
    about.title = ABOUT
    rnd = doc["round"]
    for key, value in [
        ("Format", doc["format"]), ("Formatversion", doc["format_version"]),
        ("Rammeværk", doc["framework"]["code"]), ("Version", doc["framework"]["version"]),
        ("Navn", doc["framework"]["name"]), ("Runde", rnd["name"]),
        ("Periode", f"{rnd['period_start']} – {rnd['period_end']}"),
        ("Eksporteret", doc["exported_at"]),
    ]:
        _append(about, [key, value])
    _append(about, [])
    _append(about, [_("Udfyld arket Svar: ja, delvis eller nej under Svar for indikatorer, "
                      "højst 5 linjer under Tekst, og afkrydsninger adskilt af semikolon. "
                      "Ret ikke Rammeværk og Version.")])
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 40

    municipalities = book.create_sheet(MUNICIPALITIES)
    _append(municipalities, MUNICIPALITY_COLUMNS)
    answers = book.create_sheet(ANSWERS)
    _append(answers, ANSWER_COLUMNS)
    for part in doc["participants"]:
        _append(municipalities, [part["municipality"], part["municipality_name"],
                                 ", ".join(part["areas"]), "ja" if part["buyer"] else "nej",
                                 part["status"]])
        for line in part["answers"]:
            kind, text = questions.get(line["item"], ("", ""))
            _append(answers, [part["municipality"], part["municipality_name"], line["item"],
                              line["area"], line["choice"], line["text"],
                              TICK_SEPARATOR.join(line["ticks"]), kind, text])
    for sheet in (municipalities, answers):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHI", (12, 16, 9, 10, 9, 60, 24, 22, 60), strict=True):
        answers.column_dimensions[column].width = width
    for row in answers.iter_rows(min_row=2, min_col=6, max_col=6):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- Reading ----------------------------------------------------------------------------------

def _refuse(where, message):
    raise ImportRefused([Problem(where, "", message)])


def _unreadable():
    _refuse("", _("Filen kunne ikke læses som en XLSX-fil. Gem den som Excel-projektmappe "
                  "(.xlsx), eller brug JSON."))


def cell_text(value) -> str:
    """A cell as text: numbers as typed (5.2 stays "5.2", 269 stays "269"), empty as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        _unreadable()
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED:
        _refuse("", _("Filen er for stor, når den pakkes ud."))


def _rows(book, name):
    """(row number, [cell texts]) of a sheet, header included; at most MAX_ROWS rows."""
    if name not in book.sheetnames:
        _refuse("", _("Arket »%(sheet)s« mangler. Brug en eksporteret fil som skabelon.")
                % {"sheet": name})
    rows = []
    for number, values in enumerate(book[name].iter_rows(max_col=MAX_COLUMNS, values_only=True),
                                    start=1):
        if number > MAX_ROWS + 1:
            _refuse(name, _("Arket »%(sheet)s« har flere end %(n)s rækker.")
                    % {"sheet": name, "n": MAX_ROWS})
        texts = [cell_text(v) for v in values]
        if any(t.strip() for t in texts):
            rows.append((number, texts))
    return rows


def _columns(rows, sheet, required) -> dict[str, int]:
    if not rows:
        _refuse(sheet, _("Arket »%(sheet)s« er tomt.") % {"sheet": sheet})
    number, header = rows[0]
    index = {}
    for i, name in enumerate(header):
        index.setdefault(name.strip().casefold(), i)
    missing = [c for c in required if c.casefold() not in index]
    if missing:
        _refuse(f"{sheet}, række {number}", _("Kolonnen »%(column)s« mangler i arket "
                                               "»%(sheet)s«.") % {"column": missing[0],
                                                                  "sheet": sheet})
    return {c: index[c.casefold()] for c in required}


def _get(texts, columns, name) -> str:
    i = columns.get(name)
    return texts[i] if i is not None and i < len(texts) else ""


def read(data: bytes) -> AnswerFile:
    """An XLSX file in the export's format as plain facts; ImportRefused when it cannot be read
    or its sheets and columns are not the format's."""
    from openpyxl import load_workbook

    _check_zip(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - any failure to parse a foreign file is bad input
        _unreadable()
    try:
        return _read(book)
    except ImportRefused:
        raise
    except Exception:  # noqa: BLE001 - a malformed part surfaces only while reading rows
        _unreadable()
    finally:
        book.close()


def _read(book) -> AnswerFile:
    about = {}
    for _number, texts in _rows(book, ABOUT):
        if len(texts) >= 2:
            about.setdefault(texts[0].strip().casefold(), texts[1].strip())
    if about.get("format") != FORMAT or about.get("formatversion") != str(FORMAT_VERSION):
        _refuse(ABOUT, _("Filen er ikke i Forløbs format for svar (format %(format)s, version "
                         "%(version)s).") % {"format": FORMAT, "version": FORMAT_VERSION})
    result = AnswerFile(framework_code=about.get("rammeværk", ""),
                        framework_version=about.get("version", ""), where_framework=ABOUT)
    problems = []
    rows = _rows(book, MUNICIPALITIES)
    columns = _columns(rows, MUNICIPALITIES, REQUIRED_MUNICIPALITY)
    parts = {}
    for number, texts in rows[1:]:
        where = f"{MUNICIPALITIES}, række {number}"
        code = _get(texts, columns, "Kommunekode").strip()
        buyer = _get(texts, columns, "Køberkommune").strip().casefold()
        if buyer not in YES | NO:
            problems.append(Problem(where, "", _("Køberkommune skal være ja eller nej, ikke "
                                                 "»%(value)s«.") % {"value": echo(buyer)}))
        areas = tuple(a.strip() for a in _get(texts, columns, "Områder").replace(";", ",")
                      .split(","))
        part = FilePart(where=where, municipality=code, areas=areas, buyer=buyer in YES)
        if code in parts:
            problems.append(Problem(where, "", _("Kommunekode %(code)s står mere end én gang.")
                                    % {"code": echo(code)}))
            continue
        parts[code] = part
        result.parts.append(part)
    rows = _rows(book, ANSWERS)
    columns = _columns(rows, ANSWERS, REQUIRED_ANSWER)
    for number, texts in rows[1:]:
        where = f"{ANSWERS}, række {number}"
        code = _get(texts, columns, "Kommunekode").strip()
        item = _get(texts, columns, "Nummer").strip()
        if code not in parts:
            problems.append(Problem(where, echo(item), _(
                "Kommunekode »%(code)s« står ikke på arket Kommuner.") % {"code": echo(code)}))
            continue
        ticks = _get(texts, columns, "Afkrydsninger").replace("\n", ";").split(";")
        text = _get(texts, columns, "Tekst")
        if bad_characters(text):
            text = text.encode("utf-8", "replace").decode("utf-8")
        parts[code].rows.append(Row(
            where=where, item=item, area=_get(texts, columns, "Område").strip().casefold(),
            choice=_get(texts, columns, "Svar"), text=text,
            ticks=tuple(t.strip() for t in ticks if t.strip())))
    if problems:
        raise ImportRefused(problems)
    return result
