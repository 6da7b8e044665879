"""The satisfaction survey (issue 4 item 12): handing it out on a discharged course, the public
page answered once, paper answers keyed in by the provider, aggregation with suppression, and
that nothing links an answer back to the citizen."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from forlob import clock
from forlob.accounts.models import Role
from forlob.audit.models import AuditEvent
from forlob.pathway import services as pathway_services
from forlob.pathway.models import Contact
from forlob.survey import services
from forlob.survey.models import Answer, Invitation, Response, SpentToken

from .factories import PurchaseAgreementFactory, make_user
from .factories_survey import invitation, responses
from .test_treatment_services import _req, discharge, start

D = dt.date
ANSWERS = {"acute": "1", "waiting": "2", "treatment": "1", "influence": "3", "contact": "1",
           "information": "2", "comments": "Tak for hjælpen"}


def _course(world):
    req = _req(world.caseworker)
    course = pathway_services.open_course(req, world.citizen, Contact(
        received_on=D(2026, 6, 1), channel="phone", substances="alcohol", asks="treatment"),
        tracks=["sel101"])
    return start(world, req, course), req


@pytest.fixture
def course(world):
    course, _req_ = _course(world)
    return course


@pytest.fixture
def discharged(world):
    course, req = _course(world)
    discharge(req, course)
    return course


def offer(client, course, kanal="link", htmx=False):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("survey:offer", args=[course.pk]), {"kanal": kanal}, **headers)


def token_in(text):
    return re.search(r"/tilfredshed/([0-9A-Z]{25})/", text).group(1)


def test_clinician_hands_out_a_link_audited_without_the_token(world, login, discharged):
    response = offer(login(world.clinician), discharged, htmx=True)
    assert response.status_code == 200
    text = response.content.decode()
    token = token_in(text)
    invitation = Invitation.objects.get()
    assert invitation.token_hash == services.token_hash(token) != token
    assert invitation.provider == world.provider and invitation.month == D(2026, 6, 1)
    assert invitation.channel == "link" and not SpentToken.objects.exists()
    event = AuditEvent.objects.filter(purpose=services.ISSUED_PURPOSE).get()
    assert event.citizen_id == world.citizen.pk and event.user_id == world.clinician.pk
    assert event.object_type == "pathway.Course" and event.object_id == str(discharged.pk)
    stored = " ".join(str(v) for v in AuditEvent.objects.values_list(
        "object_id", "purpose", "path"))
    assert token not in stored and str(invitation.pk) not in stored
    assert world.citizen.last_name not in text


def test_paper_version_is_printable_with_the_code_and_every_question(world, login, discharged):
    response = offer(login(world.caseworker), discharged, kanal="paper")
    text = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert Invitation.objects.get().channel == "paper"
    assert "forlob/print.css" in text and "data-forlob-print" in text
    assert "Strålende, kunne ikke være bedre" in text and "Her kan du tilføje bemærkninger" in text
    assert world.citizen.first_name not in text and world.citizen.last_name not in text


def test_offer_refused_before_discharge_and_for_readers(world, login, course, discharged):
    assert offer(login(world.caseworker), course).status_code == 404  # not discharged
    assert offer(login(world.leader), discharged).status_code == 404  # out of scope
    outsider = make_user(Role.CASEWORKER, world.muni3, "fremmed")
    assert offer(login(outsider), discharged).status_code == 404
    assert login(world.caseworker).get(
        reverse("survey:offer", args=[discharged.pk])).status_code == 405
    assert not Invitation.objects.exists()


def test_bad_channel_saves_nothing(world, login, discharged):
    response = offer(login(world.caseworker), discharged, kanal="brevdue")
    assert response.status_code == 302 and not Invitation.objects.exists()


def _render_tag(user, course):
    request = RequestFactory().get("/")
    request.user = user
    return Template("{% load survey_tags %}{% survey_offer course %}").render(
        Context({"request": request, "course": course, "csrf_token": "x"}))


def test_case_page_tag_only_on_discharged_course_for_writers(world, course, discharged):
    assert "Udlevér anonymt link" in _render_tag(world.clinician, discharged)
    assert "Udskriv papirskema" in _render_tag(world.caseworker, discharged)
    assert _render_tag(world.clinician, course).strip() == ""
    assert _render_tag(world.leader, discharged).strip() == ""


def test_citizen_answers_once_without_login(world, client, discharged, login):
    token = token_in(offer(login(world.clinician), discharged, htmx=True).content.decode())
    client.logout()
    url = reverse("survey:answer", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and "Din besvarelse er anonym" in page.content.decode()
    assert world.provider.name in page.content.decode()
    response = client.post(url, ANSWERS)
    assert response.status_code == 302 and response["Location"] == reverse("survey:thanks")
    saved = Response.objects.get()
    assert saved.provider == world.provider and saved.month == D(2026, 6, 1)
    assert saved.channel == "link" and saved.version == 1
    assert dict(saved.answers.exclude(question="comments").values_list("question", "choice")) \
        == {"acute": 1, "waiting": 2, "treatment": 1, "influence": 3, "contact": 1,
            "information": 2}
    assert saved.answers.get(question="comments").text == "Tak for hjælpen"
    # Answering removes the invitation and keeps only the hash, with no provider or month.
    assert not Invitation.objects.exists() and SpentToken.objects.count() == 1
    again = client.post(url, ANSWERS)
    assert again.status_code == 410 and "allerede besvaret" in again.content.decode()
    assert client.get(url).status_code == 410
    assert Response.objects.count() == 1


def test_unknown_or_malformed_token_gives_a_clear_page(client, db):
    for token in ("ukendt-token", "0" * 25, "x" * 300):
        response = client.get(f"/tilfredshed/{token}/")
        assert response.status_code == 404
        assert "Linket virker ikke" in response.content.decode()
        assert client.post(f"/tilfredshed/{token}/", ANSWERS).status_code == 404
    assert not Response.objects.exists()


def test_invalid_answer_saves_nothing_and_keeps_the_invitation(world, client):
    token = invitation(world.provider)
    response = client.post(f"/tilfredshed/{token}/", {**ANSWERS, "acute": "9"})
    assert response.status_code == 400
    assert not Response.objects.exists() and not Answer.objects.exists()
    assert Invitation.objects.count() == 1 and not SpentToken.objects.exists()


def test_answers_are_not_linked_to_invitation_course_or_time(world):
    token = invitation(world.provider)
    response = services.submit(token, {"acute": 1})
    fields = {f.name for f in Response._meta.get_fields()}
    assert fields == {"id", "provider", "version", "month", "channel", "answers"}
    assert {f.name for f in Invitation._meta.get_fields()} == {
        "id", "token_hash", "provider", "month", "channel"}
    assert {f.name for f in SpentToken._meta.get_fields()} == {"id", "token_hash"}
    assert not Invitation.objects.exists()  # answered: only the spent hash is left
    assert {f.name for f in Answer._meta.get_fields()} == {"id", "response", "question",
                                                             "choice", "text"}
    assert not str(response.answers.get().pk).isdigit()  # a random key, no arrival order


def test_paper_entry_by_provider_staff_with_the_printed_code(world, login):
    from forlob.survey import rules

    token = invitation(world.provider, channel="paper")
    client = login(world.clinician)
    url = reverse("survey:paper", args=[world.provider.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {**ANSWERS, "code": rules.grouped(token).lower()})
    assert response.status_code == 302
    assert Response.objects.get().channel == "paper"
    again = client.post(url, {**ANSWERS, "code": token})
    assert again.status_code == 400 and "allerede besvaret" in again.content.decode()
    wrong = client.post(url, {**ANSWERS, "code": "ABCDE"})
    assert wrong.status_code == 400 and Response.objects.count() == 1


def test_paper_code_of_another_provider_is_refused(world, login):
    token = invitation(world.provider2)
    response = login(world.clinician).post(reverse("survey:paper", args=[world.provider.pk]),
                                           {**ANSWERS, "code": token})
    assert response.status_code == 400 and not Response.objects.exists()
    assert Invitation.objects.count() == 1 and not SpentToken.objects.exists()


def test_paper_entry_only_for_the_providers_clinicians(world, login):
    for user in (world.caseworker, world.leader, world.coordinator):
        assert login(user).get(reverse("survey:paper", args=[world.provider.pk])
                               ).status_code == 404
    assert login(world.clinician).get(
        reverse("survey:paper", args=[world.provider2.pk])).status_code == 404


def test_results_hidden_under_five_and_shown_from_five(world, login):
    responses(world.provider, 4)
    url = reverse("survey:results", args=[world.provider.pk])
    client = login(world.coordinator)  # the provider belongs to Køge, in the cluster
    text = client.get(url).content.decode()
    assert "færre end 5 besvarelser" in text and "Tallene er skjult" in text
    responses(world.provider, 1)
    text = client.get(url).content.decode()
    assert "Antal besvarelser: 5." in text and "Tallene er skjult" not in text
    figures = services.aggregate(world.provider, D(2026, 6, 1), D(2026, 6, 1))
    acute = figures["questions"][0]
    assert [c for *_x, c in acute["rows"]] == [5, 0, 0, 0, 0]
    assert [c for *_x, c in figures["questions"][2]["rows"]] == [0, 5, 0, 0, 0]


def test_results_period_leaves_out_other_months(world, login):
    with clock.frozen(D(2026, 1, 10)):
        responses(world.provider, 5)
    responses(world.provider, 2)
    june = services.aggregate(world.provider, D(2026, 6, 1), D(2026, 6, 1))
    assert june["hidden"] and june["responses"] is None
    year = services.aggregate(world.provider, D(2026, 1, 1), D(2026, 6, 1))
    assert year["responses"] == 7
    page = login(world.coordinator).get(reverse("survey:results", args=[world.provider.pk]),
                                        {"fra": "2026-01", "til": "2026-01"})
    assert page.status_code == 200 and "Antal besvarelser: 5." in page.content.decode()


def test_who_sees_results(world, login):
    """The provider's clinicians; leaders of municipalities it serves (it buys from it here);
    coordinators of a cluster or region with such a municipality. Not a leader of a
    municipality with no relation to the provider, nor caseworkers or administrators."""
    url = reverse("survey:results", args=[world.provider.pk])
    assert login(world.leader).get(url).status_code == 404  # Solrød neither owns nor buys
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider)
    for user in (world.clinician, world.leader, world.coordinator, world.region_coordinator):
        assert login(user).get(url).status_code == 200, user
    for user in (world.caseworker, world.admin):
        assert login(user).get(url).status_code == 404, user
    faxe_leader = make_user(Role.LEADER, world.muni3, "faxeleder")
    assert login(faxe_leader).get(url).status_code == 404
    other = reverse("survey:results", args=[world.provider2.pk])
    assert login(world.clinician).get(other).status_code == 404
    assert login(world.clinician).get("/tilfredshed/tilbud/987654/").status_code == 404


def test_comments_only_for_the_providers_clinicians(world, login):
    responses(world.provider, 5, {"acute": 1, "comments": "Rart personale"})
    url = reverse("survey:results", args=[world.provider.pk])
    assert "Rart personale" in login(world.clinician).get(url).content.decode()
    assert "Rart personale" not in login(world.leader).get(url).content.decode()


def test_index_lists_visible_providers(world, login):
    text = login(world.clinician).get(reverse("survey:index")).content.decode()
    assert world.provider.name in text and world.provider2.name not in text
    text = login(world.leader).get(reverse("survey:index")).content.decode()
    assert world.provider2.name not in text  # no relation to Solrød yet
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider2)
    text = login(world.leader).get(reverse("survey:index")).content.decode()
    assert world.provider2.name in text
