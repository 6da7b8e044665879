"""Assessment rounds, the coordinator's side (issue 6 item 2): the list, opening a round for a
cluster or a region, adding and removing participants, progress across municipalities and who
has not answered, scoping (404 outside), optimistic locking and garbage input."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob import clock
from forlob.accounts.models import Membership, Role
from forlob.quality.models import Participant, ParticipantEvent, Round, Status

from .factories_quality import answer, make_round, mini_kl


def url(name, *args):
    return reverse(f"quality:{name}", args=args)


@pytest.fixture
def fw(db):
    return mini_kl()


@pytest.fixture
def rnd(world, fw):
    return make_round(fw, cluster=world.cluster, municipalities=[world.muni, world.muni2],
                      user=world.coordinator)


def part(rnd, municipality):
    return Participant.objects.get(round=rnd, municipality=municipality)


def create_post(world, fw, **overrides):
    data = {"framework": fw.pk, "name": "Selvevaluering 2026",
            "period_start": "2026-01-01", "period_end": "2026-05-31", "deadline": "2026-07-01",
            "municipalities": [world.muni.pk, world.muni2.pk]}
    data.update(overrides)
    return data


# --- The list --------------------------------------------------------------------------------

def test_list_needs_login(client, world):
    response = client.get(url("round_list"))
    assert response.status_code == 302


def test_empty_states(world, login):
    text = login(world.coordinator).get(url("round_list")).content.decode()
    assert "Der er ingen vurderingsrunder endnu" in text
    assert url("round_create") in text
    text = login(world.leader).get(url("round_list")).content.decode()
    assert "deltager ikke i nogen vurderingsrunder" in text
    assert url("round_create") not in text


def test_coordinator_sees_rounds_with_progress(world, login, rnd):
    Participant.objects.filter(round=rnd, municipality=world.muni).update(
        status=Status.SUBMITTED)
    text = login(world.coordinator).get(url("round_list")).content.decode()
    assert url("round_detail", rnd.pk) in text
    assert "1 af 2 kommuner har indsendt, 0 godkendt" in text


def test_leader_sees_own_participation_only(world, login, rnd, fw):
    other = make_round(fw, cluster=world.other_cluster, municipalities=[world.muni3],
                       name="Syd-runden")
    text = login(world.leader).get(url("round_list")).content.decode()
    assert url("answer_edit", part(rnd, world.muni).pk) in text
    assert url("answer_edit", part(rnd, world.muni2).pk) not in text
    assert url("round_detail", rnd.pk) not in text
    assert other.name not in text


def test_list_is_paginated(world, login, fw):
    for i in range(27):
        make_round(fw, cluster=world.cluster, name=f"Runde {i:02d}")
    response = login(world.coordinator).get(url("round_list"))
    assert "Side 1 af 2" in response.content.decode()
    assert len(response.context["rows"]) == 25
    assert len(login(world.coordinator).get(url("round_list") + "?side=2").context["rows"]) == 2


# --- Opening a round -------------------------------------------------------------------------

def test_cluster_coordinator_opens_a_round(world, login, fw):
    client = login(world.coordinator)
    form = client.get(url("round_create")).content.decode()
    assert "Solrød" in form and "Køge" in form and "Faxe" not in form
    response = client.post(url("round_create"), create_post(world, fw))
    rnd = Round.objects.get()
    assert response.status_code == 302 and response["Location"] == url("round_detail", rnd.pk)
    assert rnd.cluster == world.cluster and rnd.region is None
    assert rnd.opened_by == world.coordinator
    assert set(rnd.participants.values_list("municipality__name", flat=True)) == {
        "Solrød", "Køge"}
    assert set(rnd.participants.values_list("status", flat=True)) == {Status.DRAFT}
    assert ParticipantEvent.objects.filter(participant__round=rnd,
                                           to_status=Status.DRAFT).count() == 2


def test_region_coordinator_opens_a_region_round(world, login, fw):
    client = login(world.region_coordinator)
    response = client.post(url("round_create"), create_post(
        world, fw, municipalities=[world.muni.pk, world.muni3.pk]))
    assert response.status_code == 302
    rnd = Round.objects.get()
    assert rnd.region == world.region and rnd.cluster is None
    assert rnd.participants.count() == 2


def test_a_coordinator_of_several_organisations_chooses(world, login, fw):
    Membership.objects.create(user=world.coordinator, role=Role.COORDINATOR,
                              region=world.region)
    client = login(world.coordinator)
    response = client.post(url("round_create"), create_post(world, fw))
    assert response.status_code == 400
    assert "Vælg klynge eller region." in response.content.decode()
    response = client.post(url("round_create"), create_post(
        world, fw, organisation=f"region-{world.region.pk}",
        municipalities=[world.muni.pk, world.muni3.pk]))
    assert response.status_code == 302
    assert Round.objects.get().region == world.region


@pytest.mark.parametrize("overrides, message", [
    ({"period_end": "2025-12-31"}, "Perioden slutter, før den begynder."),
    ({"deadline": "2025-06-01"}, "Svarfristen ligger før perioden begynder."),
    ({"municipalities": []}, "Vælg mindst én deltagende kommune."),
    ({"name": ""}, "Giv runden et navn."),
    ({"period_start": "31-02-2026"}, "Skriv en gyldig dato."),
    ({"framework": "999999"}, "Vælg et af de viste rammeværker."),
])
def test_bad_round_input_is_refused(world, login, fw, overrides, message):
    response = login(world.coordinator).post(url("round_create"),
                                             create_post(world, fw, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Round.objects.exists()


def test_municipalities_of_another_cluster_are_refused(world, login, fw):
    response = login(world.coordinator).post(url("round_create"), create_post(
        world, fw, municipalities=[world.muni.pk, world.muni3.pk]))
    assert response.status_code == 400
    assert not Round.objects.exists()


def test_a_region_round_takes_only_the_regions_municipalities(world, login, fw):
    """A municipality inside the coordinator's scope but outside the chosen organisation."""
    Membership.objects.create(user=world.coordinator, role=Role.COORDINATOR,
                              cluster=world.other_cluster)
    response = login(world.coordinator).post(url("round_create"), create_post(
        world, fw, organisation=f"klynge-{world.cluster.pk}",
        municipalities=[world.muni.pk, world.muni3.pk]))
    assert response.status_code == 400
    assert "Faxe hører ikke under Øst." in response.content.decode()
    assert not Round.objects.exists()


