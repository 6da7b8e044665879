"""The citizen's summary (issue 4 item 11): goals, next dates, contacts and rights in plain
Danish; through the scoping layer; every view, print and PDF audited."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from forlob.audit.models import Action, AuditEvent
from forlob.pathway.views_summary import PRINT_PURPOSE

from .test_survey_views import _course
from .test_treatment_services import discharge, goal, plan

D = dt.date
GOAL = "Jeg vil kunne hente mine børn uden at have drukket"


@pytest.fixture
def course(world):
    course, req = _course(world)
    plan(req, course, goals=[goal(text=GOAL), goal(text="Jeg vil have et arbejde",
                                                   kind="arbejde", domain="work")])
    return course


def url(course, pdf=False):
    return reverse("pathway:summary_pdf" if pdf else "pathway:summary", args=[course.pk])


def test_summary_shows_goals_dates_contacts_and_rights(world, login, course):
    response = login(world.caseworker).get(url(course))
    assert response.status_code == 200
    text = response.content.decode()
    assert GOAL in text and "Jeg vil have et arbejde" in text
    assert "Vi følger op på din behandlingsplan sammen med dig senest" in text
    assert world.provider.name in text and "Solrød Kommune" in text
    assert "Ankestyrelsen" in text and "4 uger" in text  # complaint route, SEL § 101
    assert "Frit valg" in text and "senest 14 dage" in text
    assert "forvaltningsloven § 8" in text and "forvaltningsloven § 9" in text
    assert "seks måneder" in text
    assert 'href="?udskriv=1"' in text and url(course, pdf=True) in text
    assert "<script>" not in text and "onclick" not in text
    event = AuditEvent.objects.filter(citizen_id=world.citizen.pk).latest("pk")
    assert event.action == Action.VIEW and event.user_id == world.caseworker.pk


def test_print_version_is_audited_as_export(world, login, course):
    response = login(world.clinician).get(url(course), {"udskriv": "1"})
    assert response.status_code == 200 and "data-forlob-autoprint" in response.content.decode()
    event = AuditEvent.objects.filter(citizen_id=world.citizen.pk).latest("pk")
    assert (event.action, event.purpose, event.user_id) == (
        Action.EXPORT, PRINT_PURPOSE, world.clinician.pk)


def test_pdf_contains_the_goals_and_is_audited(world, login, course):
    response = login(world.caseworker).get(url(course, pdf=True))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert world.citizen.last_name not in response["Content-Disposition"]
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert GOAL in text and "Dine rettigheder" in text
    assert AuditEvent.objects.filter(citizen_id=world.citizen.pk, action=Action.EXPORT,
                                     purpose=PRINT_PURPOSE, user_id=world.caseworker.pk,
                                     path=url(course, pdf=True)).exists()


def test_after_discharge_the_follow_up_dates_show(world, login, course):
    from .test_treatment_services import _req

    discharge(_req(world.caseworker), course)
    text = login(world.caseworker).get(url(course)).content.decode()
    assert "Du blev udskrevet fra behandlingen den 15. juni 2026" in text
    assert "cirka en måned efter udskrivningen, senest" in text
    assert "15. juli 2026" in text and "15. december 2026" in text


def test_without_a_plan_says_so(world, login):
    course, _req = _course(world)
    text = login(world.caseworker).get(url(course)).content.decode()
    assert "Du har ikke en behandlingsplan endnu" in text


@pytest.mark.parametrize("role", ["leader", "coordinator", "admin"])
def test_out_of_scope_is_404_and_not_audited(world, login, course, role):
    client = login(getattr(world, role))
    before = AuditEvent.objects.count()
    assert client.get(url(course)).status_code == 404
    assert client.get(url(course, pdf=True)).status_code == 404
    assert AuditEvent.objects.count() == before
