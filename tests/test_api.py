"""REST API v1, citizen register: same scoping, services and audit as the UI (issue 2, items 5-7).

Referrals, organisations, authentication and the schema are in test_api_referrals.py."""

import datetime as dt
import json
import uuid

import pytest

from forlob import clock
from forlob.access import scoped
from forlob.audit.models import Action, AuditEvent
from forlob.citizens.models import Citizen, Referral

from .api_helpers import JSON, ROLES, detail_url, events, named_payload, patch, post, url
from .factories import AnonymousCitizenFactory, CitizenFactory, next_cpr

pytestmark = pytest.mark.django_db


# --- Listing -------------------------------------------------------------------------------


def test_caseworker_lists_only_citizens_of_own_acting_municipality(world, login):
    response = login(world.caseworker).get(url("citizen-list"))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [c["id"] for c in body["results"]] == [str(world.citizen.public_id)]


def test_clinician_lists_only_actively_referred_citizens(world, login):
    body = login(world.clinician).get(url("citizen-list")).json()
    assert [c["id"] for c in body["results"]] == [str(world.citizen.public_id)]


@pytest.mark.parametrize("role", ["leader", "coordinator", "region_coordinator", "admin"])
def test_roles_without_personal_data_see_no_citizens(world, login, role):
    response = login(getattr(world, role)).get(url("citizen-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert response.json()["results"] == []
    assert not events(action=Action.VIEW).exists()


def test_list_fields_mask_the_cpr_and_use_codes(world, login):
    response = login(world.caseworker).get(url("citizen-list"))
    row = response.json()["results"][0]
    number = world.citizen.reveal_cpr()
    assert number not in response.content.decode()
    assert f"{number[:6]}-{number[6:]}" not in response.content.decode()
    assert row["masked_cpr"] == f"{number[:6]}-****"
    assert row["first_name"] == "Karen" and row["last_name"] == "Jensen"
    assert row["display_name"] == "Karen Jensen"
    assert row["residence_municipality"] == "269"
    assert row["acting_municipality"] == "269"
    assert row["version"] == 1
    assert row["is_anonymous"] is False
    assert "cpr" not in row and "cpr_encrypted" not in row and "cpr_index" not in row


def test_list_audits_every_citizen_shown(world, login):
    extra = CitizenFactory(residence_municipality=world.muni)
    login(world.caseworker).get(url("citizen-list"))
    viewed = set(events(action=Action.VIEW, channel="api").values_list("citizen_id", flat=True))
    assert viewed == {world.citizen.pk, extra.pk}
    event = events(citizen_id=extra.pk).get()
    assert event.username == "sagsbehandler"
    assert event.role == "caseworker"


def test_list_is_paginated_and_audits_only_the_page(world, login):
    for _ in range(55):
        CitizenFactory(residence_municipality=world.muni)
    client = login(world.caseworker)
    first = client.get(url("citizen-list")).json()
    assert first["count"] == 56
    assert len(first["results"]) == 50
    assert first["next"] is not None
    assert events(action=Action.VIEW).count() == 50
    second = client.get(url("citizen-list") + "?page=2").json()
    assert len(second["results"]) == 6
    assert events(action=Action.VIEW).count() == 56


# --- Out of scope answers 404 everywhere --------------------------------------------------


def _citizen_requests(citizen, referral_id):
    cid = citizen.public_id
    return [
        ("get", url("citizen-detail", citizen_id=cid), None),
        ("patch", url("citizen-detail", citizen_id=cid), {"version": 1, "first_name": "X"}),
        ("get", url("citizen-reveal-cpr", citizen_id=cid), None),
        ("post", url("citizen-reveal-cpr", citizen_id=cid), {"purpose": "test"}),
        ("get", url("citizen-referral-list", citizen_id=cid), None),
        ("post", url("citizen-referral-list", citizen_id=cid),
         {"provider": 1, "referred_on": "2026-06-01"}),
        ("get", url("citizen-referral-end", citizen_id=cid, referral_id=referral_id), None),
        ("post", url("citizen-referral-end", citizen_id=cid, referral_id=referral_id),
         {"ended_on": "2026-06-10"}),
        ("delete", url("citizen-detail", citizen_id=cid), None),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_out_of_scope_citizen_is_404_on_every_endpoint_and_method(world, login, role):
    user = getattr(world, role)
    client = login(user)
    in_scope = {c.pk for c in Citizen.objects.all() if _in_scope(user, c)}
    out = [c for c in Citizen.objects.all() if c.pk not in in_scope]
    assert out, "the world must have citizens out of this role's scope"
    for citizen in out:
        referral = Referral.objects.filter(citizen=citizen).first()
        referral_id = referral.pk if referral else 999999
        for method, path, data in _citizen_requests(citizen, referral_id):
            kwargs = {"data": json.dumps(data), "content_type": JSON} if data else {}
            response = getattr(client, method)(path, **kwargs)
            assert response.status_code == 404, (role, citizen, method, path)
            assert response.json() == {"detail": "Findes ikke."}
        assert not events(citizen_id=citizen.pk).exists()
    assert Citizen.objects.get(pk=world.outsider.pk).first_name == "Ole"


def _in_scope(user, citizen):
    return scoped(user, Citizen).filter(pk=citizen.pk).exists()


def test_out_of_scope_looks_like_nonexistent(world, login):
    client = login(world.caseworker)
    outsider = client.get(detail_url(world.outsider))
    missing = client.get(url("citizen-detail", citizen_id=uuid.uuid4()))
    assert outsider.status_code == missing.status_code == 404
    assert outsider.content == missing.content


def test_clinician_loses_access_when_referral_ends(world, login):
    client = login(world.clinician)
    assert client.get(detail_url(world.citizen)).status_code == 200
    Referral.objects.filter(pk=world.referral.pk).update(ended_on=dt.date(2026, 6, 20))
    with clock.frozen(dt.date(2026, 6, 21)):
        assert client.get(detail_url(world.citizen)).status_code == 404


def test_lookup_of_out_of_scope_cpr_is_404(world, login):
    client = login(world.caseworker)
    response = post(client, url("citizen-lookup"), {"cpr": world.outsider.reveal_cpr()})
    assert response.status_code == 404
    assert not events(action=Action.VIEW).exists()
    search = events(action=Action.SEARCH).get()
    assert search.citizen_id is None


# --- Detail --------------------------------------------------------------------------------


def test_detail_returns_citizen_and_audits_view(world, login):
    response = login(world.caseworker).get(detail_url(world.citizen))
    assert response.status_code == 200
    assert response.json()["id"] == str(world.citizen.public_id)
    event = events(action=Action.VIEW).get()
    assert event.citizen_id == world.citizen.pk
    assert event.channel == "api"
    assert event.path == detail_url(world.citizen)


def test_clinician_reads_referred_citizen(world, login):
    response = login(world.clinician).get(detail_url(world.citizen))
    assert response.status_code == 200
    assert events(action=Action.VIEW, citizen_id=world.citizen.pk, role="clinician").exists()


# --- Create --------------------------------------------------------------------------------


def test_caseworker_creates_named_citizen(world, login):
    data = named_payload(world)
    response = post(login(world.caseworker), url("citizen-list"), data)
    assert response.status_code == 201, response.content
    body = response.json()
    citizen = Citizen.objects.get(public_id=body["id"])
    assert citizen.reveal_cpr() == data["cpr"]
    assert data["cpr"] not in citizen.cpr_encrypted
    assert body["masked_cpr"] == f"{data['cpr'][:6]}-****"
    assert data["cpr"] not in response.content.decode()
    assert citizen.acting_municipality == world.muni
    assert citizen.birth_year == 1900 + int(data["cpr"][4:6])
    assert events(action=Action.CREATE, citizen_id=citizen.pk, channel="api").count() == 1


def test_caseworker_creates_anonymous_citizen(world, login):
    data = {"is_anonymous": True, "pseudonym": "Ræven", "birth_year": 1995, "sex": "M",
            "acting_municipality": "269"}
    response = post(login(world.caseworker), url("citizen-list"), data)
    assert response.status_code == 201, response.content
    citizen = Citizen.objects.get(public_id=response.json()["id"])
    assert citizen.is_anonymous and citizen.cpr_encrypted is None
    assert response.json()["masked_cpr"] == ""
    assert response.json()["display_name"] == "Ræven"
    assert events(action=Action.CREATE, citizen_id=citizen.pk).exists()


@pytest.mark.parametrize(("override", "field", "message"), [
    ({"cpr": "3213801234"}, "cpr", "gyldig fødselsdato"),
    ({"cpr": "12345"}, "cpr", "10 cifre"),
    ({"cpr": ""}, "cpr", "Angiv CPR-nummeret"),
    ({"residence_municipality": "999"}, "residence_municipality", "Ukendt kommunekode"),
    ({"acting_municipality": "998"}, "acting_municipality", "Ukendt kommunekode"),
    ({"acting_municipality": "320"}, "acting_municipality", "hvor du er sagsbehandler"),
    ({"first_name": ""}, "first_name", "udfyldes"),
    ({"postal_code": "12a"}, "postal_code", "fire cifre"),
    ({"pseudonym": "Hemmelig"}, "pseudonym", "Kun anonyme"),
])
def test_create_bad_input_is_400_with_danish_message(world, login, override, field, message):
    response = post(login(world.caseworker), url("citizen-list"), named_payload(world, **override))
    assert response.status_code == 400
    errors = response.json()[field]
    assert any(message in e for e in errors), errors
    assert Citizen.objects.count() == 3
    assert not events(action=Action.CREATE).exists()


def test_create_refuses_cpr_on_anonymous_person(world, login):
    data = {"is_anonymous": True, "pseudonym": "Ræven", "birth_year": 1995,
            "acting_municipality": "269", "cpr": next_cpr()}
    response = post(login(world.caseworker), url("citizen-list"), data)
    assert response.status_code == 400
    assert "anonym borger må ikke have CPR" in response.json()["cpr"][0]
    assert Citizen.objects.count() == 3


def test_create_anonymous_requires_pseudonym_and_birth_year(world, login):
    data = {"is_anonymous": True, "acting_municipality": "269"}
    response = post(login(world.caseworker), url("citizen-list"), data)
    assert response.status_code == 400
    assert set(response.json()) == {"pseudonym", "birth_year"}


def test_create_refuses_duplicate_cpr(world, login):
    data = named_payload(world, cpr=world.outsider.reveal_cpr())
    response = post(login(world.caseworker), url("citizen-list"), data)
    assert response.status_code == 400
    assert "findes allerede" in response.json()["cpr"][0]
    assert Citizen.objects.count() == 3


def test_create_accepts_cpr_with_hyphen(world, login):
    number = next_cpr()
    response = post(login(world.caseworker), url("citizen-list"),
                    named_payload(world, cpr=f"{number[:6]}-{number[6:]}"))
    assert response.status_code == 201
    assert Citizen.objects.get(public_id=response.json()["id"]).reveal_cpr() == number


@pytest.mark.parametrize("role", ["clinician", "leader", "coordinator", "admin"])
def test_only_caseworkers_create(world, login, role):
    response = post(login(getattr(world, role)), url("citizen-list"), named_payload(world))
    assert response.status_code == 403
    assert Citizen.objects.count() == 3


def test_create_rejects_form_encoded_body(world, login):
    response = login(world.caseworker).post(url("citizen-list"), named_payload(world))
    assert response.status_code == 415
    assert Citizen.objects.count() == 3


# --- Update with optimistic locking --------------------------------------------------------


def test_caseworker_updates_with_version(world, login):
    client = login(world.caseworker)
    response = patch(client, detail_url(world.citizen),
                     {"version": 1, "address": "Ny Vej 2", "residence_municipality": "259"})
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["address"] == "Ny Vej 2"
    world.citizen.refresh_from_db()
    assert world.citizen.address == "Ny Vej 2"
    assert world.citizen.residence_municipality == world.muni2
    assert events(action=Action.UPDATE, citizen_id=world.citizen.pk).count() == 1


def test_stale_version_is_409_and_nothing_saved(world, login):
    client = login(world.caseworker)
    assert patch(client, detail_url(world.citizen), {"version": 1, "city": "A"}).status_code == 200
    response = patch(client, detail_url(world.citizen), {"version": 1, "city": "B"})
    assert response.status_code == 409
    assert "Sagen blev ændret af en anden" in response.json()["detail"]
    world.citizen.refresh_from_db()
    assert world.citizen.city == "A" and world.citizen.version == 2
    assert events(action=Action.UPDATE).count() == 1


def test_update_requires_version(world, login):
    response = patch(login(world.caseworker), detail_url(world.citizen), {"city": "B"})
    assert response.status_code == 400
    assert "version" in response.json()
    world.citizen.refresh_from_db()
    assert world.citizen.city == "Roskilde"


def test_update_can_correct_cpr_but_never_echoes_it(world, login):
    number = next_cpr()
    response = patch(login(world.caseworker), detail_url(world.citizen),
                     {"version": 1, "cpr": number})
    assert response.status_code == 200
    assert number not in response.content.decode()
    world.citizen.refresh_from_db()
    assert world.citizen.reveal_cpr() == number


def test_update_refuses_invalid_cpr_and_foreign_acting_municipality(world, login):
    client = login(world.caseworker)
    response = patch(client, detail_url(world.citizen), {"version": 1, "cpr": "3213801234"})
    assert response.status_code == 400 and "cpr" in response.json()
    response = patch(client, detail_url(world.citizen),
                     {"version": 1, "acting_municipality": "320"})
    assert response.status_code == 400 and "acting_municipality" in response.json()
    world.citizen.refresh_from_db()
    assert world.citizen.acting_municipality == world.muni and world.citizen.version == 1


def test_update_refuses_identity_on_anonymous(world, login):
    anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    response = patch(login(world.caseworker), detail_url(anon),
                     {"version": 1, "cpr": next_cpr(), "first_name": "Navn", "city": "Køge"})
    assert response.status_code == 400
    assert set(response.json()) == {"cpr", "first_name", "city"}
    anon.refresh_from_db()
    assert anon.cpr_encrypted is None and anon.first_name == ""


def test_clinician_in_scope_may_not_update(world, login):
    response = patch(login(world.clinician), detail_url(world.citizen),
                     {"version": 1, "city": "B"})
    assert response.status_code == 403
    world.citizen.refresh_from_db()
    assert world.citizen.city == "Roskilde" and world.citizen.version == 1
    assert not events(action=Action.UPDATE).exists()


# --- CPR look-up and reveal ----------------------------------------------------------------


def test_lookup_by_cpr_in_body(world, login):
    number = world.citizen.reveal_cpr()
    response = post(login(world.caseworker), url("citizen-lookup"),
                    {"cpr": f"{number[:6]}-{number[6:]}"})
    assert response.status_code == 200
    assert response.json()["id"] == str(world.citizen.public_id)
    assert events(action=Action.SEARCH, citizen_id=world.citizen.pk).count() == 1
    assert events(action=Action.VIEW, citizen_id=world.citizen.pk).count() == 1
    assert all(number not in e.path for e in AuditEvent.objects.all())


def test_lookup_invalid_cpr_is_400(world, login):
    response = post(login(world.caseworker), url("citizen-lookup"), {"cpr": "abc"})
    assert response.status_code == 400
    assert "10 cifre" in response.json()["cpr"][0]
    assert not AuditEvent.objects.exists()


def test_lookup_get_not_allowed(world, login):
    assert login(world.caseworker).get(url("citizen-lookup")).status_code == 405


def test_reveal_cpr_with_purpose_is_audited(world, login):
    response = post(login(world.clinician),
                    url("citizen-reveal-cpr", citizen_id=world.citizen.public_id),
                    {"purpose": "Medicinordination"})
    assert response.status_code == 200
    number = world.citizen.reveal_cpr()
    assert response.json() == {"cpr": f"{number[:6]}-{number[6:]}"}
    event = events(action=Action.REVEAL_CPR).get()
    assert event.citizen_id == world.citizen.pk
    assert event.purpose == "Medicinordination"
    assert event.role == "clinician"


def test_reveal_cpr_requires_purpose(world, login):
    response = post(login(world.caseworker),
                    url("citizen-reveal-cpr", citizen_id=world.citizen.public_id), {})
    assert response.status_code == 400
    assert "formålet" in response.json()["purpose"][0]
    assert not events(action=Action.REVEAL_CPR).exists()


def test_reveal_cpr_of_anonymous_is_404(world, login):
    anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    response = post(login(world.caseworker),
                    url("citizen-reveal-cpr", citizen_id=anon.public_id), {"purpose": "x"})
    assert response.status_code == 404
    assert not events(action=Action.REVEAL_CPR).exists()



def test_create_reports_all_field_errors_at_once(world, login):
    data = named_payload(world, cpr="3213801234", residence_municipality="999",
                         acting_municipality="320", postal_code="x")
    response = post(login(world.caseworker), url("citizen-list"), data)
    assert response.status_code == 400
    assert set(response.json()) == {"cpr", "residence_municipality", "acting_municipality",
                                    "postal_code"}
