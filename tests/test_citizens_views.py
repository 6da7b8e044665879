"""Citizen register pages: list and search, create, edit with optimistic locking, reveal CPR,
print, referrals, and the clinician's access following the referral (issue 2, item 6)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from forlob import clock
from forlob.audit.models import Action, AuditEvent
from forlob.citizens import crypto
from forlob.citizens.models import Citizen, Referral

from .factories import AnonymousCitizenFactory, CitizenFactory

CPR = "1207814321"


@pytest.fixture
def known(world):
    """A citizen in the caseworker's municipality with a known CPR number."""
    world.known = CitizenFactory(cpr_plain=CPR, residence_municipality=world.muni,
                                 first_name="Gudrun", last_name="Kendt")
    return world


def events(**filters):
    return list(AuditEvent.objects.filter(**filters).order_by("pk"))


def named_data(world, **changes):
    data = {
        "cpr": "030590-1234", "first_name": "Ny", "last_name": "Borger", "address": "Vejen 1",
        "postal_code": "4600", "city": "Køge", "residence_municipality": world.muni.pk,
        "acting_municipality": world.muni.pk,
    }
    data.update(changes)
    return data


def no_cpr_in_any_url_or_log(response, number):
    """The number is in no redirect, no URL of the chain, and no audit record."""
    plain, dashed = number, f"{number[:6]}-{number[6:]}"
    for url, _ in getattr(response, "redirect_chain", []):
        assert plain not in url and dashed not in url
    location = response.headers.get("Location", "")
    assert plain not in location and dashed not in location
    for e in AuditEvent.objects.all():
        for value in (e.path, e.purpose, e.object_id, e.citizen_ref):
            assert plain not in value and dashed not in value


# --- List and search ---------------------------------------------------------------------------

