"""Schemathesis against the OpenAPI document: no generated input, valid or not, makes any
/api/v1/ operation answer with a server error (issue 3, acceptance).

The document is the one the app serves at `/api/v1/schema/` (a test checks they are equal).
Every request goes through Django's real WSGI handler: session login with both factors, CSRF
cookie and header, the middleware, the scoping layer. Most generated cases are pointed at real
records (a course and a citizen in the caseworker's scope, the current course version), so they
reach the views' own validation and the services instead of stopping at a 404 or 409.
"""

import datetime as dt
import itertools
import json
import traceback

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.test import Client, RequestFactory
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error

from forlob.pathway import services
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import Assessment, Contact, Course

from .conftest import verify_second_factor
from .urlwalk import endpoints

CSRF_TOKEN = "abcdefghijklmnopqrstuvwxyzABCDEF"  # any 32 letters/digits is a valid secret


class Api:
    """The logged-in caseworker's cookies and the real records cases are aimed at."""

    def __init__(self, world):
        client = Client()
        client.force_login(world.caseworker)
        verify_second_factor(client, world.caseworker)
        self.cookies = {
            django_settings.SESSION_COOKIE_NAME:
                client.cookies[django_settings.SESSION_COOKIE_NAME].value,
            django_settings.CSRF_COOKIE_NAME: CSRF_TOKEN,
        }
        self.headers = {"X-CSRFToken": CSRF_TOKEN}
        self.course = open_course(world)
        self.ids = {"course_id": self.course.pk, "citizen_id": str(world.citizen.public_id),
                    "referral_id": world.referral.pk}
        self.references = {"citizen": str(world.citizen.public_id),
                           "assessment": self.course.assessments.get().pk,
                           "provider": world.provider.pk}
        self.turn = itertools.count()
        self.errors: list[str] = []

    def aim(self, case):
        """Four cases in five get real ids in the path; one in two the current version and
        real records for the references in the body (citizen, assessment, provider), and some
        of those dates that the rules accept."""
        n = next(self.turn)
        params = case.path_parameters or {}
        for name, real in self.ids.items():
            if name in params and n % 5:
                params[name] = real
        if isinstance(case.body, dict) and n % 2:
            if "version" in case.body:
                case.body["version"] = Course.objects.get(pk=self.course.pk).version
            for name, real in self.references.items():
                if name in case.body:
                    case.body[name] = real
            if n % 4 == 1:  # dates inside the guarantee period, so the rules let steps pass
                for key in case.body:
                    if key.endswith("_on") and case.body[key] is not None:
                        case.body[key] = "2026-06-10"
                if "domains" in case.body:
                    case.body["domains"] = {key: {"findings": "fund"} for key, _l in DOMAINS}
                if case.body.get("instrument") in ("audit", "dudit"):
                    case.body["answers"] = [0] * (10 if case.body["instrument"] == "audit" else 11)


def open_course(world):
    """A § 101 course with a request and an assessment, so decisions have something to rest on."""
    request = RequestFactory().post("/api/v1/courses/")
    request.user = world.caseworker
    course = services.open_course(
        request, world.citizen, Contact(received_on=dt.date(2026, 6, 1), channel="phone",
                                        substances="drugs", asks="treatment"),
        tracks=["sel101"])
    services.record_assessment(request, course, Assessment(
        done_on=dt.date(2026, 6, 5), instrument="europasi", instrument_on=dt.date(2026, 6, 5),
        domains={key: {"findings": "fund"} for key, _label in DOMAINS},
        children_at_home=False, pregnancy=False))
    return course


def generated_schema() -> dict:
    """The OpenAPI document exactly as `/api/v1/schema/` and `manage.py spectacular` make it.
    Built at collection time (no database needed), so each operation is its own test item."""
    generator = SchemaGenerator(api_version="v1")
    document = generator.get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(document, renderer_context={}))


APP = WSGIHandler()
schema = schemathesis.openapi.from_dict(generated_schema())
schema.app = APP


@pytest.fixture
def wsgi_app():
    """Django's real WSGI handler inside the test transaction: like the test client, keep the
    request signals from closing the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield APP
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api(world, wsgi_app):
    """The logged-in caseworker; any traceback of a request is collected for the report."""
    api = Api(world)

    def collect(sender, request=None, **kwargs):
        api.errors.append(traceback.format_exc())

    got_request_exception.connect(collect, weak=False)
    yield api
    got_request_exception.disconnect(collect)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_server_error(case, api):
    api.aim(case)
    response = case.call(headers=api.headers, cookies=api.cookies)
    assert response.status_code < 500, "".join(api.errors[-1:]) or response.text[:2000]
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.django_db
def test_the_app_serves_the_tested_schema_and_it_covers_every_api_route(api, wsgi_app):
    """The document under test is the one the app serves to a logged-in caseworker, and it
    has every /api/v1/ route, so the run above reaches all of them."""
    cookie = "; ".join(f"{k}={v}" for k, v in api.cookies.items())

    def logged_in(environ, start_response):  # the loader's client sends none of our cookies
        environ["HTTP_COOKIE"] = cookie
        return wsgi_app(environ, start_response)

    served = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", logged_in)
    assert served.raw_schema["paths"] == schema.raw_schema["paths"]
    assert served.raw_schema["components"] == schema.raw_schema["components"]
    routes = {
        "/" + "".join(str(p) for p in e.parts).replace("<int:", "{").replace(
            "<uuid:", "{").replace(">", "}")
        for e in endpoints() if e.route.startswith("api/v1/") and e.name != "v1:schema"
    }
    assert routes == set(schema.raw_schema["paths"])
    assert {"/api/v1/courses/{course_id}/decisions/", "/api/v1/worklist/"} <= routes
