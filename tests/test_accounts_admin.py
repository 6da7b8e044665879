"""User administration by a municipality's administrator (issue 2, roles; "Bad input")."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from forlob.accounts import forms_admin
from forlob.accounts.forms_admin import UserCreateForm
from forlob.accounts.models import Membership, Role, User
from forlob.audit.models import Action, AuditEvent

from .factories import ProviderFactory, UserFactory, make_user

STRONG = "Lang-Sikker-Adgangskode-2026"


@pytest.fixture
def org(world):
    """The admin (Solrød) also owns a provider; Køge owns world.provider."""
    world.own_provider = ProviderFactory(name="Solrød Misbrugscenter",
                                         owner_municipality=world.muni)
    world.own_clinician = make_user(Role.CLINICIAN, world.own_provider, "solroed-behandler")
    world.koege_caseworker = make_user(Role.CASEWORKER, world.muni2, "koege-sagsbehandler")
    return world


@pytest.fixture
def admin_client(org, login):
    return login(org.admin)


def _create_data(org, **overrides):
    data = {
        "username": "ny.medarbejder", "first_name": "Nina", "last_name": "Nielsen",
        "email": "nina@solrod.dk", "password1": STRONG, "password2": STRONG,
        "memberships": [f"caseworker:m-{org.muni.pk}"],
    }
    data.update(overrides)
    return data


def _urls(user, membership):
    return [
        reverse("accounts:user_list"),
        reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[user.pk]),
        reverse("accounts:user_deactivate", args=[user.pk]),
        reverse("accounts:membership_add", args=[user.pk]),
        reverse("accounts:membership_remove", args=[user.pk, membership.pk]),
    ]


# --- Who may reach the pages ------------------------------------------------------------


@pytest.mark.parametrize("role", ["caseworker", "clinician", "leader", "coordinator",
                                  "region_coordinator"])
def test_non_admins_get_404_everywhere(org, login, role):
    client = login(getattr(org, role))
    target = org.caseworker
    for url in _urls(target, target.memberships.first()):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url
    assert target.memberships.count() == 1 and User.objects.get(pk=target.pk).is_active


def test_anonymous_is_sent_to_login(org, client):
    response = client.get(reverse("accounts:user_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["clinician", "koege_caseworker", "coordinator",
                                 "region_coordinator"])
def test_out_of_scope_user_answers_404(org, admin_client, who):
    """Users without a membership in Solrød or a provider Solrød owns are not the admin's."""
    target = getattr(org, who)
    for url in _urls(target, target.memberships.first())[2:]:  # the pages about one user
        assert admin_client.get(url).status_code == 404, url
        assert admin_client.post(url, {"first_name": "X", "last_name": "Y",
                                       "email": "x@y.dk", "is_active": ""}).status_code == 404
    target.refresh_from_db()
    assert target.is_active and target.first_name != "X"
    assert target.memberships.count() == 1


def test_superuser_is_never_managed_by_a_municipality(org, admin_client):
    root = make_user(Role.CASEWORKER, org.muni, "driftsansvarlig")
    User.objects.filter(pk=root.pk).update(is_superuser=True, is_staff=True)
    assert admin_client.get(reverse("accounts:user_detail", args=[root.pk])).status_code == 404
    assert "driftsansvarlig" not in admin_client.get(reverse("accounts:user_list")).content.decode()


def test_membership_of_another_municipality_answers_404(org, admin_client):
    """The caseworker also works in Køge: Solrød's admin cannot remove that role."""
    koege = Membership.objects.create(user=org.caseworker, role=Role.CASEWORKER,
                                      municipality=org.muni2)
    url = reverse("accounts:membership_remove", args=[org.caseworker.pk, koege.pk])
    assert admin_client.get(url).status_code == 404
    assert admin_client.post(url).status_code == 404
    assert Membership.objects.filter(pk=koege.pk).exists()


# --- The list ---------------------------------------------------------------------------


