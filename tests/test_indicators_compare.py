"""Comparison across municipalities (issue 5 items 3 and 4): who may compare which
municipalities, and suppression that always applies. Read from the page's tables: no visible
count is 1-4, and no row or column (each adds up: numerator + rest = denominator across, the
municipalities down to the total) has exactly one hidden cell that its sum would give away;
a value is not shown where it would reveal a hidden count."""

import datetime as dt
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.urls import reverse
from hypothesis import example, given, settings
from hypothesis import strategies as st

from forlob.indicators import access, catalogue, rules, views_compare
from forlob.indicators.catalogue import Kpi, Value
from forlob.indicators.filters import Filters

from .factories import MunicipalityFactory

HIDDEN = (f"<{rules.SUPPRESS_BELOW}", "x")


def _kpi(code, table, unit="share"):
    """A KPI whose (numerator, denominator) per municipality id is `table`; a set of
    municipalities adds up, as the catalogue's set-based KPIs do."""
    def compute(filters):
        pairs = [table.get(m, (0, 0)) for m in filters.municipalities]
        n, d = sum(p[0] for p in pairs), sum(p[1] for p in pairs)
        if unit == "days":
            return Value(12.0 if d else None, None, d, unit="days")
        return Value(n / d if d else None, n, d, unit=unit)
    return Kpi(code=code, name_da=f"Test {code}", name_en=f"Test {code}",
               definition_da="Til test.", definition_en="For tests.", numerator="n",
               denominator="d", source="test", better="higher", period_date="start",
               compute=compute)


class Tables(HTMLParser):
    """The comparison tables: per KPI, rows of [label, value, count texts...]."""

    def __init__(self):
        super().__init__()
        self.tables, self.row, self.cell = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "forlob-compare" in (attrs.get("class") or ""):
            self.current = self.tables.setdefault(attrs["data-kpi"], [])
        elif tag == "tr" and hasattr(self, "current"):
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag == "table" and hasattr(self, "current"):
            del self.current


def tables(html: str) -> dict:
    parser = Tables()
    parser.feed(html)
    return {code: rows[1:] for code, rows in parser.tables.items()}  # without the header


def assert_safe(rows, share=True):
    """rows: [label, value, *counts] per municipality, the total last."""
    counts = [r[2:] for r in rows]
    for r in counts:
        for text in r:
            assert text in HIDDEN or not 0 < int(text) < rules.SUPPRESS_BELOW, rows
    lines = list(counts) + [list(col) for col in zip(*counts, strict=True)]
    for line in lines:
        if len(line) > 1:
            assert sum(t in HIDDEN for t in line) != 1, (line, rows)
    if share:
        for r in rows:
            if any(t in HIDDEN for t in r[2:]):
                assert r[1] == "–", r


@pytest.fixture
def fakes(world, monkeypatch):
    monkeypatch.setattr(catalogue, "CATALOGUE", {})
    monkeypatch.setattr(views_compare, "CATALOGUE", catalogue.CATALOGUE)
    kpis = [
        _kpi("small_numerator", {world.muni.pk: (3, 20), world.muni2.pk: (12, 30),
                                 world.muni3.pk: (2, 9)}),
        _kpi("small_rest", {world.muni.pk: (18, 20), world.muni2.pk: (25, 30),
                            world.muni3.pk: (10, 10)}),
        _kpi("small_denominator", {world.muni.pk: (2, 3), world.muni2.pk: (9, 30),
                                   world.muni3.pk: (7, 40)}),
        _kpi("all_large", {world.muni.pk: (10, 20), world.muni2.pk: (15, 30),
                           world.muni3.pk: (20, 40)}),
        _kpi("median_days", {world.muni.pk: (0, 3), world.muni2.pk: (0, 30),
                             world.muni3.pk: (0, 8)}, unit="days"),
    ]
    for kpi in kpis:
        catalogue.CATALOGUE[kpi.code] = kpi
    return kpis


QUERY = {"start": "2026-01-01", "end": "2026-06-15"}


@pytest.mark.parametrize("role", ["coordinator", "region_coordinator", "leader"])
def test_no_visible_small_count_and_no_line_reveals_a_hidden_one(world, login, fakes, role):
    page = login(getattr(world, role)).get(reverse("indicators:compare"), QUERY)
    assert page.status_code == 200
    found = tables(page.content.decode())
    assert set(found) == {k.code for k in fakes}
    for code, rows in found.items():
        assert rows[-1][0] == "Alle"
        assert_safe(rows, share=code != "median_days")
    # By hand, for the cluster (Køge and Solrød, 3/20 and 12/30, all 15/50):
    if role != "region_coordinator":
        rows = {r[0]: r for r in found["small_numerator"]}
        assert rows["Solrød"][2] == "<5" and rows["Solrød"][1] == "–"
        assert rows["Alle"][1:] == ["30 %", "15", "35", "50"]
        assert "x" in rows["Køge"][2:] and rows["Køge"][1] == "–"
        assert [r[1:] for r in found["all_large"]] == [
            ["50 %", "15", "15", "30"], ["50 %", "10", "10", "20"], ["50 %", "25", "25", "50"]]
        # a denominator of 3 is a count like any other: hidden, and so is its statistic
        days = {r[0]: r for r in found["median_days"]}
        assert days["Solrød"][1:] == ["–", "<5"] and days["Køge"][1] == "12,0 dage"


