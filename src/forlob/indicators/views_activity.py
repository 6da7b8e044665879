"""The provider activity report (issue 5 item 6): for one provider and one month, a row per
purchasing municipality with the citizens in treatment, starts, discharges, citizens and places
used by intensity, and the anonymous alcohol treatments by municipality of residence; the same
table as CSV. activity.py computes the figures, rules_activity.py defines them and
access_activity.py decides who sees which provider and which rows.

Suppression (issue 5 item 4) always applies: the report crosses the personal-data scope (a
purchaser's leader reads a provider's figures, a provider's clinician figures of citizens no
longer referred). As on the comparison page (views_compare), the named citizens' counts of the
table, the total row included, go to rules.suppress_table as one table: counts 1–4 are hidden
wherever they stand, and no column (adding up to its total) or row is left with exactly one
hidden cell. A row is protected like a line with a total because its counts bound each other
(the citizens by intensity add up to at least the citizens in treatment; starts and
discharges are among their courses). The anonymous alcohol treatments are other people,
counted by residence: their column, with its total, is a table of its own for the same rule.
Places used are place days over the days of the month, nearly a count of
citizens: they are shown only where the citizens at that intensity are shown.

A chosen municipality narrows the rows shown, never the table suppressed: the whole report
the user may see is suppressed with its total, then only the chosen row is shown (shown()).

Bad input (a malformed provider, municipality or month, a month not begun) is a Danish form
error with status 400; a provider or municipality the form accepts (as its IntegerField cleans
it) but outside the user's report is 404 (selection()).
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from forlob import clock
from forlob.audit.recorder import Action, record
from forlob.organisations.models import Intensity, Municipality
from forlob.pathway.forms import style

from . import access_activity, activity, rules, rules_activity
from .forms import FIRST_YEAR, LAST_YEAR
from .jobs import csv_cell

TEMPLATE = "indicators/activity.html"
MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def parse_month(text: str):
    """'ÅÅÅÅ-MM' as the month's first day, or None when it is no month."""
    found = MONTH.fullmatch((text or "").strip())
    if not found:
        return None
    try:
        return dt.date(int(found[1]), int(found[2]), 1)
    except ValueError:
        return None


class MonthField(forms.CharField):
    """A month as 'ÅÅÅÅ-MM' (what a browser's month picker sends), cleaned to its first day.
    Not a month, outside FIRST_YEAR-LAST_YEAR, or not begun yet: a Danish form error."""

    widget = forms.TextInput(attrs={"type": "month", "class": "form-input input-width-s"})

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(_("Skriv måneden som år og måned, fx 2026-05."))
        if not FIRST_YEAR <= month.year <= LAST_YEAR:
            raise forms.ValidationError(_("Vælg en måned mellem år %(first)s og %(last)s.")
                                        % {"first": FIRST_YEAR, "last": LAST_YEAR})
        if month > clock.today():
            raise forms.ValidationError(_("Måneden er ikke begyndt endnu."))
        return month


class ActivityForm(forms.Form):
    """Provider, month and optionally one municipality. Ids are checked for form only here:
    whether the user may see them is checked on the cleaned ids in selection() (404). A
    missing provider or month takes the default: the first provider, the last whole month."""

    provider = forms.IntegerField(
        label=gettext_lazy("Behandlingstilbud"), min_value=1, widget=forms.Select,
        error_messages={"invalid": gettext_lazy("Vælg et af de viste behandlingstilbud."),
                        "min_value": gettext_lazy("Vælg et af de viste behandlingstilbud."),
                        "required": gettext_lazy("Vælg et behandlingstilbud.")})
    month = MonthField(
        label=gettext_lazy("Måned"), required=False,
        help_text=gettext_lazy("Fx 2026-05. Tom: sidste hele måned."))
    municipality = forms.IntegerField(
        label=gettext_lazy("Kommune"), required=False, min_value=1, widget=forms.Select,
        error_messages={"invalid": gettext_lazy("Vælg en af de viste kommuner."),
                        "min_value": gettext_lazy("Vælg en af de viste kommuner.")})

    def __init__(self, data=None, *, providers, municipalities, **kwargs):
        self.default_month = rules_activity.previous_month(clock.today())
        initial = {"provider": providers[0].pk if providers else None,
                   "month": self.default_month.strftime("%Y-%m")}
        if data and not data.get("provider") and providers:
            data = data.copy()
            data["provider"] = str(initial["provider"])  # a missing provider: the first
        super().__init__(data or None, initial=initial, **kwargs)
        if not providers:
            self.fields["provider"].required = False
        self.fields["provider"].widget.choices = [(p.pk, p.name) for p in providers]
        self.fields["municipality"].widget.choices = [("", _("Alle kommuner i rapporten"))] + [
            (m.pk, f"{m.name} ({m.code})") for m in municipalities]
        style(self)


