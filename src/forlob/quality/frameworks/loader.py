"""Load a framework version from its JSON description (issue 6 item 1: "a new version can be
added without code").

`validate(data)` lists every problem in a description; `load(data)` refuses a description with
problems, or whose (code, version) already exists, and otherwise writes the framework, its
sections and items in one transaction. `load` works with the current models and, from a data
migration, with the historical ones (`models=apps`). The JSON format is documented in
docs/quality.md, "Rammeværker / Frameworks".
"""

import json
import re
from pathlib import Path

from django.db import IntegrityError, router, transaction
from django.utils.translation import gettext as _

from ..models.frameworks import ItemKind, Obligation

#: The format version this loader reads ("format" in the file; 1 when left out).
FORMAT = 1
#: Where the bundled framework files live.
DIR = Path(__file__).resolve().parent
#: The files the data migration loads (quality.0002), in order.
BUNDLED = ("kl-12-2014.json", "nr-2020.json")

_TOP_KEYS = {"format", "code", "version", "name", "source", "sections"}
_SECTION_KEYS = {"number", "title", "text", "greyed", "items", "ref"}
_ITEM_KEYS = {"number", "kind", "text", "obligation", "options", "mandatory", "max_lines", "ref"}
_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
#: Field lengths of the models (Framework, Section, Item).
_MAX = {"code": 40, "version": 20, "name": 200, "section_number": 10, "title": 300,
        "item_number": 12}


