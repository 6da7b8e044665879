"""Treatment API (v1, issue 4 items 9 and 10): personal supervision of a residential
placement, coordinating-plan meetings, and the worklist of what is due after treatment start.

The steps have the layers of `treatment.api.TreatmentStep` (scoped course: 404 out of scope;
403 for a reader who may not write; `version` → 409 when stale; one audited service call).
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from forlob.access import scope_for, scoped
from forlob.audit.recorder import Action, record_many
from forlob.citizens.api import APIBase
from forlob.pathway import services as pathway_services
from forlob.pathway.api import step_schema
from forlob.pathway.models import Course

from . import serializers as ser
from . import services, services_aftercare
from .api import TAG, TreatmentStep
from .models import CoordinatingMeeting, Method, SupervisionVisit
from .rules import Party
from .worklist import FollowUpSetting, items_for


@extend_schema(tags=[TAG])
class SupervisionCreate(TreatmentStep):
    input_class = ser.SupervisionWriteSerializer

    def check_writer(self, request):
        if not pathway_services.can_act(request.user, self.course):
            raise exceptions.PermissionDenied(_(
                "Kun sagsbehandlere i opholdskommunen fører personrettet tilsyn."))

    @step_schema("courses_treatment_supervision_create", "Registrér personrettet tilsyn",
                 "Tilsyn med en døgnanbringelse (serviceloven § 148): borgerens progression og "
                 "om anbringelsen stadig passer. Kun i døgnbehandling, af sagsbehandleren.",
                 ser.SupervisionWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services_aftercare.add_supervision_visit(request, self.course, SupervisionVisit(**data))


@extend_schema(tags=[TAG])
class DischargeTaskDone(TreatmentStep):
    input_class = ser.DischargeTaskWriteSerializer

    @step_schema("courses_treatment_discharge_tasks_create", "Registrér en opgave efter "
                 "udskrivningen som udført", "Et efterfølgende tilbud efter døgnbehandling "
                 "(retningslinje 2.3.8) eller kontakt til opsøgende tjenester efter en "
                 "uplanlagt udskrivning (retningslinje 3.11.6); kun en åben opgave.",
                 ser.DischargeTaskWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.record_discharge_task(request, self.course, data["task"], data["done_on"])


@extend_schema(tags=[TAG])
class CoordinatingMeetingCreate(TreatmentStep):
    input_class = ser.CoordinatingMeetingWriteSerializer

    @step_schema("courses_treatment_coordinating_meetings_create", "Registrér et møde om den "
                 "koordinerende indsatsplan", "Møderne holdes mindst hver 6. måned "
                 "(retningslinje 2.6.13); kun når den gældende plan har en koordinerende "
                 "indsatsplan.", ser.CoordinatingMeetingWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services_aftercare.add_coordinating_meeting(request, self.course,
                                                    CoordinatingMeeting(**data))


class _Row:
    def __init__(self, course, row):
        self.course, self.row = course, row


@extend_schema(tags=[TAG])
class TreatmentWorklist(APIBase):
    """What is due after treatment start on your courses: as a clinician, the courses treated at
    your provider; as a caseworker, your municipalities' courses."""

    serializer_class = ser.WorklistRowSerializer
    pagination_class = None

    @extend_schema(
        operation_id="treatment_worklist_list",
        summary="Arbejdsliste for behandlingen: planer, opfølgninger, tilsyn og møder",
        description="Åbne opgaver efter iværksættelse, den tidligste frist først, med dage "
        "tilbage (negativ: overskredet). Hver viste borger logges som en visning.",
        responses={200: ser.WorklistRowSerializer(many=True)},
    )
    def get(self, request):
        scope = scope_for(request.user)
        setting = FollowUpSetting()
        rows = []
        for course in scoped(request.user, Course).filter(start__isnull=False).select_related(
                "citizen", "start"):
            parties = set()
            if course.acting_municipality_id in scope.caseworker_municipalities:
                parties.add(Party.CASEWORKER)
            if course.start.provider_id in scope.clinician_providers:
                parties.add(Party.CLINICIAN)
            seen = set()
            for party in sorted(parties):
                for row in items_for(course, party, follow_up_by=setting(course)):
                    if row.clock.name not in seen:
                        seen.add(row.clock.name)
                        rows.append(_Row(course, row))
        rows.sort(key=lambda r: (r.row.clock.due, r.course.pk, r.row.clock.name))
        shown = {r.course.citizen_id: r.course.citizen for r in rows}
        record_many(request, Action.VIEW, shown.values(), purpose=_("arbejdsliste (API)"))
        return Response(ser.WorklistRowSerializer(rows, many=True).data)


@extend_schema(tags=[TAG], responses=ser.MethodSerializer(many=True),
               summary="Metodekataloget", description="De dokumenterede metoder, en plan kan "
               "nævne (retningslinje 2.1.1); ingen persondata.")
class MethodList(APIBase):
    def get(self, request):
        methods = Method.objects.order_by("name")
        return Response(ser.MethodSerializer(methods, many=True).data)