@dataclass(frozen=True)
class ShownRow:
    label: str
    code: str
    counts: tuple  # rules.Cell: citizens, starts, discharges, 3 intensities, anonymous
    places: tuple  # text per intensity, "–" where the citizens at it are hidden
    agreement: bool
    total: bool = False
    municipality: int | None = None
    place_values: tuple = ()  # the places as numbers, None where hidden

    @property
    def citizens(self):
        return self.counts[0]

    @property
    def starts(self):
        return self.counts[1]

    @property
    def discharges(self):
        return self.counts[2]

    @property
    def intensities(self):
        return tuple(zip(self.counts[3:6], self.places, strict=True))

    @property
    def anonymous(self):
        return self.counts[6]


@dataclass(frozen=True)
class Shown:
    first: object
    last: object
    rows: tuple  # ShownRow, the total last when there are two or more rows
    empty: bool


def intensity_labels():
    return [str(Intensity(i).label) for i in rules_activity.INTENSITIES]


def _places(value: float) -> str:
    return number_format(round(value, 1), decimal_pos=1)


def shown(month: activity.Month, municipality: int | None = None) -> Shown:
    """The month's table as every viewer sees it: suppressed (module docstring).

    `month` holds every row of the report the user may see (access_activity.rows_for), and
    the whole table, with its total, is suppressed. `municipality` (a chosen row) then only
    narrows the rows shown, without the total: the row keeps the whole table's suppression.
    Suppressing the one row as a table of its own would show a cell that the whole table
    hides (a secondary "x", or a count whose column then reveals another: A=3 hidden, B=7
    hidden to protect it, total 20; B alone would show 7, and 20 - 7 - C gives A)."""
    names = {m.pk: m for m in Municipality.objects.filter(
        pk__in=[r.municipality for r in month.rows if r.municipality])}
    lines = []  # (label, code, counts, days, agreement, total, municipality)
    for r in month.rows:
        m = names.get(r.municipality)
        lines.append((m.name if m else _("Bopælskommune ikke oplyst"), m.code if m else "",
                      [r.citizens, r.starts, r.discharges, *r.citizens_by_intensity,
                       r.anonymous_alcohol], list(r.days_by_intensity), r.agreement, False,
                      r.municipality))
    if len(lines) >= 2:
        width = len(lines[0][2])
        lines.append((_("I alt"), "", [sum(x[2][i] for x in lines) for i in range(width)],
                      [sum(x[3][i] for x in lines) for i in range(3)], False, True, None))
    cells = [named + anonymous for named, anonymous in zip(
        rules.suppress_table([line[2][:6] for line in lines]),
        rules.suppress_table([line[2][6:] for line in lines]), strict=True)]
    rows = []
    for (label, code, _n, days, agreement, total, m), row in zip(lines, cells, strict=True):
        values = tuple(None if row[3 + i].suppressed else month.places(days[i])
                       for i in range(3))
        places = tuple("–" if v is None else _places(v) for v in values)
        rows.append(ShownRow(str(label), code, tuple(row), places, agreement, total, m,
                             values))
    if municipality is None:
        return Shown(month.first, month.last, tuple(rows), month.empty)
    return Shown(month.first, month.last,
                 tuple(r for r in rows if not r.total and r.municipality == municipality),
                 not any(r.active for r in month.rows if r.municipality == municipality))


@dataclass(frozen=True)
class Selection:
    form: ActivityForm
    provider: object  # None when the form is invalid or there is no provider to show
    month: dt.date | None
    rows: frozenset | None  # the rows of the provider's whole report for the user (rows_for)
    municipality: int | None  # the one row asked for, None for all of `rows`


