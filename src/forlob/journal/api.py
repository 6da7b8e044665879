"""Journal API (v1, issue 4 item 6): the notes of a course, writing a note, and correcting one
with an amending note.

The same layers as the treatment API: the course through the scoping layer (404 out of scope,
on every method), the note through the scoping layer too (a note the other side may not see
without consent is 404), 403 for a reader who may not write, the body's `version` for optimistic
locking (409 when stale), one call to `journal.services`, which validates and audits. A saved
note is never changed: PUT, PATCH and DELETE on a note answer 405 with a Danish message.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from forlob.access import get_scoped_or_404
from forlob.audit.recorder import Action, record
from forlob.citizens.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, APIBase, api_validation_error
from forlob.pathway.api import CONFLICT, CourseStep, ScopedCourseMixin

from . import serializers as ser
from . import services
from .models import ANONYMOUS_MESSAGE, LOCKED_MESSAGE, JournalNote, on_anonymous_course

TAG = "journal"
WRITE_RESPONSES = {201: ser.NoteWrittenSerializer, 400: BAD_REQUEST, 403: FORBIDDEN,
                   404: NOT_FOUND, 409: CONFLICT}
LOCKED_METHODS = ("PUT", "PATCH", "DELETE")


class JournalStep(CourseStep):
    """Writing a note: answers with the note written and the course's new version."""

    input_class = ser.NoteWriteSerializer

    def check_writer(self, request):
        if not services.can_write(request.user, self.course):
            raise exceptions.PermissionDenied(_(
                "Kun sagsbehandlere i opholdskommunen og behandlere i tilbuddet kan skrive "
                "journalnotater."))
        if on_anonymous_course(self.course):
            raise serializers.ValidationError({"non_field_errors": [str(ANONYMOUS_MESSAGE)]})

    def write(self, request, status_code=status.HTTP_201_CREATED):
        self.check_writer(request)
        serializer = self.input_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.course.version = data.pop("version")
        try:
            note = self.perform(request, data)
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        note.course_version = self.course.version
        return Response(ser.NoteWrittenSerializer(note).data, status=status_code)


def note_in_scope(user, course, note_id) -> JournalNote:
    """A note of `course` that `user` may see; any other id is not found (404)."""
    return get_scoped_or_404(user, services.notes(user, course), pk=note_id)


@extend_schema(tags=[TAG])
class JournalListCreate(JournalStep):
    @extend_schema(
        operation_id="courses_journal_retrieve",
        summary="Journalnotaterne på et forløb",
        description="De notater, du må se, nyeste først: din egen sides altid; den anden sides "
        "kun mens borgerens samtykke til deling mellem behandlingstilbud og kommune gælder. "
        "Logges som en visning af borgeren.",
        responses={200: ser.JournalSerializer, 404: NOT_FOUND},
    )
    def get(self, request, course_id):
        course = self.course
        notes = list(services.notes(request.user, course))
        record(request, Action.VIEW, citizen=course.citizen, obj=course,
               purpose=_("journalnotater"))
        body = {"course": course.pk, "version": course.version,
                "can_write": services.may_write(request.user, course), "notes": notes}
        return Response(ser.JournalSerializer(body).data)

    @extend_schema(
        operation_id="courses_journal_create",
        summary="Skriv et journalnotat",
        description="Notattype, dato (ikke i fremtiden) og tekst. Et gemt notat kan ikke "
        "ændres; ret det med et nyt notat (amend). Afvises på anonyme § 101 a-forløb. Kræver "
        "`version`; svarer med notatet og forløbets nye version.",
        request=ser.NoteWriteSerializer, responses=WRITE_RESPONSES,
    )
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        return services.write_note(request, self.course, JournalNote(**data))


@extend_schema(tags=[TAG])
class NoteDetail(ScopedCourseMixin, APIBase):
    """One note. It can never be changed or deleted (405 with a Danish message)."""

    serializer_class = ser.NoteSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.note = note_in_scope(request.user, self.course, kwargs["journalnote_id"])

    def http_method_not_allowed(self, request, *args, **kwargs):
        if request.method in LOCKED_METHODS:
            raise exceptions.MethodNotAllowed(request.method, detail=str(LOCKED_MESSAGE))
        return super().http_method_not_allowed(request, *args, **kwargs)

    @extend_schema(
        operation_id="courses_journal_note_retrieve",
        summary="Ét journalnotat",
        description="Med de notater, der retter det. PUT, PATCH og DELETE svarer 405: et gemt "
        "notat kan ikke ændres eller slettes. Logges som en visning af borgeren.",
        responses={200: ser.NoteSerializer, 404: NOT_FOUND},
    )
    def get(self, request, course_id, journalnote_id):
        record(request, Action.VIEW, citizen=self.course.citizen, obj=self.note)
        return Response(ser.NoteSerializer(self.note).data)


@extend_schema(tags=[TAG])
class NoteAmend(JournalStep):
    @extend_schema(
        operation_id="courses_journal_note_amend",
        summary="Ret et journalnotat med et nyt notat",
        description="Det oprindelige notat står uændret og vises som rettet, sammen med "
        "rettelsen. Kun den side, der skrev notatet, kan rette det. Kræver `version`; svarer "
        "med det nye notat og forløbets nye version.",
        request=ser.NoteWriteSerializer,
        responses=WRITE_RESPONSES,
    )
    def post(self, request, course_id, journalnote_id):
        self.original = note_in_scope(request.user, self.course, journalnote_id)
        return self.write(request)

    def perform(self, request, data):
        return services.amend_note(request, self.course, self.original,
                                           JournalNote(**data))