def test_list_shows_only_the_municipalitys_users(org, admin_client):
    response = admin_client.get(reverse("accounts:user_list"))
    assert response.status_code == 200
    shown = {u.username for u in response.context["users"]}
    assert shown == {"sagsbehandler", "leder", "administrator", "solroed-behandler"}
    body = response.content.decode()
    assert "koege-sagsbehandler" not in body and ">behandler<" not in body


def test_list_search_and_sort(org, admin_client):
    url = reverse("accounts:user_list")
    response = admin_client.get(url, {"q": "solroed"})
    assert [u.username for u in response.context["users"]] == ["solroed-behandler"]
    response = admin_client.get(url, {"q": "ingen-saadan-bruger"})
    assert list(response.context["users"]) == []
    assert "Ingen brugere matcher søgningen" in response.content.decode()
    names = [u.username for u in admin_client.get(url, {"sort": "brugernavn"}).context["users"]]
    assert names == sorted(names)
    names_desc = [u.username for u in admin_client.get(url, {"sort": "-brugernavn"})
                  .context["users"]]
    assert names_desc == sorted(names, reverse=True)
    # An unknown sort key falls back to the default instead of failing:
    assert admin_client.get(url, {"sort": "password"}).status_code == 200


def test_list_paginates(org, admin_client):
    for i in range(30):
        make_user(Role.CASEWORKER, org.muni, f"ekstra{i:02d}")
    url = reverse("accounts:user_list")
    first = admin_client.get(url, {"sort": "brugernavn"})
    assert len(first.context["users"]) == 25
    assert first.context["page"].paginator.count == 34
    second = admin_client.get(url, {"sort": "brugernavn", "side": 2})
    assert len(second.context["users"]) == 9
    assert not {u.pk for u in first.context["users"]} & {u.pk for u in second.context["users"]}
    assert "side=2" in first.content.decode()


# --- Creating users ---------------------------------------------------------------------


def test_create_user_with_memberships(org, admin_client):
    data = _create_data(org, memberships=[f"caseworker:m-{org.muni.pk}",
                                          f"clinician:p-{org.own_provider.pk}"])
    response = admin_client.post(reverse("accounts:user_create"), data)
    user = User.objects.get(username="ny.medarbejder")
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[user.pk])
    assert user.check_password(STRONG) and user.is_active
    assert (user.first_name, user.last_name, user.email) == ("Nina", "Nielsen", "nina@solrod.dk")
    assert set(user.memberships.values_list("role", "municipality_id", "provider_id")) == {
        (Role.CASEWORKER, org.muni.pk, None), (Role.CLINICIAN, None, org.own_provider.pk),
    }
    event = AuditEvent.objects.get(object_type="accounts.User", object_id=str(user.pk))
    assert event.action == Action.CREATE and event.username == "administrator"
    assert event.actor_municipality_id == org.muni.pk
    # The new user can log in with the initial password:
    assert admin_client.get(reverse("accounts:user_detail", args=[user.pk])).status_code == 200


def test_duplicate_username_is_a_danish_form_error(org, admin_client):
    before = User.objects.count()
    response = admin_client.post(reverse("accounts:user_create"),
                                 _create_data(org, username="Sagsbehandler"))
    assert response.status_code == 200
    assert "Brugernavnet er optaget" in response.content.decode()
    assert "Brugernavnet er optaget" in str(response.context["form"].errors["username"])
    assert User.objects.count() == before


def test_bad_email_is_a_danish_form_error(org, admin_client):
    before = User.objects.count()
    response = admin_client.post(reverse("accounts:user_create"),
                                 _create_data(org, email="nina(at)solrod"))
    assert response.status_code == 200
    assert "Skriv en gyldig e-mailadresse" in response.content.decode()
    assert User.objects.count() == before
    assert not Membership.objects.filter(user__username="ny.medarbejder").exists()


@pytest.mark.parametrize("password", ["kort1", "123456789012345", "password1234",
                                      "ny.medarbejder1"])
def test_weak_password_is_refused(org, admin_client, password):
    response = admin_client.post(reverse("accounts:user_create"),
                                 _create_data(org, password1=password, password2=password))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "password1" in errors and errors["password1"]
    assert not User.objects.filter(username="ny.medarbejder").exists()
    assert password not in response.content.decode()  # never echoed back


