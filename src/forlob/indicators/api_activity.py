"""The provider activity report through the API (issue 5 item 6):
GET /api/v1/indicators/activity/?provider=&month=[&from=][&municipality=].

The same selection, scope and suppression as the page (views_activity): a provider or
municipality outside the user's report is 404 however the id is spelt (checked on the cleaned
id), bad input 400 with Danish messages per field, and every count is suppressed as on screen
(null with `suppressed: true`): a chosen municipality's row keeps the suppression of the whole
report. `from` asks for a range of months up to `month`, each month a table of its own. The
figures hold no personal data; reading them is audited as an export, like the CSV."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from forlob.audit.recorder import Action, record
from forlob.citizens.api import BAD_REQUEST, NOT_FOUND, APIBase

from . import activity, rules, rules_activity, views_activity

TAG = "indicators"


class CellSerializer(serializers.Serializer):
    value = serializers.IntegerField(allow_null=True, help_text="Antal; null: skjult.")
    suppressed = serializers.BooleanField(help_text="Skjult af hensyn til diskretionen.")
    text = serializers.CharField(help_text="Som på siden: tallet, «<5» eller «x».")


class IntensitySerializer(serializers.Serializer):
    intensity = serializers.ChoiceField(choices=list(rules_activity.INTENSITIES))
    citizens = CellSerializer()
    places = serializers.FloatField(
        allow_null=True, help_text="Pladser brugt (dage i behandling ved intensiteten / "
        "månedens dage); null, hvor antallet af borgere ved intensiteten er skjult.")


class ActivityRowSerializer(serializers.Serializer):
    municipality = serializers.IntegerField(
        allow_null=True, help_text="Kommunens id; null for totalen og for anonyme "
        "behandlinger uden oplyst bopælskommune.")
    name = serializers.CharField()
    code = serializers.CharField(allow_blank=True)
    total = serializers.BooleanField()
    agreement = serializers.BooleanField(allow_null=True,
                                         help_text="Købsaftale i kraft i måneden.")
    citizens = CellSerializer()
    starts = CellSerializer()
    discharges = CellSerializer()
    intensities = IntensitySerializer(many=True)
    anonymous_alcohol = CellSerializer()


class MonthSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="ÅÅÅÅ-MM.")
    days = serializers.IntegerField()
    empty = serializers.BooleanField(help_text="Ingen aktivitet i måneden.")
    rows = ActivityRowSerializer(many=True)


class ActivitySerializer(serializers.Serializer):
    provider = serializers.IntegerField()
    provider_name = serializers.CharField()
    threshold = serializers.IntegerField()
    suppressed = serializers.BooleanField()
    months = MonthSerializer(many=True)


def _cell(c: rules.Cell) -> dict:
    return {"value": c.value, "suppressed": c.suppressed, "text": c.text()}


def month_data(s: views_activity.Shown) -> dict:
    return {"month": s.first.strftime("%Y-%m"), "days": rules_activity.days_in(s.first, s.last),
            "empty": s.empty,
            "rows": [{"municipality": r.municipality, "name": r.label, "code": r.code,
                      "total": r.total, "agreement": None if r.total else r.agreement,
                      "citizens": _cell(r.citizens), "starts": _cell(r.starts),
                      "discharges": _cell(r.discharges),
                      "intensities": [{"intensity": i, "citizens": _cell(cell), "places": v}
                                      for i, cell, v in zip(rules_activity.INTENSITIES,
                                                            r.counts[3:6], r.place_values,
                                                            strict=True)],
                      "anonymous_alcohol": _cell(r.anonymous)} for r in s.rows]}


PARAMETERS = [
    OpenApiParameter("provider", OpenApiTypes.INT, description="Behandlingstilbuddets id. "
                     "Standard: det første af dine. Et tilbud uden for dine giver 404."),
    OpenApiParameter("month", OpenApiTypes.STR, description="Måneden, ÅÅÅÅ-MM. Standard: "
                     "sidste hele måned."),
    OpenApiParameter("from", OpenApiTypes.STR, description="Første måned i et forløb af "
                     f"måneder til og med `month`, ÅÅÅÅ-MM; højst {rules_activity.MAX_MONTHS} "
                     "måneder."),
    OpenApiParameter("municipality", OpenApiTypes.INT, description="Kun denne kommunes række. "
                     "En kommune uden for dine rækker giver 404."),
]


def _range_start(params, month, errors):
    """The first month of the range (`from`), or `month`; errors go into `errors`."""
    text = params.get("from")
    if not text:
        return month
    try:
        start = views_activity.MonthField(required=False).clean(text)
    except DjangoValidationError as exc:
        errors["from"] = list(exc.messages)
        return month
    if start is None:
        return month
    if start > month:
        errors["from"] = [_("Den første måned ligger efter måneden.")]
    elif len(rules_activity.month_range(start, month)) > rules_activity.MAX_MONTHS:
        errors["from"] = [_("Vælg højst %(n)s måneder.")
                          % {"n": rules_activity.MAX_MONTHS}]
    return start


@extend_schema(tags=[TAG])
class ProviderActivity(APIBase):
    serializer_class = ActivitySerializer
    pagination_class = None

    @extend_schema(operation_id="indicators_activity_retrieve",
                   summary="Behandlingstilbuddets aktivitet pr. købende kommune",
                   description="For hver måned en række pr. købende kommune: borgere i "
                   "behandling, iværksættelser, udskrivninger, borgere og brugte pladser pr. "
                   "intensitet og anonyme alkoholbehandlinger efter bopælskommune. Små tal er "
                   "altid skjult (null med `suppressed: true`). Logges som et udtræk.",
                   parameters=PARAMETERS,
                   responses={200: ActivitySerializer, 400: BAD_REQUEST, 404: NOT_FOUND})
    def get(self, request):
        sel = views_activity.selection(request, request.query_params)
        form, provider, month = sel.form, sel.provider, sel.month
        errors = {("non_field_errors" if f == "__all__" else f): [str(m) for m in messages]
                  for f, messages in (form.errors.items() if form.is_bound else [])}
        start = _range_start(request.query_params, month, errors) if month else None
        if errors:
            raise serializers.ValidationError(errors)
        if provider is None:
            raise Http404
        # The whole report the user may see, suppressed; a chosen municipality only narrows
        # the rows shown (views_activity.shown).
        months = [views_activity.shown(m, sel.municipality)
                  for m in activity.report(provider.pk, start, month, sel.rows)]
        record(request, Action.EXPORT,
               purpose=f"leverandøraktivitet (API): {request.GET.urlencode()}")
        return Response(ActivitySerializer({
            "provider": provider.pk, "provider_name": provider.name,
            "threshold": rules.SUPPRESS_BELOW, "suppressed": True,
            "months": [month_data(s) for s in months]}).data)
