"""Forms of a municipality's answer page (issue 6 item 2): the background (køberkommune, whole
or split by areas) and the answers themselves, one group of fields per item and area.

The answer form checks each answer on its own with rules_submission.answer_problems and puts
each problem at its field; the answer page writes nothing while the form has any error.
`valid_values()` hands the services the answers that passed, only the parts that were posted
(a part not posted keeps its stored value, so a truncated or garbage POST changes nothing).
Ticks posted twice count once, in the order first posted. Answers to greyed recommendations
have no fields: any posted is refused with a message (`greyed_problems`)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from forlob.locking import LockedFormMixin
from forlob.pathway.forms import style

from . import rules
from .models import AREAS, Area, Choice, ItemKind
from .rules_submission import AnswerFacts, Problem, answer_problems, area_label
from .services_rounds import item_facts

WHOLE, SPLIT = "hel", "opdelt"
#: The longest text accepted for an item without a line limit (a guard against huge posts).
MAX_TEXT = 5000
_FIELD = re.compile(r"^s(?P<item>\d+)-(?P<area>[a-z]+)-(?P<part>choice|text|ticks|shown)$")
_TEXT_LABELS = {
    ItemKind.INDICATOR: _("Uddybning"),
    ItemKind.TEXT: _("Svar"),
    ItemKind.PLAN: _("Plan for løsning"),
    ItemKind.EXAMPLES: _("Eksempler"),
}


def area_key(area: str) -> str:
    return area or WHOLE


def prefix(item, area: str) -> str:
    return f"s{item.pk}-{area_key(area)}"


def has_text(item) -> bool:
    """Indicators have a text box only where the scheme asks "hvordan/giv eksempler" (a line
    limit); the other text kinds always have one."""
    if item.kind == ItemKind.INDICATOR:
        return item.max_lines is not None
    return item.kind in (ItemKind.TEXT, ItemKind.PLAN, ItemKind.EXAMPLES)


def text_help(item) -> str:
    if item.max_lines:
        return _("Maks. %(n)s linjer (en linje er ca. %(chars)s tegn).") % {
            "n": item.max_lines, "chars": rules.LINE_CHARS}
    return ""


class BackgroundForm(LockedFormMixin, forms.Form):
    """Baggrundsinformation (skema): the køberkommune flag, and whether the municipality answers
    as a whole or one scheme per area."""

    buyer = forms.BooleanField(
        label=_("Kommunen er køberkommune"), required=False,
        help_text=_("En ren køberkommune køber alle ydelser på området hos andre."))
    split = forms.ChoiceField(
        label=_("Kommunen svarer"), widget=forms.RadioSelect,
        choices=[(WHOLE, _("for hele kommunen")), (SPLIT, _("opdelt på områder"))],
        error_messages={"required": _("Vælg, om kommunen svarer samlet eller opdelt."),
                        "invalid_choice": _("Vælg en af de viste muligheder.")})
    areas = forms.MultipleChoiceField(
        label=_("Områder"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(a.value, a.label) for a in AREAS],
        help_text=_("Ved opdeling: vælg mindst to. Svar på områder, der fortsat besvares, "
                    "bevares; går kommunen fra samlet til opdelt, kopieres de samlede svar til "
                    "hvert område."),
        error_messages={"invalid_choice": _("Vælg områder blandt de viste.")})

    def __init__(self, *args, participant, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].initial = participant.buyer
        self.fields["split"].initial = SPLIT if participant.areas else WHOLE
        self.fields["areas"].initial = list(participant.areas)
        self.lock(participant)
        style(self)

    def clean(self):
        data = super().clean()
        if data.get("split") == WHOLE:
            data["areas"] = []
        elif data.get("split") == SPLIT and len(data.get("areas") or []) < 2:
            self.add_error("areas", _("Vælg mindst to områder, eller besvar for hele kommunen."))
        return data


def _text(value: str) -> str:
    return (value or "").replace("\r\n", "\n").replace("\r", "\n")


class AnswerForm(LockedFormMixin, forms.Form):
    """All answers of one participation: per answerable item and area a choice (indicators),
    a text (where the item has a text box) and ticks (tick-lists)."""

    def __init__(self, *args, participant, items, stored, **kwargs):
        super().__init__(*args, **kwargs)
        self.participant = participant
        self.items = {i.pk: i for i in items}
        self.areas = participant.answer_areas()
        self.groups = {}  # (item id, area) -> {part: field name}
        for item in items:
            if item.section.greyed:
                continue
            for area in self.areas:
                self._add(item, area, stored.get((item.pk, area)))
        self.lock(participant)
        style(self)

    def _add(self, item, area, answer):
        p = prefix(item, area)
        where = area_label(area) if area else ""
        parts = {}
        if item.kind == ItemKind.INDICATOR:
            parts["choice"] = f"{p}-choice"
            self.fields[parts["choice"]] = forms.ChoiceField(
                label=where or _("Svar"), required=False, widget=forms.RadioSelect,
                choices=Choice.choices, initial=answer.choice if answer else "",
                error_messages={"invalid_choice": _("Svar ja, delvis eller nej.")})
        if has_text(item):
            parts["text"] = f"{p}-text"
            label = _TEXT_LABELS.get(item.kind, _("Svar"))
            self.fields[parts["text"]] = forms.CharField(
                label=f"{label} ({where})" if where else label, required=False,
                max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5}),
                help_text=text_help(item), initial=answer.text if answer else "",
                error_messages={"max_length": _("Teksten er for lang.")})
        if item.kind == ItemKind.TICKLIST:
            parts["ticks"] = f"{p}-ticks"
            self.fields[parts["ticks"]] = forms.MultipleChoiceField(
                label=where or _("Afkryds"), required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(o, o) for o in item.options or []],
                initial=list(answer.ticks) if answer else [],
                error_messages={"invalid_choice": _("Afkryds kun de viste muligheder.")})
            parts["shown"] = f"{p}-shown"
            self.fields[parts["shown"]] = forms.CharField(
                required=False, widget=forms.HiddenInput, initial="1")
        self.groups[(item.pk, area)] = parts

    def clean(self):
        data = super().clean()
        for (item_id, area), parts in self.groups.items():
            item = self.items[item_id]
            if "text" in parts and parts["text"] in data:
                data[parts["text"]] = _text(data[parts["text"]])
            if "ticks" in parts and parts["ticks"] in data:  # each option once, in order
                data[parts["ticks"]] = list(dict.fromkeys(data[parts["ticks"]] or ()))
            fact = AnswerFacts(item.number, area, data.get(parts.get("choice"), "") or "",
                               data.get(parts.get("text"), "") or "",
                               tuple(data.get(parts.get("ticks"), ()) or ()))
            for problem in answer_problems(item_facts(item), fact):
                name = self.field_for(problem)
                if name in self.fields and name in data:
                    self.add_error(name, problem.message)
        return data

    def field_for(self, problem: Problem) -> str | None:
        """The field a problem belongs at (None: the form as a whole)."""
        item = next((i for i in self.items.values() if i.number == problem.number), None)
        parts = self.groups.get((item.pk, problem.area)) if item else None
        if not parts:
            return None
        order = {"too_long": ["text"], "tick": ["ticks"], "choice": ["choice"]}.get(
            problem.code, ["choice", "ticks", "text"])
        return next((parts[p] for p in order if p in parts), None)

    def _posted(self, name) -> bool:
        return name in self.data

    def valid_values(self) -> dict:
        """{(item id, area): {part: value}} of the answers that passed and were posted."""
        values = {}
        for key, parts in self.groups.items():
            if any(self.has_error(n) for n in parts.values()):
                continue
            given = {}
            if "choice" in parts and self._posted(parts["choice"]):
                given["choice"] = self.cleaned_data.get(parts["choice"]) or ""
            if "text" in parts and self._posted(parts["text"]):
                given["text"] = self.cleaned_data.get(parts["text"]) or ""
            if "ticks" in parts and (self._posted(parts["ticks"])
                                     or self._posted(parts["shown"])):
                given["ticks"] = list(self.cleaned_data.get(parts["ticks"]) or [])
            if given:
                values[key] = given
        return values

    def greyed_problems(self) -> list[Problem]:
        """Answers posted to items of greyed recommendations (no field takes them)."""
        found = []
        seen = set()
        for name in self.data:
            m = _FIELD.match(name)
            if not m or m["part"] == "shown":
                continue
            item = self.items.get(int(m["item"]))
            values = [v for v in self.data.getlist(name) if v.strip()] if hasattr(
                self.data, "getlist") else [self.data[name]]
            if item is None or not item.section.greyed or not values or item.pk in seen:
                continue
            seen.add(item.pk)
            area = "" if m["area"] == WHOLE else m["area"]
            area = area if area in Area.values else ""
            found += answer_problems(item_facts(item), AnswerFacts(item.number, area,
                                                                   text=values[0]))
        return found