@pytest.mark.parametrize("role", ["leader", "admin", "caseworker", "clinician"])
def test_only_coordinators_open_rounds(world, login, fw, role):
    client = login(getattr(world, role))
    assert client.get(url("round_create")).status_code == 404
    assert client.post(url("round_create"), create_post(world, fw)).status_code == 404
    assert not Round.objects.exists()


def test_garbage_post_never_500s(world, login, fw):
    client = login(world.coordinator)
    for data in ({}, {"organisation": "x-y", "municipalities": ["abc"]},
                 {"framework": "'; drop table", "period_start": "9" * 40,
                  "deadline": "0000-00-00"}):
        response = client.post(url("round_create"), data)
        assert response.status_code == 400
    assert not Round.objects.exists()


# --- The round's page ------------------------------------------------------------------------

def test_detail_shows_progress_and_who_has_not_answered(world, login, rnd, fw):
    p = part(rnd, world.muni)
    answer(p, fw, "1.1", "ja")
    answer(p, fw, "1.2", "nej")
    p2 = part(rnd, world.muni2)
    Participant.objects.filter(pk=p2.pk).update(status=Status.SUBMITTED,
                                                submitted_at=clock.now())
    response = login(world.coordinator).get(url("round_detail", rnd.pk))
    assert response.status_code == 200
    rows = {r.participant.municipality.name: r for r in response.context["rows"]}
    assert (rows["Solrød"].answered, rows["Solrød"].total) == (2, 5)
    assert rows["Køge"].done and not rows["Solrød"].done
    text = response.content.decode()
    assert "Har ikke indsendt" in text
    assert url("answer_edit", p.pk) in text and url("answer_return", p2.pk) in text
    assert "Fristen er overskredet" not in text


