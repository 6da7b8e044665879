"""Organisation pages: the overview for every role, and the administrator's provider and
purchase-agreement forms (scoped by the access Scope; out of scope answers 404)."""

import datetime as dt

import pytest
from django.contrib import admin
from django.urls import reverse

from forlob.audit.models import AuditEvent
from forlob.citizens.models import Citizen, Referral
from forlob.organisations.models import Provider, PurchaseAgreement, TreatmentKind

from .factories import ProviderFactory, PurchaseAgreementFactory, make_user

pytestmark = pytest.mark.django_db

OVERVIEW = reverse("organisations:overview")


def _users(world):
    return [world.caseworker, world.clinician, world.leader, world.coordinator,
            world.region_coordinator, world.admin]


def provider_data(world, **overrides):
    data = {
        "name": "Solrød Rusmiddelteam",
        "owner_municipality": world.muni.pk,
        "kinds": [TreatmentKind.MEDICAL_DRUG, TreatmentKind.SOCIAL_DRUG],
        "intensities": ["ambulant"],
        "approved_by_socialtilsynet": "on",
        "address": "Solrød Center 1",
        "phone": "56 18 20 00",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def agreement_data(world, provider_obj, **overrides):
    data = {
        "municipality": world.muni.pk,
        "provider": provider_obj.pk,
        "kinds": [TreatmentKind.SOCIAL_DRUG],
        "valid_from": "2026-01-01",
        "valid_to": "",
    }
    data.update(overrides)
    return data


# --- Overview --------------------------------------------------------------------------------

def test_overview_renders_for_every_role(world, login):
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                             kinds=[TreatmentKind.SOCIAL_DRUG])
    for user in _users(world):
        response = login(user).get(OVERVIEW)
        assert response.status_code == 200, user.username
        html = response.content.decode()
        for text in ("Region Sjælland", "Klynge Øst", "Solrød", "269", "Faxe",
                     "Misbrugscenter Øst", "Privat Alkoholklinik", "privat"):
            assert text in html, (user.username, text)
        assert "Social stofmisbrugsbehandling (SEL § 101)" in html
        # No personal data on this page, for anyone:
        assert "Karen" not in html and "Jensen" not in html


def test_overview_requires_login(client, world):
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_overview_empty_states(db, login):
    from forlob.accounts.models import Role

    from .factories import RegionFactory
    lonely = make_user(Role.COORDINATOR, RegionFactory(name="Tom region"), "ensom")
    html = login(lonely).get(OVERVIEW).content.decode()
    assert "Regionen har ingen klynger endnu." in html
    assert "Der er ikke oprettet nogen behandlingstilbud endnu." in html
    assert "Ingen købsaftaler er i kraft i dag." in html


def test_overview_agreement_filter_and_sorting(world, login):
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                             valid_from=dt.date(2024, 1, 1))
    PurchaseAgreementFactory(municipality=world.muni3, provider=world.provider,
                             valid_from=dt.date(2023, 1, 1), valid_to=dt.date(2025, 12, 31))
    client = login(world.leader)
    in_force = client.get(OVERVIEW).context["agreements"]
    assert [a.municipality.name for a in in_force] == ["Solrød"]
    everything = client.get(OVERVIEW, {"vis": "alle"}).context["agreements"]
    assert [a.municipality.name for a in everything] == ["Faxe", "Solrød"]
    newest_first = client.get(OVERVIEW, {"vis": "alle", "aftaler": "-periode"})
    assert [a.valid_from.year for a in newest_first.context["agreements"]] == [2024, 2023]
    assert 'aria-sort="descending"' in newest_first.content.decode()
    names = [p.name for p in client.get(OVERVIEW, {"tilbud": "-navn"}).context["providers"]]
    assert names == sorted(names, reverse=True)
    # Unknown parameters fall back to the defaults rather than failing.
    assert client.get(OVERVIEW, {"tilbud": "x", "aftaler": "y", "vis": "z"}).status_code == 200


