"""Staff preview of any version of a quality standard (issue 7 item 3): the document as it will
be published, for a draft before adoption as well as for an adopted version, as a page and as a
PDF. Only for the municipalities the user sees (access.visible_municipalities); any other
version answers 404.

Routes: standards/urls.py adds `document_patterns` (names standards:standard_document and
standards:standard_document_pdf; the "standard_" prefix lets the URL walks in tests fill
<pk> with a ServiceStandard)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_safe

from . import document
from .access import visible_municipalities
from .models import ServiceStandard


def load_standard(request, pk) -> ServiceStandard:
    return get_object_or_404(
        ServiceStandard.objects.select_related("municipality"), pk=pk,
        municipality__in=visible_municipalities(request.user))


@login_required
@require_safe
def preview(request, pk):
    standard = load_standard(request, pk)
    response = render(request, "standards/document.html", {
        "doc": document.build_document(standard), "pdf": False, "standard": standard,
        "pdf_url": "pdf/"})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def preview_pdf(request, pk):
    standard = load_standard(request, pk)
    response = HttpResponse(document.render_pdf(standard), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{document.pdf_filename(standard)}"'
    response["Cache-Control"] = "no-store"
    return response


document_patterns = [
    path("<int:pk>/dokument/", preview, name="standard_document"),
    path("<int:pk>/dokument/pdf/", preview_pdf, name="standard_document_pdf"),
]