def test_detail_marks_the_deadline_passed(world, login, rnd):
    client = login(world.coordinator)
    with clock.frozen(dt.date(2026, 7, 1)):  # the deadline day itself is in time
        response = client.get(url("round_detail", rnd.pk))
    assert not response.context["overdue"]
    assert "Fristen er overskredet" not in response.content.decode()
    with clock.frozen(dt.date(2026, 7, 2)):
        response = client.get(url("round_detail", rnd.pk))
    assert response.context["overdue"]
    assert all(r.late for r in response.context["rows"])
    assert "Fristen er overskredet" in response.content.decode()


def test_who_has_submitted_is_never_late(world, login, rnd):
    Participant.objects.filter(round=rnd, municipality=world.muni).update(
        status=Status.SUBMITTED)
    client = login(world.coordinator)
    with clock.frozen(dt.date(2026, 7, 2)):
        response = client.get(url("round_detail", rnd.pk))
        listed = client.get(url("round_list"))
    late = {r.participant.municipality.name: r.late for r in response.context["rows"]}
    assert late == {"Solrød": False, "Køge": True}
    assert response.context["overdue"] and listed.context["rows"][0].overdue
    assert "Overskredet" in listed.content.decode()
    Participant.objects.filter(round=rnd).update(status=Status.APPROVED)
    with clock.frozen(dt.date(2026, 7, 2)):
        response = client.get(url("round_detail", rnd.pk))
        listed = client.get(url("round_list"))
    assert not response.context["overdue"] and not listed.context["rows"][0].overdue
    assert "Fristen er overskredet" not in response.content.decode()
    assert "Overskredet" not in listed.content.decode()


def test_split_participants_count_every_area(world, login, rnd, fw):
    p = part(rnd, world.muni)
    p.areas = ["alkohol", "stof"]
    p.save()
    answer(p, fw, "1.1", "ja", area="alkohol")
    response = login(world.coordinator).get(url("round_detail", rnd.pk))
    row = next(r for r in response.context["rows"] if r.participant.pk == p.pk)
    assert (row.answered, row.total) == (1, 10)


def test_region_coordinator_runs_the_clusters_rounds(world, login, rnd):
    assert login(world.region_coordinator).get(url("round_detail", rnd.pk)).status_code == 200


@pytest.mark.parametrize("role", ["leader", "admin", "caseworker", "clinician"])
def test_detail_is_404_for_others(world, login, rnd, role):
    assert login(getattr(world, role)).get(url("round_detail", rnd.pk)).status_code == 404


def test_coordinator_of_another_cluster_gets_404(world, login, rnd):
    from .factories import make_user

    other = make_user(Role.COORDINATOR, world.other_cluster, "sydkoordinator")
    client = login(other)
    assert client.get(url("round_detail", rnd.pk)).status_code == 404
    assert client.get(url("round_participants", rnd.pk)).status_code == 404
    assert client.get(url("answer_edit", part(rnd, world.muni).pk)).status_code == 404
    assert client.get(url("round_list")).context["rows"] == []


# --- Participants ----------------------------------------------------------------------------

def test_add_and_remove_participants(world, login, fw):
    from .factories import MunicipalityFactory

    greve = MunicipalityFactory(name="Greve", code="253", cluster=world.cluster)
    rnd = make_round(fw, cluster=world.cluster, municipalities=[world.muni, world.muni2])
    client = login(world.coordinator)
    response = client.post(url("round_participants", rnd.pk), {
        "loaded_version": rnd.version, "municipalities": [world.muni.pk, greve.pk]})
    assert response.status_code == 302
    assert set(rnd.participants.values_list("municipality__name", flat=True)) == {
        "Solrød", "Greve"}
    rnd.refresh_from_db()
    assert rnd.version == 2


def test_a_municipality_that_answered_is_not_removed(world, login, rnd, fw):
    answer(part(rnd, world.muni2), fw, "1.1", "ja")
    response = login(world.coordinator).post(url("round_participants", rnd.pk), {
        "loaded_version": rnd.version, "municipalities": [world.muni.pk]})
    assert response.status_code == 400
    assert "Køge har allerede svaret" in response.content.decode()
    assert rnd.participants.count() == 2
    rnd.refresh_from_db()
    assert rnd.version == 1


