"""The competence and method map (issue 6 item 9): municipalities and providers register staff
competences and development projects; everyone in a cluster searches them; nobody sees
another cluster's entries."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from forlob.accounts.models import Membership, Role
from forlob.quality.models import DevelopmentProject, StaffCompetence
from forlob.quality.services_competence import METHODS, TOOLS, split_list

from .factories import PurchaseAgreementFactory, UserFactory


def competence(owner, education="Socialrådgiver", methods=("MI (Motiverende Interview)",),
               tools=(), **kw):
    field = "municipality" if owner._meta.model_name == "municipality" else "provider"
    return StaffCompetence.objects.create(**{field: owner}, education=education,
                                          methods=list(methods), tools=list(tools),
                                          contact_name=kw.pop("contact_name", "Kontakt"), **kw)


def project(owner, title="Familien med", **kw):
    field = "municipality" if owner._meta.model_name == "municipality" else "provider"
    return DevelopmentProject.objects.create(**{field: owner}, title=title,
                                             aim=kw.pop("aim", "Inddrage familien"),
                                             period_start=dt.date(2025, 1, 1),
                                             contact_name="Kontakt", **kw)


@pytest.fixture
def map_(world):
    """Entries of every organisation: Solrød and Køge (cluster Øst), Køge's provider, the
    private provider (serves Faxe only), and Faxe (cluster Syd)."""
    w = world
    PurchaseAgreementFactory(municipality=w.muni3, provider=w.provider2)
    w.c_solrod = competence(w.muni, "Sygeplejerske", ["Kognitiv terapi"], ["AUDIT"])
    w.c_koge = competence(w.muni2, "Psykolog", ["Familiebehandling"])
    w.c_provider = competence(w.provider, "Pædagog", ["MI (Motiverende Interview)"],
                              ["Basisscreening (KL)"])
    w.c_private = competence(w.provider2, "Privat terapeut", ["Hemmelig metode"])
    w.c_faxe = competence(w.muni3, "Faxe-uddannelse", ["Hemmelig metode"])
    w.p_solrod = project(w.muni, "Tidlig opsporing")
    w.p_faxe = project(w.muni3, "Faxe-projekt")
    return w


def search(client, **params):
    return client.get(reverse("quality:competence_search"), params)


def shown(response):
    return {e.pk for e in response.context["entries"]}


# --- Lists of methods and tools ----------------------------------------------------------------

def test_methods_are_entered_comma_or_line_separated_with_the_suggestions_spelling():
    assert split_list("mi, kognitiv terapi\nFamiliebehandling;  Egen  metode ,,", METHODS) == [
        "MI (Motiverende Interview)", "Kognitiv terapi", "Familiebehandling", "Egen metode"]
    assert split_list("basisscreening\r\nAUDIT, audit", TOOLS) == ["Basisscreening (KL)",
                                                                  "AUDIT"]
    assert split_list("", METHODS) == []


@given(st.text(max_size=200))
def test_a_split_list_has_no_blanks_and_no_repeats(text):
    values = split_list(text, METHODS)
    assert all(v and v == v.strip() and "," not in v and "\n" not in v for v in values)
    assert len({v.casefold() for v in values}) == len(values)


# --- Who sees what -----------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["coordinator", "leader", "caseworker", "clinician", "admin"])
def test_the_cluster_sees_its_municipalities_and_their_providers_only(map_, login, role):
    client = login(getattr(map_, role))
    response = search(client)
    assert response.status_code == 200
    assert shown(response) == {map_.c_solrod.pk, map_.c_koge.pk, map_.c_provider.pk}
    projects = search(client, vis="projekter")
    assert shown(projects) == {map_.p_solrod.pk}
    for entry in (map_.c_faxe, map_.c_private):
        assert client.get(reverse("quality:competence_detail",
                                  args=[entry.pk])).status_code == 404
    assert client.get(reverse("quality:competence_project_detail",
                              args=[map_.p_faxe.pk])).status_code == 404


@pytest.mark.parametrize("query", ["Faxe", "Hemmelig", "Privat", "", "metode"])
def test_the_search_never_shows_other_clusters_entries(map_, login, query):
    client = login(map_.coordinator)
    hidden = {"kompetencer": {map_.c_faxe.pk, map_.c_private.pk}, "projekter": {map_.p_faxe.pk}}
    for kind in ("kompetencer", "projekter"):
        for organisation in ("", f"m{map_.muni3.pk}", f"p{map_.provider2.pk}"):
            response = search(client, q=query, vis=kind, organisation=organisation)
            assert response.status_code in (200, 400)  # another cluster's is no valid filter
            assert not shown(response) & hidden[kind]
            assert "Faxe-" not in response.content.decode()
            assert "Privat terapeut" not in response.content.decode()


def test_a_provider_serving_the_cluster_is_in_it_while_the_agreement_lasts(map_, login):
    agreement = PurchaseAgreementFactory(municipality=map_.muni, provider=map_.provider2)
    client = login(map_.leader)
    assert map_.c_private.pk in shown(search(client))
    agreement.valid_to = dt.date(2026, 6, 14)  # ended yesterday
    agreement.save()
    assert map_.c_private.pk not in shown(search(client))


def test_the_region_coordinator_sees_every_cluster(map_, login):
    response = search(login(map_.region_coordinator))
    assert shown(response) == {map_.c_solrod.pk, map_.c_koge.pk, map_.c_provider.pk,
                               map_.c_private.pk, map_.c_faxe.pk}


def test_someone_outside_every_cluster_gets_404(map_, login):
    outsider = UserFactory(username="ingen")
    client = login(outsider)
    assert search(client).status_code == 404
    assert client.get(reverse("quality:competence_create")).status_code == 404


# --- Search, filters, sorting, pages -----------------------------------------------------------

def test_free_text_method_and_organisation_filters(map_, login):
    client = login(map_.coordinator)
    assert shown(search(client, q="sygepl")) == {map_.c_solrod.pk}
    assert shown(search(client, q="audit")) == {map_.c_solrod.pk}  # a tool
    assert shown(search(client, q="pædagog basisscreening")) == {map_.c_provider.pk}
    assert shown(search(client, metode="Familiebehandling")) == {map_.c_koge.pk}
    assert shown(search(client, organisation=f"p{map_.provider.pk}")) == {map_.c_provider.pk}
    assert shown(search(client, q="opsporing", vis="projekter")) == {map_.p_solrod.pk}
    empty = search(client, q="findes-ikke")
    assert empty.status_code == 200 and "Intet matcher søgningen" in empty.content.decode()
    bad = search(client, organisation="m999999")
    assert bad.status_code == 400  # not an organisation of the cluster


def test_sorting_and_pages(map_, login):
    for i in range(30):
        competence(map_.muni, f"Uddannelse {i:02d}")
    client = login(map_.coordinator)
    first = search(client, sort="uddannelse")
    educations = [e.education for e in first.context["entries"]]
    assert educations == sorted(educations, key=str.casefold) and len(educations) == 25
    assert first.context["page"].paginator.num_pages == 2
    assert first.context["entries"][0].education == "Psykolog"
    descending = search(client, sort="-uddannelse")
    assert descending.context["entries"][0].education == "Uddannelse 29"
    last = search(client, sort="-uddannelse", side=2)
    assert [e.education for e in last.context["entries"]][-1] == "Psykolog"
    assert search(client, sort="'; drop").context["sort"] == "uddannelse"
    assert search(client, side="x").status_code == 200


def test_the_empty_map_says_so(world, login):
    response = search(login(world.coordinator))
    assert "Der er ikke registreret kompetencer" in response.content.decode()


# --- Registering, editing, deleting ------------------------------------------------------------

def test_a_leader_registers_a_competence_for_the_municipality(world, login):
    client = login(world.leader)
    response = client.post(reverse("quality:competence_create"), {
        "education": "Socialrådgiver", "methods": "mi\nkognitiv terapi, Åben dialog",
        "tools": "basisscreening", "staff_count": "4", "contact_name": "Lise Leder",
        "contact_email": "lise@solrod.dk"})
    assert response.status_code == 302
    entry = StaffCompetence.objects.get()
    assert entry.municipality == world.muni and entry.provider is None
    assert entry.methods == ["MI (Motiverende Interview)", "Kognitiv terapi", "Åben Dialog"]
    assert entry.tools == ["Basisscreening (KL)"] and entry.staff_count == 4
    page = client.get(response["Location"])
    assert "Lise Leder" in page.content.decode() and "Ret" in page.content.decode()


def test_a_clinician_registers_for_the_provider(world, login):
    client = login(world.clinician)
    assert client.get(reverse("quality:competence_create")).status_code == 200
    response = client.post(reverse("quality:competence_project_create"), {
        "title": "MOVE i praksis", "aim": "Afprøve MOVE", "period_start": "2026-01-01",
        "contact_name": "Bo Behandler"})
    assert response.status_code == 302
    assert DevelopmentProject.objects.get().provider == world.provider


def test_someone_with_several_organisations_chooses_one(world, login):
    Membership.objects.create(user=world.leader, role=Role.CLINICIAN, provider=world.provider)
    client = login(world.leader)
    data = {"education": "Læge", "staff_count": "1", "contact_name": "K"}
    response = client.post(reverse("quality:competence_create"), data)
    assert response.status_code == 400 and "Vælg organisationen" in response.content.decode()
    response = client.post(reverse("quality:competence_create"),
                           {**data, "owner": f"m{world.muni3.pk}"})
    assert response.status_code == 400  # not one of theirs
    response = client.post(reverse("quality:competence_create"),
                           {**data, "owner": f"p{world.provider.pk}"})
    assert response.status_code == 302
    assert StaffCompetence.objects.get().provider == world.provider


def test_a_coordinator_reads_but_registers_nothing(map_, login):
    client = login(map_.coordinator)
    assert client.get(reverse("quality:competence_create")).status_code == 404
    assert client.get(reverse("quality:competence_edit",
                              args=[map_.c_solrod.pk])).status_code == 404
    detail = client.get(reverse("quality:competence_detail", args=[map_.c_solrod.pk]))
    assert detail.status_code == 200
    assert reverse("quality:competence_edit", args=[map_.c_solrod.pk]) not in (
        detail.content.decode())


def test_only_the_owner_edits(map_, login):
    client = login(map_.leader)  # Solrød's
    url = reverse("quality:competence_edit", args=[map_.c_koge.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"education": "x"}).status_code == 404
    assert client.post(reverse("quality:competence_delete",
                               args=[map_.c_koge.pk])).status_code == 404
    assert StaffCompetence.objects.filter(pk=map_.c_koge.pk).exists()


def test_an_edit_is_locked_against_a_concurrent_one(map_, login):
    client = login(map_.leader)
    url = reverse("quality:competence_edit", args=[map_.c_solrod.pk])
    form = client.get(url).context["form"]
    assert form.initial["methods"] == "Kognitiv terapi"
    data = {"education": "Sygeplejerske", "methods": "Kognitiv terapi, MI", "tools": "AUDIT",
            "staff_count": "2", "contact_name": "Ny", "loaded_version": "1"}
    assert client.post(url, data).status_code == 302
    entry = StaffCompetence.objects.get(pk=map_.c_solrod.pk)
    assert entry.version == 2 and entry.methods == ["Kognitiv terapi",
                                                    "MI (Motiverende Interview)"]
    stale = client.post(url, {**data, "contact_name": "Gammel"})  # still version 1
    assert stale.status_code == 400 and "Genindlæs" in stale.content.decode()
    assert StaffCompetence.objects.get(pk=map_.c_solrod.pk).contact_name == "Ny"


def test_delete_asks_first_and_refuses_a_stale_page(map_, login):
    client = login(map_.leader)
    url = reverse("quality:competence_delete", args=[map_.c_solrod.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Det kan ikke fortrydes" in page.content.decode()
    assert StaffCompetence.objects.filter(pk=map_.c_solrod.pk).exists()
    StaffCompetence.objects.filter(pk=map_.c_solrod.pk).update(version=2)
    stale = client.post(url, {"loaded_version": "1"})
    assert stale.status_code == 400 and StaffCompetence.objects.filter(
        pk=map_.c_solrod.pk).exists()
    assert client.post(url, {"loaded_version": "2"}).status_code == 302
    assert not StaffCompetence.objects.filter(pk=map_.c_solrod.pk).exists()


def test_a_project_is_edited_and_deleted(map_, login):
    client = login(map_.leader)
    url = reverse("quality:competence_project_edit", args=[map_.p_solrod.pk])
    data = {"title": "Tidlig opsporing 2", "aim": "Finde tidligt", "method": "Screening",
            "period_start": "2025-01-01", "period_end": "2025-12-31", "contact_name": "K",
            "results": "Flere henvendelser", "loaded_version": "1"}
    assert client.post(url, data).status_code == 302
    p = DevelopmentProject.objects.get(pk=map_.p_solrod.pk)
    assert (p.title, p.period_end, p.version) == ("Tidlig opsporing 2", dt.date(2025, 12, 31), 2)
    detail = client.get(reverse("quality:competence_project_detail", args=[p.pk]))
    assert "Flere henvendelser" in detail.content.decode()
    delete = reverse("quality:competence_project_delete", args=[p.pk])
    assert client.post(delete, {"loaded_version": "2"}).status_code == 302
    assert not DevelopmentProject.objects.filter(pk=p.pk).exists()


@pytest.mark.parametrize("data,message", [
    ({"period_start": "2026-05-01", "period_end": "2026-04-01"}, "slutter, før"),
    ({"period_start": "ikke en dato"}, "gyldig dato"),
    ({"title": ""}, "påkrævet"),
    ({"aim": "x" * 5000}, "4000"),
    ({"contact_email": "ikke-en-mail"}, "mail"),
])
def test_bad_project_input_gets_a_message_and_saves_nothing(world, login, data, message):
    client = login(world.leader)
    base = {"title": "P", "aim": "A", "period_start": "2026-01-01", "contact_name": "K"}
    response = client.post(reverse("quality:competence_project_create"), {**base, **data})
    assert response.status_code == 400
    assert message in response.content.decode().lower() or message in response.content.decode()
    assert not DevelopmentProject.objects.exists()


@pytest.mark.parametrize("data", [
    {"staff_count": "abc"}, {"staff_count": "0"}, {"staff_count": "99999999999999999999"},
    {"education": ""}, {"methods": ",".join(f"m{i}" for i in range(40))},
    {"methods": "x" * 100}, {"loaded_version": "99999999999999999999"},
    {"education": "a\x00b"},
])
def test_bad_competence_input_never_500s_or_saves(world, login, data):
    client = login(world.leader)
    base = {"education": "Læge", "staff_count": "1", "contact_name": "K"}
    response = client.post(reverse("quality:competence_create"), {**base, **data})
    if "loaded_version" in data:  # ignored on a new entry
        assert response.status_code == 302
        return
    assert response.status_code == 400
    assert not StaffCompetence.objects.exists()
