"""Attendance API (v1, issue 4 item 5): appointments with attendance, contact attempts and
closing of outreach tasks, slip and relapse events, requests for a new decision, gift vouchers,
and one read endpoint listing all of it.

The same layers as treatment.api: the course through the scoping layer (404 out of scope),
403 for a reader who may not write, the body's `version` (409 when stale), one call to
`attendance.services`; every step answers with the pathway course body.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from forlob.audit.recorder import Action, record
from forlob.citizens.api import NOT_FOUND, APIBase
from forlob.pathway import services as pathway_services
from forlob.pathway.api import ScopedCourseMixin, step_schema
from forlob.treatment.api import TreatmentStep

from . import rules, services
from . import serializers as ser
from .clocks import open_items
from .models import Appointment, ContactAttempt, GiftVoucher, RelapseEvent

TAG = "attendance"
ROW_404 = " En opgave eller anmodning, der ikke hører til forløbet, svarer 404."


class AttendanceStep(TreatmentStep):
    """Writers: the acting municipality's caseworkers and the clinicians of the provider."""

    def task(self, outreach_task_id):
        found = self.course.outreach_tasks.filter(pk=outreach_task_id).first()
        if found is None:
            raise Http404
        return found

    def made(self, new_decision_request_id):
        found = self.course.new_decision_requests.filter(pk=new_decision_request_id).first()
        if found is None:
            raise Http404
        return found


@extend_schema(tags=[TAG])
class AppointmentCreate(AttendanceStep):
    input_class = ser.AppointmentWriteSerializer

    @step_schema("courses_attendance_appointments_create", "Registrér en aftale og fremmøde",
                 "Mødt, udeblevet eller aflyst; ikke før behandlingens start og ikke efter "
                 "udskrivningen. En udeblivelse opretter en opsøgende opgave med frist "
                 "(retningslinje 3.10.4).", ser.AppointmentWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.record_appointment(request, self.course, Appointment(**data))


@extend_schema(tags=[TAG])
class AttemptCreate(AttendanceStep):
    input_class = ser.AttemptWriteSerializer

    @step_schema("courses_attendance_outreach_attempts_create", "Registrér et kontaktforsøg",
                 "På en åben opsøgende opgave. Et forsøg med kontakt lukker opgaven." + ROW_404,
                 ser.AttemptWriteSerializer)
    def post(self, request, course_id, outreach_task_id):
        self.target = self.task(outreach_task_id)
        return self.write(request)

    def perform(self, request, data):
        services.log_contact_attempt(request, self.course, self.target, ContactAttempt(**data))


@extend_schema(tags=[TAG])
class OutreachClose(AttendanceStep):
    input_class = ser.CloseOutreachWriteSerializer

    @step_schema("courses_attendance_outreach_close", "Luk en opsøgende opgave med en årsag",
                 "Uden at borgeren er nået, fx fordi borgeren er mødt igen." + ROW_404,
                 ser.CloseOutreachWriteSerializer, created=False)
    def post(self, request, course_id, outreach_task_id):
        self.target = self.task(outreach_task_id)
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.close_outreach(request, self.course, self.target, data["closed_on"],
                                data["close_reason"])


@extend_schema(tags=[TAG])
class RelapseCreate(AttendanceStep):
    input_class = ser.RelapseWriteSerializer

    @step_schema("courses_attendance_relapses_create", "Registrér et skred eller tilbagefald",
                 "Dato, type, bemærkninger og dagen behandlingen blev genoptaget (tidligst "
                 "samme dag). Gør en opfølgning på planen aktuel (retningslinje 3.10.8).",
                 ser.RelapseWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.record_relapse(request, self.course, RelapseEvent(**data))


@extend_schema(tags=[TAG])
class NewDecisionCreate(AttendanceStep):
    input_class = ser.NewDecisionWriteSerializer

    @step_schema("courses_attendance_new_decision_requests_create",
                 "Anmod om en ny afgørelse", "Sender sagen tilbage til sagsbehandleren med en "
                 "begrundelse. Åben, indtil kommunen træffer en afgørelse dateret samme dag "
                 "eller senere, eller sagsbehandleren lukker den.",
                 ser.NewDecisionWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.request_new_decision(request, self.course, data["requested_on"],
                                      data["reason"])


@extend_schema(tags=[TAG])
class NewDecisionClose(AttendanceStep):
    input_class = ser.CloseNewDecisionWriteSerializer

    def check_writer(self, request):
        if not pathway_services.can_act(request.user, self.course):
            raise exceptions.PermissionDenied(_(
                "Kun sagsbehandlere i opholdskommunen kan lukke en anmodning om ny afgørelse."))

    @step_schema("courses_attendance_new_decision_requests_close",
                 "Luk en anmodning om ny afgørelse", "Sagsbehandleren lukker anmodningen med "
                 "en bemærkning." + ROW_404, ser.CloseNewDecisionWriteSerializer, created=False)
    def post(self, request, course_id, new_decision_request_id):
        self.target = self.made(new_decision_request_id)
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.close_new_decision_request(request, self.course, self.target,
                                            data["closed_on"], data["close_note"])


@extend_schema(tags=[TAG])
class VoucherCreate(AttendanceStep):
    input_class = ser.VoucherWriteSerializer

    @step_schema("courses_attendance_vouchers_create", "Registrér et gavekort",
                 "Kun når opholdskommunen har besluttet at bruge gavekort, med kommunens beløb "
                 "og inden for et eventuelt loft pr. forløb (serviceloven § 101, stk. 9-11; "
                 "bek. 1477 § 2).", ser.VoucherWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.give_voucher(request, self.course, GiftVoucher(**data))


@extend_schema(tags=[TAG])
class AttendanceDetail(ScopedCourseMixin, APIBase):
    """Attendance and retention on one course."""

    serializer_class = ser.AttendanceSerializer

    @extend_schema(
        operation_id="courses_attendance_retrieve",
        summary="Fremmøde og fastholdelse: aftaler, opsøgende opgaver, tilbagefald, "
        "anmodninger og gavekort",
        description="Alt registreret om fremmøde og fastholdelse på forløbet og de åbne "
        "opgaver (beregnet af reglerne). Logges som en visning af borgeren.",
        responses={200: ser.AttendanceSerializer, 404: NOT_FOUND},
    )
    def get(self, request, course_id):
        course = self.course
        record(request, Action.VIEW, citizen=course.citizen, obj=course)
        dates = services.decision_dates(course)
        tasks = list(course.outreach_tasks.prefetch_related("attempts").order_by("due", "pk"))
        for t in tasks:
            t.is_open = rules.task_open(t.closed_on, (a.reached for a in t.attempts.all()))
        made = list(course.new_decision_requests.order_by("requested_on", "pk"))
        for r in made:
            r.is_open = rules.new_decision_open(r.requested_on, dates, r.closed_on)
        body = {
            "course": course.pk,
            "version": course.version,
            "can_write": services.can_write(request.user, course),
            "appointments": course.appointments.order_by("held_on", "pk"),
            "outreach_tasks": tasks,
            "relapse_events": course.relapse_events.order_by("occurred_on", "pk"),
            "new_decision_requests": made,
            "gift_vouchers": course.gift_vouchers.order_by("given_on", "pk"),
            "voucher_settings": services.voucher_settings(course.acting_municipality_id),
            "due": open_items(course),
        }
        return Response(ser.AttendanceSerializer(body).data)
