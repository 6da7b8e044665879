"""What the cluster and region report views share (issue 6 items 4 and 5): who may read and who
may write a report, and the PDF rendering. The scoping itself is access.py's
(access.report_rounds, access.cluster_report_right):

- A round's coordinators (access.may_coordinate) read and write both reports.
- In a region round, the coordinator of one of the region's clusters reads and writes the
  cluster report of that cluster (the clusters wrote their own reports in 2014).
- The leaders and administrators of the participating municipalities read the cluster report
  of their cluster.
- Anyone else: 404, as for any object out of scope.

The reports hold no personal data (answers and texts); the measured evidence in the cluster
report is aggregate and suppressed. A PDF leaves the system, so it is recorded as a print, as
the indicator dashboard's PDF is."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string

from forlob.audit.recorder import Action, record

from . import access
from .models import Round
from .reports_region import round_clusters

READ, WRITE = access.REPORT_READ, access.REPORT_WRITE


def load_round(request, round_id) -> Round:
    return get_object_or_404(
        access.report_rounds(request.user).select_related("framework", "cluster", "region"),
        pk=round_id)


def load_cluster_report(request, round_id, cluster_id, need=READ):
    """(round, cluster, right), or 404 when the user may not read (or, with need=WRITE,
    write) that cluster report, or the cluster is not one of the round's."""
    rnd = load_round(request, round_id)
    cluster = get_object_or_404(round_clusters(rnd), pk=cluster_id)
    right = access.cluster_report_right(request.user, rnd, cluster)
    if right is None or (need == WRITE and right != WRITE):
        raise Http404
    return rnd, cluster, right


def load_region_report(request, round_id) -> Round:
    """The round, when the user coordinates it; else 404."""
    rnd = load_round(request, round_id)
    if not access.may_coordinate(request.user, rnd):
        raise Http404
    return rnd


def render_pdf(template: str, context: dict) -> bytes:
    """The report as PDF (WeasyPrint), in the page's language. Every URL is refused, like the
    quality standard's document, so typed text can never make the renderer read a file or call
    a server; the CSS is in the template and the charts are inline SVG."""
    import weasyprint  # imported here: the app runs (without PDFs) even if Pango is missing

    html = render_to_string(template, {**context, "pdf": True})
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def pdf_response(request, pdf: bytes, filename: str, purpose: str) -> HttpResponse:
    record(request, Action.PRINT, purpose=purpose)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
