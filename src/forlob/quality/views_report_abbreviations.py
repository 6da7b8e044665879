"""The abbreviations the reports list municipalities under (issue 6 item 4: "under
abbreviations that can be configured"). A coordinator sets them for the municipalities of the
clusters and regions they coordinate (access.coordinated_municipalities); anyone else: 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forlob.locking import refuse_stale

from . import access
from .forms_reports import AbbreviationsForm


@login_required
@require_http_methods(["GET", "POST"])
def report_abbreviations(request):
    municipalities = list(access.coordinated_municipalities(request.user))
    if not municipalities:
        raise Http404
    form = AbbreviationsForm(request.POST if request.method == "POST" else None,
                             municipalities=municipalities)
    if request.method == "POST":
        if form.is_valid() and refuse_stale(form, form.save_abbreviations):
            messages.success(request, _("Forkortelserne er gemt."))
            return redirect("quality:report_abbreviations")
    return render(request, "quality/report_abbreviations.html", {"form": form},
                  status=400 if request.method == "POST" else 200)
