"""What the answer and history pages show, arranged for the templates: the framework's sections
and items with, per area, the stored answer and (while editing) the form's fields; the error
summary; and a history event's changes as readable rows. No rules here: the checks are
rules_submission's, the evidence evidence.py's."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Area, Category, Choice
from .rules_submission import area_label
from .services_rounds import BACKGROUND, RESOLUTION


@dataclass
class Cell:
    area: str
    label: str  # the area's name, "" for the whole municipality
    answer: object  # the stored Answer or None
    fields: dict = field(default_factory=dict)  # part -> BoundField while editing


@dataclass
class ItemView:
    item: object
    anchor: str
    cells: list
    evidence: object = None  # evidence.Evidence or None


@dataclass
class SectionView:
    section: object
    items: list


def layout(sections, items, stored, areas, *, form=None, evidence=None) -> list[SectionView]:
    """Every section of the framework in order (greyed ones and those without items too), each
    with its items and, per area answered, the stored answer and the form's fields."""
    evidence = evidence or {}
    views = {s.pk: SectionView(s, []) for s in sections}
    for item in items:
        view = views.setdefault(item.section_id, SectionView(item.section, []))
        cells = []
        if not item.section.greyed:
            for area in areas:
                cell = Cell(area, area_label(area) if area else "", stored.get((item.pk, area)))
                if form is not None:
                    parts = form.groups.get((item.pk, area), {})
                    cell.fields = {part: form[name] for part, name in parts.items()}
                cells.append(cell)
        view.items.append(ItemView(item, f"punkt-{item.pk}", cells, evidence.get(item.number)))
    return list(views.values())


def error_summary(form) -> list[tuple[str, str]]:
    """(anchor, message) for every error on the form, in the form's order; messages from the
    fields themselves get the item's number in front."""
    if form is None or not form.errors:
        return []
    rows = [("", str(e)) for e in form.non_field_errors()]
    where = {}
    for (item_id, area), parts in form.groups.items():
        item = form.items[item_id]
        for name in parts.values():
            where[name] = item.number + (f" ({area_label(area)})" if area else "")
    for name in form.fields:
        for error in form.errors.get(name, []):
            text = str(error)
            prefix = where.get(name, "")
            if prefix and not text.startswith(prefix.split(" ")[0]):
                text = f"{prefix}: {text}"
            rows.append((f"id_{name}", text))
    return rows


def _shown(value: dict) -> dict:
    value = value or {}
    choice = value.get("choice", "")
    return {"choice": str(Choice(choice).label) if choice in Choice.values else choice,
            "text": value.get("text", ""), "ticks": ", ".join(value.get("ticks") or [])}


#: RESOLUTION (imported above and kept importable from here) is the history key prefix of the
#: coordinator's resolutions: services_resolutions._history, services_rounds.drop_resolutions.
__all__ = ["RESOLUTION", "describe_changes", "error_summary", "layout"]


def _resolution(value: dict) -> dict:
    value = value or {}
    parts = []
    if value.get("delvis_to") in Choice.values:
        parts.append(_("delvis afgjort som %(c)s") % {"c": Choice(value["delvis_to"]).label})
    if value.get("category_override") in Category.values:
        parts.append(_("kategori ved skøn: %(c)s")
                     % {"c": Category(value["category_override"]).label})
    reason = value.get("delvis_reason") or value.get("override_reason") or ""
    return {"choice": "; ".join(str(p) for p in parts) or "–", "text": reason, "ticks": ""}


def _background(value: dict) -> dict:
    value = value or {}
    areas = value.get("areas") or []
    how = (_("opdelt: %(areas)s") % {"areas": ", ".join(area_label(a) for a in areas)}
           if areas else _("hele kommunen"))
    buyer = _("køberkommune") if value.get("buyer") else _("ikke køberkommune")
    return {"choice": "", "text": f"{buyer}; {how}", "ticks": ""}


def describe_changes(changes, items_by_number) -> list[dict]:
    """A history event's changes as rows: what (item number and area, or the background),
    the item's text, and the old and new values as shown."""
    rows = []
    for key, change in (changes or {}).items():
        change = change if isinstance(change, dict) else {}
        if key == BACKGROUND:
            rows.append({"what": _("Baggrund"), "text": "",
                         "old": _background(change.get("old")),
                         "new": _background(change.get("new"))})
            continue
        area, _sep, number = str(key).rpartition(":")
        item = items_by_number.get(number)
        if area == RESOLUTION:
            rows.append({"what": _("%(n)s: koordinatorens afgørelse") % {"n": number},
                         "text": item.text if item else "",
                         "old": _resolution(change.get("old")),
                         "new": _resolution(change.get("new"))})
            continue
        label = number + (f" ({area_label(area)})" if area in Area.values and area else "")
        rows.append({"what": label, "text": item.text if item else "",
                     "old": _shown(change.get("old")), "new": _shown(change.get("new"))})
    return rows
