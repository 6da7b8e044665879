"""Youth under 18 through the API (issue 3 item 4): custody holders and routing to the
children and youth service (SEL § 101, stk. 12).

Same layers as the other steps (`api.CourseStep`): the course through the scoping layer (404
out of scope), 403 for a reader who cannot act, the body's `version` for optimistic locking
(409 when stale), one call to `pathway.services`, which validates and audits.
"""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import status

from . import serializers_input as inp
from . import services
from .api import TAG, CourseStep, step_schema
from .models import CustodyHolder

#: Service (model) field names as the API body names them.
FIELD_MAP = {"youth_routed_on": "routed_on"}


@extend_schema(tags=[TAG])
class CustodyHolderCreate(CourseStep):
    input_class = inp.CustodyHolderWriteSerializer

    @step_schema("courses_custody_holders_create", "Registrér en forældremyndighedsindehaver",
                 "For en borger under 18 år registreres hver indehaver af "
                 "forældremyndigheden.", inp.CustodyHolderWriteSerializer)
    def post(self, request, course_id):
        return self.write(request)

    def perform(self, request, data):
        services.add_custody_holder(request, self.course, CustodyHolder(**data))


@extend_schema(tags=[TAG])
class YouthRoutingUpdate(CourseStep):
    input_class = inp.YouthRoutingWriteSerializer

    @step_schema("courses_youth_routing_update", "Registrér henvisning til børne- og "
                 "ungeområdet", "Borgere under 18 år hører under børne- og ungeområdet "
                 "(SEL § 101, stk. 12). Datoen må ikke ligge i fremtiden; et nyt kald retter "
                 "den.", inp.YouthRoutingWriteSerializer, created=False)
    def put(self, request, course_id):
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        try:
            services.route_youth(request, self.course, data["routed_on"])
        except ValidationError as exc:  # the service names the model field; the body says
            if not hasattr(exc, "error_dict"):  # `routed_on`
                raise
            raise ValidationError({FIELD_MAP.get(k, k): v for k, v in exc.message_dict.items()
                                   }) from exc


@extend_schema(tags=[TAG])
class ScreeningStartUpdate(CourseStep):
    """Closes the follow-up that an assessment's screening flag created (retningslinje 3.8)."""

    input_class = inp.ScreeningStartWriteSerializer

    @step_schema("courses_screening_start_update", "Registrér at specialiseret screening eller "
                 "udredning er påbegyndt", "Kun når afdækningen har peget på det. Lukker "
                 "opfølgningsfristen.", inp.ScreeningStartWriteSerializer, created=False)
    def put(self, request, course_id):
        return self.write(request, status.HTTP_200_OK)

    def perform(self, request, data):
        try:
            services.start_screening(request, self.course, data["started_on"])
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                raise
            raise ValidationError({"started_on" if k == "screening_started_on" else k: v
                                   for k, v in exc.message_dict.items()}) from exc
