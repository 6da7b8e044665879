"""Treatment API (v1, issue 4, in progress): plan with goals, reviews, discharge, follow-up
after discharge, and a new request made at a follow-up.

The same layers as the pathway API (`pathway.api.CourseStep`): the course through the scoping
layer (404 out of scope, on every method), 403 for a reader who may not write, the body's
`version` for optimistic locking (409 when stale), one call to `treatment.services`, which
validates with the rules and audits; every step answers with the pathway course body.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from forlob.audit.recorder import Action, record
from forlob.citizens.api import NOT_FOUND, APIBase
from forlob.pathway.api import CourseStep, ScopedCourseMixin, step_schema

from . import serializers as ser
from . import services
from .measures import measure_points
from .models import Discharge, PlanGoal, Review, TreatmentPlan
from .worklist import due_items

TAG = "treatment"
FOLLOW_UP_404 = " En opfølgning, der ikke hører til forløbet, svarer 404."


class TreatmentStep(CourseStep):
    """A treatment step. Unlike the pathway's steps, the clinicians of the provider the citizen
    is referred to write too (SEL § 101, stk. 8): `services.can_write` decides."""

    def check_writer(self, request):
        if not services.can_write(request.user, self.course):
            raise exceptions.PermissionDenied(_(
                "Kun sagsbehandlere i opholdskommunen og behandlere i tilbuddet kan registrere "
                "trin i behandlingen."))

    def follow_up(self, follow_up_id):
        """A follow-up of this course by id; another course's id is not found (404)."""
        found = self.course.follow_ups.filter(pk=follow_up_id).first()
        if found is None:
            raise Http404
        return found


@extend_schema(tags=[TAG])
class PlanCreate(TreatmentStep):
    input_class = ser.PlanWriteSerializer

    @step_schema("courses_treatment_plans_create", "Læg en behandlingsplan (eller en ny "
                 "version)", "Aftalt med borgeren efter iværksættelsen, med mindst ét mål med "
                 "borgerens egne ord, knyttet til et afdækket behov (SEL § 101, stk. 8; "
                 "retningslinje 3.7). En ny plan bliver næste version.",
                 ser.PlanWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        goals = [PlanGoal(**goal) for goal in data.pop("goals")]
        methods = data.pop("catalogue_methods")
        services.add_plan(request, self.course, TreatmentPlan(**data), goals, methods)


@extend_schema(tags=[TAG])
class ReviewCreate(TreatmentStep):
    input_class = ser.ReviewWriteSerializer

    @step_schema("courses_treatment_reviews_create", "Registrér en opfølgning på planen",
                 "Status for hvert af den gældende plans mål, dage med brug de seneste 30 "
                 "dage og eventuelt gentagne AUDIT/DUDIT (retningslinje 3.9).",
                 ser.ReviewWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        statuses = {item["goal"]: item["status"] for item in data.pop("statuses")}
        screenings = [(s["instrument"], list(s["answers"]), s["administered_on"])
                      for s in data.pop("screenings")]
        services.add_review(request, self.course, Review(**data), statuses, screenings)


@extend_schema(tags=[TAG])
class DischargeCreate(TreatmentStep):
    input_class = ser.DischargeWriteSerializer

    @step_schema("courses_treatment_discharge_create", "Udskriv borgeren",
                 "De syv SMDB-felter og en skriftlig status (retningslinje 3.11). Efter "
                 "færdigbehandlet, andet tilbud, hospital og anden årsag oprettes to "
                 "opfølgninger: 1 og 6 måneder efter udskrivningen (bek. 1477 § 4).",
                 ser.DischargeWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.discharge(request, self.course, Discharge(**data))


@extend_schema(tags=[TAG])
class FollowUpDecline(TreatmentStep):
    input_class = ser.DeclineWriteSerializer

    @step_schema("courses_treatment_follow_ups_decline", "Borgeren takker nej til opfølgning",
                 "Lukker alle åbne opfølgninger som afslået; de tæller stadig med i "
                 "statistikken (retningslinje 3.12).", ser.DeclineWriteSerializer,
                 created=False)
    def post(self, request, course_id):
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.decline_follow_up(request, self.course, data["declined_on"])


@extend_schema(tags=[TAG])
class FollowUpOutcome(TreatmentStep):
    input_class = ser.OutcomeWriteSerializer

    @step_schema("courses_treatment_follow_ups_outcome", "Registrér udfaldet af en "
                 "opfølgning", "Kontaktet eller ej; ved kontakt om målet er fastholdt og "
                 "status for brug. Afvises på en afslået opfølgning." + FOLLOW_UP_404,
                 ser.OutcomeWriteSerializer, created=False)
    def post(self, request, course_id, follow_up_id):
        self.task = self.follow_up(follow_up_id)
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.record_follow_up_outcome(request, self.course, self.task, **data)


@extend_schema(tags=[TAG])
class FollowUpNewRequest(TreatmentStep):
    input_class = ser.NewRequestWriteSerializer

    @step_schema("courses_treatment_follow_ups_new_request", "Ny anmodning om behandling ved "
                 "en opfølgning", "Opretter et nyt forløb med anmodningen, så en ny "
                 "behandlingsgaranti starter efter samme regler (SEL § 101, stk. 4). Svarer "
                 "med det NYE forløb; det gamle forløbs version tælles op." + FOLLOW_UP_404,
                 ser.NewRequestWriteSerializer)
    def post(self, request, course_id, follow_up_id):
        self.task = self.follow_up(follow_up_id)
        return self.write(request)

    def perform(self, request, data):
        return services.new_request_from_follow_up(request, self.course, self.task,
                                                   data["requested_on"], data["channel"])


@extend_schema(tags=[TAG])
class TreatmentDetail(ScopedCourseMixin, APIBase):
    """The treatment part of one course."""

    serializer_class = ser.TreatmentSerializer

    @extend_schema(
        operation_id="courses_treatment_retrieve",
        summary="Behandlingen: planer, opfølgninger, udskrivning og hvad der forfalder",
        description="Planer med mål, opfølgninger på planen, udskrivningen, opfølgningerne "
        "efter udskrivning og de åbne frister (beregnet af reglerne). Logges som en visning "
        "af borgeren.",
        responses={200: ser.TreatmentSerializer, 404: NOT_FOUND},
    )
    def get(self, request, course_id):
        course = self.course
        record(request, Action.VIEW, citizen=course.citizen, obj=course)
        body = {
            "course": course.pk,
            "version": course.version,
            "can_write": services.can_write(request.user, course),
            "plans": course.plans.prefetch_related("goals").order_by("number"),
            "reviews": course.reviews.prefetch_related("goal_statuses").order_by("held_on",
                                                                                 "pk"),
            "discharge": Discharge.objects.filter(course=course).first(),
            "follow_ups": course.follow_ups.order_by("number"),
            "supervision_visits": course.supervision_visits.order_by("visited_on", "pk"),
            "coordinating_meetings": course.coordinating_meetings.order_by("held_on", "pk"),
            "measures": measure_points(course),
            "due": due_items(course),
        }
        return Response(ser.TreatmentSerializer(body).data)
