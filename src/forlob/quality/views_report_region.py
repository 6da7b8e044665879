"""The region report (issue 6 item 5): the page, the PDF (one chart per answerable indicator,
inline SVG), and the coordinator's texts (status and recommendations per recommendation,
overall conclusions). Only the round's coordinators (views_reports.load_region_report)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from forlob.locking import refuse_stale

from .forms_reports import RegionTextForm
from .models import Section
from .reports_region import build_region_report, round_clusters
from .views_reports import load_region_report, pdf_response, render_pdf


@login_required
@require_safe
def report_region(request, round_id):
    rnd = load_region_report(request, round_id)
    return render(request, "quality/report_region.html", {
        "report": build_region_report(rnd), "clusters": round_clusters(rnd), "pdf": False})


@login_required
@require_safe
def report_region_pdf(request, round_id):
    rnd = load_region_report(request, round_id)
    pdf = render_pdf("quality/report_region_pdf.html", {"report": build_region_report(rnd)})
    return pdf_response(request, pdf, f"regionsrapport-{rnd.pk}.pdf",
                        f"regionsrapport (PDF): runde {rnd.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def report_region_edit(request, round_id):
    """Status text and recommendations per recommendation, and the overall conclusions; all
    or nothing, each text locked on its own."""
    rnd = load_region_report(request, round_id)
    sections = Section.objects.filter(framework=rnd.framework)
    form = RegionTextForm(request.POST if request.method == "POST" else None, rnd=rnd,
                          sections=sections)
    if request.method == "POST":
        if form.is_valid() and refuse_stale(form, form.save_texts):
            messages.success(request, _("Regionsrapportens tekster er gemt."))
            return redirect("quality:report_region", round_id=rnd.pk)
    return render(request, "quality/report_region_edit.html", {"round": rnd, "form": form},
                  status=400 if request.method == "POST" else 200)
