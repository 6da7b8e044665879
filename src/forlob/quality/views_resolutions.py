"""The coordinator's resolutions (issue 6 item 3): the round's matrix of municipalities ×
indicators (raw answers per area, the category with colour and label, the measured evidence
and its flag, open delvis answers marked), and the page resolving one municipality's
indicator. The round's coordinators only (access.coordinated_rounds); anyone else gets 404.
The answers hold no personal data and the evidence is aggregated and suppressed, so nothing is
audited. Categories, flags and outcomes come from rules.py, outcomes.py and evidence.py."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from forlob.locking import StaleRecord

from . import services_resolutions as services
from .access import coordinated_rounds
from .evidence import Evidence, evidence_for_round
from .forms_resolutions import FORMS
from .models import Answer, Area, Category, Choice, Item, ItemKind, Participant, Status
from .outcomes import indicators, round_outcomes
from .rules import Outcome, colour

PAGE_SIZE = 15


def raw_answers(outcome: Outcome | None) -> list[tuple[str, str]]:
    """The answers as given, per area: (area label, "" for the whole municipality; choice
    label, "Ikke besvaret" when open)."""
    if outcome is None:
        return []
    return [(str(Area(area).label) if area else "",
             str(Choice(choice).label) if choice else _("Ikke besvaret"))
            for area, choice in outcome.raw]


def category_label(category: str | None) -> str:
    return str(Category(category).label) if category else ""


@dataclass(frozen=True)
class Cell:
    participant: Participant
    outcome: Outcome
    raw: list
    label: str  # the category's label ("" while open)
    colour: str  # DKFDS alert/badge variant of the category
    evidence: Evidence | None
    url: str


@dataclass(frozen=True)
class Row:
    item: Item
    cells: list
    open_count: int


def _round(request, round_id):
    return get_object_or_404(coordinated_rounds(request.user).select_related("framework"),
                             pk=round_id)


def _side(value) -> str:
    """A page number to return to, or "" (anything else is ignored)."""
    return value if isinstance(value, str) and value.isdigit() and len(value) < 6 else ""


@login_required
@require_safe
def resolution_overview(request, round_id):
    rnd = _round(request, round_id)
    participants = list(Participant.objects.filter(round=rnd).select_related("municipality"))
    items = indicators(rnd.framework)
    outcomes = round_outcomes(rnd, participants)
    open_only = request.GET.get("aabne") == "1"
    open_items = {item_id for (_p, item_id), o in outcomes.items() if o.needs_resolution}
    shown = [i for i in items if i.pk in open_items] if open_only else items
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("side"))
    evidence = evidence_for_round(rnd, numbers=[i.number for i in page],
                                  participants=participants) if participants else {}
    side = str(page.number)
    rows = []
    for item in page:
        cells = []
        for p in participants:
            o = outcomes[(p.pk, item.pk)]
            url = reverse("quality:resolution_edit", args=[p.pk, item.pk]) + f"?side={side}"
            cells.append(Cell(p, o, raw_answers(o), category_label(o.category),
                              colour(o.category), evidence.get((p.municipality_id, item.number)),
                              url))
        rows.append(Row(item, cells, sum(c.outcome.needs_resolution for c in cells)))
    return render(request, "quality/resolution_overview.html", {
        "round": rnd, "participants": participants, "rows": rows, "page": page,
        "open_only": open_only,
        "open_total": sum(o.needs_resolution for o in outcomes.values()),
        "judged_total": sum(o.by_judgement for o in outcomes.values()),
        "flag_total": sum(ev.flag for ev in evidence.values()),
        "statuses": dict(Status.choices)})


def _supplementary(participant, item):
    """The municipality's other answers in the indicator's section (examples, texts, plans):
    what a delvis is resolved from."""
    return list(Answer.objects.filter(participant=participant, item__section=item.section)
                .exclude(item__kind=ItemKind.INDICATOR).exclude(text="", ticks=[])
                .select_related("item"))


ACTIONS = {
    "afgoer": lambda user, p, item, data: services.resolve(
        user, p, item, loaded_version=data["loaded_version"], delvis_to=data["delvis_to"],
        reason=data.get("reason", "")),
    "genaabn": lambda user, p, item, data: services.reopen(
        user, p, item, loaded_version=data["loaded_version"]),
    "skoen": lambda user, p, item, data: services.judge(
        user, p, item, loaded_version=data["loaded_version"], category=data["category"],
        reason=data["reason"]),
    "fortryd": lambda user, p, item, data: services.undo_judgement(
        user, p, item, loaded_version=data["loaded_version"]),
}

DONE = {
    "afgoer": _("Delvis-svaret er afgjort."),
    "genaabn": _("Afgørelsen af delvis-svaret er taget tilbage."),
    "skoen": _("Kategorien er sat ved skøn."),
    "fortryd": _("Skønnet er fortrudt. Reglerne bestemmer kategorien igen."),
}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def resolution_edit(request, participant_id, item_id):
    participant = get_object_or_404(
        Participant.objects.filter(round__in=coordinated_rounds(request.user))
        .select_related("round__framework", "municipality"), pk=participant_id)
    rnd = participant.round
    item = get_object_or_404(
        Item.objects.filter(section__framework=rnd.framework, kind=ItemKind.INDICATOR,
                            section__greyed=False).select_related("section"), pk=item_id)
    outcome, resolution = services.current(participant, item)
    side = _side(request.POST.get("side") if request.method == "POST" else request.GET.get("side"))
    forms = {action: form_class(resolution=resolution, auto_id=f"id_{action}_%s")
             for action, form_class in FORMS.items()}
    status, posted = 200, None
    if request.method == "POST":
        action = request.POST.get("handling", "")
        if action not in FORMS:
            messages.error(request, _("Ukendt handling. Vælg en af knapperne på siden."))
            status = 400
        else:
            form = posted = forms[action] = FORMS[action](
                request.POST, resolution=resolution, auto_id=f"id_{action}_%s")
            if form.is_valid():
                try:
                    ACTIONS[action](request.user, participant, item, form.cleaned_data)
                except StaleRecord as exc:
                    form.add_error(None, str(exc))
                except ValidationError as exc:
                    for message in exc.messages:
                        form.add_error(None, message)
                else:
                    messages.success(request, DONE[action])
                    url = reverse("quality:resolution_overview", args=[rnd.pk])
                    return redirect(f"{url}{'?side=' + side if side else ''}#indikator-{item.pk}")
            status = 400
    evidence = evidence_for_round(rnd, numbers=[item.number], participants=[participant])
    return render(request, "quality/resolution_edit.html", {
        "round": rnd, "participant": participant, "item": item, "outcome": outcome,
        "resolution": resolution, "raw": raw_answers(outcome),
        "label": category_label(outcome.category), "colour": colour(outcome.category),
        "rule_label": category_label(outcome.by_rule),
        "evidence": evidence.get((participant.municipality_id, item.number)),
        "supplementary": _supplementary(participant, item), "forms": forms,
        "refusal": services.refusal(participant), "side": side, "posted": posted,
        "status_label": Status(participant.status).label}, status=status)