class FrameworkError(ValueError):
    """A framework description that cannot be loaded; `problems` lists each reason."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__(_("Rammeværket kan ikke indlæses:") + "\n"
                         + "\n".join(f"- {p}" for p in self.problems))


def _text(value, limit=None, required=True) -> str | None:
    """The problem with a text value, or None."""
    if not isinstance(value, str):
        return _("skal være en tekst")
    if required and not value.strip():
        return _("må ikke være tom")
    if limit is not None and len(value) > limit:
        return _("må højst være %(n)d tegn") % {"n": limit}
    return None


def _unknown(obj, allowed, where, problems):
    for key in sorted(set(obj) - allowed):
        problems.append(_("%(where)s: ukendt felt »%(key)s«.") % {"where": where, "key": key})


def validate(data) -> list[str]:
    """Every problem in a framework description, in Danish; empty when it can be loaded."""
    if not isinstance(data, dict):
        return [_("Filen skal indeholde ét JSON-objekt med rammeværket.")]
    problems: list[str] = []
    top = _("Rammeværket")
    _unknown(data, _TOP_KEYS, top, problems)
    if data.get("format", FORMAT) != FORMAT:
        problems.append(_("Ukendt format %(format)r; denne version læser format %(known)d.")
                        % {"format": data.get("format"), "known": FORMAT})
    for key, label in (("code", _("kode")), ("version", _("version")), ("name", _("navn"))):
        problem = _text(data.get(key), _MAX[key])
        if problem:
            problems.append(_("Rammeværkets %(label)s %(problem)s.")
                            % {"label": label, "problem": problem})
    if isinstance(data.get("code"), str) and data["code"] and not _SLUG.match(data["code"]):
        problems.append(_("Rammeværkets kode må kun indeholde bogstaver a-z, tal, - og _."))
    if "source" in data and _text(data["source"], required=False):
        problems.append(_("Rammeværkets kilde skal være en tekst."))
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        problems.append(_("Rammeværket skal have mindst ét afsnit (»sections«)."))
        return problems
    section_numbers, item_numbers = set(), set()
    for index, section in enumerate(sections, start=1):
        _validate_section(section, index, section_numbers, item_numbers, problems)
    return problems


def _validate_section(section, index, numbers, item_numbers, problems):
    if not isinstance(section, dict):
        problems.append(_("Afsnit nr. %(i)d skal være et JSON-objekt.") % {"i": index})
        return
    number = section.get("number")
    where = (_("Afsnit %(number)s") % {"number": number} if isinstance(number, str) and number
             else _("Afsnit nr. %(i)d") % {"i": index})
    _unknown(section, _SECTION_KEYS, where, problems)
    problem = _text(number, _MAX["section_number"])
    if problem:
        problems.append(_("%(where)s: nummeret %(problem)s.")
                        % {"where": where, "problem": problem})
    elif number in numbers:
        problems.append(_("Afsnitsnummeret %(number)s findes flere gange.") % {"number": number})
    else:
        numbers.add(number)
    problem = _text(section.get("title"), _MAX["title"])
    if problem:
        problems.append(_("%(where)s: titlen %(problem)s.") % {"where": where, "problem": problem})
    if "text" in section and _text(section["text"], required=False):
        problems.append(_("%(where)s: teksten skal være en tekst.") % {"where": where})
    greyed = section.get("greyed", False)
    if not isinstance(greyed, bool):
        problems.append(_("%(where)s: »greyed« skal være true eller false.") % {"where": where})
    items = section.get("items", [])
    if not isinstance(items, list):
        problems.append(_("%(where)s: »items« skal være en liste.") % {"where": where})
        return
    if greyed is True and items:
        problems.append(_("%(where)s er grå (besvares ikke) og må ikke have punkter.")
                        % {"where": where})
    if greyed is False and not items:
        problems.append(_("%(where)s har ingen punkter. Markér det som gråt (»greyed«: true), "
                          "hvis det ikke skal besvares.") % {"where": where})
    for i, item in enumerate(items, start=1):
        _validate_item(item, where, i, item_numbers, problems)


def _validate_item(item, section_where, index, numbers, problems):
    if not isinstance(item, dict):
        problems.append(_("%(where)s: punkt nr. %(i)d skal være et JSON-objekt.")
                        % {"where": section_where, "i": index})
        return
    number = item.get("number")
    where = (_("Punkt %(number)s") % {"number": number} if isinstance(number, str) and number
             else _("%(where)s, punkt nr. %(i)d") % {"where": section_where, "i": index})
    _unknown(item, _ITEM_KEYS, where, problems)
    problem = _text(number, _MAX["item_number"])
    if problem:
        problems.append(_("%(where)s: nummeret %(problem)s.")
                        % {"where": where, "problem": problem})
    elif number in numbers:
        problems.append(_("Punktnummeret %(number)s findes flere gange.") % {"number": number})
    else:
        numbers.add(number)
    kind = item.get("kind")
    if kind not in ItemKind.values:
        problems.append(_("%(where)s: ukendt type %(kind)r (kendte typer: %(known)s).")
                        % {"where": where, "kind": kind, "known": ", ".join(ItemKind.values)})
    problem = _text(item.get("text"))
    if problem:
        problems.append(_("%(where)s: teksten %(problem)s.") % {"where": where, "problem": problem})
    obligation = item.get("obligation", "")
    if obligation not in Obligation.values:
        known = ", ".join(v for v in Obligation.values if v)
        problems.append(_("%(where)s: ukendt skal/bør-type %(value)r (kendte: %(known)s).")
                        % {"where": where, "value": obligation, "known": known})
    elif obligation and kind != ItemKind.INDICATOR:
        problems.append(_("%(where)s: kun indikatorer kan have en skal/bør-type.")
                        % {"where": where})
    _validate_options(item, kind, where, problems)
    if not isinstance(item.get("mandatory", False), bool):
        problems.append(_("%(where)s: »mandatory« skal være true eller false.") % {"where": where})
    max_lines = item.get("max_lines")
    if max_lines is not None and (isinstance(max_lines, bool) or not isinstance(max_lines, int)
                                  or not 1 <= max_lines <= 100):
        problems.append(_("%(where)s: »max_lines« skal være et helt tal fra 1 til 100 eller "
                          "null.") % {"where": where})


def _validate_options(item, kind, where, problems):
    options = item.get("options", [])
    if kind != ItemKind.TICKLIST:
        if options:
            problems.append(_("%(where)s: kun afkrydsningspunkter kan have valgmuligheder.")
                            % {"where": where})
        return
    if (not isinstance(options, list) or not options
            or any(not isinstance(o, str) or not o.strip() for o in options)):
        problems.append(_("%(where)s: et afkrydsningspunkt skal have en liste af "
                          "valgmuligheder (tekster).") % {"where": where})
    elif len(set(options)) != len(options):
        problems.append(_("%(where)s: valgmulighederne skal være forskellige.")
                        % {"where": where})


def _models(models):
    if models is None:
        from ..models import Framework, Item, Section
        return Framework, Section, Item
    if hasattr(models, "get_model"):  # the app registry of a migration
        return tuple(models.get_model("quality", n) for n in ("Framework", "Section", "Item"))
    return models["Framework"], models["Section"], models["Item"]


def _exists_error(data):
    return FrameworkError([_("Rammeværket %(code)s version %(version)s findes allerede. En ny "
                             "version skal have sit eget versionsnummer.")
                           % {"code": data["code"], "version": data["version"]}])


def load(data: dict, *, models=None, using: str | None = None):
    """Write the framework described by `data` (see validate) in one transaction and return it.

    Raises FrameworkError, and writes nothing, if the description has problems or its (code,
    version) is already loaded: a loaded version is never changed, so rounds answered against
    it keep their wording. `models`: None for the current models, a migration's `apps`, or a
    mapping of "Framework", "Section" and "Item"."""
    problems = validate(data)
    if problems:
        raise FrameworkError(problems)
    Framework, Section, Item = _models(models)
    db = using or router.db_for_write(Framework)
    if Framework.objects.using(db).filter(code=data["code"], version=data["version"]).exists():
        raise _exists_error(data)
    try:
        with transaction.atomic(using=db):
            framework = Framework.objects.using(db).create(
                code=data["code"], version=data["version"], name=data["name"],
                source=data.get("source", ""))
            for order, s in enumerate(data["sections"]):
                section = Section.objects.using(db).create(
                    framework=framework, number=s["number"], title=s["title"],
                    text=s.get("text", ""), greyed=s.get("greyed", False), order=order)
                Item.objects.using(db).bulk_create([
                    Item(section=section, number=i["number"], kind=i["kind"], text=i["text"],
                         obligation=i.get("obligation", ""), options=i.get("options", []),
                         mandatory=i.get("mandatory", i["kind"] == ItemKind.INDICATOR),
                         max_lines=i.get("max_lines"), order=n)
                    for n, i in enumerate(s.get("items", []))])
    except IntegrityError as e:  # loaded at the same moment by someone else
        raise _exists_error(data) from e
    return framework


def read(path) -> dict:
    """The description in a JSON file (UTF-8). Raises FrameworkError if it cannot be read."""
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError as e:
        raise FrameworkError([_("Filen %(path)s kan ikke læses: %(error)s")
                              % {"path": path, "error": e.strerror or e}]) from e
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise FrameworkError([_("Filen %(path)s er ikke gyldig JSON i UTF-8: %(error)s")
                              % {"path": path, "error": e}]) from e


def load_file(path, **kwargs):
    """Read and load one file; see load()."""
    return load(read(path), **kwargs)
