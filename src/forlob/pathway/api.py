"""Pathway API (v1, issue 3): every step of a course from first contact to treatment start.

The same layers as the UI and the citizen API (`citizens.api`):
- a course comes from `access.get_scoped_or_404` by its id (`course_id`) before the request
  method is considered, so a course out of scope answers 404 on every method of every URL;
- every answer that shows personal data writes an audit record; writes are audited by the
  services in the same transaction;
- every step is one call to `pathway.services`, which validates it with `pathway.rules`; the
  body carries the course `version` read by the client (optimistic locking: 409 when stale).
"""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response

from forlob.access import get_scoped_or_404, scope_for, scoped
from forlob.audit.recorder import Action, record, record_many
from forlob.citizens.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, APIBase, api_validation_error
from forlob.citizens.models import Citizen
from forlob.citizens.serializers import ErrorSerializer

from . import serializers_input as inp
from . import services
from .models import (
    Assessment,
    Contact,
    CounsellingSession,
    Course,
    Decision,
    FreeChoice,
    TreatmentRequest,
    TreatmentStart,
)
from .serializers import CourseDetailSerializer, CourseSummarySerializer, WorklistItemSerializer

TAG = "pathway"
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="Forløbet blev ændret af en anden siden den læste version."
)
STEP_RESPONSES = {400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


def courses_queryset():
    return Course.objects.select_related("citizen", "acting_municipality",
                                         "caseworker").prefetch_related("tracks")


def detail_queryset():
    return courses_queryset().select_related("doctor", "start__provider").prefetch_related(
        "contacts", "counselling", "requests", "assessments__screenings", "screenings",
        "decisions__provider", "free_choices", "breaches", "custody_holders",
    )


def course_body(request, pk) -> dict:
    return CourseDetailSerializer(detail_queryset().get(pk=pk),
                                  context={"request": request}).data


def require_actor(user, course):
    """In scope but not a caseworker of the acting municipality: 403 (existence is known)."""
    if not services.can_act(user, course):
        raise exceptions.PermissionDenied(
            _("Kun sagsbehandlere i opholdskommunen kan registrere trin på forløbet.")
        )


class ScopedCourseMixin:
    """Resolve `course_id` through the scoping layer before dispatching on the method."""

    course: Course

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.course = get_scoped_or_404(request.user, detail_queryset(), pk=kwargs["course_id"])


@extend_schema(tags=[TAG])
class CourseListCreate(APIBase):
    """Courses in your scope, and opening a course with its first contact (caseworkers)."""

    serializer_class = CourseSummarySerializer

    @extend_schema(
        operation_id="courses_list",
        summary="Forløb i dit ansvarsområde",
        description="Sideopdelt, nyeste først. Hver borger på siden logges som en visning.",
        parameters=[OpenApiParameter("citizen", OpenApiTypes.UUID,
                                     description="Kun denne borgers forløb.")],
        responses={200: CourseSummarySerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request):
        query = inp.CourseFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        courses = scoped(request.user, courses_queryset()).order_by("-created_at", "-pk")
        if query.validated_data.get("citizen"):
            courses = courses.filter(citizen__public_id=query.validated_data["citizen"])
        page = self.paginate_queryset(courses)
        record_many(request, Action.VIEW, [c.citizen for c in page],
                    purpose=_("forløbsliste (API)"))
        return self.get_paginated_response(CourseSummarySerializer(page, many=True).data)

    @extend_schema(
        operation_id="courses_create",
        summary="Opret forløb med den første henvendelse",
        description="Kun sagsbehandlere, i en opholdskommune hvor de er sagsbehandlere. En "
        "henvendelse med `asks: treatment` er også anmodningen om behandling, som starter "
        "garantien. Logges som oprettelse.",
        request=inp.CourseOpenSerializer,
        responses={201: CourseDetailSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request):
        if not scope_for(request.user).caseworker_municipalities:
            raise exceptions.PermissionDenied(_("Kun sagsbehandlere kan oprette forløb."))
        serializer = inp.CourseOpenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        citizen = scoped(request.user, Citizen).filter(public_id=data.pop("citizen")).first()
        if citizen is None:
            raise serializers.ValidationError({"citizen": [_("Ukendt borger.")]})
        tracks = data.pop("tracks")
        municipality = data.pop("acting_municipality")
        dispute = data.pop("duty_dispute")
        try:
            course = services.open_course(request, citizen, Contact(**data), tracks=tracks,
                                          acting_municipality=municipality,
                                          duty_dispute=dispute)
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(course_body(request, course.pk), status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class CourseDetail(ScopedCourseMixin, APIBase):
    """One course with its facts and the clocks the rules compute from them."""

    serializer_class = CourseDetailSerializer

    @extend_schema(
        operation_id="courses_retrieve",
        summary="Ét forløb med fakta og frister",
        description="Logges som en visning af borgeren.",
        responses={200: CourseDetailSerializer, 404: NOT_FOUND},
    )
    def get(self, request, course_id):
        record(request, Action.VIEW, citizen=self.course.citizen, obj=self.course)
        return Response(CourseDetailSerializer(self.course, context={"request": request}).data)


class CourseStep(ScopedCourseMixin, APIBase):
    """A step on a course: validate the body, set the version read, call one service."""

    serializer_class = CourseDetailSerializer
    input_class: type[serializers.Serializer]

    def perform(self, request, data: dict):  # pragma: no cover - every step overrides it
        raise NotImplementedError

    def get_object(self):  # OPTIONS (DRF metadata) on a PUT route asks for the object
        return self.course

    def get_serializer_class(self):  # OPTIONS describes the body the step takes
        return self.input_class

    def check_writer(self, request):
        """Who may write this step: the acting municipality's caseworkers (403 otherwise)."""
        require_actor(request.user, self.course)

    def write(self, request, status_code=status.HTTP_201_CREATED):
        self.check_writer(request)
        serializer = self.input_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        self.course.version = data.pop("version")
        try:
            answer = self.perform(request, data)
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        # A step that opens another course (a new request at follow-up) answers with that one.
        pk = answer.pk if isinstance(answer, Course) else self.course.pk
        return Response(course_body(request, pk), status=status_code)

    def assessment(self, pk, field="assessment") -> Assessment | None:
        """An assessment of this course by id; an id of another course is unknown here."""
        if pk is None:
            return None
        found = self.course.assessments.filter(pk=pk).first()
        if found is None:
            raise serializers.ValidationError({field: [_("Ukendt afdækning.")]})
        return found


def step_schema(operation_id, summary, description, request, created=True):
    ok = 201 if created else 200
    return extend_schema(
        operation_id=operation_id, summary=summary, request=request,
        description=description + " Kræver `version`; svarer med hele forløbet og den nye "
        "version.",
        responses={ok: CourseDetailSerializer, **STEP_RESPONSES},
    )


@extend_schema(tags=[TAG])
class ContactCreate(CourseStep):
    input_class = inp.ContactWriteSerializer

    @step_schema("courses_contacts_create", "Registrér en henvendelse",
                 "Kanal, rusmidler og hvad der spørges om.", inp.ContactWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.add_contact(request, self.course, Contact(**data))


@extend_schema(tags=[TAG])
class CounsellingCreate(CourseStep):
    input_class = inp.CounsellingWriteSerializer

    @step_schema("courses_counselling_create", "Registrér en rådgivningssamtale",
                 "Rådgivning er aldrig behandling og standser ingen frist (retningslinje 3.3).",
                 inp.CounsellingWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.add_counselling(request, self.course, CounsellingSession(**data))


@extend_schema(tags=[TAG])
class RequestCreate(CourseStep):
    input_class = inp.RequestWriteSerializer

    @step_schema("courses_requests_create", "Registrér en anmodning om behandling",
                 "Den første anmodning starter garantien (SEL § 101, stk. 4). Datoen må ikke "
                 "ligge i fremtiden.", inp.RequestWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.add_request(request, self.course, TreatmentRequest(**data))


@extend_schema(tags=[TAG])
class TracksUpdate(CourseStep):
    input_class = inp.TracksWriteSerializer

    @step_schema("courses_tracks_update", "Sæt forløbets spor",
                 "§ 101 a kun for anonyme borgere; anonyme borgere kun § 101 a og § 141.",
                 inp.TracksWriteSerializer, created=False)
    def put(self, request, course_id):
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.set_tracks(request, self.course, data["tracks"])


@extend_schema(tags=[TAG])
class DoctorUpdate(CourseStep):
    input_class = inp.DoctorWriteSerializer

    @step_schema("courses_doctor_update", "Registrér den vederlagsfri lægesamtale",
                 "Tilbudt, takket ja/nej og afholdt (SUL § 142). Afholdes før iværksættelsen.",
                 inp.DoctorWriteSerializer, created=False)
    def put(self, request, course_id):
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.record_doctor(request, self.course, data["offered_on"], data["accepted"],
                               data["held_on"], data["findings"])


@extend_schema(tags=[TAG])
class AssessmentCreate(CourseStep):
    input_class = inp.AssessmentWriteSerializer

    @step_schema("courses_assessments_create", "Registrér afdækningen",
                 "De seks domæner, børn og graviditet, og eventuelle AUDIT/DUDIT-screeninger "
                 "(retningslinje 3.5).", inp.AssessmentWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        screenings = [(s["instrument"], list(s["answers"]), s["administered_on"])
                      for s in data.pop("screenings")]
        data["domains"] = {key: dict(value) for key, value in data["domains"].items()}
        services.record_assessment(request, self.course, Assessment(**data), screenings)


@extend_schema(tags=[TAG])
class ScreeningCreate(CourseStep):
    input_class = inp.ScreeningWriteSerializer

    @step_schema("courses_screenings_create", "Registrér en AUDIT- eller DUDIT-screening",
                 "Svarene gemmes spørgsmål for spørgsmål; et svar uden for spørgsmålets "
                 "værdier afvises.", inp.ScreeningWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.add_screening(request, self.course, data["instrument"], list(data["answers"]),
                               data["administered_on"], self.assessment(data["assessment"]))


@extend_schema(tags=[TAG])
class DecisionCreate(CourseStep):
    input_class = inp.DecisionWriteSerializer

    @step_schema("courses_decisions_create", "Træf afgørelse",
                 "Bygger på en afdækning; begrundelse, medmindre der gives fuldt ud medhold "
                 "(FVL § 22); dag- og døgnbehandling kræver visitationsmøde.",
                 inp.DecisionWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        data["assessment"] = self.assessment(data["assessment"])
        services.decide(request, self.course, Decision(**data))


@extend_schema(tags=[TAG])
class FreeChoiceCreate(CourseStep):
    input_class = inp.FreeChoiceWriteSerializer

    @step_schema("courses_free_choice_create", "Registrér frit valg",
                 "Frafalder garantien (SEL § 101, stk. 6); kan begrænses med begrundelse "
                 "(stk. 7); ikke i anonym behandling.", inp.FreeChoiceWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.record_free_choice(request, self.course, FreeChoice(**data))


@extend_schema(tags=[TAG])
class StartCreate(CourseStep):
    input_class = inp.StartWriteSerializer

    @step_schema("courses_start_create", "Iværksæt behandlingen",
                 "Iværksættelse og tilbudstilknytning; tilknytningen giver tilbuddets "
                 "behandlere adgang til borgeren.", inp.StartWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.start_treatment(request, self.course, TreatmentStart(**data))


@extend_schema(tags=[TAG])
class BreachCreate(CourseStep):
    input_class = inp.BreachWriteSerializer

    @step_schema("courses_breaches_create", "Registrér en fristoverskridelse",
                 "Med en årsagskode; én pr. frist.", inp.BreachWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.record_breach(request, self.course, data["clock"], data["reason"],
                               data["note"])


@dataclass(frozen=True)
class WorklistItem:
    course: Course
    clock: object  # rules.Clock


@extend_schema(tags=[TAG])
class Worklist(APIBase):
    """The caseworker's open clocks, soonest due first."""

    serializer_class = WorklistItemSerializer
    pagination_class = None

    @extend_schema(
        operation_id="worklist_list",
        summary="Din arbejdsliste: åbne frister efter forfaldsdato",
        description="Åbne frister på de forløb, du er ansvarlig sagsbehandler for (`all=true`: "
        "alle forløb i dine kommuner), sorteret efter frist; frafaldne garantier (frit valg) "
        "sidst med ventedage. Hver viste borger logges som en visning.",
        parameters=[OpenApiParameter("all", OpenApiTypes.BOOL,
                                     description="Alle forløb i dine kommuner.")],
        responses={200: WorklistItemSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request):
        query = inp.WorklistFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        municipalities = scope_for(request.user).caseworker_municipalities
        courses = scoped(request.user, Course).filter(
            acting_municipality_id__in=municipalities).select_related("citizen")
        if not query.validated_data["all"]:
            courses = courses.filter(caseworker=request.user)
        items = [WorklistItem(course, c) for course in courses.filter(start__isnull=True)
                 for c in services.course_clocks(course) if c.done_on is None]
        items.sort(key=lambda i: (i.clock.due or dt.date.max, i.clock.due is None,
                                  i.course.pk, i.clock.name))
        shown = {i.course.citizen_id: i.course.citizen for i in items}
        record_many(request, Action.VIEW, shown.values(), purpose=_("arbejdsliste (API)"))
        return Response(WorklistItemSerializer(items, many=True).data)
