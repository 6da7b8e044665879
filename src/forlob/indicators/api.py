"""Indicators through the API (issue 5 item 5): the KPI catalogue, the KPIs' figures for a
selection and the DST statistic, each as the dashboard shows them to the same user.

The selection is the dashboard's (forms.DashboardForm, the same query parameters as the page),
within the municipalities the user sees indicators for (access.municipalities_for): none at
all, or a municipality or cluster outside them, answers 404 like the dashboard's scope. Figures
that cross the user's personal-data scope (access.sees_cases) are suppressed exactly as on the
dashboard (serializers.py). The figures are aggregates without personal data; reading them is
audited as an export of the municipality's data, like the dashboard's XLSX."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from forlob.audit.recorder import Action, record
from forlob.citizens.api import BAD_REQUEST, NOT_FOUND, APIBase
from forlob.pathway.choices import TRACK_CHOICES

from . import access, dst, rules
from .catalogue import CATALOGUE
from .forms import DashboardForm
from .serializers import (
    DstSerializer,
    IndicatorKpiSerializer,
    IndicatorValuesSerializer,
    dst_data,
    kpi_data,
    value_data,
)

TAG = "indicators"

SELECTION_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATE,
                     description="Periodens første dag (ÅÅÅÅ-MM-DD), mellem år 1900 og 2100. "
                     "Standard: 1. januar i år."),
    OpenApiParameter("end", OpenApiTypes.DATE,
                     description="Periodens sidste dag. Standard: i dag. Højst ti år."),
    OpenApiParameter("cluster", OpenApiTypes.INT,
                     description="Klyngens id. Vælger de af dine kommuner, der ligger i "
                     "klyngen; en klynge uden nogen af dine kommuner giver 404."),
    OpenApiParameter("municipality", OpenApiTypes.INT,
                     description="Kommunens id (fra /municipalities/). Standard: alle dine. "
                     "En kommune uden for dit område giver 404."),
    OpenApiParameter("track", OpenApiTypes.STR,
                     enum=[k for k, _label in TRACK_CHOICES] + ["youth"],
                     description="Spor; youth: unge under 18."),
    OpenApiParameter("provider", OpenApiTypes.INT,
                     description="Behandlingstilbuddets id (fra /providers/)."),
    OpenApiParameter("sex", OpenApiTypes.STR, enum=["M", "F", "-"],
                     description="M, F eller - (ikke oplyst)."),
    OpenApiParameter("age_group", OpenApiTypes.STR,
                     enum=[code for code, _lo, _hi in rules.AGE_GROUPS],
                     description="Aldersgruppe efter alder ved første anmodning."),
]


def _bad_request(form) -> serializers.ValidationError:
    return serializers.ValidationError({
        ("non_field_errors" if field == "__all__" else field): [str(m) for m in messages]
        for field, messages in form.errors.items()})


def selection(request):
    """(Filters, suppress) for the query, like the dashboard's selection. 404 without any
    municipality, or for a municipality or cluster outside the user's (forms.DashboardForm);
    400 for anything else that is not valid. A missing start or end takes the default."""
    municipalities = access.municipalities_for(request.user)
    if not municipalities.exists():
        raise Http404
    form = DashboardForm(request.query_params, municipalities=municipalities)
    if form.is_bound and not form.is_valid():
        raise _bad_request(form)
    filters = form.filters()
    return filters, not access.sees_cases(request.user, filters.municipalities)


def _selection_data(filters, suppress) -> dict:
    return {"start": filters.start, "end": filters.end,
            "municipalities": sorted(filters.municipalities), "suppressed": suppress,
            "threshold": rules.SUPPRESS_BELOW}


def _audit(request, what: str):
    record(request, Action.EXPORT, purpose=f"{what} (API): {request.GET.urlencode()}")


@extend_schema(tags=[TAG])
class IndicatorCatalogue(APIBase):
    serializer_class = IndicatorKpiSerializer
    pagination_class = None

    @extend_schema(operation_id="indicators_list", summary="Indikatorkataloget",
                   description="Hver indikator med navne, definition, tæller, nævner, kilde og "
                   "hvad der er bedre. Ingen personoplysninger.",
                   responses={200: IndicatorKpiSerializer(many=True)})
    def get(self, request):
        return Response(IndicatorKpiSerializer([kpi_data(k) for k in CATALOGUE.values()],
                                      many=True).data)


@extend_schema(tags=[TAG])
class IndicatorValues(APIBase):
    serializer_class = IndicatorValuesSerializer
    pagination_class = None

    @extend_schema(operation_id="indicators_values_retrieve",
                   summary="Indikatorernes værdier for et udsnit",
                   description="Værdi, tæller, nævner og fordeling for hver indikator, som "
                   "de vises på indikatorsiden: krydser tallene dit ansvarsområde (ledere, "
                   "kvalitetskoordinatorer), er tal under 5 og tal, der kunne afsløre dem, "
                   "null med `suppressed: true`. Logges som et udtræk.",
                   parameters=SELECTION_PARAMETERS,
                   responses={200: IndicatorValuesSerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    def get(self, request):
        filters, suppress = selection(request)
        rows = [value_data(kpi, kpi.compute(filters), suppress) for kpi in CATALOGUE.values()]
        _audit(request, "indikatorer")
        return Response(IndicatorValuesSerializer(
            {**_selection_data(filters, suppress), "indicators": rows}).data)


@extend_schema(tags=[TAG])
class IndicatorDst(APIBase):
    serializer_class = DstSerializer
    pagination_class = None

    @extend_schema(operation_id="indicators_dst_retrieve",
                   summary="Danmarks Statistiks stofmisbrugsstatistik gengivet",
                   description="\"Stofmisbrugsbehandling – Social\" for udsnittet: anmodninger, "
                   "iværksættelser, tilbudstilknytninger, afslutninger, kontakt- og "
                   "behandlingsforløb, afslutningsstatus og garantien, med en række pr. måned. "
                   "Skjulte tal er null, som på indikatorsiden. Logges som et udtræk.",
                   parameters=SELECTION_PARAMETERS,
                   responses={200: DstSerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    def get(self, request):
        filters, suppress = selection(request)
        data = dst_data(dst.statistic(filters), suppress)
        _audit(request, "DST-statistik")
        return Response(DstSerializer({**_selection_data(filters, suppress), **data}).data)
