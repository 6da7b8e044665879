"""The decision letter pages: preview (PDF inline) and send (issue 3 item 7).

Both go through the scoping layer (a course out of scope is a 404) and the audit trail: showing
the letter is a PRINT of the citizen's data, sending it an EXPORT (in letters.send_letter).
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect

from forlob.access import get_scoped_or_404
from forlob.audit.recorder import Action, record

from . import letters, services
from .delivery import DeliveryFailed
from .models import Course

log = logging.getLogger(__name__)


def _load(request, course_id, decision_id):
    course = get_scoped_or_404(
        request.user, Course.objects.select_related("citizen", "acting_municipality"),
        pk=course_id)
    decision = get_object_or_404(
        course.decisions.select_related("provider", "assessment", "recorded_by"),
        pk=decision_id)
    decision.course = course
    return course, decision


def _case_url(request, course, decision):
    try:
        return reverse("pathway:case", kwargs={"course_id": course.pk})
    except NoReverseMatch:  # the case page lives elsewhere: fall back to the letter itself
        namespace = request.resolver_match.namespace if request.resolver_match else ""
        name = f"{namespace}:letter_preview" if namespace else "letter_preview"
        return reverse(name, kwargs={"course_id": course.pk, "decision_id": decision.pk})


@login_required
@require_safe
def letter_preview(request, course_id, decision_id):
    """The letter as PDF, shown inline: the sent letter as stored, or a draft with watermark."""
    course, decision = _load(request, course_id, decision_id)
    pdf, draft = letters.letter_pdf(decision)
    record(request, Action.PRINT, citizen=course.citizen, obj=decision,
           purpose="afgørelsesbrev (udkast)" if draft else "afgørelsesbrev")
    response = HttpResponse(pdf, content_type="application/pdf")
    name = letters.filename(decision, draft=True) if draft else (
        f"afgoerelsesbrev-{course.pk}-{decision.pk}.pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def letter_send(request, course_id, decision_id):
    """Send the final letter once; afterwards the decision and its letter cannot change."""
    course, decision = _load(request, course_id, decision_id)
    if not services.can_act(request.user, course):
        raise PermissionDenied
    try:
        letters.send_letter(request, decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except DeliveryFailed:
        log.exception("decision letter %s could not be delivered", decision.pk)
        messages.error(request, _("Brevet kunne ikke sendes, og intet er gemt. Prøv igen, eller "
                                  "kontakt driften, hvis fejlen fortsætter."))
    else:
        messages.success(request, _("Afgørelsesbrevet er sendt."))
    url = _case_url(request, course, decision)
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
