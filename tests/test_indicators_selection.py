"""The indicator selection (issue 5): the cluster filter narrows within the user's scope and
never widens it; a municipality or cluster outside the scope answers 404 on every indicator
page and in the API, garbage answers 400; any query parameter binds the selection, a missing
period taking the default. Today is 15 June 2026."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob.indicators import access, population
from forlob.indicators.filters import Filters
from forlob.indicators.forms import CompareForm, DashboardForm

from .api_helpers import url
from .factories_indicators import make_course

D = dt.date
PERIOD = {"start": "2026-01-01", "end": "2026-06-15"}

#: Every page that takes the dashboard's selection, with the URL arguments it needs.
PAGES = [("indicators:dashboard", ()), ("indicators:chart", ("completion_rate",)),
         ("indicators:distribution", ("follow_up_1",)), ("indicators:export_xlsx", ()),
         ("indicators:dst", ()), ("indicators:dst_chart", ()), ("indicators:pdf", ())]
COMPARE_PAGES = [("indicators:compare", ()), ("indicators:compare_chart", ("completion_rate",))]
API = ["indicator-values", "indicator-dst"]


def form(user, data, form_class=DashboardForm):
    return form_class(data, municipalities=access.municipalities_for(user))


# --- The cluster filter -------------------------------------------------------------------------

def test_cluster_choices_are_the_clusters_of_the_users_municipalities(world):
    def choices(user):
        return {label for value, label in form(user, None).fields["cluster"].choices if value}

    assert choices(world.region_coordinator) == {"Øst", "Syd"}
    assert choices(world.leader) == {"Øst"}  # Solrød's cluster only


def test_cluster_selects_its_municipalities_among_the_users(world):
    f = form(world.region_coordinator, {**PERIOD, "cluster": str(world.cluster.pk)})
    assert f.is_valid(), f.errors
    filters = f.filters()
    assert filters.municipalities == {world.muni.pk, world.muni2.pk}  # not Faxe (Syd)
    assert filters.cluster == world.cluster.pk


def test_cluster_never_widens_the_scope(world):
    # The leader sees Solrød only; choosing Solrød's cluster does not add Køge.
    f = form(world.leader, {**PERIOD, "cluster": str(world.cluster.pk)})
    assert f.is_valid(), f.errors
    assert f.filters().municipalities == {world.muni.pk}


def test_population_intersects_cluster_and_municipalities(world):
    make_course(world, D(2026, 2, 1))  # Solrød, cluster Øst
    make_course(world, D(2026, 2, 1), municipality=world.muni3)  # Faxe, cluster Syd
    both = frozenset({world.muni.pk, world.muni3.pk})
    east = Filters(D(2026, 1, 1), D(2026, 6, 15), municipalities=both, cluster=world.cluster.pk)
    assert set(population.courses(east).values_list("acting_municipality", flat=True)) == {
        world.muni.pk}
    # A cluster holding none of the municipalities selects nothing, never the cluster's own.
    only_faxe = Filters(D(2026, 1, 1), D(2026, 6, 15), municipalities=frozenset(
        {world.muni3.pk}), cluster=world.cluster.pk)
    assert not population.courses(only_faxe).exists()


def test_municipality_outside_the_chosen_cluster_is_a_form_error(world):
    f = form(world.region_coordinator, {**PERIOD, "cluster": str(world.cluster.pk),
                                        "municipality": str(world.muni3.pk)})
    assert not f.is_valid()
    assert f.errors["municipality"] == ["Kommunen ligger ikke i den valgte klynge."]


def test_cluster_narrows_the_figures_in_the_api(world, login):
    for _i in range(5):
        make_course(world, D(2026, 1, 1), started=D(2026, 1, 5), discharged=D(2026, 3, 1))
    for _i in range(6):
        make_course(world, D(2026, 1, 1), municipality=world.muni3, started=D(2026, 1, 5),
                    discharged=D(2026, 3, 1), reason="udeblevet")
    client = login(world.region_coordinator)

    def completion(**query):
        response = client.get(url("indicator-values"), {**PERIOD, **query})
        assert response.status_code == 200, response.content
        data = response.json()
        row = next(r for r in data["indicators"] if r["code"] == "completion_rate")
        return data["municipalities"], row["numerator"], row["denominator"]

    assert completion() == (sorted([world.muni.pk, world.muni2.pk, world.muni3.pk]), 5, 11)
    assert completion(cluster=world.other_cluster.pk) == ([world.muni3.pk], 0, 6)
    assert completion(cluster=world.cluster.pk) == (
        sorted([world.muni.pk, world.muni2.pk]), 5, 5)


def test_compare_rows_are_the_chosen_clusters(world, login):
    page = login(world.region_coordinator).get(reverse("indicators:compare"), {
        **PERIOD, "cluster": world.other_cluster.pk, "kpi": "completion_rate"})
    assert page.status_code == 200
    assert [m.name for m in page.context["municipalities"]] == ["Faxe"]
    (comparison,) = page.context["comparisons"]
    # Only the cluster's rows, with the whole comparison's suppression and no subtotal.
    assert [r.label for r in comparison.rows] == ["Faxe"]


def test_a_cluster_never_adds_a_subtotal_that_reveals_a_hidden_row(world, login):
    """A review's example: in the region's comparison A (Solrød, 3 discharges) is hidden and
    B (Køge, 10) shown; a cluster subtotal A+B=13 would reveal A. The cluster's rows keep the
    region table's suppression and get no subtotal."""
    for i in range(3):
        make_course(world, dt.date(2026, 1, 5), started=dt.date(2026, 1, 10),
                    discharged=dt.date(2026, 2, 1 + i))
    for i in range(10):
        make_course(world, dt.date(2026, 1, 5), started=dt.date(2026, 1, 10),
                    discharged=dt.date(2026, 2, 1 + i), municipality=world.muni2)
    client = login(world.region_coordinator)
    query = {**PERIOD, "kpi": "completion_rate"}
    (region,) = client.get(reverse("indicators:compare"), query).context["comparisons"]
    (cluster,) = client.get(reverse("indicators:compare"), {
        **query, "cluster": world.cluster.pk}).context["comparisons"]
    by_label = {r.label: r for r in region.rows}
    assert by_label["Solrød"].counts[2].suppressed  # A's denominator hidden in the region
    assert [r.label for r in cluster.rows] == ["Køge", "Solrød"]
    assert not any(r.total for r in cluster.rows)
    for row in cluster.rows:  # the same cells as in the region's table
        assert [c.text() for c in row.counts] == [c.text() for c in by_label[row.label].counts]


