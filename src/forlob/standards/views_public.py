"""The public, login-free pages of the quality standard (issue 7 item 3), at /kvalitetsstandard/:
every municipality's version in force today, as a page and as a PDF. Only an adopted version in
force is ever shown (levels.standard_on); drafts and superseded versions are not public. The
standard holds no personal data, so nothing here is audited."""

import hashlib

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from forlob import clock
from forlob.organisations.models import Municipality
from forlob.pathway.letters import sender_name

from . import document, levels
from .models import ServiceStandard, Status

#: The PDF may be cached briefly by browsers and proxies (a new version takes effect from a day,
#: so an hour's delay is harmless). The HTML pages are not marked public: the site's header
#: carries the logged-in user's name and a CSRF token.
PDF_CACHE_CONTROL = "public, max-age=3600"

#: Rendering a PDF takes a second of CPU, and these pages need no login: a rendered PDF is kept
#: in the cache for an hour, keyed by everything it is built from that can change (the row's
#: edits, and the municipality's adopted versions, which set "valid until").
PDF_CACHE_SECONDS = 3600


def in_force(code: str) -> ServiceStandard:
    """The version in force today for the municipality with `code`; 404 for an unknown code or
    a municipality with no adopted version in force."""
    municipality = get_object_or_404(Municipality, code=code)
    standard = levels.standard_on(municipality.pk, clock.today())
    if standard is None:
        raise Http404
    return standard


@require_safe
def index(request):
    today = clock.today()
    candidates = Municipality.objects.filter(
        service_standards__status=Status.ADOPTED,
        service_standards__valid_from__lte=today).distinct().order_by("name")
    rows = []
    for municipality in candidates:
        standard = levels.standard_on(municipality.pk, today)
        if standard is not None:
            rows.append({"name": sender_name(municipality), "code": municipality.code,
                         "standard": standard})
    return render(request, "standards/public_index.html", {"rows": rows, "today": today})


@require_safe
def current(request, code):
    standard = in_force(code)
    return render(request, "standards/public_document.html",
                  {"doc": document.build_document(standard), "pdf": False})


def cached_pdf(standard: ServiceStandard) -> bytes:
    versions = sorted((v.number, v.valid_from.isoformat())
                      for v in levels.adopted(standard.municipality_id))
    key = "standards:pdf:" + hashlib.sha256(repr(
        (standard.pk, standard.version, standard.updated_at.isoformat(), versions)
    ).encode()).hexdigest()
    return cache.get_or_set(key, lambda: document.render_pdf(standard), PDF_CACHE_SECONDS)


@require_safe
def current_pdf(request, code):
    standard = in_force(code)
    response = HttpResponse(cached_pdf(standard), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.pdf_filename(standard)}"'
    response["Cache-Control"] = PDF_CACHE_CONTROL
    return response
