"""The coordinator's resolutions (issue 6 item 3): the round's matrix, resolving a delvis each
way or keeping it, a category by judgement and its undo, optimistic locking, bad input kept
out, and 404 for everyone but the round's coordinators. Built on factories_quality.mini_kl()."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from forlob.accounts.models import Role
from forlob.quality import evidence as evidence_module
from forlob.quality import services_resolutions as services
from forlob.quality import views_resolutions
from forlob.quality.evidence import Evidence
from forlob.quality.models import Category, Participant, Resolution, Status
from forlob.quality.outcomes import round_outcomes

from .factories import make_user
from .factories_quality import answer, item, make_round, mini_kl


@pytest.fixture
def rnd(world):
    """Solrød answers as a whole: 1.1 ja, 1.2 delvis, 5.1 nej, 5.2 ja. Køge splits into
    alkohol and stof: 1.1 ja/nej (differ → nej), 1.2 delvis/delvis. Both submitted."""
    fw = mini_kl()
    r = make_round(fw, cluster=world.cluster, municipalities=[world.muni, world.muni2],
                   user=world.coordinator)
    world.p1 = Participant.objects.get(round=r, municipality=world.muni)
    world.p2 = Participant.objects.get(round=r, municipality=world.muni2)
    world.p2.areas = ["alkohol", "stof"]
    for p in (world.p1, world.p2):
        p.status = Status.SUBMITTED
        p.save()
    for number, choice in (("1.1", "ja"), ("1.2", "delvis"), ("5.1", "nej"), ("5.2", "ja")):
        answer(world.p1, fw, number, choice)
    answer(world.p1, fw, "1.4", text="Vi inddrager familien i weekenderne.")
    for area, c11 in (("alkohol", "ja"), ("stof", "nej")):
        answer(world.p2, fw, "1.1", c11, area=area)
        answer(world.p2, fw, "1.2", "delvis", area=area)
    return r


def overview_url(r):
    return reverse("quality:resolution_overview", args=[r.pk])


def edit_url(p, fw, number):
    return reverse("quality:resolution_edit", args=[p.pk, item(fw, number).pk])


def outcome(p, number):
    return round_outcomes(p.round, [p])[(p.pk, item(p.round.framework, number).pk)]


def post(client, p, number, action, **data):
    return client.post(edit_url(p, p.round.framework, number),
                       {"handling": action, "loaded_version": 0, **data})


# --- The matrix -------------------------------------------------------------------------------

def test_the_overview_shows_raw_answers_categories_and_open_delvis(world, rnd, login):
    response = login(world.coordinator).get(overview_url(rnd))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Solrød" in html and "Køge" in html
    assert 'badge badge-success">Helt indfriet' in html  # Solrød 1.1
    assert 'badge badge-error">Ikke indfriet' in html  # Køge 1.1 (areas differ), Solrød 5.1
    assert "Områderne svarede forskelligt: samlet nej." in html
    assert "Alkohol: Ja" in html and "Stof: Nej" in html
    assert html.count("Delvis – afventer afgørelse") == 2  # both on 1.2
    assert "2 delvis-svar afventer din afgørelse." in html
    assert edit_url(world.p1, rnd.framework, "1.2") in html


def test_the_overview_can_show_only_open_delvis(world, rnd, login):
    html = login(world.coordinator).get(overview_url(rnd), {"aabne": "1"}).content.decode()
    assert f'id="indikator-{item(rnd.framework, "1.2").pk}"' in html
    assert f'id="indikator-{item(rnd.framework, "1.1").pk}"' not in html
    for p in (world.p1, world.p2):
        Resolution.objects.create(participant=p, item=item(rnd.framework, "1.2"),
                                  delvis_to="delvis")
    html = login(world.coordinator).get(overview_url(rnd), {"aabne": "1"}).content.decode()
    assert "Ingen delvis-svar afventer afgørelse." in html


def test_the_overview_shows_evidence_and_its_flag(world, rnd, login, monkeypatch):
    flagged = Evidence("5.2", "follow_up_1", "Opfølgning 1 måned efter udskrivning", "12 %",
                       0.12, True, "Svaret er ja, men kun 12 % af opfølgningerne blev "
                       "gennemført.")

    def fake(r, numbers=None, participants=None):
        return {(world.muni.pk, "5.2"): flagged}

    monkeypatch.setattr(views_resolutions, "evidence_for_round", fake)
    html = login(world.coordinator).get(overview_url(rnd)).content.decode()
    assert "Målt: 12 % (Opfølgning 1 måned efter udskrivning)" in html
    assert "Svaret er ja, men kun 12 % af opfølgningerne blev gennemført." in html
    assert "1 svar på denne side afviger fra de målte tal." in html


def test_the_overview_uses_the_real_evidence(world, rnd, login):
    assert evidence_module.evidence_for_round  # no monkeypatch: no data, a dash
    html = login(world.coordinator).get(overview_url(rnd)).content.decode()
    assert "Målt: – (Opfølgning 1 måned efter udskrivning)" in html


def test_an_empty_round(world, login):
    r = make_round(mini_kl(), cluster=world.cluster)
    html = login(world.coordinator).get(overview_url(r)).content.decode()
    assert "Runden har ingen deltagende kommuner endnu." in html


def test_only_the_rounds_coordinators_see_it(world, rnd, login):
    other = make_user(Role.COORDINATOR, world.other_cluster, "syd")
    for user in (world.leader, world.admin, world.caseworker, world.clinician, other):
        client = login(user)
        assert client.get(overview_url(rnd)).status_code == 404, user
        assert client.get(edit_url(world.p1, rnd.framework, "1.2")).status_code == 404, user
        assert post(client, world.p1, "1.2", "afgoer", delvis_to="ja",
                    reason="x").status_code == 404, user
    assert not Resolution.objects.exists()
    assert login(world.region_coordinator).get(overview_url(rnd)).status_code == 200
    missing = reverse("quality:resolution_overview", args=[987654])
    assert login(world.coordinator).get(missing).status_code == 404


def test_only_answerable_indicators_of_the_rounds_framework(world, rnd, login):
    client = login(world.coordinator)
    plan = item(rnd.framework, "1.4")
    assert client.get(reverse("quality:resolution_edit",
                              args=[world.p1.pk, plan.pk])).status_code == 404
    other = mini_kl(version="other")
    assert client.get(reverse("quality:resolution_edit",
                              args=[world.p1.pk, item(other, "1.2").pk])).status_code == 404


# --- Resolving a delvis -----------------------------------------------------------------------

def test_resolve_a_delvis_to_ja(world, rnd, login):
    client = login(world.coordinator)
    page = client.get(edit_url(world.p1, rnd.framework, "1.2"))
    assert page.status_code == 200
    assert "Vi inddrager familien i weekenderne." in page.content.decode()  # supplementary
    response = post(client, world.p1, "1.2", "afgoer", delvis_to="ja",
                    reason="På linje med dem, der svarede ja.", side="1")
    assert response.status_code == 302
    assert response.url == (f"{overview_url(rnd)}?side=1"
                            f"#indikator-{item(rnd.framework, '1.2').pk}")
    r = Resolution.objects.get(participant=world.p1)
    assert (r.delvis_to, r.delvis_reason, r.decided_by, r.version) == (
        "ja", "På linje med dem, der svarede ja.", world.coordinator, 1)
    assert r.decided_at.date() == dt.date(2026, 6, 15)
    o = outcome(world.p1, "1.2")
    assert (o.category, o.by_judgement, o.needs_resolution) == (Category.MET, False, False)
    html = client.get(response.url).content.decode()
    assert "Delvis-svaret er afgjort." in html
    assert html.count("Delvis – afventer afgørelse") == 1  # Køge's is still open


def test_resolve_a_delvis_to_nej_and_then_keep_it(world, rnd, login):
    client = login(world.coordinator)
    assert post(client, world.p2, "1.2", "afgoer", delvis_to="nej",
                reason="Ingen systematik.").status_code == 302
    assert outcome(world.p2, "1.2").category == Category.NOT_MET
    assert client.post(edit_url(world.p2, rnd.framework, "1.2"), {
        "handling": "afgoer", "loaded_version": 1, "delvis_to": "delvis"}).status_code == 302
    o = outcome(world.p2, "1.2")
    assert o.category == Category.PARTLY and not o.needs_resolution
    assert Resolution.objects.get(participant=world.p2).version == 2
    html = client.get(overview_url(rnd)).content.decode()
    assert 'badge badge-warning">Delvist indfriet' in html


def test_a_reason_is_required_for_ja_or_nej(world, rnd, login):
    response = post(login(world.coordinator), world.p1, "1.2", "afgoer", delvis_to="ja",
                    reason="   ")
    assert response.status_code == 400
    assert "Skriv en begrundelse. Den vises i rapporterne." in response.content.decode()
    assert not Resolution.objects.exists()


@pytest.mark.parametrize("data", [{"delvis_to": "måske"}, {}, {"delvis_to": "ja",
                                                                "reason": "x" * 2001}])
def test_bad_resolutions_are_refused(world, rnd, login, data):
    response = post(login(world.coordinator), world.p1, "1.2", "afgoer", **data)
    assert response.status_code == 400
    assert "Der er fejl i formularen. Intet er gemt." in response.content.decode()
    assert not Resolution.objects.exists()


def test_only_a_delvis_is_resolved(world, rnd, login):
    response = post(login(world.coordinator), world.p1, "1.1", "afgoer", delvis_to="nej",
                    reason="x")
    assert response.status_code == 400
    assert "Svaret er ikke delvis, så der er intet at afgøre." in response.content.decode()
    assert not Resolution.objects.exists()


def test_reopen_a_resolved_delvis(world, rnd, login):
    client = login(world.coordinator)
    post(client, world.p1, "1.2", "afgoer", delvis_to="ja", reason="r")
    assert "Tag afgørelsen af delvis-svaret tilbage" in client.get(
        edit_url(world.p1, rnd.framework, "1.2")).content.decode()
    response = client.post(edit_url(world.p1, rnd.framework, "1.2"),
                           {"handling": "genaabn", "loaded_version": 1})
    assert response.status_code == 302
    assert outcome(world.p1, "1.2").needs_resolution
    response = client.post(edit_url(world.p1, rnd.framework, "1.2"),
                           {"handling": "genaabn", "loaded_version": 2})
    assert response.status_code == 400
    assert "Delvis-svaret er ikke afgjort" in response.content.decode()


# --- Judgement --------------------------------------------------------------------------------

def test_set_a_category_by_judgement_and_undo_it(world, rnd, login):
    client = login(world.coordinator)
    response = post(client, world.p2, "1.1", "skoen", category="green",
                    reason="Områderne indfrier samlet indikatoren.")
    assert response.status_code == 302
    o = outcome(world.p2, "1.1")
    assert (o.category, o.by_rule, o.by_judgement) == (Category.MET, Category.NOT_MET, True)
    assert o.reason == "Områderne indfrier samlet indikatoren."
    html = client.get(edit_url(world.p2, rnd.framework, "1.1")).content.decode()
    assert "sat ved skøn" in html and "reglerne giver Ikke indfriet" in html
    assert client.post(edit_url(world.p2, rnd.framework, "1.1"),
                       {"handling": "fortryd", "loaded_version": 1}).status_code == 302
    o = outcome(world.p2, "1.1")
    assert (o.category, o.by_judgement) == (Category.NOT_MET, False)
    r = Resolution.objects.get(participant=world.p2)
    assert (r.category_override, r.override_reason, r.version) == ("", "", 2)


def test_a_judgement_on_an_open_delvis_settles_it(world, rnd, login):
    assert post(login(world.coordinator), world.p1, "1.2", "skoen", category="yellow",
                reason="Køberkommune: delvist via aftalen.").status_code == 302
    o = outcome(world.p1, "1.2")
    assert (o.category, o.needs_resolution) == (Category.PARTLY, False)


@pytest.mark.parametrize(("number", "data", "message"), [
    ("1.1", {"category": "green", "reason": "x"},
     "Reglerne giver allerede denne kategori."),
    ("1.1", {"category": "red"}, "Skriv en begrundelse. Den vises i rapporterne."),
    ("1.1", {"category": "blue", "reason": "x"}, "Vælg en af de viste kategorier."),
    ("9.1", {"category": "red", "reason": "x"}, "Indikatoren er ikke besvaret."),
])
def test_bad_judgements_are_refused(world, rnd, login, number, data, message):
    response = post(login(world.coordinator), world.p1, number, "skoen", **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Resolution.objects.exists()


def test_undo_without_a_judgement(world, rnd, login):
    response = post(login(world.coordinator), world.p1, "1.1", "fortryd")
    assert response.status_code == 400
    assert "Der er intet skøn at fortryde." in response.content.decode()


def test_an_unknown_action(world, rnd, login):
    response = post(login(world.coordinator), world.p1, "1.2", "slet")
    assert response.status_code == 400
    assert "Ukendt handling." in response.content.decode()
    assert not Resolution.objects.exists()


# --- Locking, state and the service ------------------------------------------------------------

def test_a_stale_page_writes_nothing(world, rnd, login):
    client = login(world.coordinator)
    Resolution.objects.create(participant=world.p1, item=item(rnd.framework, "1.2"),
                              delvis_to="nej", delvis_reason="Først")  # someone else, meanwhile
    response = post(client, world.p1, "1.2", "afgoer", delvis_to="ja", reason="Mit")
    assert response.status_code == 400
    assert "Sagen blev ændret af en anden" in response.content.decode()
    assert Resolution.objects.get().delvis_reason == "Først"
    Resolution.objects.update(version=3)
    response = client.post(edit_url(world.p1, rnd.framework, "1.2"), {
        "handling": "afgoer", "loaded_version": 2, "delvis_to": "ja", "reason": "Mit"})
    assert response.status_code == 400
    assert (Resolution.objects.get().delvis_reason, Resolution.objects.get().version) == (
        "Først", 3)


@pytest.mark.parametrize("version", ["", "x", "-1", "99999999999999999999"])
def test_a_missing_version_is_refused(world, rnd, login, version):
    response = login(world.coordinator).post(edit_url(world.p1, rnd.framework, "1.2"), {
        "handling": "afgoer", "loaded_version": version, "delvis_to": "delvis"})
    assert response.status_code == 400
    assert "Formularen mangler afgørelsens version." in response.content.decode()
    assert not Resolution.objects.exists()


@pytest.mark.parametrize("state", ["draft", "returned", "closed"])
def test_nothing_is_resolved_before_submission_or_after_closing(world, rnd, login, state):
    if state == "closed":
        rnd.closed = True
        rnd.save()
        message = "Runden er afsluttet."
    else:
        Participant.objects.filter(pk=world.p1.pk).update(status=state)
        message = "Kommunen har ikke indsendt sine svar endnu."
    client = login(world.coordinator)
    page = client.get(edit_url(world.p1, rnd.framework, "1.2")).content.decode()
    assert message in page and "Gem afgørelsen" not in page
    response = post(client, world.p1, "1.2", "afgoer", delvis_to="delvis")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Resolution.objects.exists()


def test_approved_answers_can_still_be_resolved(world, rnd, login):
    Participant.objects.filter(pk=world.p1.pk).update(status=Status.APPROVED)
    assert post(login(world.coordinator), world.p1, "1.2", "afgoer",
                delvis_to="delvis").status_code == 302


def test_the_service_checks_the_coordinator(world, rnd):
    target = item(rnd.framework, "1.2")
    with pytest.raises(PermissionDenied):
        services.resolve(world.leader, world.p1, target, loaded_version=0, delvis_to="ja",
                         reason="x")
    with pytest.raises(ValidationError):
        services.resolve(world.coordinator, world.p1, target, loaded_version=0,
                         delvis_to="ja", reason="")
    r = services.resolve(world.region_coordinator, world.p1, target, loaded_version=0,
                         delvis_to="nej", reason="Regionens vurdering")
    assert r.decided_by == world.region_coordinator
    assert not Resolution.objects.filter(participant=world.p2).exists()


def test_each_resolution_change_is_kept_in_the_history(world, rnd, login):
    client = login(world.coordinator)
    post(client, world.p2, "1.1", "skoen", category="green", reason="Samlet indfriet.")
    client.post(edit_url(world.p2, rnd.framework, "1.1"),
                {"handling": "fortryd", "loaded_version": 1})
    events = [e.changes for e in world.p2.events.order_by("pk") if e.changes]
    assert events == [
        {"afgørelse:1.1": {"old": {"category_override": "", "override_reason": ""},
                           "new": {"category_override": "green",
                                   "override_reason": "Samlet indfriet."}}},
        {"afgørelse:1.1": {"old": {"category_override": "green",
                                   "override_reason": "Samlet indfriet."},
                           "new": {"category_override": "", "override_reason": ""}}},
    ]
    html = client.get(reverse("quality:answer_history", args=[world.p2.pk])).content.decode()
    assert "1.1: koordinatorens afgørelse" in html and "Samlet indfriet." in html
