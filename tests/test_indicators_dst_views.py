"""The DST page (issue 5 items 2 and 4): Danmarks Statistik's figures for the selection, shown
exactly to the municipality's own caseworkers and suppressed for everyone else; its monthly
chart; scoping and bad input."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from forlob.indicators import rules

from .factories_indicators import make_course

D = dt.date
QUERY = {"start": "2026-01-01", "end": "2026-06-15"}
HIDDEN = (f"<{rules.SUPPRESS_BELOW}", "x")


class Tables(HTMLParser):
    """Every table whose class starts with "dst-": its body rows as lists of cell texts."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell, self.head = {}, None, None, None, False

    def handle_starttag(self, tag, attrs):
        cls = dict(attrs).get("class") or ""
        if tag == "table":
            name = next((c for c in cls.split() if c.startswith("dst-")), None)
            self.current = self.tables.setdefault(name, []) if name else None
        elif tag == "thead":
            self.head = True
        elif tag == "tr" and self.current is not None and not self.head:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag == "thead":
            self.head = False
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.current.append(self.row)
            self.row = None
        elif tag == "table":
            self.current = None


def tables(html):
    parser = Tables()
    parser.feed(html)
    return parser.tables


@pytest.fixture
def data(world):
    """Solrød, § 101: three requests in March (one started on 12 March, 10 days on: kept;
    discharged on 20 May as færdigbehandlet, use stopped: "stoffri") and six requested and
    started in April (two of them after 20 days: broken). A § 101 a course and a course in
    Køge are not Solrød's statistic."""
    started = make_course(world, D(2026, 3, 2), started=D(2026, 3, 12),
                          discharged=D(2026, 5, 20))
    make_course(world, D(2026, 3, 5))
    make_course(world, D(2026, 3, 10))
    for day in range(1, 5):
        make_course(world, D(2026, 4, day), started=D(2026, 4, day + 7))
    for day in (6, 7):
        make_course(world, D(2026, 4, day), started=D(2026, 4, day + 20))
    make_course(world, D(2026, 4, 1), tracks=("sel101a",), anonymous=True,
                started=D(2026, 4, 2))
    make_course(world, D(2026, 4, 1), municipality=world.muni2, started=D(2026, 4, 2))
    return started


def _by_label(rows):
    return {r[0]: r[1:] for r in rows}


def test_caseworker_sees_the_exact_figures(world, login, data):
    page = login(world.caseworker).get(reverse("indicators:dst"), QUERY)
    assert page.status_code == 200
    found = tables(page.content.decode())
    totals = _by_label(found["dst-totals"])
    assert totals["Anmodninger om behandling"] == ["9"]
    assert totals["Iværksættelser af behandling"] == ["7"]
    assert totals["Afslutninger af behandling"] == ["1"]
    months = _by_label(found["dst-months"])
    assert months["marts 2026"][:4] == ["3", "1", "1", "0"]
    assert months["april 2026"][:4] == ["6", "6", "6", "0"]
    assert months["Hele perioden"][:4] == ["9", "7", "7", "1"]
    assert _by_label(found["dst-end-status"])["Stoffri"] == ["1"]
    guarantee = _by_label(found["dst-guarantee"])
    assert guarantee["Startet inden for garantien"] == ["5"]
    assert guarantee["Startet efter garantien"] == ["2"]
    assert "71 %" in page.content.decode()  # 5 of 7 within the guarantee


@pytest.mark.parametrize("role", ["coordinator", "leader", "region_coordinator"])
def test_others_see_it_suppressed(world, login, data, role):
    page = login(getattr(world, role)).get(reverse("indicators:dst"),
                                           {**QUERY, "municipality": world.muni.pk})
    assert page.status_code == 200
    html = page.content.decode()
    found = tables(html)
    assert set(found) == {"dst-totals", "dst-months", "dst-end-status", "dst-end-reasons",
                          "dst-guarantee"}
    for rows in found.values():
        for row in rows:
            for text in row[1:]:
                assert text in HIDDEN or not 0 < int(text) < rules.SUPPRESS_BELOW, (row, html)
    # The columns that add up (requests .. contact courses ended) hide no lone cell.
    months = found["dst-months"]
    for column in list(zip(*[r[1:] for r in months], strict=True))[:6]:
        assert sum(t in HIDDEN for t in column) != 1, column
    by_month = _by_label(months)
    assert by_month["marts 2026"][0] == "<5" and by_month["april 2026"][0] == "x"
    assert by_month["Hele perioden"][:4] == ["9", "7", "7", "<5"]
    guarantee = _by_label(found["dst-guarantee"])
    assert guarantee["Startet efter garantien"] == ["<5"]
    assert "71 %" not in html  # the share would reveal the broken count
    # Monthly active courses would give active(m) - active(m-1) + ends(m-1) = starts(m): under
    # suppression only the period's figure is shown (the last two columns).
    for month in ("marts 2026", "april 2026"):
        assert all(t in HIDDEN for t in by_month[month][-2:]), by_month[month]


def test_chart_is_svg_and_suppressed(world, login, data):
    response = login(world.coordinator).get(reverse("indicators:dst_chart"), QUERY)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_clinician_gets_404(world, login, data):
    client = login(world.clinician)
    assert client.get(reverse("indicators:dst"), QUERY).status_code == 404
    assert client.get(reverse("indicators:dst_chart"), QUERY).status_code == 404


@pytest.mark.parametrize("query", [
    {"start": "2026-06-01", "end": "2026-01-01"}, {"start": "i går", "end": "2026-01-01"},
    {"start": "2026-01-01", "end": "2026-02-01", "municipality": "abc"},
])
def test_bad_selection_is_400(world, login, query):
    client = login(world.leader)
    page = client.get(reverse("indicators:dst"), query)
    assert page.status_code == 400 and "form-error-message" in page.content.decode()
    assert client.get(reverse("indicators:dst_chart"), query).status_code == 400


def test_empty_period_shows_zeros_and_no_share(world, login):
    page = login(world.caseworker).get(reverse("indicators:dst"), QUERY)
    assert page.status_code == 200
    totals = _by_label(tables(page.content.decode())["dst-totals"])
    assert totals["Anmodninger om behandling"] == ["0"]
    assert "0 %" not in page.content.decode()