def test_admin_sees_edit_links_only_for_own_organisations(world, login):
    own = ProviderFactory(name="Solrød Rusmiddelteam", owner_municipality=world.muni)
    mine = PurchaseAgreementFactory(municipality=world.muni, provider=world.provider)
    theirs = PurchaseAgreementFactory(municipality=world.muni2, provider=world.provider)
    html = login(world.admin).get(OVERVIEW).content.decode()
    assert reverse("organisations:provider_create") in html
    assert reverse("organisations:provider_edit", args=[own.pk]) in html
    assert reverse("organisations:provider_edit", args=[world.provider.pk]) not in html
    assert reverse("organisations:agreement_edit", args=[mine.pk]) in html
    assert reverse("organisations:agreement_edit", args=[theirs.pk]) not in html
    leader_html = login(world.leader).get(OVERVIEW).content.decode()
    assert reverse("organisations:provider_create") not in leader_html


# --- Who may change what -----------------------------------------------------------------

def test_change_pages_answer_404_for_every_other_role(world, login):
    agreement = PurchaseAgreementFactory(municipality=world.muni, provider=world.provider)
    own = ProviderFactory(owner_municipality=world.muni)
    urls = [
        reverse("organisations:provider_create"),
        reverse("organisations:provider_edit", args=[own.pk]),
        reverse("organisations:agreement_create"),
        reverse("organisations:agreement_edit", args=[agreement.pk]),
        reverse("organisations:agreement_end", args=[agreement.pk]),
    ]
    for user in _users(world):
        if user == world.admin:
            continue
        client = login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user.username, url)
            assert client.post(url, {"name": "x"}).status_code == 404, (user.username, url)
    for url in urls:
        assert login(world.admin).get(url).status_code == 200, url


def test_other_municipalitys_provider_answers_404(world, login):
    client = login(world.admin)
    for provider in (world.provider, world.provider2):  # Køge's and a private provider
        url = reverse("organisations:provider_edit", args=[provider.pk])
        assert client.get(url).status_code == 404
        response = client.post(url, provider_data(world, name="Kapret"))
        assert response.status_code == 404
        provider.refresh_from_db()
        assert provider.name != "Kapret"
    assert client.get(reverse("organisations:provider_edit", args=[99999])).status_code == 404


