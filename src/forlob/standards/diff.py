"""What changed between two versions of a quality standard, so the city council can see it
(issue 7 item 4). `describe` reads a version into plain display items (the version page shows
the same items); `compare_items` is a pure function over two such lists and returns only the
rows that differ; `compare(old, new)` does both. No personal data."""

import difflib
import re
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from forlob.pathway.choices import TrackChoice
from forlob.pathway.rules_aftercare import LEGAL_FOLLOW_UP_REASONS
from forlob.treatment.choices import Reason

from .models import LEVEL_FIELDS, ComplaintRoute, ContactKind, Section, ServiceStandard

#: Groups in the order they are listed.
LEVELS, PROVIDERS, CONTACTS, ROUTES, SECTIONS = ("levels", "providers", "contacts", "routes",
                                                  "sections")
GROUPS = (LEVELS, PROVIDERS, CONTACTS, ROUTES, SECTIONS)

ROUTE_FIELDS = ("authority", "deadline", "description")


def group_label(group: str) -> str:
    return {LEVELS: _("Serviceniveauer"), PROVIDERS: _("Tilbud kommunen bruger"),
            CONTACTS: _("Kontaktpunkter"), ROUTES: _("Klageadgang"),
            SECTIONS: _("Tekstafsnit")}[group]


@dataclass(frozen=True)
class Item:
    """One thing a version says, as display text; `key` matches it across versions."""

    group: str
    key: str
    label: str
    value: str


@dataclass(frozen=True)
class Row:
    """One difference: the old and new display values ("" = not there), what kind of change,
    and for texts a word diff as (op, text) pairs, op "equal", "delete" or "insert"."""

    group: str
    label: str
    old: str
    new: str
    change: str  # "changed", "added" or "removed"
    segments: tuple = ()

    @property
    def group_label(self) -> str:
        return group_label(self.group)


def _label(name: str) -> str:
    return capfirst(str(ServiceStandard._meta.get_field(name).verbose_name))


def level_value(standard: ServiceStandard, name: str) -> str:
    """A service level as the council reads it."""
    value = getattr(standard, name)
    if name == "follow_up_first_days" and value is None:
        return _("Lovens frist: senest 1 måned efter udskrivning")
    if name == "follow_up_second_days" and value is None:
        return _("Lovens frist: senest 6 måneder efter udskrivning")
    if name == "follow_up_reasons":
        labels = dict(Reason.choices)
        extra = [str(labels.get(r, r)) for r, _l in Reason.choices if r in (value or ())]
        return ", ".join(extra) if extra else _("Kun lovens fire årsager")
    if name == "follow_up_by":
        return str(standard.get_follow_up_by_display())
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    return "" if value is None else str(value)


def legal_reason_labels() -> list[str]:
    """The law's four discharge reasons that always trigger follow-up (bek. 1477 § 4)."""
    return [str(label) for value, label in Reason.choices if value in LEGAL_FOLLOW_UP_REASONS]


def _contact_value(point) -> str:
    return ", ".join(v for v in (point.address, point.phone, point.email, point.opening_hours)
                     if v)


def describe(standard: ServiceStandard) -> list[Item]:
    """Everything a version promises and says, as display items in page order."""
    items = [Item(LEVELS, name, _label(name), level_value(standard, name))
             for name in LEVEL_FIELDS]
    items += [Item(PROVIDERS, f"provider:{p.pk}", p.name, _("Bruges"))
              for p in standard.providers.order_by("name")]
    kinds, seen = dict(ContactKind.choices), {}
    for point in standard.contact_points.all():
        base = f"contact:{point.kind}:{point.name.strip().casefold()}"
        seen[base] = seen.get(base, 0) + 1
        items.append(Item(CONTACTS, f"{base}:{seen[base]}",
                          f"{kinds.get(point.kind, point.kind)}: {point.name}",
                          _contact_value(point)))
    tracks = dict(TrackChoice.choices)
    routes = {r.track: r for r in standard.complaint_routes.all()}
    for track, _l in TrackChoice.choices:
        route = routes.get(track)
        for name in ROUTE_FIELDS:
            field_label = ComplaintRoute._meta.get_field(name).verbose_name
            items.append(Item(ROUTES, f"route:{track}:{name}",
                              f"{tracks[track]}: {field_label}",
                              getattr(route, name, "") if route else ""))
    texts = standard.sections or {}
    items += [Item(SECTIONS, f"section:{key}", str(label), texts.get(key, ""))
              for key, label in Section.choices]
    return items


def word_diff(old: str, new: str) -> tuple:
    """The words (with their whitespace) kept, deleted and inserted from `old` to `new`."""
    tokens = re.compile(r"\s+|\w+|[^\w\s]+")  # words, whitespace and punctuation apart
    a, b = tokens.findall(old), tokens.findall(new)
    out = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out.append(("equal", "".join(a[i1:i2])))
            continue
        if tag in ("delete", "replace"):
            out.append(("delete", "".join(a[i1:i2])))
        if tag in ("insert", "replace"):
            out.append(("insert", "".join(b[j1:j2])))
    return tuple(out)


def compare_items(old: list[Item], new: list[Item]) -> list[Row]:
    """The rows that differ between two descriptions, grouped in GROUPS order; within a
    group in the new version's order, then what the new version dropped."""
    before = {i.key: i for i in old}
    after = {i.key: i for i in new}
    order = [i.key for i in new] + [i.key for i in old if i.key not in after]
    rows = []
    for key in order:
        o, n = before.get(key), after.get(key)
        old_value = (o.value if o else "").strip()
        new_value = (n.value if n else "").strip()
        if old_value == new_value:
            continue
        item = n or o
        change = ("added" if not old_value else "removed" if not new_value else "changed")
        segments = (word_diff(old_value, new_value)
                    if change == "changed" and item.group in (SECTIONS, ROUTES) else ())
        rows.append(Row(item.group, item.label, old_value, new_value, change, segments))
    rows.sort(key=lambda r: GROUPS.index(r.group))  # stable: keeps the order within a group
    return rows


def compare(old: ServiceStandard, new: ServiceStandard) -> list[Row]:
    """What changed from version `old` to version `new`; empty when nothing did."""
    return compare_items(describe(old), describe(new))
