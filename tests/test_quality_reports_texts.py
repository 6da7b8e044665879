"""The coordinator's report texts (issue 6 items 4 and 5): saved with optimistic locking, a stale
or bad form writes nothing and says why, never a 500."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from forlob.quality import evidence
from forlob.quality.models import ClusterReportText, RegionReportText, SectionReportText

from .factories_quality_reports import no_evidence, scenario

STALE = "Sagen blev ændret af en anden, mens du redigerede. Genindlæs siden."


@pytest.fixture(autouse=True)
def _no_evidence(monkeypatch):
    monkeypatch.setattr(evidence, "evidence_for_round", no_evidence)


@pytest.fixture
def rnd(world):
    return scenario(world)[1]


def cluster_edit(rnd, world):
    return reverse("quality:report_cluster_edit",
                   kwargs={"round_id": rnd.pk, "cluster_id": world.cluster.pk})


def region_edit(rnd):
    return reverse("quality:report_region_edit", args=[rnd.pk])


def cluster_post(**fields):
    data = {"focus_areas": "", "feedback_experience": "", "feedback_contribution": "",
            "feedback_future": "", "loaded_version": ""}
    data.update(fields)
    return data


# --- Cluster texts ---------------------------------------------------------------------------


def test_coordinator_writes_the_cluster_texts(world, rnd, login):
    client = login(world.coordinator)
    assert client.get(cluster_edit(rnd, world)).status_code == 200
    response = client.post(cluster_edit(rnd, world), cluster_post(
        focus_areas="Unge og familier.", feedback_future="Fælles kurser."))
    assert response.status_code == 302
    text = ClusterReportText.objects.get(round=rnd, cluster=world.cluster)
    assert (text.focus_areas, text.feedback_future, text.version) == (
        "Unge og familier.", "Fælles kurser.", 1)
    page = client.get(response["Location"]).content.decode()
    assert "Unge og familier." in page and "Fælles kurser." in page
    response = client.post(cluster_edit(rnd, world), cluster_post(
        focus_areas="Unge.", loaded_version="1"))
    assert response.status_code == 302
    text.refresh_from_db()
    assert (text.focus_areas, text.version) == ("Unge.", 2)


def test_a_stale_cluster_form_writes_nothing(world, rnd, login):
    ClusterReportText.objects.create(round=rnd, cluster=world.cluster, focus_areas="Først")
    client = login(world.coordinator)
    assert client.post(cluster_edit(rnd, world), cluster_post(
        focus_areas="Anden", loaded_version="1")).status_code == 302
    response = client.post(cluster_edit(rnd, world), cluster_post(
        focus_areas="Tredje", loaded_version="1"))
    assert response.status_code == 400 and STALE in response.content.decode()
    assert ClusterReportText.objects.get().focus_areas == "Anden"


def test_two_coordinators_creating_the_texts_at_once(world, rnd, login):
    """Both loaded the page before any text existed; the second save is refused."""
    first = login(world.coordinator)
    assert first.post(cluster_edit(rnd, world), cluster_post(focus_areas="A")).status_code == 302
    second = login(world.region_coordinator)
    response = second.post(cluster_edit(rnd, world), cluster_post(focus_areas="B"))
    assert response.status_code == 400 and STALE in response.content.decode()
    assert ClusterReportText.objects.get().focus_areas == "A"


@pytest.mark.parametrize("data", [
    {"focus_areas": "x" * 10_001},
    {"focus_areas": "ok", "loaded_version": "abc"},
    {"focus_areas": "ok", "loaded_version": "-1"},
    {"focus_areas": "ok", "loaded_version": "99999999999999999999"},
])
def test_bad_cluster_input_is_refused(world, rnd, login, data):
    ClusterReportText.objects.create(round=rnd, cluster=world.cluster, focus_areas="Før")
    response = login(world.coordinator).post(cluster_edit(rnd, world), cluster_post(**data))
    assert response.status_code == 400
    assert "Der er fejl i formularen. Intet er gemt." in response.content.decode()
    text = ClusterReportText.objects.get()
    assert (text.focus_areas, text.version) == ("Før", 1)


def test_too_long_text_says_the_limit(world, rnd, login):
    response = login(world.coordinator).post(cluster_edit(rnd, world), cluster_post(
        feedback_experience="x" * 10_001))
    assert "Teksten er for lang: højst 10000 tegn (den har 10001)." in response.content.decode()
    assert not ClusterReportText.objects.exists()


# --- Region texts ----------------------------------------------------------------------------


def region_post(form_page, **changes):
    """The form as loaded (hidden versions and current texts), with `changes`."""
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"',
                                  form_page):
        data[name] = value
    for name, value in re.findall(r'<textarea name="(\w+)"[^>]*>\n?([^<]*)</textarea>',
                                  form_page):
        data[name] = value
    data.pop("csrfmiddlewaretoken", None)
    data.update(changes)
    return data


def test_region_texts_saved_and_shown(world, rnd, login):
    client = login(world.coordinator)
    five = rnd.framework.sections.get(number="5")
    page = client.get(region_edit(rnd)).content.decode()
    response = client.post(region_edit(rnd), region_post(page, **{
        "conclusions": "Familien først.", f"status_{five.pk}": "Alle følger op.",
        f"recommendations_{five.pk}": "Et fælles skema."}))
    assert response.status_code == 302
    assert RegionReportText.objects.get(round=rnd).conclusions == "Familien først."
    assert SectionReportText.objects.count() == 1  # only the section that was written
    text = SectionReportText.objects.get(section=five)
    assert (text.status_text, text.recommendations) == ("Alle følger op.", "Et fælles skema.")
    html = client.get(response["Location"]).content.decode()
    assert "Familien først." in html and "Et fælles skema." in html


def test_coordinators_writing_different_recommendations_do_not_stop_each_other(world, rnd,
                                                                               login):
    one, five = (rnd.framework.sections.get(number=n) for n in ("1", "5"))
    SectionReportText.objects.create(round=rnd, section=one, status_text="1 før")
    SectionReportText.objects.create(round=rnd, section=five, status_text="5 før")
    a = login(world.coordinator)
    b = login(world.region_coordinator, client=Client())
    page_a, page_b = a.get(region_edit(rnd)).content.decode(), b.get(
        region_edit(rnd)).content.decode()
    assert a.post(region_edit(rnd), region_post(page_a, **{f"status_{one.pk}": "1 af A"})
                  ).status_code == 302
    assert b.post(region_edit(rnd), region_post(page_b, **{f"status_{five.pk}": "5 af B"})
                  ).status_code == 302
    assert SectionReportText.objects.get(section=one).status_text == "1 af A"
    assert SectionReportText.objects.get(section=five).status_text == "5 af B"


def test_a_stale_region_form_writes_nothing_at_all(world, rnd, login):
    one = rnd.framework.sections.get(number="1")
    SectionReportText.objects.create(round=rnd, section=one, status_text="Før")
    client = login(world.coordinator)
    page = client.get(region_edit(rnd)).content.decode()
    SectionReportText.objects.filter(section=one).update(status_text="Ændret", version=2)
    response = client.post(region_edit(rnd), region_post(page, **{
        "conclusions": "Nye konklusioner", f"status_{one.pk}": "Mit"}))
    assert response.status_code == 400 and STALE in response.content.decode()
    assert not RegionReportText.objects.exists()  # all or nothing
    assert SectionReportText.objects.get(section=one).status_text == "Ændret"


@pytest.mark.parametrize("garbage", [
    {"region_version": "x", "conclusions": "y"},
    {"version_1": "\x00", "status_1": "z" * 20_000},
    {"conclusions": ["a", "b"], "region_version": "2147483647"},
    {},
])
def test_garbage_region_posts_never_500(world, rnd, login, garbage):
    RegionReportText.objects.create(round=rnd, conclusions="Før")
    response = login(world.coordinator).post(region_edit(rnd), garbage)
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert RegionReportText.objects.get().conclusions == "Før"


# --- Abbreviations ---------------------------------------------------------------------------

ABBR = reverse("quality:report_abbreviations")


def abbr_post(page, **changes):
    data = region_post(page)
    for name, value in re.findall(
            r'<input type="text" name="(abbr_\d+)"(?:[^>]*?value="([^"]*)")?', page):
        data[name] = value
    data.update(changes)
    return data


def test_coordinator_configures_abbreviations_used_by_the_report(world, rnd, login):
    from forlob.quality.models import Abbreviation
    from forlob.quality.reports import build_cluster_report

    client = login(world.coordinator)
    page = client.get(ABBR).content.decode()
    assert "Solrød" in page and "Faxe" not in page  # only the coordinated municipalities
    assert "Uden forkortelse bruges SOL." in page
    response = client.post(ABBR, abbr_post(page, **{f"abbr_{world.muni.pk}": "srd",
                                                  f"abbr_{world.muni2.pk}": ""}))
    assert response.status_code == 302
    assert dict(Abbreviation.objects.values_list("municipality__name", "abbreviation")) == {
        "Solrød": "SRD"}
    report = build_cluster_report(rnd, world.cluster)
    assert [m.abbreviation for m in report.members] == ["KØG", "SRD"]  # Køge: fallback KØG


@pytest.mark.parametrize("value, message", [
    ("x", "Brug 2-8 store bogstaver, tal eller bindestreg."),
    ("FAX", "FAX bruges allerede af Faxe."),
    ("<b>", "Brug 2-8 store bogstaver, tal eller bindestreg."),
    ("ABCDEFGHI", "Højst 8 tegn."),
])
def test_bad_abbreviations_are_refused(world, rnd, login, value, message):
    from forlob.quality.models import Abbreviation

    Abbreviation.objects.create(municipality=world.muni3, abbreviation="FAX")
    client = login(world.coordinator)
    page = client.get(ABBR).content.decode()
    response = client.post(ABBR, abbr_post(page, **{f"abbr_{world.muni.pk}": value}))
    assert response.status_code == 400 and message in response.content.decode()
    assert set(Abbreviation.objects.values_list("abbreviation", flat=True)) == {"FAX", "KØG"}


def test_the_same_abbreviation_twice_and_a_stale_page(world, rnd, login):
    from forlob.quality.models import Abbreviation

    client = login(world.coordinator)
    page = client.get(ABBR).content.decode()
    response = client.post(ABBR, abbr_post(page, **{f"abbr_{world.muni.pk}": "KØG"}))
    assert "KØG er også skrevet ved" in response.content.decode()
    Abbreviation.objects.filter(municipality=world.muni2).update(abbreviation="KGE")
    response = client.post(ABBR, abbr_post(page, **{f"abbr_{world.muni.pk}": "SRD"}))
    assert response.status_code == 400 and STALE in response.content.decode()
    assert not Abbreviation.objects.filter(abbreviation="SRD").exists()


def test_abbreviations_only_for_coordinators(world, login):
    for user in (world.leader, world.admin, world.caseworker, world.clinician):
        assert login(user).get(ABBR).status_code == 404
        assert login(user).post(ABBR, {}).status_code == 404
