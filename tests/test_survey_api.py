"""Survey API (issue 4 item 12): questionnaire, answering with a token without login, handing
out on a course, and the aggregate with suppression."""

import datetime as dt

import pytest

from forlob.audit.models import AuditEvent
from forlob.survey.models import Invitation, Response

from .factories_survey import invitation, responses
from .test_survey_views import _course
from .test_treatment_services import discharge

D = dt.date


def test_questionnaire_is_public(client, db):
    data = client.get("/api/v1/survey/questionnaire/").json()
    assert data["version"] == 1
    assert [q["key"] for q in data["questions"]][0] == "acute"
    assert data["questions"][0]["options"][0] == {"value": 1,
                                                  "label": "Strålende, kunne ikke være bedre"}


def test_answer_with_token_once(world, client):
    token = invitation(world.provider)
    body = {"token": token, "answers": {"acute": 2, "comments": "fint", "waiting": None}}
    response = client.post("/api/v1/survey/answers/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert Response.objects.get().answers.count() == 2
    again = client.post("/api/v1/survey/answers/", body, content_type="application/json")
    assert again.status_code == 410
    unknown = client.post("/api/v1/survey/answers/", {**body, "token": "ukendt"},
                          content_type="application/json")
    assert unknown.status_code == 404


def test_bad_answer_is_400_and_saves_nothing(world, client):
    token = invitation(world.provider)
    for answers in ({"acute": 6}, {"acute": "x"}, {"comments": "x" * 2001}):
        response = client.post("/api/v1/survey/answers/", {"token": token, "answers": answers},
                               content_type="application/json")
        assert response.status_code == 400, answers
    assert not Response.objects.exists() and Invitation.objects.count() == 1


@pytest.fixture
def discharged(world):
    course, req = _course(world)
    discharge(req, course)
    return course


def test_invitation_through_the_api(world, login, discharged):
    client = login(world.clinician)
    url = f"/api/v1/courses/{discharged.pk}/survey-invitations/"
    response = client.post(url, {"medium": "paper"}, content_type="application/json")
    assert response.status_code == 201
    data = response.json()
    assert len(data["code"].replace("-", "")) == 25 and "/tilfredshed/" in data["url"]
    assert Invitation.objects.get().channel == "paper"
    event = AuditEvent.objects.get(purpose="tilfredshedsundersøgelse udleveret")
    assert event.channel == "api" and data["code"].replace("-", "") not in event.path
    assert client.post(url, {"medium": "due"}, content_type="application/json"
                       ).status_code == 400
    assert login(world.leader).post(url, {"medium": "link"}, content_type="application/json"
                                    ).status_code == 404
    assert Invitation.objects.count() == 1


def test_invitation_on_undischarged_course_is_403(world, login):
    course, _req = _course(world)
    response = login(world.caseworker).post(f"/api/v1/courses/{course.pk}/survey-invitations/",
                                            {"medium": "link"}, content_type="application/json")
    assert response.status_code == 403 and not Invitation.objects.exists()


def test_results_suppressed_then_shown(world, login):
    url = f"/api/v1/survey/providers/{world.provider.pk}/results/"
    client = login(world.coordinator)
    responses(world.provider, 3)
    data = client.get(url).json()
    assert data["hidden"] is True and data["responses"] is None
    assert all(r["count"] is None for q in data["questions"] for r in q["rows"])
    responses(world.provider, 3)
    data = client.get(url, {"fra": "2026-06", "til": "2026-06"}).json()
    assert data["hidden"] is False and data["responses"] == 6
    assert data["questions"][0]["rows"][0] == {"value": 1, "label":
                                               "Strålende, kunne ikke være bedre", "count": 6}
    assert login(world.caseworker).get(url).status_code == 404
