"""Decision letters through the API (issue 3 item 7): the PDF, and sending it once.

Same layers as the pages in views_letters.py: the course through the scoping layer (404 out of
scope), showing the letter audited as PRINT, sending audited inside letters.send_letter.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from forlob.audit.recorder import Action, record
from forlob.citizens.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, APIBase, api_validation_error

from . import letters
from .api import TAG, ScopedCourseMixin, course_body
from .serializers import CourseDetailSerializer


class EmptySerializer(serializers.Serializer):
    """Sending takes no fields."""


class LetterMixin(ScopedCourseMixin):
    def decision(self, decision_id):
        decision = get_object_or_404(
            self.course.decisions.select_related("provider", "assessment", "recorded_by"),
            pk=decision_id)
        decision.course = self.course
        return decision


@extend_schema(tags=[TAG])
class DecisionLetter(LetterMixin, APIBase):
    """The decision letter as PDF: the sent letter as stored, or a draft with a watermark."""

    @extend_schema(
        operation_id="courses_decisions_letter_retrieve",
        summary="Afgørelsesbrevet som PDF",
        description="Det sendte brev, eller et udkast før afsendelse. Logges som udskrift.",
        responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
                   404: NOT_FOUND},
    )
    def get(self, request, course_id, decision_id):
        decision = self.decision(decision_id)
        pdf, draft = letters.letter_pdf(decision)
        record(request, Action.PRINT, citizen=self.course.citizen, obj=decision,
               purpose="afgørelsesbrev (udkast, API)" if draft else "afgørelsesbrev (API)")
        response = HttpResponse(pdf, content_type="application/pdf")
        name = letters.filename(decision, draft=True) if draft else "afgoerelsesbrev.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


@extend_schema(tags=[TAG])
class DecisionLetterSend(LetterMixin, APIBase):
    """Send the letter once through the configured delivery (outbox by default)."""

    serializer_class = EmptySerializer

    @extend_schema(
        operation_id="courses_decisions_letter_send",
        summary="Send afgørelsesbrevet",
        description="Brevet dannes, gemmes uforanderligt med afsendelsesdato og leveres. Et "
        "sendt brev kan ikke sendes igen. Logges som eksport.",
        request=EmptySerializer,
        responses={200: CourseDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN,
                   404: NOT_FOUND},
    )
    def post(self, request, course_id, decision_id):
        decision = self.decision(decision_id)
        try:
            letters.send_letter(request, decision)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(
                _("Kun sagsbehandlere i opholdskommunen kan sende afgørelsesbreve.")) from exc
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(course_body(request, self.course.pk))