def test_leader_compares_own_cluster_only(world, login, fakes):
    client = login(world.leader)
    found = tables(client.get(reverse("indicators:compare"), QUERY).content.decode())
    assert [r[0] for r in found["all_large"]] == ["Køge", "Solrød", "Alle"]
    svg = client.get(reverse("indicators:compare_chart", args=["all_large"]), QUERY)
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert "Køge" in svg.content.decode() and "Faxe" not in svg.content.decode()


def test_region_coordinator_compares_the_region(world, login, fakes):
    found = tables(login(world.region_coordinator).get(
        reverse("indicators:compare"), QUERY).content.decode())
    assert [r[0] for r in found["all_large"]] == ["Faxe", "Køge", "Solrød", "Alle"]


def test_comparison_municipalities(world):
    other = MunicipalityFactory(name="Stevns", code="336", cluster=world.other_cluster)
    names = {role: list(access.comparison_municipalities(getattr(world, role))
                        .values_list("name", flat=True))
             for role in ("leader", "coordinator", "region_coordinator", "caseworker",
                          "clinician", "admin")}
    assert names["leader"] == names["coordinator"] == ["Køge", "Solrød"]
    assert names["region_coordinator"] == ["Faxe", "Køge", "Solrød", other.name]
    assert names["caseworker"] == names["clinician"] == names["admin"] == []


@pytest.mark.parametrize("role", ["clinician", "caseworker", "admin"])
def test_others_get_404(world, login, fakes, role):
    client = login(getattr(world, role))
    assert client.get(reverse("indicators:compare")).status_code == 404
    assert client.get(reverse("indicators:compare_chart", args=["all_large"])).status_code == 404


@pytest.mark.parametrize("query", [
    {"start": "2026-06-01", "end": "2026-01-01"}, {"start": "i går", "end": "2026-01-01"},
    {"start": "2000-01-01", "end": "2026-01-01"}, {"start": "2026-01-01", "end": "2026-02-01",
                                                   "track": "sel999"},
])
def test_bad_selection_is_400(world, login, fakes, query):
    client = login(world.coordinator)
    page = client.get(reverse("indicators:compare"), query)
    assert page.status_code == 400 and "form-error-message" in page.content.decode()
    chart = client.get(reverse("indicators:compare_chart", args=["all_large"]), query)
    assert chart.status_code == 400


def test_one_indicator_or_an_unknown_one(world, login, fakes):
    client = login(world.coordinator)
    found = tables(client.get(reverse("indicators:compare"),
                              {**QUERY, "kpi": "all_large"}).content.decode())
    assert list(found) == ["all_large"]
    assert client.get(reverse("indicators:compare"), {**QUERY, "kpi": "nope"}).status_code == 400


def test_unknown_kpi_chart_is_404(world, login, fakes):
    assert login(world.coordinator).get(
        reverse("indicators:compare_chart", args=["nope"])).status_code == 404


def test_dashboard_links_to_the_comparison_for_leaders_only(world, login):
    query = {"start": "2026-06-01", "end": "2026-06-15"}
    leader = login(world.leader).get(reverse("indicators:dashboard"), query).content.decode()
    assert reverse("indicators:compare") in leader
    caseworker = login(world.caseworker).get(reverse("indicators:dashboard"),
                                             query).content.decode()
    assert reverse("indicators:compare") not in caseworker


def test_the_real_catalogue_compares(world, login):
    """Every KPI of the catalogue goes through the comparison (no data: nothing crashes)."""
    page = login(world.coordinator).get(reverse("indicators:compare"),
                                        {"start": "2026-05-01", "end": "2026-06-15"})
    assert page.status_code == 200
    found = tables(page.content.decode())
    assert set(found) == set(catalogue.CATALOGUE)
    for rows in found.values():
        assert_safe(rows, share=False)


# --- The same invariants over random tables, straight through views_compare.compare --------

pairs = st.tuples(st.integers(0, 12), st.integers(0, 12)).map(lambda p: (p[0], p[0] + p[1]))


@settings(max_examples=150, deadline=None)
@given(st.lists(pairs, min_size=1, max_size=5))
@example([(3, 20), (12, 30)])
@example([(0, 3), (0, 0), (5, 5)])
@example([(7, 12), (6, 11), (4, 20)])
def test_compare_never_reveals_a_small_count(table):
    municipalities = [SimpleNamespace(pk=i + 1, name=f"K{i + 1}") for i in range(len(table))]
    kpi = _kpi("random", {i + 1: p for i, p in enumerate(table)})
    filters = Filters(start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 15))
    c = views_compare.compare(kpi, filters, municipalities)
    rows = [[r.label, r.value, *(cell.text() for cell in r.counts)] for r in c.rows]
    assert_safe(rows)
    for r, (n, d) in zip(c.rows, [*table, tuple(map(sum, zip(*table, strict=True)))],
                         strict=True):
        shown = [cell.value for cell in r.counts]
        for got, want in zip(shown, [n, d - n, d], strict=True):
            assert got is None or got == want  # what is shown is true
