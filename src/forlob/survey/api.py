"""Survey API (v1, issue 4 item 12): the questionnaire definition, answering with a token
(public, no login: the token is the key), handing out an invitation on a discharged course,
and the aggregated answers of a provider for a period (no personal data; small counts hidden,
see survey/rules.py)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from forlob import clock
from forlob.citizens.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, APIBase, api_validation_error
from forlob.citizens.serializers import ErrorSerializer
from forlob.organisations.models import Provider
from forlob.pathway.api import ScopedCourseMixin

from . import questionnaire, rules, services
from .models import Channel

TAG = "survey"
GONE = OpenApiResponse(ErrorSerializer, description="Spørgeskemaet er allerede besvaret.")


class OptionSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    hint = serializers.CharField()
    kind = serializers.ChoiceField(choices=["scale", "text"])
    options = OptionSerializer(many=True)


class QuestionnaireSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    title = serializers.CharField()
    questions = QuestionSerializer(many=True)


def _answer_fields():
    fields = {}
    for q in questionnaire.CURRENT.questions:
        if q.is_text:
            fields[q.key] = serializers.CharField(required=False, allow_blank=True,
                                                  max_length=questionnaire.COMMENT_MAX,
                                                  help_text=str(q.text))
        else:
            fields[q.key] = serializers.IntegerField(
                min_value=1, max_value=len(q.scale), required=False, allow_null=True,
                help_text=f"{q.text} " + "; ".join(f"{v} = {label}" for v, label in q.scale))
    return fields


SurveyAnswersSerializer = type("SurveyAnswersSerializer", (serializers.Serializer,),
                               _answer_fields())


class SurveySubmitSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=60, help_text="Koden fra linket eller papiret.")
    answers = SurveyAnswersSerializer()


class SurveyInvitationInputSerializer(serializers.Serializer):
    medium = serializers.ChoiceField(choices=Channel.choices,
                                     help_text="link: anonymt link; paper: papirskema.")


class SurveyInvitationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Koden i grupper á fem tegn; vises kun nu.")
    url = serializers.CharField(help_text="Det anonyme link; vises kun nu.")


class RowSerializer(serializers.Serializer):
    value = serializers.IntegerField()
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text="null: skjult (færre end 5).")


class QuestionResultSerializer(serializers.Serializer):
    key = serializers.CharField()
    section = serializers.CharField()
    text = serializers.CharField()
    answered = serializers.IntegerField(allow_null=True)
    hidden = serializers.BooleanField()
    rows = RowSerializer(many=True)


class SurveyResultsSerializer(serializers.Serializer):
    provider = serializers.IntegerField()
    provider_name = serializers.CharField()
    first = serializers.CharField(help_text="Første måned, ÅÅÅÅ-MM.")
    last = serializers.CharField(help_text="Sidste måned, ÅÅÅÅ-MM.")
    version = serializers.IntegerField()
    responses = serializers.IntegerField(allow_null=True, help_text="null: færre end 5.")
    hidden = serializers.BooleanField()
    limit = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


def questionnaire_data(q=questionnaire.CURRENT):
    return {"version": q.version, "title": str(q.title), "questions": [
        {"key": x.key, "section": str(x.section), "text": str(x.text), "hint": str(x.hint),
         "kind": "text" if x.is_text else "scale",
         "options": [{"value": v, "label": str(label)} for v, label in x.scale]}
        for x in q.questions]}


@extend_schema(tags=[TAG])
class QuestionnaireView(APIBase):
    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = QuestionnaireSerializer

    @extend_schema(operation_id="survey_questionnaire_retrieve",
                   summary="Spørgeskemaet (gældende version)",
                   description="Spørgsmål og svarmuligheder; værdi 1 er det bedste svar. "
                   "Kræver ikke login.", responses={200: QuestionnaireSerializer})
    def get(self, request):
        return Response(questionnaire_data())


@extend_schema(tags=[TAG])
class AnswerCreate(APIBase):
    permission_classes = [AllowAny]
    authentication_classes = []  # no session: a citizen's app answers with the token alone
    serializer_class = SurveySubmitSerializer

    @extend_schema(operation_id="survey_answers_create", summary="Besvar spørgeskemaet",
                   description="Én gang pr. kode. Svarene gemmes uden kode, tidspunkt og "
                   "borger, kun med tilbud og måned. Kræver ikke login.",
                   request=SurveySubmitSerializer,
                   responses={201: OpenApiResponse(description="Svarene er gemt."),
                              400: BAD_REQUEST, 404: NOT_FOUND, 410: GONE})
    def post(self, request):
        serializer = SurveySubmitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        state, _invitation = services.find_invitation(data["token"])
        if state == services.InvitationState.UNKNOWN:
            raise exceptions.NotFound(_("Koden findes ikke."))
        answers = {k: v for k, v in data["answers"].items() if v not in (None, "")}
        try:
            services.submit(data["token"], answers)
        except DjangoValidationError as exc:
            if "token" in getattr(exc, "error_dict", {}):
                return Response({"detail": _("Spørgeskemaet er allerede besvaret.")},
                                status=status.HTTP_410_GONE)
            raise api_validation_error(exc) from exc
        return Response({"detail": _("Tak for dine svar.")}, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class InvitationCreate(ScopedCourseMixin, APIBase):
    serializer_class = SurveyInvitationSerializer

    @extend_schema(operation_id="courses_survey_invitations_create",
                   summary="Udlevér tilfredshedsundersøgelsen",
                   description="På et udskrevet forløb, af dem der kan skrive i forløbet. "
                   "Koden og linket vises kun i dette svar og gemmes ikke; udleveringen "
                   "logges på forløbet uden koden.",
                   request=SurveyInvitationInputSerializer,
                   responses={201: SurveyInvitationSerializer, 400: BAD_REQUEST,
                              403: FORBIDDEN, 404: NOT_FOUND})
    def post(self, request, course_id):
        serializer = SurveyInvitationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            token = services.issue(request, self.course, serializer.validated_data["medium"])
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(_(
                "Undersøgelsen udleveres på et udskrevet forløb af dem, der kan skrive i "
                "forløbet.")) from exc
        except DjangoValidationError as exc:
            raise api_validation_error(exc) from exc
        url = request.build_absolute_uri(reverse("survey:answer", args=[token]))
        return Response({"code": rules.grouped(token), "url": url},
                        status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class ResultsView(APIBase):
    serializer_class = SurveyResultsSerializer
    parser_classes = [JSONParser]

    @extend_schema(operation_id="survey_provider_results_retrieve",
                   summary="Tilfredshed for et behandlingstilbud",
                   description="Fordelingen af svar pr. spørgsmål i perioden. Tal fra færre "
                   "end 5 besvarelser er skjulte (null). For tilbuddets behandlere, ledere og "
                   "kvalitetskoordinatorer; ingen personoplysninger.",
                   parameters=[OpenApiParameter("fra", OpenApiTypes.STR,
                                                description="Første måned, ÅÅÅÅ-MM."),
                               OpenApiParameter("til", OpenApiTypes.STR,
                                                description="Sidste måned, ÅÅÅÅ-MM.")],
                   responses={200: SurveyResultsSerializer, 404: NOT_FOUND})
    def get(self, request, provider_id):
        provider = get_object_or_404(Provider, pk=provider_id)
        if not services.sees_results(request.user, provider):
            raise Http404
        first, last = rules.period(clock.today(), request.query_params.get("fra"),
                                   request.query_params.get("til"))
        figures = services.aggregate(provider, first, last)
        return Response({
            "provider": provider.pk, "provider_name": provider.name,
            "first": f"{first:%Y-%m}", "last": f"{last:%Y-%m}",
            "version": figures["version"], "responses": figures["responses"],
            "hidden": figures["hidden"], "limit": figures["limit"],
            "questions": [{**q, "section": str(q["section"]), "text": str(q["text"]),
                           "rows": [{"value": v, "label": str(label), "count": c}
                                    for v, label, c in q["rows"]]}
                          for q in figures["questions"]],
        })
