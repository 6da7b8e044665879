"""Organisation API (v1): municipalities, providers and purchase agreements.

Read-only reference data with no personal data, open to every authenticated user, so it needs
neither scoping nor audit.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers

from forlob import clock

from .models import Intensity, Municipality, Provider, PurchaseAgreement, TreatmentKind

TAG = "organisations"


def kinds_field(**kwargs):
    return serializers.ListField(
        child=serializers.ChoiceField(choices=TreatmentKind.choices), read_only=True, **kwargs
    )


class MunicipalitySerializer(serializers.ModelSerializer):
    cluster = serializers.CharField(source="cluster.name", read_only=True)
    region = serializers.CharField(source="cluster.region.name", read_only=True)

    class Meta:
        model = Municipality
        fields = ["id", "code", "name", "cluster", "region", "population"]
        read_only_fields = fields


class ProviderSerializer(serializers.ModelSerializer):
    owner_municipality = serializers.SlugRelatedField(
        slug_field="code", read_only=True,
        help_text=_("Ejerkommunens kode; tom (null) for et privat tilbud."),
    )
    is_private = serializers.BooleanField(read_only=True)
    kinds = kinds_field()
    intensities = serializers.ListField(
        child=serializers.ChoiceField(choices=Intensity.choices), read_only=True
    )

    class Meta:
        model = Provider
        fields = [
            "id", "name", "owner_municipality", "is_private", "kinds", "intensities",
            "approved_by_socialtilsynet", "listed_on_tilbudsportalen", "address", "phone",
        ]
        read_only_fields = fields


class PurchaseAgreementSerializer(serializers.ModelSerializer):
    municipality = serializers.SlugRelatedField(slug_field="code", read_only=True)
    provider_name = serializers.CharField(source="provider.name", read_only=True)
    kinds = kinds_field()
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = PurchaseAgreement
        fields = ["id", "municipality", "provider", "provider_name", "kinds", "valid_from",
                  "valid_to", "in_force"]
        read_only_fields = fields

    def get_in_force(self, obj) -> bool:
        today = clock.today()
        return obj.valid_from <= today and (obj.valid_to is None or obj.valid_to >= today)


MUNICIPALITY_PARAM = OpenApiParameter(
    "municipality", OpenApiTypes.STR, description="Kun aftaler for denne kommunekode, fx 269."
)
IN_FORCE_PARAM = OpenApiParameter(
    "in_force", OpenApiTypes.BOOL, description="true: kun aftaler, der gælder i dag."
)


@extend_schema_view(get=extend_schema(
    tags=[TAG], operation_id="municipalities_list", summary="Kommuner"))
class MunicipalityList(generics.ListAPIView):
    serializer_class = MunicipalitySerializer
    queryset = Municipality.objects.select_related("cluster__region").order_by("name")


@extend_schema_view(get=extend_schema(
    tags=[TAG], operation_id="providers_list", summary="Behandlingstilbud"))
class ProviderList(generics.ListAPIView):
    serializer_class = ProviderSerializer
    queryset = Provider.objects.select_related("owner_municipality").order_by("name")


@extend_schema_view(get=extend_schema(
    tags=[TAG], operation_id="purchase_agreements_list", summary="Købsaftaler",
    parameters=[MUNICIPALITY_PARAM, IN_FORCE_PARAM]))
class PurchaseAgreementList(generics.ListAPIView):
    serializer_class = PurchaseAgreementSerializer

    def get_queryset(self):
        qs = PurchaseAgreement.objects.select_related("municipality", "provider").order_by(
            "municipality__name", "provider__name", "valid_from", "pk"
        )
        code = self.request.query_params.get("municipality")
        if code:
            qs = qs.filter(municipality__code=code)
        if self.request.query_params.get("in_force") in ("true", "1"):
            qs = qs.in_force(clock.today())
        return qs