def test_stale_participant_change_writes_nothing(world, login, rnd):
    client = login(world.coordinator)
    Round.objects.filter(pk=rnd.pk).update(version=5)
    response = client.post(url("round_participants", rnd.pk), {
        "loaded_version": 1, "municipalities": [world.muni.pk]})
    assert response.status_code == 400
    assert "ændret af en anden" in response.content.decode()
    assert rnd.participants.count() == 2


def test_participants_of_another_cluster_are_refused(world, login, rnd):
    response = login(world.coordinator).post(url("round_participants", rnd.pk), {
        "loaded_version": rnd.version, "municipalities": [world.muni.pk, world.muni3.pk]})
    assert response.status_code == 400
    assert rnd.participants.count() == 2


# --- Closing the round -----------------------------------------------------------------------

def close(client, rnd, version=None, confirm=True, action="afslut"):
    data = {"handling": action, "loaded_version": rnd.version if version is None else version}
    if confirm:
        data["confirm"] = "on"
    return client.post(url("round_detail", rnd.pk), data)


def test_closing_needs_the_confirmation_then_the_round_is_read_only(world, login, rnd):
    client = login(world.coordinator)
    page = client.get(url("round_detail", rnd.pk)).content.decode()
    assert "Afslut runden" in page and "Ja, afslut runden" in page
    assert "2 kommuner har ikke indsendt deres svar." in page
    assert "Genåbn runden" not in page
    response = close(client, rnd, confirm=False)
    assert response.status_code == 400
    assert "Bekræft, at runden skal afsluttes." in response.content.decode()
    rnd.refresh_from_db()
    assert not rnd.closed and rnd.version == 1
    response = close(client, rnd)
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert rnd.closed and rnd.version == 2
    events = ParticipantEvent.objects.filter(participant__round=rnd,
                                             comment="Runden er afsluttet af koordinatoren.")
    assert events.count() == 2 and {e.user for e in events} == {world.coordinator}
    page = client.get(url("round_detail", rnd.pk)).content.decode()
    assert "Genåbn runden" in page and "Ja, afslut runden" not in page
    assert url("round_participants", rnd.pk) not in page
    assert "Afsluttet" in client.get(url("round_list")).content.decode()
    # Closing twice does nothing.
    close(client, rnd)
    rnd.refresh_from_db()
    assert rnd.closed and rnd.version == 2


def test_a_stale_close_is_refused(world, login, rnd):
    client = login(world.coordinator)
    Round.objects.filter(pk=rnd.pk).update(version=4)  # someone changed the round meanwhile
    response = close(client, rnd, version=1)
    assert response.status_code == 409
    assert "ændret af en anden" in response.content.decode()
    rnd.refresh_from_db()
    assert not rnd.closed and rnd.version == 4
    for version in ("", "x", "99999999999999999999"):
        assert close(client, rnd, version=version).status_code == 409
    rnd.refresh_from_db()
    assert not rnd.closed


def test_reopening_undoes_the_close(world, login, rnd):
    client = login(world.coordinator)
    close(client, rnd)
    rnd.refresh_from_db()
    assert close(client, rnd, version=1, confirm=False, action="genaabn").status_code == 409
    assert Round.objects.get(pk=rnd.pk).closed
    response = close(client, rnd, confirm=False, action="genaabn")
    assert response.status_code == 302
    rnd.refresh_from_db()
    assert not rnd.closed and rnd.version == 3
    assert ParticipantEvent.objects.filter(
        participant__round=rnd, comment="Runden er genåbnet af koordinatoren.").count() == 2


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_only_the_coordinator_closes(world, login, rnd, role):
    response = close(login(getattr(world, role)), rnd)
    assert response.status_code == 404
    assert not Round.objects.get(pk=rnd.pk).closed


def test_garbage_round_actions_change_nothing(world, login, rnd):
    client = login(world.coordinator)
    for data in ({}, {"handling": "slet"}, {"handling": "genaabn", "loaded_version": "1"}):
        assert client.post(url("round_detail", rnd.pk), data).status_code == 302
    rnd.refresh_from_db()
    assert not rnd.closed and rnd.version == 1
