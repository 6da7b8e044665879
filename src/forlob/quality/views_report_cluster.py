"""The cluster report (issue 6 item 4): the page, the PDF, and the coordinator's texts (focus
areas and the feedback on the cooperation). Who may read and write: views_reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from forlob.locking import refuse_stale

from . import access
from .forms_reports import ClusterTextForm
from .models import ClusterReportText
from .reports import build_cluster_report
from .reports_region import round_clusters
from .views_reports import (
    WRITE,
    load_cluster_report,
    load_round,
    pdf_response,
    render_pdf,
)

BODY = "quality/report_cluster_body.html"
COMPETENCE = "kompetencer"


def _with_competence(request) -> bool:
    """The cluster's competence and development projects are listed on request (?kompetencer=1)."""
    return request.GET.get(COMPETENCE) == "1"


@login_required
@require_safe
def report_index(request, round_id):
    """The reports of a round the user may read: a cluster report per cluster, and the region
    report for the round's coordinators."""
    rnd = load_round(request, round_id)
    clusters = [(c, right) for c in round_clusters(rnd)
                if (right := access.cluster_report_right(request.user, rnd, c)) is not None]
    region = access.may_coordinate(request.user, rnd)
    if not clusters and not region:
        raise Http404
    return render(request, "quality/report_index.html", {
        "round": rnd, "clusters": clusters, "region": region,
        "coordinates": region or any(right == WRITE for _c, right in clusters)})


@login_required
@require_safe
def report_cluster(request, round_id, cluster_id):
    rnd, cluster, right = load_cluster_report(request, round_id, cluster_id)
    with_competence = _with_competence(request)
    return render(request, "quality/report_cluster.html", {
        "report": build_cluster_report(rnd, cluster, with_competence=with_competence),
        "may_edit": right == WRITE, "pdf": False,
        "query": f"?{COMPETENCE}=1" if with_competence else ""})


@login_required
@require_safe
def report_cluster_pdf(request, round_id, cluster_id):
    rnd, cluster, _right = load_cluster_report(request, round_id, cluster_id)
    report = build_cluster_report(rnd, cluster, with_competence=_with_competence(request))
    pdf = render_pdf("quality/report_cluster_pdf.html", {"report": report})
    return pdf_response(request, pdf, f"klyngerapport-{rnd.pk}-{slugify(cluster.name)}.pdf",
                        f"klyngerapport (PDF): runde {rnd.pk}, klynge {cluster.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def report_cluster_edit(request, round_id, cluster_id):
    """The coordinator writes the cluster's focus areas and its feedback on the cooperation.
    A stale form (someone saved meanwhile) writes nothing and says so."""
    rnd, cluster, _right = load_cluster_report(request, round_id, cluster_id, need=WRITE)
    text = (ClusterReportText.objects.filter(round=rnd, cluster=cluster).first()
            or ClusterReportText(round=rnd, cluster=cluster))
    form = ClusterTextForm(request.POST if request.method == "POST" else None, instance=text)
    if request.method == "POST":
        if form.is_valid() and refuse_stale(form, form.save_text):
            messages.success(request, _("Klyngerapportens tekster er gemt."))
            return redirect("quality:report_cluster", round_id=rnd.pk, cluster_id=cluster.pk)
    return render(request, "quality/report_cluster_edit.html", {
        "round": rnd, "cluster": cluster, "form": form},
        status=400 if request.method == "POST" else 200)