def test_password_validators_speak_danish(org, admin_client):
    response = admin_client.post(reverse("accounts:user_create"),
                                 _create_data(org, password1="kort1", password2="kort1"))
    assert "for kort" in str(response.context["form"].errors["password1"])


def test_password_mismatch(org, admin_client):
    response = admin_client.post(reverse("accounts:user_create"),
                                 _create_data(org, password2=STRONG + "x"))
    assert "De to adgangskoder er ikke ens" in response.content.decode()
    assert not User.objects.filter(username="ny.medarbejder").exists()


def test_user_without_role_is_refused(org, admin_client):
    response = admin_client.post(reverse("accounts:user_create"),
                                 _create_data(org, memberships=[]))
    assert "Vælg mindst én rolle" in response.content.decode()
    assert not User.objects.filter(username="ny.medarbejder").exists()


@pytest.mark.parametrize("value", [
    "caseworker:m-{muni2}",       # another municipality
    "clinician:p-{provider}",     # a provider Køge owns
    "clinician:p-{provider2}",    # a private provider
    "clinician:m-{muni}",         # clinician in a municipality
    "coordinator:m-{muni}",       # a role administrators cannot give
    "administrator:m-999999",     # an organisation that does not exist
])
def test_membership_outside_the_municipality_saves_nothing(org, admin_client, value):
    value = value.format(muni=org.muni.pk, muni2=org.muni2.pk, provider=org.provider.pk,
                         provider2=org.provider2.pk)
    data = _create_data(org, memberships=[f"caseworker:m-{org.muni.pk}", value])
    response = admin_client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert "Du kan kun give roller i din egen kommune" in response.content.decode()
    assert not User.objects.filter(username="ny.medarbejder").exists()
    assert not Membership.objects.filter(user__username="ny.medarbejder").exists()


def test_nothing_half_saved_when_a_membership_fails_while_saving(org, admin_client,
                                                                monkeypatch):
    """The user is saved before the memberships; a failing membership rolls it all back."""
    real = forms_admin.check_grantable

    def refuse_clinicians(admin, role, organisation):
        if role == Role.CLINICIAN:
            raise ValidationError("Rollen kan ikke gives nu.")
        return real(admin, role, organisation)

    monkeypatch.setattr(forms_admin, "check_grantable", refuse_clinicians)
    data = _create_data(org, memberships=[f"caseworker:m-{org.muni.pk}",
                                          f"clinician:p-{org.own_provider.pk}"])
    audit_before = AuditEvent.objects.count()
    response = admin_client.post(reverse("accounts:user_create"), data)
    assert response.status_code == 200
    assert "Rollen kan ikke gives nu." in response.content.decode()
    assert not User.objects.filter(username="ny.medarbejder").exists()
    assert not Membership.objects.filter(user__username="ny.medarbejder").exists()
    assert AuditEvent.objects.count() == audit_before


def test_provider_changing_owner_between_form_and_save_rolls_back(org):
    """check_grantable reads the database again inside the transaction."""
    data = _create_data(org, memberships=[f"clinician:p-{org.own_provider.pk}"])
    form = UserCreateForm(data, admin=User.objects.get(pk=org.admin.pk))
    assert form.is_valid(), form.errors
    org.own_provider.owner_municipality = org.muni2
    org.own_provider.save()
    with pytest.raises(ValidationError):
        form.save()
    assert not User.objects.filter(username="ny.medarbejder").exists()


# --- Editing, deactivating --------------------------------------------------------------

def loaded_version(page):
    """The hidden optimistic-locking token of the edit form on `page`."""
    return page.context["form"]["loaded_version"].value()


