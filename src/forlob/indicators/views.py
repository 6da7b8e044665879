"""The municipality's indicator dashboard (issue 5 item 3): every KPI of the catalogue for a
selection, in sections, with its definition, a trend chart per KPI and a bar chart of its
distribution (Vega-Lite, rendered to SVG on the server; the numbers stand in a table beside
each chart) and an XLSX export of the table. Figures are suppressed wherever they cross the
user's personal-data scope (access.sees_cases). Nothing here computes an indicator: the
catalogue does, and presentation.py formats and suppresses."""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from forlob.audit.recorder import Action, record

from . import access, charts, rules
from .catalogue import CATALOGUE
from .forms import DashboardForm
from .presentation import figure, sections
from .views_exports import exportable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _selection(request):
    """(form, Filters or None when the selection is invalid, suppress). 404 for a user who
    sees no municipality's indicators, and for a municipality or cluster outside those
    (forms.DashboardForm); every page of the dashboard (charts, XLSX, PDF, DST) selects here."""
    municipalities = access.municipalities_for(request.user)
    if not municipalities.exists():
        raise Http404
    form = DashboardForm(request.GET, municipalities=municipalities)
    if form.is_bound and not form.is_valid():
        return form, None, True
    filters = form.filters()
    return form, filters, not access.sees_cases(request.user, filters.municipalities)


def _figures(filters, suppress):
    return [figure(kpi, kpi.compute(filters), suppress) for kpi in CATALOGUE.values()]


def trend_points(kpi, filters):
    """The KPI for each calendar month of the selection (for the trend chart)."""
    return [(start, kpi.compute(filters.for_period(start, end)))
            for start, end in rules.months(filters.start, filters.end)]


def trend_svg(kpi, filters, suppress) -> str:
    points = trend_points(kpi, filters)
    unit = points[0][1].unit if points else "share"
    return charts.to_svg(charts.trend_spec(kpi.name(get_language()), points, unit, suppress))


def distribution_svg(f) -> str:
    return charts.to_svg(charts.distribution_spec(f.name, f.bars))


def may_drill_down(user, filters) -> bool:
    """The case lists behind the figures: only when the user may drill down in every
    municipality of the selection (access.may_drill_down)."""
    return bool(filters.municipalities) and all(
        access.may_drill_down(user, m) for m in filters.municipalities)


@login_required
@require_safe
def dashboard(request):
    form, filters, suppress = _selection(request)
    if filters is None:
        return render(request, "indicators/dashboard.html", {"form": form}, status=400)
    return render(request, "indicators/dashboard.html", {
        "form": form, "sections": sections(_figures(filters, suppress)), "suppress": suppress,
        "query": request.GET.urlencode(), "threshold": rules.SUPPRESS_BELOW,
        "drill_down": may_drill_down(request.user, filters),
        "compare": access.comparison_municipalities(request.user).exists(),
        "exports": bool(exportable(request.user))})


@login_required
@require_safe
def definition(request, code):
    kpi = CATALOGUE.get(code)
    if kpi is None:
        raise Http404
    return render(request, "indicators/definition.html", {
        "kpi": kpi, "name": kpi.name(get_language()),
        "text": kpi.definition(get_language())})


def _kpi_selection(request, code):
    """The KPI named in the URL (404 if unknown) and the selection; filters None when the
    selection is invalid."""
    kpi = CATALOGUE.get(code)
    if kpi is None:
        raise Http404
    _form, filters, suppress = _selection(request)
    return kpi, filters, suppress


@login_required
@require_safe
def chart(request, code):
    kpi, filters, suppress = _kpi_selection(request, code)
    if filters is None:
        return HttpResponse(status=400)
    return HttpResponse(trend_svg(kpi, filters, suppress), content_type="image/svg+xml")


@login_required
@require_safe
def distribution(request, code):
    """The KPI's distribution as bars, suppressed as in the table beside it."""
    kpi, filters, suppress = _kpi_selection(request, code)
    if filters is None:
        return HttpResponse(status=400)
    f = figure(kpi, kpi.compute(filters), suppress)
    if not f.bars:
        raise Http404
    return HttpResponse(distribution_svg(f), content_type="image/svg+xml")


@login_required
@require_safe
def export_xlsx(request):
    """The dashboard's table as XLSX, suppressed as on screen. Audited as an export."""
    from openpyxl import Workbook

    form, filters, suppress = _selection(request)
    if filters is None:
        return render(request, "indicators/dashboard.html", {"form": form}, status=400)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Indikatorer"))
    sheet.append([_("Indikator"), _("Værdi"), _("Tæller"), _("Nævner"), _("Kilde")])
    for f in _figures(filters, suppress):
        sheet.append([f.name, str(f.value), f.numerator, f.denominator, str(f.kpi.source)])
    sheet.append([])
    sheet.append([_("Periode"), f"{filters.start.isoformat()} – {filters.end.isoformat()}"])
    buffer = io.BytesIO()
    book.save(buffer)
    record(request, Action.EXPORT, purpose="indikatorer (XLSX): " + request.GET.urlencode())
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="indikatorer.xlsx"'
    return response