def test_list_shows_only_citizens_in_scope(known, login):
    response = login(known.caseworker).get(reverse("citizens:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Karen Jensen" in text and "Gudrun Kendt" in text
    assert "Udenfor" not in text and "Erik" not in text
    assert "120781-****" in text and CPR not in text and "120781-4321" not in text


def test_list_sorts_by_name_both_ways(known, login):
    client = login(known.caseworker)
    up = client.get(reverse("citizens:list") + "?sort=navn").content.decode()
    down = client.get(reverse("citizens:list") + "?sort=-navn").content.decode()
    assert up.index("Karen Jensen") < up.index("Gudrun Kendt")
    assert down.index("Gudrun Kendt") < down.index("Karen Jensen")


def test_list_is_404_for_roles_without_personal_data(world, login):
    for user in (world.leader, world.coordinator):
        assert login(user).get(reverse("citizens:list")).status_code == 404


@pytest.mark.parametrize("query", [CPR, "120781-4321", " 120781 4321 "])
def test_search_by_cpr_uses_the_blind_index(known, login, query):
    client = login(known.caseworker)
    response = client.post(reverse("citizens:list"), {"q": query}, follow=True)
    assert response.status_code == 200
    assert response.context["citizens"] == [known.known]
    assert "Gudrun Kendt" in response.content.decode()
    assert "Karen Jensen" not in response.content.decode()
    no_cpr_in_any_url_or_log(response, CPR)
    assert events(action=Action.SEARCH, user_id=known.caseworker.pk)
    assert events(action=Action.VIEW, citizen_id=known.known.pk)


def test_search_by_name(known, login):
    response = login(known.caseworker).post(reverse("citizens:list"), {"q": "gudrun"})
    assert response.context["citizens"] == [known.known]


def test_search_does_not_find_citizens_out_of_scope(known, login):
    outsider_cpr = known.outsider.reveal_cpr()
    client = login(known.caseworker)
    for query in (outsider_cpr, "Udenfor"):
        response = client.post(reverse("citizens:list"), {"q": query})
        assert response.status_code == 200
        assert response.context["citizens"] == []
        assert "Ole Udenfor" not in response.content.decode()


def test_search_with_an_impossible_cpr_finds_nothing(known, login):
    response = login(known.caseworker).post(reverse("citizens:list"), {"q": "310281-4321"})
    assert response.status_code == 200
    assert list(response.context["citizens"]) == []


def test_the_search_box_cannot_be_used_through_the_url(known, login):
    """Searching is a POST: a CPR number in the query string is ignored, never searched."""
    response = login(known.caseworker).get(reverse("citizens:list") + f"?q={CPR}")
    assert response.context["searched"] is False


# --- Create a named citizen --------------------------------------------------------------------

def test_create_named_citizen(world, login):
    client = login(world.caseworker)
    response = client.post(reverse("citizens:create"), named_data(world))
    citizen = Citizen.objects.get(last_name="Borger")
    assert response.status_code == 302
    assert response["Location"] == reverse("citizens:detail", args=[citizen.public_id])
    assert citizen.reveal_cpr() == "0305901234"
    assert citizen.cpr_index == crypto.blind_index("0305901234")
    assert (citizen.birth_year, citizen.sex) == (1990, "F")
    assert citizen.acting_municipality == world.muni and citizen.version == 1
    created = events(action=Action.CREATE, citizen_id=citizen.pk)
    assert len(created) == 1 and created[0].user_id == world.caseworker.pk
    no_cpr_in_any_url_or_log(response, "0305901234")


@pytest.mark.parametrize("cpr, message", [
    ("310290-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
    ("300290-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
    ("310490-1234", "CPR-nummeret indeholder ikke en gyldig fødselsdato."),
    ("12345", "Skriv CPR-nummeret som 10 cifre, fx 010180-1234."),
    ("abcdefghij", "Skriv CPR-nummeret som 10 cifre, fx 010180-1234."),
    ("", "Dette felt er påkrævet."),
])
def test_invalid_cpr_is_a_danish_form_error_and_nothing_is_saved(world, login, cpr, message):
    before = (Citizen.objects.count(), AuditEvent.objects.count())
    response = login(world.caseworker).post(reverse("citizens:create"), named_data(world, cpr=cpr))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Der er fejl i formularen. Intet er gemt." in response.content.decode()
    assert (Citizen.objects.count(), AuditEvent.objects.count()) == before


def test_duplicate_cpr_is_refused(known, login):
    before = Citizen.objects.count()
    response = login(known.caseworker).post(
        reverse("citizens:create"), named_data(known, cpr="120781-4321")
    )
    assert response.status_code == 200
    assert "Der findes allerede en borger med dette CPR-nummer." in response.content.decode()
    assert Citizen.objects.count() == before


def test_duplicate_cpr_in_another_municipality_is_refused_too(known, login):
    """Uniqueness is global, even where the caseworker cannot see the other citizen."""
    response = login(known.caseworker).post(
        reverse("citizens:create"), named_data(known, cpr=known.outsider.reveal_cpr())
    )
    assert response.status_code == 200
    assert "Der findes allerede en borger med dette CPR-nummer." in response.content.decode()


def test_unknown_or_foreign_municipality_is_refused(world, login):
    client = login(world.caseworker)
    before = Citizen.objects.count()
    for pk in (world.muni3.pk, 999999):
        response = client.post(reverse("citizens:create"),
                               named_data(world, acting_municipality=pk))
        assert "Ukendt kommune. Vælg en kommune fra listen." in response.content.decode()
    assert Citizen.objects.count() == before


def test_only_caseworkers_create(world, login):
    for user in (world.clinician, world.leader, world.coordinator, world.admin):
        client = login(user)
        assert client.get(reverse("citizens:create")).status_code == 404
        assert client.post(reverse("citizens:create"), named_data(world)).status_code == 404
    assert not Citizen.objects.filter(last_name="Borger").exists()


# --- Create an anonymous person ----------------------------------------------------------------

def test_create_anonymous_person(world, login):
    client = login(world.caseworker)
    form = client.get(reverse("citizens:create_anonymous")).content.decode()
    assert 'name="cpr"' not in form and 'name="first_name"' not in form
    response = client.post(reverse("citizens:create_anonymous"), {
        "pseudonym": "Falken", "birth_year": 1990, "sex": "M",
        "acting_municipality": world.muni.pk,
    })
    assert response.status_code == 302
    anon = Citizen.objects.get(pseudonym="Falken")
    assert anon.is_anonymous and anon.cpr_encrypted is None and anon.cpr_index is None
    assert (anon.first_name, anon.last_name, anon.address) == ("", "", "")
    assert events(action=Action.CREATE, citizen_id=anon.pk)


@pytest.mark.parametrize("pseudonym", ["010180-1234", "Kalle 0101801234", "Kalle 010180 1234",
                                       "010180"])
def test_cpr_like_pseudonym_is_refused(world, login, pseudonym):
    before = Citizen.objects.count()
    response = login(world.caseworker).post(reverse("citizens:create_anonymous"), {
        "pseudonym": pseudonym, "birth_year": 1990, "acting_municipality": world.muni.pk,
    })
    assert response.status_code == 200
    assert "Et anonymt forløb må ikke indeholde et CPR-nummer." in response.content.decode()
    assert Citizen.objects.count() == before


def test_anonymous_birth_year_must_be_plausible(world, login):
    response = login(world.caseworker).post(reverse("citizens:create_anonymous"), {
        "pseudonym": "Falken", "birth_year": 1800, "acting_municipality": world.muni.pk,
    })
    assert "Skriv et fødselsår mellem 1916 og 2026." in response.content.decode()
    assert not Citizen.objects.filter(pseudonym="Falken").exists()


# --- Edit with optimistic locking --------------------------------------------------------------

def edit_data(world, citizen, **changes):
    data = {
        "first_name": citizen.first_name, "last_name": citizen.last_name,
        "address": citizen.address, "postal_code": citizen.postal_code, "city": citizen.city,
        "residence_municipality": citizen.residence_municipality_id,
        "acting_municipality": citizen.acting_municipality_id, "cpr": "",
        "version": citizen.version,
    }
    data.update(changes)
    return data


def test_edit_saves_and_audits(known, login):
    client = login(known.caseworker)
    url = reverse("citizens:edit", args=[known.known.public_id])
    form = client.get(url)
    assert form.status_code == 200
    assert 'name="version"' in form.content.decode()
    response = client.post(url, edit_data(known, known.known, address="Ny vej 2"))
    assert response.status_code == 302
    known.known.refresh_from_db()
    assert known.known.address == "Ny vej 2" and known.known.version == 2
    assert known.known.reveal_cpr() == CPR  # blank CPR field keeps the number
    assert events(action=Action.UPDATE, citizen_id=known.known.pk)


def test_stale_edit_is_refused(known, login):
    client = login(known.caseworker)
    url = reverse("citizens:edit", args=[known.known.public_id])
    first = client.post(url, edit_data(known, known.known, address="Første vej 1"))
    assert first.status_code == 302
    # A second editor saves with the version they loaded before the first save.
    second = client.post(url, edit_data(known, known.known, address="Anden vej 2", version=1))
    assert second.status_code == 200
    assert "ændret af en anden" in second.content.decode()
    known.known.refresh_from_db()
    assert known.known.address == "Første vej 1" and known.known.version == 2
    assert len(events(action=Action.UPDATE, citizen_id=known.known.pk)) == 1


def test_edit_to_a_duplicate_cpr_is_refused(known, login):
    url = reverse("citizens:edit", args=[known.known.public_id])
    response = login(known.caseworker).post(
        url, edit_data(known, known.known, cpr=known.citizen.reveal_cpr())
    )
    assert response.status_code == 200
    assert "Der findes allerede en borger med dette CPR-nummer." in response.content.decode()
    known.known.refresh_from_db()
    assert known.known.reveal_cpr() == CPR and known.known.version == 1


def test_edit_correcting_the_cpr_reindexes(known, login):
    url = reverse("citizens:edit", args=[known.known.public_id])
    response = login(known.caseworker).post(url, edit_data(known, known.known, cpr="1307814321"))
    assert response.status_code == 302
    found = Citizen.objects.get(cpr_index=crypto.blind_index("1307814321"))
    assert found == known.known and found.reveal_cpr() == "1307814321"
    assert not Citizen.objects.filter(cpr_index=crypto.blind_index(CPR)).exists()


def test_clinician_cannot_edit(known, login):
    client = login(known.clinician)
    url = reverse("citizens:edit", args=[known.citizen.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, edit_data(known, known.citizen, address="x")).status_code == 404


# --- Reveal CPR and print ----------------------------------------------------------------------

def test_detail_shows_the_cpr_masked(known, login):
    text = login(known.caseworker).get(
        reverse("citizens:detail", args=[known.known.public_id])
    ).content.decode()
    assert "120781-****" in text
    assert CPR not in text and "120781-4321" not in text


def test_reveal_requires_a_purpose(known, login):
    client = login(known.caseworker)
    url = reverse("citizens:reveal_cpr", args=[known.known.public_id])
    response = client.post(url, {"purpose": ""})
    assert response.status_code == 400
    assert "120781-4321" not in response.content.decode()
    assert not events(action=Action.REVEAL_CPR)
    assert client.get(url).status_code == 405


def test_reveal_shows_the_number_and_audits_the_purpose(known, login):
    client = login(known.caseworker)
    url = reverse("citizens:reveal_cpr", args=[known.known.public_id])
    response = client.post(url, {"purpose": "Henvendelse til sygehus"})
    assert response.status_code == 200
    assert "120781-4321" in response.content.decode()
    [event] = events(action=Action.REVEAL_CPR)
    assert event.citizen_id == known.known.pk and event.purpose == "Henvendelse til sygehus"
    assert event.user_id == known.caseworker.pk and event.role == "caseworker"
    no_cpr_in_any_url_or_log(response, CPR)


def test_reveal_through_htmx_returns_the_fragment(known, login):
    client = login(known.clinician)
    url = reverse("citizens:reveal_cpr", args=[known.citizen.public_id])
    response = client.post(url, {"purpose": "Medicinordination"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    text = response.content.decode()
    assert "<html" not in text and 'id="cpr-box"' in text
    number = known.citizen.reveal_cpr()
    assert f"{number[:6]}-{number[6:]}" in text
    assert events(action=Action.REVEAL_CPR, user_id=known.clinician.pk, role="clinician")


def test_anonymous_person_has_no_cpr_to_reveal(world, login):
    anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    url = reverse("citizens:reveal_cpr", args=[anon.public_id])
    assert login(world.caseworker).post(url, {"purpose": "x"}).status_code == 404
    assert not events(action=Action.REVEAL_CPR)


def test_print_is_audited_as_print(known, login):
    before = AuditEvent.objects.count()
    response = login(known.caseworker).get(
        reverse("citizens:print", args=[known.known.public_id])
    )
    assert response.status_code == 200
    assert "Gudrun Kendt" in response.content.decode()
    new = events(pk__gt=0)[before:]
    assert [(e.action, e.citizen_id) for e in new] == [(Action.PRINT, known.known.pk)]


# --- Referrals ---------------------------------------------------------------------------------

def test_add_referral(known, login):
    client = login(known.caseworker)
    url = reverse("citizens:referral_add", args=[known.known.public_id])
    response = client.post(url, {"provider": known.provider2.pk, "referred_on": "2026-06-01"})
    assert response.status_code == 302
    referral = Referral.objects.get(citizen=known.known)
    assert (referral.provider, referral.referred_on) == (known.provider2, dt.date(2026, 6, 1))
    [event] = events(action=Action.CREATE, citizen_id=known.known.pk)
    assert (event.object_type, event.object_id) == ("citizens.Referral", str(referral.pk))


def test_referral_in_the_future_or_twice_is_refused(known, login):
    client = login(known.caseworker)
    url = reverse("citizens:referral_add", args=[known.citizen.public_id])
    future = client.post(url, {"provider": known.provider2.pk, "referred_on": "2026-07-01"},
                         follow=True)
    assert "Datoen ligger i fremtiden." in future.content.decode()
    twice = client.post(url, {"provider": known.provider.pk, "referred_on": "2026-06-01"},
                        follow=True)
    assert "Borgeren er allerede henvist til dette tilbud på den dato." in twice.content.decode()
    assert Referral.objects.filter(citizen=known.citizen).count() == 1


def test_end_referral(known, login):
    client = login(known.caseworker)
    url = reverse("citizens:referral_end", args=[known.citizen.public_id, known.referral.pk])
    before_start = client.post(url, {"ended_on": "2026-02-01"}, follow=True)
    assert "Slutdatoen ligger før henvisningens start." in before_start.content.decode()
    known.referral.refresh_from_db()
    assert known.referral.ended_on is None
    response = client.post(url, {"ended_on": "2026-06-15"})
    assert response.status_code == 302
    known.referral.refresh_from_db()
    assert known.referral.ended_on == dt.date(2026, 6, 15)
    assert events(action=Action.UPDATE, citizen_id=known.citizen.pk,
                  object_id=str(known.referral.pk))


def test_clinician_cannot_change_referrals(known, login):
    client = login(known.clinician)
    add = reverse("citizens:referral_add", args=[known.citizen.public_id])
    end = reverse("citizens:referral_end", args=[known.citizen.public_id, known.referral.pk])
    assert client.post(add, {"provider": known.provider.pk,
                             "referred_on": "2026-06-01"}).status_code == 404
    assert client.post(end, {"ended_on": "2026-06-15"}).status_code == 404
    known.referral.refresh_from_db()
    assert known.referral.ended_on is None


def test_clinician_loses_access_the_day_after_the_referral_ends(known, login):
    caseworker = login(known.caseworker, client=Client())
    clinician = login(known.clinician)
    detail = reverse("citizens:detail", args=[known.citizen.public_id])
    assert clinician.get(detail).status_code == 200
    end = reverse("citizens:referral_end", args=[known.citizen.public_id, known.referral.pk])
    assert caseworker.post(end, {"ended_on": "2026-06-15"}).status_code == 302
    assert clinician.get(detail).status_code == 200  # still on the last day
    with clock.frozen(dt.date(2026, 6, 16)):
        assert clinician.get(detail).status_code == 404
        assert clinician.get(reverse("citizens:print", args=[known.citizen.public_id])
                             ).status_code == 404
        assert known.citizen.pk not in [
            c.pk for c in clinician.get(reverse("citizens:list")).context["citizens"]
        ]
        assert caseworker.get(detail).status_code == 200