# --- Out of scope is 404, garbage is 400 --------------------------------------------------------

@pytest.mark.parametrize("name, args", PAGES + COMPARE_PAGES)
def test_out_of_scope_municipality_or_cluster_is_404_on_every_page(world, login, name, args):
    client = login(world.leader)  # Solrød; compares Solrød and Køge (cluster Øst)
    path = reverse(name, args=args)
    outside = [world.muni3.pk, 987654321]  # another cluster's, and one that does not exist
    if name.startswith("indicators:compare"):
        assert client.get(path, {**PERIOD, "municipality": world.muni2.pk}).status_code == 200
    else:
        outside.append(world.muni2.pk)  # the leader's dashboard is Solrød's only
    for muni in outside:
        assert client.get(path, {**PERIOD, "municipality": muni}).status_code == 404, muni
    for cluster in (world.other_cluster.pk, 987654321):
        assert client.get(path, {**PERIOD, "cluster": cluster}).status_code == 404, cluster


GARBAGE = [{"cluster": "Øst"}, {"cluster": "-1"}]


@pytest.mark.parametrize("name, args, query", [
    *((name, args, query) for name, args in PAGES
      for query in [{"municipality": "abc"}, *GARBAGE]),
    # the comparison has no municipality field (each is a row): only the cluster's garbage
    *((name, args, query) for name, args in COMPARE_PAGES for query in GARBAGE)])
def test_garbage_is_400_on_every_page(world, login, name, args, query):
    client = login(world.region_coordinator)
    response = client.get(reverse(name, args=args), {**PERIOD, **query})
    assert response.status_code == 400
    if name in ("indicators:dashboard", "indicators:dst", "indicators:compare",
                "indicators:pdf", "indicators:export_xlsx"):
        assert "form-error-message" in response.content.decode()


@pytest.mark.parametrize("name", API)
def test_api_cluster_out_of_scope_is_404_and_garbage_400(world, login, name):
    client = login(world.leader)
    assert client.get(url(name), {**PERIOD, "cluster": world.other_cluster.pk}
                      ).status_code == 404
    bad = client.get(url(name), {**PERIOD, "cluster": "Øst"})
    assert bad.status_code == 400 and bad.json()["cluster"]
    assert client.get(url(name), {**PERIOD, "cluster": world.cluster.pk}).status_code == 200


def test_drill_down_cluster_out_of_scope_is_404(world, login):
    response = login(world.caseworker).get(reverse("indicators:cases", args=["completion_rate"]),
                                           {**PERIOD, "cluster": world.other_cluster.pk})
    assert response.status_code == 404


def test_compare_form_out_of_scope_is_404(world):
    from django.http import Http404

    municipalities = list(access.comparison_municipalities(world.leader))
    with pytest.raises(Http404):
        CompareForm({"municipality": str(world.muni3.pk)}, municipalities=municipalities)


# --- Any parameter binds the selection ----------------------------------------------------------

def test_a_municipality_without_a_period_is_honoured(world, login):
    page = login(world.region_coordinator).get(reverse("indicators:dashboard"),
                                               {"municipality": world.muni2.pk})
    assert page.status_code == 200
    f = page.context["form"]
    assert f.is_bound and f.cleaned_data["municipality"] == world.muni2.pk
    assert f.filters().municipalities == {world.muni2.pk}
    # The default period: 1 January this year up to today.
    assert (f.cleaned_data["start"], f.cleaned_data["end"]) == (D(2026, 1, 1), D(2026, 6, 15))


def test_an_empty_start_takes_the_default(world):
    f = form(world.leader, {"start": "", "end": "2026-03-31", "track": "sul141"})
    assert f.is_valid(), f.errors
    filters = f.filters()
    assert (filters.start, filters.end, filters.track) == (D(2026, 1, 1), D(2026, 3, 31),
                                                           "sul141")


def test_no_parameter_is_the_default_selection(world):
    f = form(world.region_coordinator, None)
    assert not f.is_bound
    filters = f.filters()
    assert (filters.start, filters.end, filters.cluster) == (D(2026, 1, 1), D(2026, 6, 15), None)
    assert filters.municipalities == {world.muni.pk, world.muni2.pk, world.muni3.pk}


def test_api_municipality_without_a_period(world, login):
    response = login(world.region_coordinator).get(url("indicator-values"),
                                                   {"municipality": world.muni2.pk})
    assert response.status_code == 200
    data = response.json()
    assert data["municipalities"] == [world.muni2.pk]
    assert (data["start"], data["end"]) == ("2026-01-01", "2026-06-15")