def test_edit_names_email_and_active_flag(org, admin_client):
    url = reverse("accounts:user_detail", args=[org.caseworker.pk])
    page = admin_client.get(url)
    assert page.status_code == 200 and "Sagsbehandler" in page.content.decode()
    response = admin_client.post(url, {"first_name": "Karin", "last_name": "Holm",
                                       "email": "karin@solrod.dk",
                                       "loaded_version": loaded_version(page)})
    assert response.status_code == 302
    org.caseworker.refresh_from_db()
    assert (org.caseworker.first_name, org.caseworker.last_name, org.caseworker.email) == (
        "Karin", "Holm", "karin@solrod.dk")
    assert not org.caseworker.is_active  # the unticked checkbox deactivates
    response = admin_client.post(url, {"first_name": "Karin", "last_name": "Holm",
                                       "email": "karin@solrod.dk", "is_active": "on",
                                       "loaded_version": loaded_version(admin_client.get(url))})
    org.caseworker.refresh_from_db()
    assert org.caseworker.is_active
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(org.caseworker.pk),
                                     object_type="accounts.User").count() == 2


def test_edit_with_bad_email_saves_nothing(org, admin_client):
    url = reverse("accounts:user_detail", args=[org.caseworker.pk])
    response = admin_client.post(url, {"first_name": "Ændret", "last_name": "Navn",
                                       "email": "ikke-en-adresse", "is_active": "on"})
    assert response.status_code == 200
    assert "Skriv en gyldig e-mailadresse" in response.content.decode()
    org.caseworker.refresh_from_db()
    assert org.caseworker.first_name == "Test"


def test_admin_cannot_deactivate_themselves(org, admin_client):
    url = reverse("accounts:user_detail", args=[org.admin.pk])
    response = admin_client.post(url, {"first_name": "A", "last_name": "B",
                                       "email": "a@b.dk"})
    assert "Du kan ikke deaktivere dig selv" in response.content.decode()
    response = admin_client.post(reverse("accounts:user_deactivate", args=[org.admin.pk]))
    assert response.status_code == 422
    org.admin.refresh_from_db()
    assert org.admin.is_active


def test_deactivate_user_ends_their_access(org, admin_client, login):
    from django.test import Client

    victim_client = login(org.leader, client=Client())
    assert victim_client.get(reverse("portal:home")).status_code == 200
    url = reverse("accounts:user_deactivate", args=[org.leader.pk])
    assert admin_client.get(url).status_code == 200  # a confirmation page first
    org.leader.refresh_from_db()
    assert org.leader.is_active
    response = admin_client.post(url)
    assert response.status_code == 302
    org.leader.refresh_from_db()
    assert not org.leader.is_active
    assert org.leader.memberships.count() == 1  # kept, so the user can be reactivated
    assert victim_client.get(reverse("portal:home")).status_code == 302
    assert AuditEvent.objects.filter(object_id=str(org.leader.pk),
                                     purpose__contains="deaktiveret").exists()


# --- Memberships ------------------------------------------------------------------------


def _add(client, user, role, key):
    return client.post(reverse("accounts:membership_add", args=[user.pk]),
                       {"role": role, "organisation": key})


def test_add_memberships_in_own_organisations(org, admin_client):
    assert admin_client.get(reverse("accounts:membership_add",
                                    args=[org.leader.pk])).status_code == 200
    response = _add(admin_client, org.leader, "caseworker", f"m-{org.muni.pk}")
    assert response.status_code == 302
    response = _add(admin_client, org.leader, "clinician", f"p-{org.own_provider.pk}")
    assert response.status_code == 302
    assert set(org.leader.memberships.values_list("role", flat=True)) == {
        "leader", "caseworker", "clinician"}
    assert AuditEvent.objects.filter(object_type="accounts.Membership",
                                     action=Action.CREATE).count() == 2


@pytest.mark.parametrize("role,key,message", [
    ("caseworker", "p-{own_provider}", "hører til en kommune"),
    ("clinician", "m-{muni}", "hører til et behandlingstilbud"),
    ("caseworker", "m-{muni2}", "Vælg en organisation fra listen"),
    ("clinician", "p-{provider}", "Vælg en organisation fra listen"),
    ("coordinator", "m-{muni}", "Den rolle kan du ikke give"),
    ("", "m-{muni}", "Vælg en rolle"),
    ("leader", "", "Vælg en organisation"),
])
def test_add_membership_errors(org, admin_client, role, key, message):
    key = key.format(muni=org.muni.pk, muni2=org.muni2.pk, provider=org.provider.pk,
                     own_provider=org.own_provider.pk)
    response = _add(admin_client, org.leader, role, key)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert org.leader.memberships.count() == 1


