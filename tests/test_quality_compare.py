"""Rounds over time (issue 6 item 7; views_compare.py, rules_compare.py): two rounds of the same
framework compared indicator by indicator, with the change in category and in evidence; a
different framework is refused with a clear message; coordinators only."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from forlob.accounts.models import Role
from forlob.quality import rules_compare as rc
from forlob.quality import views_compare
from forlob.quality.evidence import Evidence
from forlob.quality.models import Category, Framework, Participant, Resolution

from .factories import make_user
from .factories_quality import answer, item, make_round, mini_kl

URL = reverse("quality:compare_rounds")
D = dt.date


@pytest.fixture
def rounds(world):
    """2014: Solrød 1.1 nej, 1.2 ja, 5.1 delvis kept. 2016 (a new version without 9.1):
    Solrød 1.1 ja, 1.2 nej, 5.1 delvis kept; Køge takes part only in 2016."""
    fw_a, fw_b = mini_kl("2014"), mini_kl("2016")
    item(fw_b, "9.1").delete()
    a = make_round(fw_a, cluster=world.cluster, municipalities=[world.muni], name="Runde 2014",
                   period=(D(2014, 1, 1), D(2014, 12, 31)), deadline=D(2015, 3, 1))
    b = make_round(fw_b, cluster=world.cluster, municipalities=[world.muni, world.muni2],
                   name="Runde 2016", period=(D(2016, 1, 1), D(2016, 12, 31)),
                   deadline=D(2017, 3, 1))
    for rnd, answers in ((a, {"1.1": "nej", "1.2": "ja", "5.1": "delvis"}),
                         (b, {"1.1": "ja", "1.2": "nej", "5.1": "delvis"})):
        p = Participant.objects.get(round=rnd, municipality=world.muni)
        for number, choice in answers.items():
            answer(p, rnd.framework, number, choice)
        Resolution.objects.create(participant=p, item=item(rnd.framework, "5.1"),
                                  delvis_to="delvis")
    world.a, world.b = a, b
    return world


def compare(client, a, b, **extra):
    return client.get(URL, {"fra": a.pk, "til": b.pk, **extra})


def test_the_form_lists_the_coordinators_rounds(rounds, login):
    response = login(rounds.coordinator).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Runde 2014" in html and "Runde 2016" in html
    assert "Kategori i" not in html  # nothing compared yet
    form = response.context["form"]  # the latest two of one framework come preselected
    assert (form["fra"].value(), form["til"].value()) == (str(rounds.a.pk), str(rounds.b.pk))
    assert "1. januar 2014" in html


def test_category_changes_per_indicator_and_municipality(rounds, login):
    response = compare(login(rounds.coordinator), rounds.a, rounds.b)
    assert response.status_code == 200
    result = response.context["result"]
    rows = {i.number: lines for i, lines in result["rows"]}
    assert list(rows) == ["1.1", "1.2", "5.1", "5.2"]
    solrod = {n: next(line for line in lines if line.municipality == rounds.muni)
              for n, lines in rows.items()}
    assert solrod["1.1"].change == rc.IMPROVED
    assert (solrod["1.1"].before.label, solrod["1.1"].after.label) == (
        "Ikke indfriet", "Helt indfriet")
    assert solrod["1.2"].change == rc.WORSE
    assert solrod["5.1"].change == rc.SAME and solrod["5.1"].after.label == "Delvist indfriet"
    assert solrod["5.2"].change == ""  # not answered
    koge = next(line for line in rows["1.1"] if line.municipality == rounds.muni2)
    assert not koge.before.took_part and koge.after.took_part and koge.change == ""
    assert result["only_before"] == ["9.1"] and result["only_after"] == []
    assert result["totals"] == [("Forbedret", 1), ("Forværret", 1), ("Uændret", 1)]
    html = response.content.decode()
    assert 'badge badge-success">Forbedret' in html and 'badge badge-error">Forværret' in html
    assert "Deltog ikke" in html and "Kun i den tidligere runde: 9.1." in html


def test_a_judgement_is_marked_and_counts(rounds, login):
    p = Participant.objects.get(round=rounds.b, municipality=rounds.muni)
    Resolution.objects.filter(participant=p).update(category_override=Category.MET,
                                                    override_reason="Aftale")
    rows = dict(compare(login(rounds.coordinator), rounds.a, rounds.b).context["result"]["rows"])
    line = next(line for i, lines in rows.items() if i.number == "5.1" for line in lines
                if line.municipality == rounds.muni)
    assert line.after.judged and line.change == rc.IMPROVED


def test_evidence_then_and_now(rounds, login, monkeypatch):
    def fake(rnd, numbers=None, participants=None):
        value = 0.3 if rnd.pk == rounds.a.pk else 0.6
        return {(rounds.muni.pk, "5.2"): Evidence(
            "5.2", "follow_up_1", "Opfølgning 1 måned efter udskrivning",
            f"{round(value * 100)} %", value, False, "")}

    monkeypatch.setattr(views_compare, "evidence_for_round", fake)
    response = compare(login(rounds.coordinator), rounds.a, rounds.b)
    rows = {i.number: lines for i, lines in response.context["result"]["rows"]}
    line = next(line for line in rows["5.2"] if line.municipality == rounds.muni)
    assert (line.before.evidence.value, line.after.evidence.value) == (0.3, 0.6)
    assert (line.evidence_change, line.evidence_change_label) == (rc.IMPROVED, "Forbedret")
    html = response.content.decode()
    assert "Opfølgning 1 måned efter udskrivning: 30 %" in html
    assert "Opfølgning 1 måned efter udskrivning: 60 %" in html


def test_the_real_evidence_is_computed_for_each_rounds_period(rounds, login):
    response = compare(login(rounds.coordinator), rounds.a, rounds.b)
    rows = {i.number: lines for i, lines in response.context["result"]["rows"]}
    line = next(line for line in rows["5.2"] if line.municipality == rounds.muni)
    assert line.before.evidence.kpi_code == "follow_up_1"
    assert line.before.evidence.shown == "–" and line.evidence_change == ""


def test_different_frameworks_are_refused_clearly(rounds, login):
    other = Framework.objects.create(code="nr-test", version="2020", name="Retningslinjer")
    c = make_round(other, cluster=rounds.cluster, name="Runde NR")
    response = compare(login(rounds.coordinator), rounds.a, c)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Runderne bygger på forskellige rammeværker" in html
    assert "KL mini (2014) og Retningslinjer (2020)" in html
    assert response.context["result"] is None


@pytest.mark.parametrize("params", [
    {"fra": "x", "til": "y"}, {"fra": "", "til": ""}, {"fra": "99999999999999999999999"},
])
def test_bad_choices_are_refused(rounds, login, params):
    response = login(rounds.coordinator).get(URL, params)
    assert response.status_code == 400
    assert "Der er fejl i formularen. Intet er gemt." in response.content.decode()


def test_the_same_round_twice(rounds, login):
    response = compare(login(rounds.coordinator), rounds.a, rounds.a)
    assert response.status_code == 400
    assert "Vælg to forskellige runder." in response.content.decode()


def test_coordinators_only_and_only_their_rounds(rounds, login):
    for user in (rounds.leader, rounds.admin, rounds.caseworker, rounds.clinician):
        assert login(user).get(URL).status_code == 404, user
    other = make_user(Role.COORDINATOR, rounds.other_cluster, "syd")
    assert login(other).get(URL).status_code == 404  # runs no rounds
    make_round(mini_kl("syd"), cluster=rounds.other_cluster, name="Syd")
    response = compare(login(other), rounds.a, rounds.b)
    assert response.status_code == 400
    assert "Vælg en af dine runder." in response.content.decode()
    assert compare(login(rounds.region_coordinator), rounds.a, rounds.b).status_code == 200


def test_pagination_keeps_the_choice(rounds, login, monkeypatch):
    monkeypatch.setattr(views_compare, "PAGE_SIZE", 2)
    client = login(rounds.coordinator)
    first = compare(client, rounds.a, rounds.b)
    assert [i.number for i, _lines in first.context["result"]["rows"]] == ["1.1", "1.2"]
    link = first.content.decode().split('class="pagination-nav-link" href="')[1].split('"')[0]
    assert f"fra={rounds.a.pk}" in link and "side=2" in link
    second = compare(client, rounds.a, rounds.b, side=2)
    assert [i.number for i, _lines in second.context["result"]["rows"]] == ["5.1", "5.2"]


# --- The rules --------------------------------------------------------------------------------

CATEGORIES = st.sampled_from([Category.MET, Category.PARTLY, Category.NOT_MET, None, ""])


def test_category_change_by_hand():
    assert rc.category_change(Category.NOT_MET, Category.PARTLY) == rc.IMPROVED
    assert rc.category_change(Category.PARTLY, Category.MET) == rc.IMPROVED
    assert rc.category_change(Category.MET, Category.NOT_MET) == rc.WORSE
    assert rc.category_change(Category.PARTLY, Category.PARTLY) == rc.SAME
    assert rc.category_change(None, Category.MET) == ""


@given(CATEGORIES, CATEGORIES)
def test_category_change_is_antisymmetric(a, b):
    there, back = rc.category_change(a, b), rc.category_change(b, a)
    assert {there, back} in ({rc.IMPROVED, rc.WORSE}, {rc.SAME}, {""})
    assert (there == "") == (a not in rc.RANK or b not in rc.RANK)


def test_evidence_change_by_direction():
    assert rc.evidence_change(0.3, 0.6, "higher") == rc.IMPROVED
    assert rc.evidence_change(0.3, 0.6, "lower") == rc.WORSE
    assert rc.evidence_change(0.6, 0.3, "lower") == rc.IMPROVED
    assert rc.evidence_change(0.3, 0.6, "none") == rc.CHANGED
    assert rc.evidence_change(0.5, 0.5, "higher") == rc.SAME
    assert rc.evidence_change(None, 0.5, "higher") == ""
    assert rc.evidence_change(0.5, None, "higher") == ""


@given(st.floats(0, 1), st.floats(0, 1), st.sampled_from(["higher", "lower"]))
def test_evidence_change_flips_with_the_direction(a, b, better):
    other = "lower" if better == "higher" else "higher"
    there = rc.evidence_change(a, b, better)
    flipped = rc.evidence_change(a, b, other)
    assert there == flipped == rc.SAME or {there, flipped} == {rc.IMPROVED, rc.WORSE}


def test_matching_and_comparability():
    assert rc.matched_numbers(["1.1", "9.1", "5.1"], ["1.1", "5.1", "12.2"]) == (
        ["1.1", "5.1"], ["9.1"], ["12.2"])
    assert rc.comparable("kl-12", "kl-12")
    assert not rc.comparable("kl-12", "nr-2020")
    assert not rc.comparable("", "")
