"""Optimistic locking of shared records: providers, purchase agreements and users.

Two editors load the same form; the first saves; the second's save is refused with the
StaleRecord message, nothing of theirs is written and the first's values stay."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from forlob.accounts.models import Role, User
from forlob.audit.models import Action, AuditEvent
from forlob.locking import StaleRecord
from forlob.organisations.models import Provider, PurchaseAgreement

from .factories import ProviderFactory, PurchaseAgreementFactory, UserFactory, make_user

pytestmark = pytest.mark.django_db

STALE = str(StaleRecord.message)
assert STALE == "Sagen blev ændret af en anden, mens du redigerede. Genindlæs siden."


@pytest.fixture
def editors(world, login):
    """Two administrators of the same municipality, each in their own browser."""
    second = make_user(Role.ADMINISTRATOR, world.muni, "administrator2")
    return login(world.admin, client=Client()), login(second, client=Client())


def load(client, url):
    """Open the edit form; answer the hidden token it carries."""
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="hidden" name="loaded_version"' in html
    admin_form = page.context.get("adminform")  # the Django admin's change page
    form = admin_form.form if admin_form else page.context["form"]
    return form["loaded_version"].value()


def assert_refused(response):
    assert response.status_code == 200
    assert STALE in response.context["form"].non_field_errors()
    html = response.content.decode()
    assert STALE in html and "Intet er gemt" in html


def provider_data(provider, token, **changes):
    data = {
        "name": provider.name, "owner_municipality": provider.owner_municipality_id,
        "kinds": provider.kinds, "intensities": provider.intensities,
        "address": provider.address, "phone": provider.phone, "loaded_version": token,
    }
    data.update(changes)
    return data


def agreement_data(agreement, token, **changes):
    data = {
        "municipality": agreement.municipality_id, "provider": agreement.provider_id,
        "kinds": agreement.kinds, "valid_from": agreement.valid_from.isoformat(),
        "valid_to": "", "loaded_version": token,
    }
    data.update(changes)
    return data


def user_data(user, token, **changes):
    data = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
            "is_active": "on", "loaded_version": token}
    data.update(changes)
    return data


# --- Providers -------------------------------------------------------------------------------

@pytest.fixture
def provider(world):
    return ProviderFactory(name="Solrød Rusmiddelteam", owner_municipality=world.muni,
                           address="Gammel vej 1")


def test_provider_edit_saves_and_bumps_the_version(world, editors, provider):
    first, _ = editors
    url = reverse("organisations:provider_edit", args=[provider.pk])
    token = load(first, url)
    assert token == "1"
    response = first.post(url, provider_data(provider, token, address="Ny vej 2"))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.address == "Ny vej 2" and provider.version == 2
    # Reloading gives the new version, and saving again works.
    token = load(first, url)
    assert token == "2"
    assert first.post(url, provider_data(provider, token, phone="12 34 56 78")).status_code == 302
    provider.refresh_from_db()
    assert provider.phone == "12 34 56 78" and provider.version == 3


def test_second_provider_edit_is_refused(world, editors, provider):
    first, second = editors
    url = reverse("organisations:provider_edit", args=[provider.pk])
    first_token, second_token = load(first, url), load(second, url)
    assert first.post(url, provider_data(provider, first_token, name="Første navn",
                                         address="Første vej 1")).status_code == 302
    response = second.post(url, provider_data(provider, second_token, name="Andet navn",
                                              phone="99 99 99 99"))
    assert_refused(response)
    provider.refresh_from_db()
    assert (provider.name, provider.address, provider.phone, provider.version) == (
        "Første navn", "Første vej 1", "", 2)
    # Sending the same form again is still refused: the form keeps the old version.
    assert_refused(second.post(url, response.context["form"].data))
    provider.refresh_from_db()
    assert provider.name == "Første navn"


def test_provider_edit_without_a_loaded_version_is_refused(world, editors, provider):
    first, _ = editors
    url = reverse("organisations:provider_edit", args=[provider.pk])
    data = provider_data(provider, "", name="Uden version")
    del data["loaded_version"]
    assert_refused(first.post(url, data))
    provider.refresh_from_db()
    assert provider.name == "Solrød Rusmiddelteam" and provider.version == 1


def test_provider_create_still_works(world, editors):
    first, _ = editors
    response = first.post(reverse("organisations:provider_create"), {
        "name": "Nyt tilbud", "owner_municipality": world.muni.pk, "kinds": ["sel101"],
        "intensities": ["ambulant"],
    })
    assert response.status_code == 302
    assert Provider.objects.get(name="Nyt tilbud").version == 1


# --- Purchase agreements ---------------------------------------------------------------------

@pytest.fixture
def agreement(world):
    return PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                                    kinds=["sel101"], valid_from=dt.date(2025, 1, 1))


def test_agreement_edit_saves_and_bumps_the_version(world, editors, agreement):
    first, _ = editors
    url = reverse("organisations:agreement_edit", args=[agreement.pk])
    response = first.post(url, agreement_data(agreement, load(first, url),
                                              kinds=["sel101", "sul141"]))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.kinds == ["sel101", "sul141"] and agreement.version == 2


def test_second_agreement_edit_is_refused(world, editors, agreement):
    first, second = editors
    url = reverse("organisations:agreement_edit", args=[agreement.pk])
    first_token, second_token = load(first, url), load(second, url)
    assert first.post(url, agreement_data(agreement, first_token,
                                          kinds=["sel101", "sul141"])).status_code == 302
    assert_refused(second.post(url, agreement_data(agreement, second_token,
                                                   valid_to="2026-12-31")))
    agreement.refresh_from_db()
    assert agreement.kinds == ["sel101", "sul141"]
    assert agreement.valid_to is None and agreement.version == 2


def test_ending_an_agreement_bumps_the_version(world, editors, agreement):
    first, _ = editors
    url = reverse("organisations:agreement_end", args=[agreement.pk])
    response = first.post(url, {"valid_to": "2026-06-30", "loaded_version": load(first, url)})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.valid_to == dt.date(2026, 6, 30) and agreement.version == 2


def test_ending_an_agreement_changed_meanwhile_is_refused(world, editors, agreement):
    first, second = editors
    edit = reverse("organisations:agreement_edit", args=[agreement.pk])
    end = reverse("organisations:agreement_end", args=[agreement.pk])
    edit_token, end_token = load(first, edit), load(second, end)
    assert first.post(edit, agreement_data(agreement, edit_token,
                                           valid_to="2027-12-31")).status_code == 302
    response = second.post(end, {"valid_to": "2026-06-30", "loaded_version": end_token})
    assert_refused(response)
    # The page shows the agreement as stored, not the refused end date.
    assert response.context["agreement"].valid_to == dt.date(2027, 12, 31)
    agreement.refresh_from_db()
    assert agreement.valid_to == dt.date(2027, 12, 31) and agreement.version == 2


# --- Users (no version field: a keyed hash of the edited values) -----------------------------

@pytest.fixture
def target(world):
    return world.caseworker


def updates(user):
    return AuditEvent.objects.filter(action=Action.UPDATE, object_type="accounts.User",
                                     object_id=str(user.pk)).count()


def test_user_edit_saves_and_changes_the_token(world, editors, target):
    first, _ = editors
    url = reverse("accounts:user_detail", args=[target.pk])
    token = load(first, url)
    response = first.post(url, user_data(target, token, last_name="Holm"))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.last_name == "Holm" and updates(target) == 1
    new_token = load(first, url)
    assert new_token != token
    assert first.post(url, user_data(target, new_token, first_name="Karin")).status_code == 302
    target.refresh_from_db()
    assert (target.first_name, target.last_name) == ("Karin", "Holm")


def test_second_user_edit_is_refused(world, editors, target):
    first, second = editors
    url = reverse("accounts:user_detail", args=[target.pk])
    first_token, second_token = load(first, url), load(second, url)
    assert first.post(url, user_data(target, first_token, email="ny@solrod.dk")).status_code == 302
    assert_refused(second.post(url, user_data(target, second_token, first_name="Andet")))
    stored = User.objects.get(pk=target.pk)
    assert (stored.first_name, stored.email) == (target.first_name, "ny@solrod.dk")
    assert updates(target) == 1  # the refused save left no audit event either


def test_user_edit_after_a_deactivation_is_refused(world, editors, target):
    first, second = editors
    url = reverse("accounts:user_detail", args=[target.pk])
    token = load(second, url)
    assert first.post(reverse("accounts:user_deactivate", args=[target.pk])).status_code == 302
    assert_refused(second.post(url, user_data(target, token, last_name="Andet")))
    target.refresh_from_db()
    assert not target.is_active and target.last_name != "Andet"


def test_user_edit_writes_only_the_edited_fields(world, editors, target):
    first, _ = editors
    url = reverse("accounts:user_detail", args=[target.pk])
    token = load(first, url)
    # A change outside the form (a new password) is no conflict, and is not overwritten.
    User.objects.filter(pk=target.pk).update(password="!changed-meanwhile")
    assert first.post(url, user_data(target, token, last_name="Holm")).status_code == 302
    stored = User.objects.get(pk=target.pk)
    assert stored.last_name == "Holm" and stored.password == "!changed-meanwhile"


def test_user_edit_with_a_forged_token_is_refused(world, editors, target):
    first, _ = editors
    url = reverse("accounts:user_detail", args=[target.pk])
    load(first, url)
    assert_refused(first.post(url, user_data(target, "0" * 64, last_name="Holm")))
    target.refresh_from_db()
    assert target.last_name != "Holm"


# --- The Django admin saves the same way -----------------------------------------------------

@pytest.fixture
def superuser_client(world, login):
    return login(UserFactory(username="drift", is_staff=True, is_superuser=True),
                 client=Client())


def admin_provider_data(provider, token, **changes):
    return provider_data(provider, token, approved_by_socialtilsynet="on", **changes)


def test_django_admin_change_bumps_the_version(world, superuser_client, provider):
    url = reverse("admin:organisations_provider_change", args=[provider.pk])
    token = load(superuser_client, url)
    response = superuser_client.post(url, admin_provider_data(provider, token, phone="11"))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert provider.phone == "11" and provider.version == 2


def test_stale_django_admin_change_is_refused(world, superuser_client, editors, provider):
    first, _ = editors
    admin_url = reverse("admin:organisations_provider_change", args=[provider.pk])
    view_url = reverse("organisations:provider_edit", args=[provider.pk])
    admin_token, view_token = load(superuser_client, admin_url), load(first, view_url)
    assert first.post(view_url, provider_data(provider, view_token,
                                              phone="22")).status_code == 302
    response = superuser_client.post(admin_url, admin_provider_data(provider, admin_token,
                                                                    address="Admin vej"))
    assert response.status_code == 302 and response.url == admin_url
    assert STALE in superuser_client.get(admin_url).content.decode()
    provider.refresh_from_db()
    assert (provider.phone, provider.address, provider.version) == ("22", "Gammel vej 1", 2)


def test_django_admin_change_makes_a_loaded_view_form_stale(world, superuser_client, editors,
                                                             agreement):
    first, _ = editors
    view_url = reverse("organisations:agreement_edit", args=[agreement.pk])
    admin_url = reverse("admin:organisations_purchaseagreement_change", args=[agreement.pk])
    view_token, admin_token = load(first, view_url), load(superuser_client, admin_url)
    assert superuser_client.post(admin_url, agreement_data(
        agreement, admin_token, valid_to="2026-09-30")).status_code == 302
    assert_refused(first.post(view_url, agreement_data(agreement, view_token,
                                                       kinds=["sel101", "sul141"])))
    agreement = PurchaseAgreement.objects.get(pk=agreement.pk)
    assert agreement.kinds == ["sel101"] and agreement.valid_to == dt.date(2026, 9, 30)
    assert agreement.version == 2


@pytest.mark.django_db
def test_out_of_range_version_is_stale_not_a_database_error(world):
    """A client-sent version beyond the column (PostgreSQL integer) is refused as stale."""
    from forlob.locking import MAX_VERSION, StaleRecord, save_versioned

    for bad in (MAX_VERSION, MAX_VERSION + 1, 2**70, 0, -1):
        with pytest.raises(StaleRecord):
            save_versioned(world.provider, bad, ["name"])
    world.provider.refresh_from_db()
    assert world.provider.version == 1
