"""REST API v1: referrals, organisation reference data, authentication and the schema."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from forlob.audit.models import Action, AuditEvent
from forlob.citizens.models import Referral

from .api_helpers import JSON, ROLES, detail_url, events, post, url
from .factories import CitizenFactory, PurchaseAgreementFactory

pytestmark = pytest.mark.django_db


# --- Referrals -----------------------------------------------------------------------------


def referrals_url(citizen):
    return url("citizen-referral-list", citizen_id=citizen.public_id)


def test_referral_list_is_scoped_and_audited(world, login):
    response = login(world.caseworker).get(referrals_url(world.citizen))
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [world.referral.pk]
    assert response.json()[0]["is_active"] is True
    assert response.json()[0]["provider_name"] == "Misbrugscenter Øst"
    assert events(action=Action.VIEW, citizen_id=world.citizen.pk).count() == 1


def test_clinician_sees_only_own_providers_referrals(world, login):
    Referral.objects.create(citizen=world.citizen, provider=world.provider2,
                            referred_on=dt.date(2026, 4, 1))
    caseworker_ids = [r["id"] for r in login(world.caseworker).get(
        referrals_url(world.citizen)).json()]
    clinician_ids = [r["id"] for r in login(world.clinician).get(
        referrals_url(world.citizen)).json()]
    assert len(caseworker_ids) == 2
    assert clinician_ids == [world.referral.pk]


def test_caseworker_adds_referral(world, login):
    response = post(login(world.caseworker), referrals_url(world.citizen),
                    {"provider": world.provider2.pk, "referred_on": "2026-06-01"})
    assert response.status_code == 201, response.content
    referral = Referral.objects.get(pk=response.json()["id"])
    assert referral.provider == world.provider2 and referral.citizen == world.citizen
    event = events(action=Action.CREATE, citizen_id=world.citizen.pk).get()
    assert event.object_id == str(referral.pk)


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"provider": 999999, "referred_on": "2026-06-01"}, "provider", "Ukendt behandlingstilbud"),
    ({"provider": "x", "referred_on": "2026-06-01"}, "provider", "Ukendt behandlingstilbud"),
    ({"provider": None, "referred_on": "2026-06-20"}, "referred_on", "fremtiden"),
    ({"provider": None, "referred_on": "1. juni"}, "referred_on", "gyldig dato"),
    ({"provider": "own", "referred_on": "2026-06-01"}, "provider", "allerede henvist"),
])
def test_add_referral_bad_input(world, login, data, field, message):
    data = dict(data)
    if data["provider"] is None:
        data["provider"] = world.provider2.pk
    elif data["provider"] == "own":
        data["provider"] = world.provider.pk
    before = Referral.objects.count()
    response = post(login(world.caseworker), referrals_url(world.citizen), data)
    assert response.status_code == 400
    assert any(message in e for e in response.json()[field]), response.json()
    assert Referral.objects.count() == before


def test_clinician_may_not_add_or_end_referrals(world, login):
    client = login(world.clinician)
    response = post(client, referrals_url(world.citizen),
                    {"provider": world.provider2.pk, "referred_on": "2026-06-01"})
    assert response.status_code == 403
    end = url("citizen-referral-end", citizen_id=world.citizen.public_id,
              referral_id=world.referral.pk)
    assert post(client, end, {"ended_on": "2026-06-10"}).status_code == 403
    world.referral.refresh_from_db()
    assert world.referral.ended_on is None


def test_caseworker_ends_referral(world, login):
    end = url("citizen-referral-end", citizen_id=world.citizen.public_id,
              referral_id=world.referral.pk)
    response = post(login(world.caseworker), end, {"ended_on": "2026-06-10"})
    assert response.status_code == 200, response.content
    assert response.json()["ended_on"] == "2026-06-10"
    assert response.json()["is_active"] is False
    world.referral.refresh_from_db()
    assert world.referral.ended_on == dt.date(2026, 6, 10)
    assert events(action=Action.UPDATE, object_id=str(world.referral.pk)).count() == 1
    # The clinician's access ends with it.
    assert login(world.clinician).get(detail_url(world.citizen)).status_code == 404


def test_end_referral_before_start_is_400(world, login):
    end = url("citizen-referral-end", citizen_id=world.citizen.public_id,
              referral_id=world.referral.pk)
    response = post(login(world.caseworker), end, {"ended_on": "2026-01-01"})
    assert response.status_code == 400
    assert "før henvisningens start" in response.json()["ended_on"][0]


def test_end_referral_of_another_citizen_is_404(world, login):
    other = CitizenFactory(residence_municipality=world.muni)
    other_referral = Referral.objects.create(citizen=other, provider=world.provider,
                                             referred_on=dt.date(2026, 5, 1))
    end = url("citizen-referral-end", citizen_id=world.citizen.public_id,
              referral_id=other_referral.pk)
    assert post(login(world.caseworker), end, {"ended_on": "2026-06-10"}).status_code == 404
    other_referral.refresh_from_db()
    assert other_referral.ended_on is None


# --- Organisations -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_reference_data_open_to_every_role(world, login, role):
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider)
    client = login(getattr(world, role))
    munis = client.get(url("municipality-list")).json()
    assert {m["code"] for m in munis["results"]} == {"269", "259", "320"}
    solrod = next(m for m in munis["results"] if m["code"] == "269")
    assert solrod["cluster"] == "Øst" and solrod["region"] == "Region Sjælland"
    providers = client.get(url("provider-list")).json()["results"]
    by_name = {p["name"]: p for p in providers}
    assert by_name["Privat Alkoholklinik"]["is_private"] is True
    assert by_name["Misbrugscenter Øst"]["owner_municipality"] == "259"
    agreements = client.get(url("purchase-agreement-list")).json()["results"]
    assert agreements[0]["municipality"] == "269"
    assert agreements[0]["provider"] == world.provider.pk
    assert not AuditEvent.objects.exists()


def test_purchase_agreement_filters(world, login):
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider)
    PurchaseAgreementFactory(municipality=world.muni2, provider=world.provider,
                             valid_to=dt.date(2025, 12, 31))
    client = login(world.leader)
    base = url("purchase-agreement-list")
    assert client.get(base).json()["count"] == 2
    only = client.get(base + "?municipality=269").json()["results"]
    assert [a["municipality"] for a in only] == ["269"]
    in_force = client.get(base + "?in_force=true").json()["results"]
    assert [a["municipality"] for a in in_force] == ["269"]
    assert in_force[0]["in_force"] is True


def test_reference_data_is_read_only(world, login):
    client = login(world.admin)
    assert post(client, url("municipality-list"), {"code": "101"}).status_code == 405
    assert post(client, url("provider-list"), {"name": "x"}).status_code == 405


# --- Authentication, two-factor, schema ----------------------------------------------------


def test_anonymous_requests_are_refused(world, client):
    for name in ("citizen-list", "municipality-list", "schema"):
        assert client.get(url(name)).status_code == 403
    assert client.get(detail_url(world.citizen)).status_code == 403


def test_session_without_second_factor_is_refused(world, client):
    client.force_login(world.caseworker)
    response = client.get(url("citizen-list"))
    assert response.status_code == 403
    assert response.json() == {"detail": "To-faktor-login kræves."}
    assert not AuditEvent.objects.exists()


def test_schema_is_served(world, login):
    response = login(world.caseworker).get(url("schema"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "/api/v1/citizens/" in content
    assert "/api/v1/citizens/{citizen_id}/reveal-cpr/" in content


def test_schema_generates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert "/api/v1/purchase-agreements/" in text
    assert "cpr_encrypted" not in text and "cpr_index" not in text


def test_documented_login_flow_with_csrf_and_totp(world):
    """docs/api.md: log in through the login page and the TOTP page, then send the CSRF
    token in the X-CSRFToken header on every unsafe request."""
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=world.caseworker, name="app", confirmed=True)
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    response = client.post(reverse("accounts:login"), {
        "username": "sagsbehandler", "password": "korrekt-hest-batteri",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    })
    assert response.status_code == 302
    assert client.get(url("citizen-list")).status_code == 403  # second factor missing
    client.get(reverse("accounts:otp_verify"))
    response = client.post(reverse("accounts:otp_verify"), {
        "otp_token": f"{totp(device.bin_key):06d}",
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    })
    assert response.status_code == 302
    assert client.get(url("citizen-list")).json()["count"] == 1
    body = json.dumps({"cpr": world.citizen.reveal_cpr()})
    refused = client.post(url("citizen-lookup"), body, content_type=JSON)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    accepted = client.post(url("citizen-lookup"), body, content_type=JSON,
                           headers={"X-CSRFToken": client.cookies["csrftoken"].value})
    assert accepted.status_code == 200
    assert accepted.json()["id"] == str(world.citizen.public_id)
