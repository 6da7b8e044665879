"""Network API (v1, issue 4 items 3 and 4): network persons, guardian, consents given and
withdrawn, the disclosure log, and one read of it all for a course.

The same layers as the treatment API (`pathway.api.CourseStep`): the course through the
scoping layer (404 out of scope, on every method), 403 for a reader who may not write, the
body's `version` for optimistic locking (409 when stale), one call to `network.services`,
which validates with the rules and audits; every step answers with the pathway course body.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response

from forlob import clock
from forlob.audit.recorder import Action, record
from forlob.citizens.api import NOT_FOUND, APIBase
from forlob.pathway.api import CourseStep, ScopedCourseMixin, step_schema

from . import rules, services
from . import serializers as ser
from .models import Consent, Disclosure, Guardian, NetworkMember

TAG = "network"
ROW_404 = " Et id, der ikke hører til forløbet, svarer 404."


class NetworkStep(CourseStep):
    """A network step: caseworkers of the acting municipality and clinicians of the provider
    the citizen is referred to write (`services.can_write`)."""

    def check_writer(self, request):
        if not services.can_write(request.user, self.course):
            raise exceptions.PermissionDenied(_(
                "Kun sagsbehandlere i opholdskommunen og behandlere i tilbuddet kan registrere "
                "netværk og samtykker."))

    def row(self, related, pk):
        found = getattr(self.course, related).filter(pk=pk).first()
        if found is None:
            raise Http404
        return found


@extend_schema(tags=[TAG])
class MemberCreate(NetworkStep):
    input_class = ser.MemberWriteSerializer

    @step_schema("courses_network_members_create", "Registrér en person i borgerens netværk",
                 "Relation, støttende eller risiko, og samtykke til inddragelse (retningslinje "
                 "3.2). En person under 18 år kan ikke inddrages som pårørende (3.2.5).",
                 ser.MemberWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.add_member(request, self.course, NetworkMember(**data))


@extend_schema(tags=[TAG])
class GuardianCreate(NetworkStep):
    input_class = ser.GuardianWriteSerializer

    @step_schema("courses_network_guardians_create", "Registrér en værge",
                 "Navn, kontakt, grundlag (fx værgemål efter værgemålsloven) og fra-dato "
                 "(retningslinje 3.2.1).", ser.GuardianWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.add_guardian(request, self.course, Guardian(**data))


@extend_schema(tags=[TAG])
class GuardianEnd(NetworkStep):
    input_class = ser.GuardianEndWriteSerializer

    @step_schema("courses_network_guardians_end", "Afslut et værgemål",
                 "Ophørsdatoen: ikke i fremtiden, ikke før værgemålets start, én gang."
                 + ROW_404, ser.GuardianEndWriteSerializer, created=False)
    def post(self, request, course_id, guardian_id):
        self.guardian = self.row("guardians", guardian_id)
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.end_guardian(request, self.course, self.guardian, data["ended_on"])


@extend_schema(tags=[TAG])
class ConsentCreate(NetworkStep):
    input_class = ser.ConsentWriteSerializer

    @step_schema("courses_consents_create", "Registrér et samtykke",
                 "Til én part fra den faste liste, med omfang og periode (given_on, valgfri "
                 "valid_until >= given_on). En ukendt part afvises. Et nyt samtykke til kontakt "
                 "efter udskrivning genåbner afslåede opfølgninger uden udfald, hvis frist ikke "
                 "er overskredet.", ser.ConsentWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.give_consent(request, self.course, Consent(**data))


@extend_schema(tags=[TAG])
class ConsentWithdraw(NetworkStep):
    input_class = ser.WithdrawWriteSerializer

    @step_schema("courses_consents_withdraw", "Træk et samtykke tilbage",
                 "Virker straks (withdrawn_on = i dag). Kan ikke trækkes tilbage to gange; "
                 "gøres kun om ved et nyt samtykke." + ROW_404, ser.WithdrawWriteSerializer,
                 created=False)
    def post(self, request, course_id, consent_id):
        self.consent = self.row("consents", consent_id)
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        services.withdraw_consent(request, self.course, self.consent)


@extend_schema(tags=[TAG])
class DisclosureCreate(NetworkStep):
    input_class = ser.DisclosureWriteSerializer

    @step_schema("courses_disclosures_create", "Log en videregivelse af oplysninger",
                 "Til egen læge, psykiatrien eller jobcenteret. Afvises, medmindre et samtykke "
                 "til parten er i kraft den dag.", ser.DisclosureWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.record_disclosure(request, self.course, Disclosure(**data))


@extend_schema(tags=[TAG])
class NetworkDetail(ScopedCourseMixin, APIBase):
    """The network, guardians, consents and disclosures of one course."""

    serializer_class = ser.NetworkSerializer

    @extend_schema(
        operation_id="courses_network_retrieve",
        summary="Netværk, værger, samtykker og videregivelser",
        description="Samtykkernes status og værgernes aktivitet i dag er beregnet af reglerne. "
        "Logges som en visning af borgeren.",
        responses={200: ser.NetworkSerializer, 404: NOT_FOUND},
    )
    def get(self, request, course_id):
        course, today = self.course, clock.today()
        record(request, Action.VIEW, citizen=course.citizen, obj=course,
               purpose="netværk og samtykker")
        consents = list(course.consents.order_by("given_on", "pk"))
        for c in consents:
            c.status = rules.consent_status(c.given_on, c.valid_until, c.withdrawn_on,
                                            today).value
        guardians = list(course.guardians.order_by("from_on", "pk"))
        for g in guardians:
            g.active = rules.guardian_active(g.from_on, g.ended_on, today)
        body = {
            "course": course.pk,
            "version": course.version,
            "can_write": services.can_write(request.user, course),
            "members": course.network_members.order_by("pk"),
            "guardians": guardians,
            "consents": consents,
            "disclosures": course.disclosures.select_related("recorded_by").order_by(
                "disclosed_on", "pk"),
        }
        return Response(ser.NetworkSerializer(body).data)