def selection(request, data) -> Selection:
    """The provider, month and rows asked for. 404 for a user without any report, and for a
    provider or municipality outside theirs; other bad input is the form's (400).

    Scope is checked on the ids as the form cleans them (an IntegerField takes "0007", " 7",
    "7.0" and "+7" as 7), never on the raw text, so no spelling of an id gets past it: the
    provider must be one of the user's, and a chosen municipality one of that provider's rows
    for the user (access_activity.rows_for). An out-of-scope id is 404 even when another field
    is malformed; a malformed provider leaves nothing to check the municipality against, so
    that is the form's 400 only."""
    user = request.user
    if not access_activity.has_any(user):
        raise Http404
    providers = list(access_activity.providers_for(user))
    form = ActivityForm(data, providers=providers,
                        municipalities=list(access_activity.municipality_choices(user)))
    invalid = form.is_bound and not form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})  # the fields that cleaned, even if invalid
    provider = rows = None
    if "provider" not in form.errors:
        provider_id = cleaned.get("provider") or form.initial["provider"]
        provider = next((p for p in providers if p.pk == provider_id), None)
        if provider_id is not None and provider is None:
            raise Http404
    municipality = cleaned.get("municipality")
    if provider is not None:
        rows = access_activity.rows_for(user, provider.pk)
        if municipality is not None and not access_activity.may_narrow_to(rows, municipality):
            raise Http404
    elif municipality is not None and "provider" not in form.errors:
        raise Http404  # no provider to show: no municipality's row either
    if invalid:
        return Selection(form, None, None, None, None)
    month = cleaned.get("month") or form.default_month  # none asked for: the last whole month
    return Selection(form, provider, month, rows, municipality)


def compute(s: Selection) -> Shown:
    return shown(activity.report(s.provider.pk, s.month, s.month, s.rows)[0], s.municipality)


@login_required
@require_safe
def report(request):
    sel = selection(request, request.GET)
    form, provider = sel.form, sel.provider
    context = {"form": form, "provider": provider, "threshold": rules.SUPPRESS_BELOW,
               "intensities": intensity_labels(), "query": request.GET.urlencode()}
    if form.is_bound and form.errors:
        return render(request, TEMPLATE, context, status=400)
    if provider is not None:
        context["shown"] = compute(sel)
        context["csv_query"] = _query(sel)
    return render(request, TEMPLATE, context)


def _query(sel: Selection) -> str:
    params = {"provider": sel.provider.pk, "month": sel.month.strftime("%Y-%m")}
    if sel.municipality is not None:
        params["municipality"] = sel.municipality
    return urlencode(params)


def csv_header() -> list[str]:
    header = [_("Måned"), _("Kommune"), _("Kommunekode"), _("Købsaftale i kraft"),
              _("Borgere i behandling"), _("Iværksættelser"), _("Udskrivninger")]
    for label in intensity_labels():
        header += [_("%(intensity)s: borgere") % {"intensity": label},
                   _("%(intensity)s: pladser brugt") % {"intensity": label}]
    return header + [_("Anonyme alkoholbehandlinger efter bopælskommune")]


def csv_rows(s: Shown) -> list[list[str]]:
    month = s.first.strftime("%Y-%m")
    lines = []
    for r in s.rows:
        line = [month, r.label, r.code, "" if r.total else (_("Ja") if r.agreement else _("Nej")),
                r.citizens.text(), r.starts.text(), r.discharges.text()]
        for cell, places in r.intensities:
            line += [cell.text(), places]
        lines.append(line + [r.anonymous.text()])
    return lines


@login_required
@require_safe
def report_csv(request):
    """The table as CSV (semicolon-separated UTF-8 with a byte-order mark, like the other
    exports), suppressed as on screen. No personal data; the download is audited as an
    export."""
    sel = selection(request, request.GET)
    form, provider, month = sel.form, sel.provider, sel.month
    if form.is_bound and form.errors:
        return render(request, TEMPLATE, {
            "form": form, "threshold": rules.SUPPRESS_BELOW,
            "intensities": intensity_labels()}, status=400)
    if provider is None:
        raise Http404
    s = compute(sel)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_header())
    for line in csv_rows(s):
        writer.writerow([csv_cell(v) for v in line])
    record(request, Action.EXPORT,
           purpose=f"leverandøraktivitet (CSV): {request.GET.urlencode()}")
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"aktivitet-{provider.pk}-{month.strftime('%Y-%m')}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
