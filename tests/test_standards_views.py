"""Staff pages of the quality standard (issue 7 items 1, 3 and 4): scoping, drafts copied from
the previous version, edits refused below the law with nothing saved, adoption rules, the
frozen adopted version and optimistic locking."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob.standards import services
from forlob.standards.diff import LEVEL_FIELDS
from forlob.standards.models import ContactPoint, Section, ServiceStandard, Status

from .factories_standards import ContactPointFactory, ServiceStandardFactory, adopted

TODAY = dt.date(2026, 6, 15)


def url(name, *args):
    return reverse(f"standards:{name}", args=args)


def draft_post(standard, **overrides):
    """The edit form's POST data for `standard` as it is, with `overrides`."""
    data = {"loaded_version": standard.version}
    for name in LEVEL_FIELDS:
        value = getattr(standard, name)
        if name == "vouchers_enabled":
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data["follow_up_reasons"] = list(standard.follow_up_reasons or [])
    data["providers"] = list(standard.providers.values_list("pk", flat=True))
    for key, _label in Section.choices:
        data[f"section_{key}"] = (standard.sections or {}).get(key, "")
    data.update(overrides)
    return data


@pytest.fixture
def draft(world):
    """A first draft for Solrød, made the way the page makes it (routes for every track)."""
    return services.create_draft(world.leader, world.muni)


def fresh(standard):
    return ServiceStandard.objects.get(pk=standard.pk)


# --- Scoping ---------------------------------------------------------------------------------

def test_list_needs_login(client, world):
    response = client.get(url("list"))
    assert response.status_code == 302
    assert "/konto/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize("role", ["caseworker", "clinician"])
def test_list_is_404_without_a_municipality(world, login, role):
    assert login(getattr(world, role)).get(url("list")).status_code == 404


