"""Comparison across the municipalities of a cluster or region (issue 5 item 3), for leaders
and quality coordinators: each KPI for each municipality, with a total row and a bar chart.

Who compares what (`access.comparison_municipalities`): a quality coordinator, the municipalities of
the clusters and regions they coordinate; a leader, the municipalities of their own cluster
(the clusters of the municipalities they lead). A leader thus sees the neighbouring
municipalities' figures, in aggregate only and always suppressed, exactly as a coordinator of
that cluster would; their own municipality's unsuppressed figures stay on the dashboard.
Nobody else has a comparison (404).

Suppression always applies here, whoever looks: the page crosses every personal-data scope.
Per KPI the counts form one table, the municipalities as rows and the total last, with the
columns numerator, the rest of the denominator, and the denominator (a statistic such as a
median has the denominator only; coverage the numerator only, its denominator being an
estimate, not people). Every line of that table adds up (numerator + rest = denominator
across, each column down to the total), and all its cells, margins included, go to
rules.suppress_table as one table: counts 1–4 are hidden wherever they stand, and no row or
column is left with exactly one hidden cell that its line would give away. A value is shown
only where presentation.shown_value shows it and, for a share, a count or a ratio, none of
its row's counts is hidden (the value times a visible count would reveal the hidden one)."""

from dataclasses import dataclass, replace

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import charts, rules
from .access import comparison_municipalities
from .catalogue import CATALOGUE, Kpi, Value
from .forms import CompareForm
from .presentation import format_value, shown_value

TEMPLATE = "indicators/compare.html"


@dataclass(frozen=True)
class Row:
    label: str
    value: str  # formatted, "–" where not shown
    number: float | None  # the shown value, for the chart
    counts: tuple  # rules.Cell per column
    total: bool = False


@dataclass(frozen=True)
class Comparison:
    kpi: Kpi
    name: str
    unit: str
    columns: tuple  # the count columns' headings
    rows: tuple  # Row per municipality, then the total


def _shape(kpi: Kpi, values: list[Value]) -> str:
    """Which counts the KPI's table holds: "share" (numerator, rest, denominator), "ratio"
    (numerator) or "n" (the denominator: the courses a statistic is computed over)."""
    if any(v.unit == "ratio" for v in values):
        return "ratio"
    if any(v.numerator is not None for v in values):
        return "share"
    return "n"


def _counts(v: Value, shape: str) -> list[int]:
    numerator, denominator = v.numerator or 0, v.denominator or 0
    if shape == "share":
        return [numerator, denominator - numerator, denominator]
    return [numerator] if shape == "ratio" else [denominator]


COLUMNS = {"share": (gettext_lazy("Tæller"), gettext_lazy("Øvrige"), gettext_lazy("Nævner")),
           "ratio": (gettext_lazy("Tæller"),), "n": (gettext_lazy("Nævner"),)}


def suppress(table: list[list[int]]) -> list[list[rules.Cell]]:
    """The one call of rules.suppress_table here: the whole table, margins included."""
    return rules.suppress_table(table)


def compare(kpi: Kpi, filters, municipalities, shown=None) -> Comparison:
    """The KPI for each municipality and for all of them together, suppressed as one table.

    `shown` (the municipalities a chosen cluster narrows the rows to) keeps the suppression of
    the whole comparison: the table is suppressed over every municipality the user compares
    with its total, and only the chosen rows are shown, without a subtotal of their own. A
    cluster subtotal would be a new sum that, taken with the rows of the full comparison,
    reveals a hidden cell (a reviewer's example: A=3 hidden, B=10 shown, A+B=13 shown)."""
    ids = None if shown is None else {m.pk for m in shown}
    labels = [m.name for m in municipalities] + [_("Alle")]
    values = [kpi.compute(filters.for_municipalities({m.pk})) for m in municipalities]
    values.append(kpi.compute(filters.for_municipalities({m.pk for m in municipalities})))
    shape = _shape(kpi, values)
    cells = suppress([_counts(v, shape) for v in values])
    rows = []
    for i, (label, v, counts) in enumerate(zip(labels, values, cells, strict=True)):
        total = i == len(values) - 1
        if ids is not None and (total or municipalities[i].pk not in ids):
            continue
        shown_number = shown_value(v, True)
        if v.unit in ("share", "count", "ratio") and any(c.suppressed for c in counts):
            shown_number = None
        rows.append(Row(str(label), format_value(shown_number, v.unit), shown_number,
                        tuple(counts), total=total))
    return Comparison(kpi, kpi.name(get_language()), values[-1].unit,
                      tuple(str(c) for c in COLUMNS[shape]), tuple(rows))


def _selection(request):
    """(form, every municipality the user compares, the rows shown or None for all, Filters or
    None when the selection is invalid). A chosen cluster narrows the rows shown to its own
    municipalities; one outside those the user may compare answers 404 (DashboardForm)."""
    municipalities = list(comparison_municipalities(request.user))
    if not municipalities:
        raise Http404
    form = CompareForm(request.GET, municipalities=municipalities)
    if form.is_bound and not form.is_valid():
        return form, municipalities, None, None
    filters = form.filters()
    shown = None
    if filters.cluster is not None:
        shown = [m for m in municipalities if m.pk in filters.municipalities]
    # The whole comparison is computed, without the cluster, and only `shown` rows displayed.
    whole = replace(filters, cluster=None).for_municipalities({m.pk for m in municipalities})
    return form, municipalities, shown, whole


@login_required
@require_safe
def comparison(request):
    form, municipalities, shown, filters = _selection(request)
    context = {"form": form, "municipalities": shown if shown is not None else municipalities,
               "threshold": rules.SUPPRESS_BELOW, "query": request.GET.urlencode()}
    if filters is None:
        return render(request, TEMPLATE, context, status=400)
    chosen = form.cleaned_data.get("kpi") if form.is_bound else ""
    context["comparisons"] = [compare(kpi, filters, municipalities, shown)
                              for code, kpi in CATALOGUE.items() if chosen in ("", code)]
    return render(request, TEMPLATE, context)


@login_required
@require_safe
def comparison_chart(request, code):
    kpi = CATALOGUE.get(code)
    if kpi is None:
        raise Http404
    form, municipalities, shown, filters = _selection(request)
    if filters is None:
        return HttpResponse(status=400)
    c = compare(kpi, filters, municipalities, shown)
    spec = charts.comparison_spec(c.name, [(r.label, r.number) for r in c.rows], c.unit)
    return HttpResponse(charts.to_svg(spec), content_type="image/svg+xml")


patterns = [
    path("sammenlign/", comparison, name="compare"),
    path("sammenlign/graf/<slug:code>.svg", comparison_chart, name="compare_chart"),
]