def test_add_duplicate_membership(org, admin_client):
    response = _add(admin_client, org.leader, "leader", f"m-{org.muni.pk}")
    assert "har allerede denne rolle" in response.content.decode()
    assert org.leader.memberships.count() == 1


def test_remove_membership(org, admin_client):
    extra = Membership.objects.create(user=org.leader, role=Role.CASEWORKER,
                                      municipality=org.muni)
    url = reverse("accounts:membership_remove", args=[org.leader.pk, extra.pk])
    assert admin_client.get(url).status_code == 200
    assert Membership.objects.filter(pk=extra.pk).exists()  # GET changes nothing
    response = admin_client.post(url)
    assert response.status_code == 302
    assert response.url == reverse("accounts:user_detail", args=[org.leader.pk])
    assert not Membership.objects.filter(pk=extra.pk).exists()
    assert AuditEvent.objects.filter(action=Action.DELETE, object_id=str(extra.pk)).exists()


def test_remove_last_in_scope_membership_of_shared_user(org, admin_client):
    """A user who also works in Køge leaves Solrød's list when their Solrød role goes."""
    Membership.objects.create(user=org.caseworker, role=Role.CASEWORKER,
                              municipality=org.muni2)
    mine = org.caseworker.memberships.get(municipality=org.muni)
    response = admin_client.post(reverse("accounts:membership_remove",
                                         args=[org.caseworker.pk, mine.pk]))
    assert response.status_code == 302 and response.url == reverse("accounts:user_list")
    assert admin_client.get(reverse("accounts:user_detail",
                                    args=[org.caseworker.pk])).status_code == 404


def test_cannot_remove_a_users_only_membership(org, admin_client):
    only = org.leader.memberships.get()
    response = admin_client.post(reverse("accounts:membership_remove",
                                         args=[org.leader.pk, only.pk]))
    assert response.status_code == 422
    assert "eneste rolle" in response.content.decode()
    assert Membership.objects.filter(pk=only.pk).exists()


def test_admin_cannot_remove_own_admin_role(org, admin_client):
    Membership.objects.create(user=org.admin, role=Role.CASEWORKER, municipality=org.muni)
    own = org.admin.memberships.get(role=Role.ADMINISTRATOR)
    response = admin_client.post(reverse("accounts:membership_remove",
                                         args=[org.admin.pk, own.pk]))
    assert response.status_code == 422
    assert Membership.objects.filter(pk=own.pk).exists()


def test_pages_render_without_inline_script_or_style(org, admin_client):
    pages = [
        reverse("accounts:user_list"), reverse("accounts:user_create"),
        reverse("accounts:user_detail", args=[org.caseworker.pk]),
        reverse("accounts:user_deactivate", args=[org.caseworker.pk]),
        reverse("accounts:membership_add", args=[org.caseworker.pk]),
        reverse("accounts:membership_remove",
                args=[org.caseworker.pk, org.caseworker.memberships.get().pk]),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "style=" not in body and "<script>" not in body, url
        assert body.count("<h1") == 1, url


def test_second_admin_municipality_sees_own_users_only(org, login):
    koege_admin = make_user(Role.ADMINISTRATOR, org.muni2, "koege-admin")
    client = login(koege_admin)
    users = {u.username for u in client.get(reverse("accounts:user_list")).context["users"]}
    # Køge owns world.provider, so its clinician is Køge's:
    assert users == {"koege-admin", "koege-sagsbehandler", "behandler"}
    assert client.get(reverse("accounts:user_detail",
                              args=[org.caseworker.pk])).status_code == 404
    UserFactory(username="uden-rolle")
    assert "uden-rolle" not in client.get(reverse("accounts:user_list")).content.decode()