def test_leader_sees_own_municipality_with_a_create_button(world, login):
    response = login(world.leader).get(url("list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Solrød" in text and "Køge" not in text
    assert url("create_draft", world.muni.pk) in text


def test_coordinator_sees_the_cluster_read_only(world, login):
    adopted(world.muni, valid_from=dt.date(2025, 1, 1))
    response = login(world.coordinator).get(url("list"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Solrød" in text and "Køge" in text and "Faxe" not in text
    assert "nyt-udkast" not in text


def test_list_flags_a_revision_due_within_90_days(world, login):
    adopted(world.muni, valid_from=dt.date(2024, 7, 1), adopted_on=dt.date(2024, 7, 1))
    text = login(world.leader).get(url("list")).content.decode()
    assert "1. juli 2026" in text
    assert "Inden for 90 dage" in text
    assert "Brugerrådet blev hørt." in text  # involvement recorded


def test_list_flags_an_overdue_revision(world, login):
    adopted(world.muni, valid_from=dt.date(2024, 1, 1), adopted_on=dt.date(2024, 1, 1))
    text = login(world.leader).get(url("list")).content.decode()
    assert "Overskredet" in text


def test_list_with_a_version_carried_over_without_adoption_date(world, login):
    """Migration 0002 carries the old settings over as an adopted version with no date."""
    v1 = adopted(world.muni, valid_from=dt.date(2020, 1, 1))
    ServiceStandard.objects.filter(pk=v1.pk).update(adopted_on=None, involved_on=None)
    adopted(world.muni, valid_from=dt.date(2030, 1, 1), adopted_on=dt.date(2026, 6, 1))
    ServiceStandard.objects.filter(number=2).update(adopted_on=None)
    response = login(world.leader).get(url("list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "vedtagelsesdatoen er ikke registreret" in text
    assert "Vedtagelsesdato mangler" in text
    assert "Version 2 er vedtaget og gælder fra 1. januar 2030" in text


def test_public_page_is_linked_for_the_version_in_force(world, login):
    adopted(world.muni)
    text = login(world.leader).get(url("list")).content.decode()
    assert reverse("standards_public:current", args=[world.muni.code]) in text


def test_municipality_page_scoping(world, login):
    adopted(world.muni)
    assert login(world.leader).get(url("municipality", world.muni2.pk)).status_code == 404
    assert login(world.caseworker).get(url("municipality", world.muni.pk)).status_code == 404
    response = login(world.coordinator).get(url("municipality", world.muni.pk))
    assert response.status_code == 200
    assert "Version 1" in response.content.decode()


def test_version_of_another_municipality_is_404(world, login):
    other = adopted(world.muni3)
    client = login(world.leader)
    for name in ("standard_detail", "standard_edit", "standard_contacts", "standard_routes",
                 "standard_adopt", "standard_delete"):
        assert client.get(url(name, other.pk)).status_code == 404, name


def test_coordinator_reads_but_cannot_write(world, login, draft):
    client = login(world.coordinator)
    response = client.get(url("standard_detail", draft.pk))
    assert response.status_code == 200
    assert url("standard_edit", draft.pk) not in response.content.decode()
    assert client.get(url("standard_edit", draft.pk)).status_code == 403
    assert client.post(url("standard_edit", draft.pk),
                       draft_post(draft, guarantee_days=7)).status_code == 403
    assert client.post(url("standard_delete", draft.pk),
                       {"loaded_version": draft.version}).status_code == 403
    assert client.post(url("create_draft", world.muni2.pk)).status_code == 403
    assert fresh(draft).guarantee_days == 14


# --- Drafts ----------------------------------------------------------------------------------

def test_create_draft_copies_the_previous_version(world, login):
    v1 = adopted(world.muni, guarantee_days=10, follow_up_reasons=["udeblevet"],
                 sections={"target": "Borgere i Solrød."})
    v1.providers.set([world.provider])
    ContactPointFactory(standard=v1, name="Rådgivningen")
    response = login(world.leader).post(url("create_draft", world.muni.pk))
    v2 = ServiceStandard.objects.get(municipality=world.muni, number=2)
    assert response.status_code == 302
    assert response["Location"] == url("standard_edit", v2.pk)
    assert v2.status == Status.DRAFT
    assert (v2.guarantee_days, v2.follow_up_reasons) == (10, ["udeblevet"])
    assert v2.sections == {"target": "Borgere i Solrød."}
    assert list(v2.providers.all()) == [world.provider]
    assert list(v2.contact_points.values_list("name", flat=True)) == ["Rådgivningen"]
    assert v2.complaint_routes.count() == 4
    assert (v2.involvement, v2.valid_from, v2.adopted_on) == ("", None, None)


def test_second_draft_is_refused_with_400(world, login, draft):
    response = login(world.leader).post(url("create_draft", world.muni.pk))
    assert response.status_code == 400
    assert "allerede et udkast" in response.content.decode()
    assert ServiceStandard.objects.filter(municipality=world.muni).count() == 1


def test_edit_saves_levels_reasons_providers_and_sections(world, login, draft):
    client = login(world.leader)
    assert client.get(url("standard_edit", draft.pk)).status_code == 200
    response = client.post(url("standard_edit", draft.pk), draft_post(
        draft, guarantee_days=10, follow_up_first_days=21, follow_up_reasons=["udeblevet"],
        providers=[world.provider2.pk], section_target="Alle borgere i kommunen."))
    assert response.status_code == 302
    saved = fresh(draft)
    assert (saved.guarantee_days, saved.follow_up_first_days) == (10, 21)
    assert saved.follow_up_reasons == ["udeblevet"]
    assert list(saved.providers.all()) == [world.provider2]
    assert saved.sections["target"] == "Alle borgere i kommunen."
    assert saved.version == draft.version + 1


def test_edit_offers_only_the_reasons_beyond_the_law(world, login, draft):
    text = login(world.leader).get(url("standard_edit", draft.pk)).content.decode()
    assert 'name="follow_up_reasons" value="udeblevet"' in text
    assert 'name="follow_up_reasons" value="faerdigbehandlet"' not in text
    assert 'name="legal_reasons" value="faerdigbehandlet"' in text  # shown, disabled


@pytest.mark.parametrize(("field", "value", "message"), [
    ("guarantee_days", 15, "højst være 14 dage"),
    ("follow_up_first_days", 29, "højst 28 dage"),
])
def test_edit_below_the_law_is_400_and_nothing_saved(world, login, draft, field, value,
                                                     message):
    before = fresh(draft)
    response = login(world.leader).post(url("standard_edit", draft.pk), draft_post(
        draft, **{field: value}, section_target="Ændret tekst", providers=[world.provider.pk]))
    assert response.status_code == 400
    assert message in response.content.decode()
    after = fresh(draft)
    assert getattr(after, field) == getattr(before, field)
    assert after.sections == before.sections and after.version == before.version
    assert not after.providers.exists()


@pytest.mark.parametrize("overrides", [
    {"guarantee_days": "fjorten"}, {"follow_up_by": "naboen"}, {"providers": [987654]},
    {"providers": [2**70]}, {"providers": ["-1"]},
    {"follow_up_reasons": ["faerdigbehandlet"]}, {"loaded_version": "x"},
    {"loaded_version": 2**40}, {"vouchers_enabled": "on", "voucher_amount": ""},
])
def test_edit_with_bad_input_is_400_not_500(world, login, draft, overrides):
    response = login(world.leader).post(url("standard_edit", draft.pk),
                                        draft_post(draft, plan_days=7, **overrides))
    assert response.status_code == 400
    assert fresh(draft).plan_days == 14


def test_stale_edit_is_refused(world, login, draft):
    services.save_draft(world.leader, draft, {"plan_days": 10}, draft.version)  # someone else
    response = login(world.leader).post(url("standard_edit", draft.pk),
                                        draft_post(draft, loaded_version=1, guarantee_days=9))
    assert response.status_code == 400
    assert "ændret af en anden" in response.content.decode()
    assert fresh(draft).guarantee_days == 14


def test_adopted_version_cannot_be_edited(world, login):
    v1 = adopted(world.muni, guarantee_days=12)
    client = login(world.leader)
    for name in ("standard_edit", "standard_contacts", "standard_routes", "standard_adopt",
                 "standard_delete"):
        response = client.get(url(name, v1.pk))
        assert response.status_code == 400, name
        assert "vedtaget version kan ikke ændres" in response.content.decode()
    response = client.post(url("standard_edit", v1.pk), draft_post(v1, guarantee_days=7))
    assert response.status_code == 400
    assert client.post(url("standard_delete", v1.pk),
                       {"loaded_version": v1.version}).status_code == 400
    assert fresh(v1).guarantee_days == 12
    assert ServiceStandard.objects.filter(pk=v1.pk).exists()


# --- Contact points and complaint routes -----------------------------------------------------

def contacts_post(standard, forms, loaded_version=None):
    data = {"lock-loaded_version": loaded_version or standard.version,
            "contacts-TOTAL_FORMS": len(forms),
            "contacts-INITIAL_FORMS": sum(1 for f in forms if f.get("id")),
            "contacts-MIN_NUM_FORMS": 0, "contacts-MAX_NUM_FORMS": 1000}
    for i, form in enumerate(forms):
        data.update({f"contacts-{i}-{k}": v for k, v in form.items()})
    return data


def test_contact_points_are_added_changed_and_deleted(world, login, draft):
    keep = ContactPointFactory(standard=draft, name="Rådgivningen")
    drop = ContactPointFactory(standard=draft, name="Gammel adresse")
    response = login(world.leader).post(url("standard_contacts", draft.pk), contacts_post(draft, [
        {"id": keep.pk, "kind": "counselling", "name": "Rådgivningen", "phone": "70 10 10 10"},
        {"id": drop.pk, "kind": "counselling", "name": "Gammel adresse", "DELETE": "on"},
        {"kind": "alcohol", "name": "Alkoholenheden", "email": "alkohol@example.dk"},
    ]))
    assert response.status_code == 302
    rows = {c.name: c for c in ContactPoint.objects.filter(standard=draft)}
    assert set(rows) == {"Rådgivningen", "Alkoholenheden"}
    assert rows["Rådgivningen"].phone == "70 10 10 10"
    assert fresh(draft).version == draft.version + 1


def test_stale_contact_points_are_refused_and_nothing_saved(world, login, draft):
    services.touch(world.leader, draft, draft.version)
    response = login(world.leader).post(url("standard_contacts", draft.pk), contacts_post(
        draft, [{"kind": "alcohol", "name": "Alkoholenheden"}], loaded_version=1))
    assert response.status_code == 400
    assert not ContactPoint.objects.filter(standard=draft).exists()


def test_contact_point_of_another_version_cannot_be_edited(world, login, draft):
    """A tampered id of another version's row is not in the page's rows: it is ignored."""
    other = ContactPointFactory(standard=adopted(world.muni3), name="Faxe")
    login(world.leader).post(url("standard_contacts", draft.pk), contacts_post(
        draft, [{"id": other.pk, "kind": "counselling", "name": "Kapret"}]))
    assert ContactPoint.objects.get(pk=other.pk).name == "Faxe"
    assert not ContactPoint.objects.filter(name="Kapret").exists()


def test_complaint_routes_are_edited_per_track(world, login, draft):
    client = login(world.leader)
    assert client.get(url("standard_routes", draft.pk)).status_code == 200
    data = {"lock-loaded_version": draft.version}
    for route in draft.complaint_routes.all():
        data.update({f"{route.track}-authority": route.authority,
                     f"{route.track}-deadline": route.deadline,
                     f"{route.track}-description": route.description})
    data["sel101-deadline"] = "6 uger"
    response = client.post(url("standard_routes", draft.pk), data)
    assert response.status_code == 302
    assert draft.complaint_routes.get(track="sel101").deadline == "6 uger"
    data["sul142-authority"] = ""
    response = client.post(url("standard_routes", draft.pk),
                           {**data, "lock-loaded_version": fresh(draft).version})
    assert response.status_code == 400
    assert draft.complaint_routes.get(track="sul142").authority


# --- Adoption --------------------------------------------------------------------------------

def adopt_post(standard, **overrides):
    return {"loaded_version": standard.version, "adopted_on": "2026-06-10",
            "valid_from": "2026-07-01", "involvement": "Brugerrådet og LMS blev hørt.",
            "involved_on": "2026-05-20", **overrides}


def test_adopt_saves_involvement_and_adopts(world, login, draft):
    client = login(world.leader)
    text = client.get(url("standard_adopt", draft.pk)).content.decode()
    assert "flyttes ikke" in text  # running deadlines stay where they are
    response = client.post(url("standard_adopt", draft.pk), adopt_post(draft))
    assert response.status_code == 302
    saved = fresh(draft)
    assert saved.status == Status.ADOPTED
    assert (saved.adopted_on, saved.valid_from) == (dt.date(2026, 6, 10), dt.date(2026, 7, 1))
    assert saved.involvement == "Brugerrådet og LMS blev hørt."
    assert saved.involved_on == dt.date(2026, 5, 20)
    assert saved.adopted_by == world.leader


@pytest.mark.parametrize("valid_from", ["2026-06-14", "2026-06-15"])
def test_adopt_refuses_a_backdated_start_and_saves_nothing(world, login, draft, valid_from):
    response = login(world.leader).post(url("standard_adopt", draft.pk),
                                        adopt_post(draft, valid_from=valid_from))
    assert response.status_code == 400
    assert "tidligst gælde fra 16. juni 2026" in response.content.decode()
    saved = fresh(draft)
    assert saved.status == Status.DRAFT
    assert (saved.involvement, saved.involved_on, saved.version) == ("", None, draft.version)


def test_adopt_refuses_missing_involvement(world, login, draft):
    response = login(world.leader).post(url("standard_adopt", draft.pk),
                                        adopt_post(draft, involvement="", involved_on=""))
    assert response.status_code == 400
    assert "retningslinje 2.8.4" in response.content.decode()
    assert fresh(draft).status == Status.DRAFT


def test_adopt_refuses_a_stale_version(world, login, draft):
    services.touch(world.leader, draft, draft.version)
    response = login(world.leader).post(url("standard_adopt", draft.pk),
                                        adopt_post(draft, loaded_version=1))
    assert response.status_code == 400
    assert fresh(draft).status == Status.DRAFT


def test_adopt_needs_dates_not_a_crash(world, login, draft):
    response = login(world.leader).post(url("standard_adopt", draft.pk),
                                        adopt_post(draft, adopted_on="i går", valid_from=""))
    assert response.status_code == 400
    assert fresh(draft).status == Status.DRAFT


# --- Deletion --------------------------------------------------------------------------------

def test_delete_draft_after_confirmation(world, login, draft):
    client = login(world.leader)
    assert client.get(url("standard_delete", draft.pk)).status_code == 200
    assert ServiceStandard.objects.filter(pk=draft.pk).exists()
    response = client.post(url("standard_delete", draft.pk), {"loaded_version": draft.version})
    assert response.status_code == 302
    assert response["Location"] == url("municipality", world.muni.pk)
    assert not ServiceStandard.objects.filter(pk=draft.pk).exists()


def test_stale_delete_is_refused(world, login, draft):
    services.touch(world.leader, draft, draft.version)
    response = login(world.leader).post(url("standard_delete", draft.pk), {"loaded_version": 1})
    assert response.status_code == 400
    assert ServiceStandard.objects.filter(pk=draft.pk).exists()


# --- Version page and diff page --------------------------------------------------------------

def test_version_page_shows_levels_and_edit_links_for_a_draft(world, login, draft):
    ContactPointFactory(standard=draft, name="Rådgivningen")
    text = login(world.leader).get(url("standard_detail", draft.pk)).content.decode()
    assert "Behandlingsgaranti (kalenderdage)" in text
    assert "Rådgivningen" in text
    assert "Lovens frist: senest 1 måned efter udskrivning" in text
    for name in ("standard_edit", "standard_contacts", "standard_routes", "standard_adopt"):
        assert url(name, draft.pk) in text


def test_diff_page_lists_the_changes(world, login):
    v1 = adopted(world.muni, guarantee_days=14, valid_from=dt.date(2025, 1, 1))
    v2 = adopted(world.muni, guarantee_days=10, valid_from=dt.date(2026, 1, 1))
    response = login(world.coordinator).get(url("compare", world.muni.pk),
                                            {"fra": v1.pk, "til": v2.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Behandlingsgaranti (kalenderdage)" in text
    assert "<td>14</td><td>10</td>" in text
    assert "Ingen ændringer" not in text


def test_diff_of_identical_versions_says_no_changes(world, login):
    v1 = adopted(world.muni, valid_from=dt.date(2025, 1, 1))
    v2 = adopted(world.muni, valid_from=dt.date(2026, 1, 1))
    response = login(world.leader).get(url("compare", world.muni.pk),
                                       {"fra": v1.pk, "til": v2.pk})
    assert response.status_code == 200
    assert "Ingen ændringer" in response.content.decode()


def test_diff_without_parameters_shows_the_form(world, login):
    adopted(world.muni)
    ServiceStandardFactory(municipality=world.muni, number=2)
    response = login(world.leader).get(url("compare", world.muni.pk))
    assert response.status_code == 200
    assert 'name="fra"' in response.content.decode()


@pytest.mark.parametrize("params", [{"fra": "abc", "til": "1"}, {"fra": "1"}, {"til": ""},
                                    {"fra": "-3", "til": "99999999999999999999"}])
def test_diff_with_bad_parameters_is_400(world, login, params):
    adopted(world.muni)
    response = login(world.leader).get(url("compare", world.muni.pk), params)
    assert response.status_code == 400
    assert "Der er fejl i formularen" in response.content.decode()


def test_diff_outside_the_municipality_is_404(world, login):
    mine = adopted(world.muni)
    other = adopted(world.muni2)
    client = login(world.leader)
    assert client.get(url("compare", world.muni.pk),
                      {"fra": mine.pk, "til": other.pk}).status_code == 404
    assert client.get(url("compare", world.muni2.pk),
                      {"fra": other.pk, "til": other.pk}).status_code == 404
    assert client.get(url("compare", world.muni.pk),
                      {"fra": mine.pk, "til": 987654}).status_code == 404
