"""The indicator dashboard as PDF (issue 5 item 3): the same sections, figures and
suppression as the page, with each chart inline as SVG rendered from the same Vega-Lite spec
(charts.to_svg), so the PDF shows what the page shows. WeasyPrint, every URL refused, like the
quality standard's document. Aggregates only, but a print leaves the system, so it is audited
as a print, as the XLSX export of the same table is audited as an export."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import path
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from forlob import clock
from forlob.audit.recorder import Action, record

from . import rules
from .presentation import sections
from .views import _figures, _selection, distribution_svg, trend_svg

TEMPLATE = "indicators/dashboard_pdf.html"


def render_pdf(filters, suppress) -> bytes:
    import weasyprint  # imported here: the app runs (without PDFs) even if Pango is missing

    # The SVG comes from vl-convert, not from user input; labels in it are escaped there.
    groups = [(s, [(f, mark_safe(trend_svg(f.kpi, filters, suppress)),  # noqa: S308
                    mark_safe(distribution_svg(f)) if f.bars else "")  # noqa: S308
                   for f in s.figures])
              for s in sections(_figures(filters, suppress))]
    html = render_to_string(TEMPLATE, {
        "sections": groups, "filters": filters, "suppress": suppress,
        "threshold": rules.SUPPRESS_BELOW, "today": clock.today()})
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


@login_required
@require_safe
def dashboard_pdf(request):
    form, filters, suppress = _selection(request)
    if filters is None:
        return render(request, "indicators/dashboard.html", {"form": form}, status=400)
    pdf = render_pdf(filters, suppress)
    record(request, Action.PRINT, purpose="indikatorer (PDF): " + request.GET.urlencode())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="indikatorer.pdf"'
    return response


patterns = [
    path("pdf/", dashboard_pdf, name="pdf"),
]
