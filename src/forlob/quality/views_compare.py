"""Rounds over time (issue 6 item 7): two rounds of the same framework compared indicator by
indicator and municipality by municipality, with the change in category and in measured
evidence. Coordinators only, over the rounds they run (access.coordinated_rounds); anyone else
gets 404. The comparison's rules are rules_compare.py's; outcomes and evidence come from
outcomes.py and evidence.py. No personal data, nothing audited."""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from forlob.indicators.catalogue import CATALOGUE
from forlob.organisations.models import Municipality
from forlob.pathway.forms import style

from . import rules_compare as rc
from .access import coordinated_rounds
from .evidence import Evidence, evidence_for_round
from .models import Participant
from .outcomes import indicators, round_outcomes
from .rules import colour
from .views_resolutions import category_label

PAGE_SIZE = 10

CHANGE_LABELS = {rc.IMPROVED: gettext_lazy("Forbedret"), rc.WORSE: gettext_lazy("Forværret"),
                 rc.SAME: gettext_lazy("Uændret"), rc.CHANGED: gettext_lazy("Ændret")}
CHANGE_COLOURS = {rc.IMPROVED: "success", rc.WORSE: "error", rc.SAME: "info",
                  rc.CHANGED: "info"}


def _round_label(rnd) -> str:
    return _("%(name)s (%(framework)s, %(start)s–%(end)s)") % {
        "name": rnd.name, "framework": rnd.framework,
        "start": date_format(rnd.period_start, "j. F Y"),
        "end": date_format(rnd.period_end, "j. F Y")}


class CompareRoundsForm(forms.Form):
    fra = forms.ChoiceField(label=gettext_lazy("Tidligere runde"),
                            error_messages={"required": gettext_lazy("Vælg en runde."),
                                            "invalid_choice": gettext_lazy(
                                                "Vælg en af dine runder.")})
    til = forms.ChoiceField(label=gettext_lazy("Senere runde"),
                            error_messages={"required": gettext_lazy("Vælg en runde."),
                                            "invalid_choice": gettext_lazy(
                                                "Vælg en af dine runder.")})

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {str(r.pk): r for r in rounds}
        choices = [("", _("Vælg runde"))] + [(key, _round_label(r))
                                            for key, r in self.rounds.items()]
        for name in ("fra", "til"):
            self.fields[name].choices = choices
        style(self)

    def clean(self):
        data = super().clean()
        before, after = self.rounds.get(data.get("fra")), self.rounds.get(data.get("til"))
        if before is None or after is None:
            return data
        if before.pk == after.pk:
            raise forms.ValidationError(_("Vælg to forskellige runder."))
        if not rc.comparable(before.framework.code, after.framework.code):
            raise forms.ValidationError(
                _("Runderne bygger på forskellige rammeværker (%(before)s og %(after)s), så de "
                  "kan ikke sammenlignes indikator for indikator. Vælg to runder med samme "
                  "rammeværk.") % {"before": before.framework, "after": after.framework})
        data["before"], data["after"] = before, after
        return data


@dataclass(frozen=True)
class Side:
    """One municipality's result on one indicator in one round."""

    took_part: bool
    label: str
    colour: str
    judged: bool
    evidence: Evidence | None
    open: bool = False  # a delvis still waiting for the coordinator


@dataclass(frozen=True)
class Line:
    municipality: Municipality
    before: Side
    after: Side
    change: str
    change_label: str
    change_colour: str
    evidence_change: str
    evidence_change_label: str


def _side(participant, outcomes, item, evidence) -> Side:
    if participant is None or item is None:
        return Side(False, "", "", False, None)
    o = outcomes[(participant.pk, item.pk)]
    return Side(True, category_label(o.category), colour(o.category), o.by_judgement,
                evidence.get((participant.municipality_id, item.number)), o.needs_resolution)


def _evidence_change(before: Side, after: Side) -> str:
    if before.evidence is None or after.evidence is None:
        return ""
    kpi = CATALOGUE.get(after.evidence.kpi_code)
    return rc.evidence_change(before.evidence.value, after.evidence.value,
                              kpi.better if kpi else "none")


class _Round:
    """A round's participants by municipality, outcomes and indicators by number."""

    def __init__(self, rnd):
        self.round = rnd
        self.participants = {p.municipality_id: p for p in Participant.objects.filter(
            round=rnd).select_related("municipality")}
        self.items = {i.number: i for i in indicators(rnd.framework)}
        self.outcomes = round_outcomes(rnd, self.participants.values())

    def category(self, municipality_id, number):
        p, item = self.participants.get(municipality_id), self.items.get(number)
        return self.outcomes[(p.pk, item.pk)].category if p and item else None


def _compare(request, before, after):
    then, now = _Round(before), _Round(after)
    common, only_before, only_after = rc.matched_numbers(list(then.items), list(now.items))
    munis = sorted({p.municipality for p in (*then.participants.values(),
                                             *now.participants.values())},
                   key=lambda m: (m.name, m.pk))
    totals = {key: 0 for key in CHANGE_LABELS}
    for number in common:
        for m in munis:
            change = rc.category_change(then.category(m.pk, number), now.category(m.pk, number))
            if change:
                totals[change] += 1
    page = Paginator(common, PAGE_SIZE).get_page(request.GET.get("side"))
    ev_then = evidence_for_round(before, numbers=list(page),
                                 participants=then.participants.values())
    ev_now = evidence_for_round(after, numbers=list(page), participants=now.participants.values())
    rows = []
    for number in page:
        lines = []
        for m in munis:
            b = _side(then.participants.get(m.pk), then.outcomes, then.items[number], ev_then)
            a = _side(now.participants.get(m.pk), now.outcomes, now.items[number], ev_now)
            change = rc.category_change(then.category(m.pk, number), now.category(m.pk, number))
            ev_change = _evidence_change(b, a)
            lines.append(Line(m, b, a, change, str(CHANGE_LABELS.get(change, "")),
                              CHANGE_COLOURS.get(change, ""), ev_change,
                              str(CHANGE_LABELS.get(ev_change, ""))))
        rows.append((now.items[number], lines))
    return {"rows": rows, "page": page, "only_before": only_before, "only_after": only_after,
            "totals": [(str(CHANGE_LABELS[k]), n) for k, n in totals.items() if k != rc.CHANGED],
            "before": before, "after": after, "municipalities": munis}


def _latest_pair(rounds) -> dict:
    """The latest round and the one before it with the same framework, as the form's first
    choice (rounds ordered latest first); nothing when there is no such pair."""
    latest = rounds[0]
    earlier = next((r for r in rounds[1:]
                    if rc.comparable(r.framework.code, latest.framework.code)), None)
    return {"fra": str(earlier.pk), "til": str(latest.pk)} if earlier else {}


@login_required
@require_safe
def compare_rounds(request):
    rounds = list(coordinated_rounds(request.user).select_related("framework")
                  .order_by("-period_end", "name"))
    if not rounds:
        raise Http404
    params = request.GET if ("fra" in request.GET or "til" in request.GET) else None
    form = CompareRoundsForm(params, rounds=rounds, initial=_latest_pair(rounds))
    context = {"form": form, "result": None}
    if form.is_bound:
        if not form.is_valid():
            return render(request, "quality/compare_rounds.html", context, status=400)
        context["result"] = _compare(request, form.cleaned_data["before"],
                                     form.cleaned_data["after"])
    return render(request, "quality/compare_rounds.html", context)