def test_other_municipalitys_agreement_answers_404(world, login):
    theirs = PurchaseAgreementFactory(municipality=world.muni2, provider=world.provider)
    client = login(world.admin)
    for name in ("agreement_edit", "agreement_end"):
        url = reverse(f"organisations:{name}", args=[theirs.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"valid_to": "2026-06-30"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.valid_to is None


# --- Providers ---------------------------------------------------------------------------

def test_admin_creates_provider(world, login):
    response = login(world.admin).post(reverse("organisations:provider_create"),
                                       provider_data(world))
    assert response.status_code == 302
    provider = Provider.objects.get(name="Solrød Rusmiddelteam")
    assert provider.owner_municipality == world.muni
    assert provider.kinds == ["sel101", "sul142"]  # stored in canonical order
    assert provider.intensities == ["ambulant"]
    assert provider.approved_by_socialtilsynet and not provider.listed_on_tilbudsportalen


def test_provider_without_kind_is_a_form_error_and_nothing_is_saved(world, login):
    before = Provider.objects.count()
    response = login(world.admin).post(reverse("organisations:provider_create"),
                                       provider_data(world, kinds=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vælg mindst én behandlingsform, som tilbuddet tilbyder." in html
    assert "Der er fejl i formularen. Intet er gemt." in html
    assert '<a href="#id_kinds">' in html  # the error summary links to the checkbox group
    assert '<fieldset id="id_kinds"' in html
    assert response.context["form"].errors["kinds"]
    assert Provider.objects.count() == before


def test_provider_form_errors_in_danish(world, login):
    client = login(world.admin)
    url = reverse("organisations:provider_create")
    before = Provider.objects.count()
    cases = [
        (provider_data(world, intensities=None), "intensities",
         "Vælg mindst én intensitet, som tilbuddet tilbyder."),
        (provider_data(world, name="Misbrugscenter Øst"), "name",
         "Der findes allerede et behandlingstilbud med det navn."),
        (provider_data(world, owner_municipality=world.muni2.pk), "owner_municipality",
         "Ukendt kommune. Vælg en kommune fra listen."),
        (provider_data(world, owner_municipality=""), "owner_municipality", "Vælg en kommune."),
        (provider_data(world, kinds=["sel999"]), "kinds", "Ukendt behandlingsform."),
    ]
    for data, field, message in cases:
        response = client.post(url, data)
        assert response.status_code == 200, field
        assert message in response.context["form"].errors[field], (field, response.context[
            "form"].errors)
    assert Provider.objects.count() == before


def test_admin_edits_own_provider(world, login):
    own = ProviderFactory(name="Solrød Rusmiddelteam", owner_municipality=world.muni)
    url = reverse("organisations:provider_edit", args=[own.pk])
    response = login(world.admin).post(url, provider_data(
        world, kinds=[TreatmentKind.YOUTH], intensities=["dag", "ambulant"], loaded_version=1))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.kinds == ["youth"]
    assert own.intensities == ["ambulant", "dag"]


def test_provider_cannot_drop_a_kind_an_agreement_still_buys(world, login):
    own = ProviderFactory(owner_municipality=world.muni, kinds=["sel101", "sul141"])
    PurchaseAgreementFactory(municipality=world.muni2, provider=own, kinds=["sul141"])
    PurchaseAgreementFactory(municipality=world.muni3, provider=own, kinds=["sel101"],
                             valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2021, 1, 1))
    url = reverse("organisations:provider_edit", args=[own.pk])
    response = login(world.admin).post(url, provider_data(world, name=own.name,
                                                          kinds=["sel101"], loaded_version=1))
    assert response.status_code == 200
    assert "Alkoholbehandling (SUL § 141)" in response.context["form"].errors["kinds"][0]
    own.refresh_from_db()
    assert own.kinds == ["sel101", "sul141"]
    # Dropping a kind that only an ended agreement bought is fine.
    response = login(world.admin).post(url, provider_data(world, name=own.name,
                                                          kinds=["sul141"], loaded_version=1))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.kinds == ["sul141"]


# --- Purchase agreements ---------------------------------------------------------------------

def test_admin_creates_agreement(world, login):
    response = login(world.admin).post(
        reverse("organisations:agreement_create"),
        agreement_data(world, world.provider, kinds=["sul141", "sel101"]))
    assert response.status_code == 302
    agreement = PurchaseAgreement.objects.get()
    assert agreement.municipality == world.muni
    assert agreement.kinds == ["sel101", "sul141"]
    assert agreement.valid_from == dt.date(2026, 1, 1) and agreement.valid_to is None


@pytest.mark.parametrize("overrides, field, message", [
    ({"valid_to": "2025-12-31"}, "valid_to", "Slutdatoen ligger før startdatoen."),
    ({"kinds": ["sul142"]}, "kinds", "Tilbuddet tilbyder ikke alle de valgte behandlingsformer."),
    ({"kinds": []}, "kinds", "Vælg mindst én behandlingsform, som aftalen omfatter."),
    ({"valid_from": "31-02-2026"}, "valid_from", "Skriv en gyldig dato."),
    ({"valid_from": ""}, "valid_from", "Skriv aftalens startdato."),
    ({"provider": "99999"}, "provider", "Ukendt behandlingstilbud. Vælg et tilbud fra listen."),
])
def test_agreement_validation(world, login, overrides, field, message):
    response = login(world.admin).post(reverse("organisations:agreement_create"),
                                       agreement_data(world, world.provider, **overrides))
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert "Der er fejl i formularen. Intet er gemt." in response.content.decode()
    assert not PurchaseAgreement.objects.exists()


def test_agreement_buyer_must_be_the_admins_municipality(world, login):
    response = login(world.admin).post(
        reverse("organisations:agreement_create"),
        agreement_data(world, world.provider, municipality=world.muni2.pk))
    assert response.status_code == 200
    assert "municipality" in response.context["form"].errors
    assert not PurchaseAgreement.objects.exists()


def test_overlapping_agreement_for_the_same_kind_is_refused(world, login):
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                             kinds=["sel101"], valid_from=dt.date(2025, 1, 1))
    client = login(world.admin)
    url = reverse("organisations:agreement_create")
    response = client.post(url, agreement_data(world, world.provider))
    assert response.status_code == 200
    assert "allerede en aftale" in response.context["form"].errors["kinds"][0]
    # Another kind from the same provider in the same period is a separate agreement:
    assert client.post(url, agreement_data(world, world.provider,
                                           kinds=["sul141"])).status_code == 302
    assert PurchaseAgreement.objects.count() == 2


def test_admin_edits_and_ends_agreement(world, login):
    agreement = PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                                         kinds=["sel101"], valid_from=dt.date(2025, 1, 1))
    client = login(world.admin)
    edit = reverse("organisations:agreement_edit", args=[agreement.pk])
    response = client.post(edit, agreement_data(world, world.provider, kinds=["sel101", "sul141"],
                                                valid_from="2025-01-01", loaded_version=1))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.kinds == ["sel101", "sul141"]

    end = reverse("organisations:agreement_end", args=[agreement.pk])
    response = client.post(end, {"valid_to": "2024-12-31", "loaded_version": 2})
    assert response.status_code == 200
    assert "Slutdatoen ligger før aftalens startdato" in response.context["form"].errors[
        "valid_to"][0]
    agreement.refresh_from_db()
    assert agreement.valid_to is None

    response = client.post(end, {"valid_to": "2026-06-30", "loaded_version": 2})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.valid_to == dt.date(2026, 6, 30)
    assert PurchaseAgreement.objects.in_force(dt.date(2026, 7, 1)).count() == 0


def test_forms_render_accessible_checkbox_groups(world, login):
    html = login(world.admin).get(reverse("organisations:provider_create")).content.decode()
    assert '<fieldset id="id_kinds"' in html
    assert '<legend class="form-label">Behandlingsformer</legend>' in html
    assert 'class="form-checkbox" name="kinds" id="id_kinds_0" value="sel101"' in html
    assert html.count("<h1") == 1
    assert "style=" not in html and "<script>" not in html


# --- Django admin ----------------------------------------------------------------------------

def test_django_admin_registers_organisations_and_users_but_no_personal_data():
    from forlob.accounts.models import User
    from forlob.organisations.models import Cluster, Municipality, Region

    registry = admin.site._registry
    for model in (Region, Cluster, Municipality, Provider, PurchaseAgreement, User):
        assert model in registry, model
    for model in (Citizen, Referral, AuditEvent):
        assert model not in registry, model


def test_django_admin_pages_render_for_a_superuser(world, login):
    from .factories import UserFactory

    superuser = UserFactory(username="drift", is_staff=True, is_superuser=True)
    client = login(superuser)
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider)
    for name in ("region", "cluster", "municipality", "provider", "purchaseagreement"):
        for view in ("changelist", "add"):
            url = reverse(f"admin:organisations_{name}_{view}")
            assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 200
    response = client.get(reverse("admin:accounts_user_change", args=[world.caseworker.pk]))
    assert response.status_code == 200
    assert "memberships-TOTAL_FORMS" in response.content.decode()
    # A provider without kinds is refused in the admin as well.
    response = client.post(reverse("admin:organisations_provider_add"), {
        "name": "Uden former", "owner_municipality": world.muni.pk, "intensities": ["ambulant"],
    })
    assert response.status_code == 200
    assert not Provider.objects.filter(name="Uden former").exists()
    assert "Vælg mindst én behandlingsform" in response.content.decode()
