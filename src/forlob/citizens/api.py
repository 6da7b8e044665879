"""Citizen register API (v1). The same scoping layer, services and audit as the UI:

- every citizen comes from `access.scoped` / `get_scoped_or_404`, looked up by its public UUID
  (`citizen_id`) before the request method is even considered, so a citizen out of scope
  answers 404 on every method of every URL;
- every response that shows personal data writes an audit record;
- state changes go through `citizens.services` (one transaction with its audit record).
The CPR number is never in a URL: look-ups take it in a POST body.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from forlob.access import get_scoped_or_404, scope_for, scoped
from forlob.audit.recorder import Action, record, record_many

from . import crypto, services
from .models import Citizen, Referral
from .serializers import (
    CitizenCreateSerializer,
    CitizenSerializer,
    CitizenUpdateSerializer,
    CprLookupSerializer,
    ErrorSerializer,
    ReferralCreateSerializer,
    ReferralEndSerializer,
    ReferralSerializer,
    RevealRequestSerializer,
    RevealResponseSerializer,
)

TAG = "citizens"
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="Findes ikke eller er uden for dit ansvarsområde."
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer, description="Du har ikke ret til handlingen (fx ikke sagsbehandler)."
)
BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Ugyldige data: et objekt med en liste af fejlbeskeder pr. felt; fejl, der ikke "
    "hører til ét felt, under `non_field_errors`.",
)
CONFLICT = OpenApiResponse(
    ErrorSerializer, description="Borgeren blev ændret af en anden siden den læste version."
)


class APIBase(generics.GenericAPIView):
    """JSON in, JSON out."""

    parser_classes = [JSONParser]


def citizens_queryset():
    return Citizen.objects.select_related("acting_municipality", "residence_municipality")


def api_validation_error(exc: DjangoValidationError) -> serializers.ValidationError:
    """A domain (Django) validation error from the services as a DRF 400 with field errors."""
    if hasattr(exc, "error_dict"):
        return serializers.ValidationError({
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in exc.message_dict.items()
        })
    return serializers.ValidationError({"non_field_errors": exc.messages})


def require_editor(user, citizen):
    """In scope but not a caseworker of the acting municipality: 403 (existence is known)."""
    if not services.can_edit(user, citizen):
        raise exceptions.PermissionDenied(
            _("Kun sagsbehandlere i borgerens handlekommune kan ændre borgeren.")
        )


class ScopedCitizenMixin:
    """Resolve `citizen_id` through the scoping layer before dispatching on the method."""

    citizen: Citizen

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.citizen = get_scoped_or_404(
            request.user, citizens_queryset(), public_id=kwargs["citizen_id"]
        )


@extend_schema(tags=[TAG])
class CitizenListCreate(generics.ListCreateAPIView):
    """Citizens in your scope, and registration of new ones (caseworkers only)."""

    serializer_class = CitizenSerializer
    parser_classes = [JSONParser]

    def get_queryset(self):
        return scoped(self.request.user, citizens_queryset()).order_by(
            "last_name", "first_name", "pseudonym", "pk"
        )

    @extend_schema(
        operation_id="citizens_list",
        summary="Borgere i dit ansvarsområde",
        description="Sideopdelt. Hver viste borger logges som en visning.",
    )
    def get(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        record_many(request, Action.VIEW, page, purpose=_("borgerliste (API)"))
        return self.get_paginated_response(CitizenSerializer(page, many=True).data)

    @extend_schema(
        operation_id="citizens_create",
        summary="Opret borger (navngiven eller anonym)",
        description="Kun sagsbehandlere, og kun med handlekommune, hvor de er sagsbehandlere. "
        "Logges som oprettelse.",
        request=CitizenCreateSerializer,
        responses={201: CitizenSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def post(self, request, *args, **kwargs):
        if not scope_for(request.user).caseworker_municipalities:
            raise exceptions.PermissionDenied(_("Kun sagsbehandlere kan oprette borgere."))
        serializer = CitizenCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        try:
            citizen = services.register_citizen(request, serializer.build())
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(CitizenSerializer(citizen).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class CitizenDetail(ScopedCitizenMixin, APIBase):
    """One citizen: read (audited) and edit (caseworkers of the acting municipality)."""

    serializer_class = CitizenSerializer

    @extend_schema(
        operation_id="citizens_retrieve",
        summary="Én borger",
        description="Logges som en visning.",
        responses={200: CitizenSerializer, 404: NOT_FOUND},
    )
    def get(self, request, citizen_id):
        record(request, Action.VIEW, citizen=self.citizen)
        return Response(CitizenSerializer(self.citizen).data)

    @extend_schema(
        operation_id="citizens_partial_update",
        summary="Ret borger",
        description="Kræver `version` (optimistisk låsning). Kun sagsbehandlere i borgerens "
        "handlekommune. Er borgeren ændret siden `version`, svares 409.",
        request=CitizenUpdateSerializer,
        responses={
            200: CitizenSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND,
            409: CONFLICT,
        },
    )
    def patch(self, request, citizen_id):
        citizen = self.citizen
        require_editor(request.user, citizen)
        serializer = CitizenUpdateSerializer(
            citizen, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        version = serializer.validated_data["version"]
        try:
            services.update_citizen(request, serializer.apply(citizen), version)
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(CitizenSerializer(citizen).data)


@extend_schema(tags=[TAG])
class CitizenLookup(APIBase):
    """Find one citizen by CPR number. The number travels in the body, never in the URL."""

    serializer_class = CprLookupSerializer

    @extend_schema(
        operation_id="citizens_lookup",
        summary="Find borger ud fra CPR-nummer",
        description="Logges som søgning og, hvis borgeren findes i dit ansvarsområde, visning.",
        request=CprLookupSerializer,
        responses={200: CitizenSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request):
        serializer = CprLookupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        index = crypto.blind_index(serializer.validated_data["cpr"])
        citizen = scoped(request.user, citizens_queryset()).filter(cpr_index=index).first()
        record(request, Action.SEARCH, citizen=citizen, purpose=_("CPR-opslag (API)"))
        if citizen is None:
            raise Http404
        record(request, Action.VIEW, citizen=citizen)
        return Response(CitizenSerializer(citizen).data)


@extend_schema(tags=[TAG])
class CitizenRevealCpr(ScopedCitizenMixin, APIBase):
    """The full CPR number, for a stated purpose (audited)."""

    serializer_class = RevealRequestSerializer

    @extend_schema(
        operation_id="citizens_reveal_cpr",
        summary="Vis det fulde CPR-nummer",
        description="Kræver et formål; visningen logges med formålet. 404 for anonyme borgere.",
        request=RevealRequestSerializer,
        responses={200: RevealResponseSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request, citizen_id):
        if self.citizen.is_anonymous:
            raise Http404
        serializer = RevealRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = services.reveal_cpr(request, self.citizen, serializer.validated_data["purpose"])
        return Response({"cpr": f"{number[:6]}-{number[6:]}"})


@extend_schema(tags=[TAG])
class ReferralListCreate(ScopedCitizenMixin, APIBase):
    """A citizen's referrals to treatment providers."""

    serializer_class = ReferralSerializer
    pagination_class = None

    def referrals(self):
        return scoped(self.request.user, Referral).filter(citizen=self.citizen).select_related(
            "provider"
        )

    @extend_schema(
        operation_id="citizens_referrals_list",
        summary="Borgerens henvisninger",
        description="De henvisninger, du må se. Logges som en visning af borgeren.",
        responses={200: ReferralSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, citizen_id):
        referrals = list(self.referrals())
        record(request, Action.VIEW, citizen=self.citizen, purpose=_("henvisninger (API)"))
        return Response(ReferralSerializer(referrals, many=True).data)

    @extend_schema(
        operation_id="citizens_referrals_create",
        summary="Henvis borgeren til et behandlingstilbud",
        description="Kun sagsbehandlere i borgerens handlekommune. Logges som oprettelse.",
        request=ReferralCreateSerializer,
        responses={201: ReferralSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, citizen_id):
        require_editor(request.user, self.citizen)
        serializer = ReferralCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            referral = services.add_referral(
                request, self.citizen, serializer.validated_data["provider"],
                serializer.validated_data["referred_on"],
            )
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(ReferralSerializer(referral).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class ReferralEnd(ScopedCitizenMixin, APIBase):
    """End a referral: the provider's clinicians lose access after the end date."""

    serializer_class = ReferralEndSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.referral = get_scoped_or_404(
            request.user,
            Referral.objects.filter(citizen=self.citizen).select_related("citizen", "provider"),
            pk=kwargs["referral_id"],
        )

    @extend_schema(
        operation_id="citizens_referrals_end",
        summary="Afslut en henvisning",
        description="Kun sagsbehandlere i borgerens handlekommune. Logges som ændring.",
        request=ReferralEndSerializer,
        responses={200: ReferralSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def post(self, request, citizen_id, referral_id):
        referral = self.referral
        require_editor(request.user, self.citizen)
        serializer = ReferralEndSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.end_referral(request, referral, serializer.validated_data["ended_on"])
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        return Response(ReferralSerializer(referral).data)
