"""Provider activity per purchasing municipality (issue 5 item 6): the rules, the set-based
figures on a hand-built dataset (worked out by hand below), the same figures against the pure
rules on random data, suppression, scope (404), bad input (400), the CSV, the API and the
absence of anything that identifies a citizen or a course."""

import csv
import datetime as dt
import io
import random

import pytest
from django.urls import include, path, reverse
from hypothesis import given
from hypothesis import strategies as st

from forlob.accounts.models import Membership, Role
from forlob.audit.models import Action, AuditEvent
from forlob.citizens.models import Citizen
from forlob.indicators import activity, rules
from forlob.indicators import rules_activity as ra
from forlob.indicators.api_activity import ProviderActivity
from forlob.pathway.models import Course

from .factories import MunicipalityFactory, PurchaseAgreementFactory, UserFactory, make_user
from .factories_activity import treated

D = dt.date
MAY = D(2026, 5, 1)  # the default month: today is 2026-06-15 (conftest)
HIDDEN = (f"<{rules.SUPPRESS_BELOW}", "x")

# The API route is mounted by the lead in indicators/api_urls.py; these tests mount it here.
API = "/api/v1/indicators/activity/"
urlpatterns = [path(API.lstrip("/"), ProviderActivity.as_view()),
               path("", include("forlob.urls"))]


# --- Rules -------------------------------------------------------------------------------------

def test_month_bounds_and_previous_month():
    assert ra.month_bounds(D(2024, 2, 10)) == (D(2024, 2, 1), D(2024, 2, 29))
    assert ra.month_bounds(D(2026, 12, 31)) == (D(2026, 12, 1), D(2026, 12, 31))
    assert ra.previous_month(D(2026, 6, 15)) == D(2026, 5, 1)
    assert ra.previous_month(D(2026, 1, 1)) == D(2025, 12, 1)
    assert ra.month_range(D(2025, 11, 1), D(2026, 2, 1)) == [
        (D(2025, 11, 1), D(2025, 11, 30)), (D(2025, 12, 1), D(2025, 12, 31)),
        (D(2026, 1, 1), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28))]
    assert ra.month_range(D(2026, 3, 1), D(2026, 2, 1)) == []


def test_in_treatment_counts_the_discharge_day_but_place_days_do_not():
    first, last = D(2026, 5, 1), D(2026, 5, 31)
    assert ra.in_treatment(D(2026, 4, 1), D(2026, 5, 1), first, last)
    assert ra.place_days(D(2026, 4, 1), D(2026, 5, 1), first, last) == []
    assert not ra.in_treatment(D(2026, 4, 1), D(2026, 4, 30), first, last)
    assert not ra.in_treatment(D(2026, 6, 1), None, first, last)
    # Started on the last day: one place day; the same day in and out: none.
    assert ra.place_days(D(2026, 5, 31), None, first, last) == [D(2026, 5, 31)]
    assert ra.place_days(D(2026, 5, 10), D(2026, 5, 10), first, last) == []
    assert len(ra.place_days(D(2026, 1, 1), None, first, last)) == 31


def test_intensity_on_plan_before_decision_before_ambulant():
    plans = [ra.Stated(D(2026, 5, 15), "dogn", 1)]
    decisions = [ra.Stated(D(2026, 5, 1), "dag", 1, "bevilling"),
                 ra.Stated(D(2026, 5, 3), "dogn", 2, "afslag")]  # a refusal grants nothing
    assert ra.intensity_on(D(2026, 4, 30), plans, decisions) == "ambulant"
    assert ra.intensity_on(D(2026, 5, 3), plans, decisions) == "dag"
    assert ra.intensity_on(D(2026, 5, 15), plans, decisions) == "dogn"
    # A plan that states no intensity moves nothing; the higher number wins on the same day.
    same_day = [ra.Stated(D(2026, 5, 10), "ambulant", 1), ra.Stated(D(2026, 5, 10), "dag", 2),
                ra.Stated(D(2026, 5, 20), "", 3)]
    assert ra.intensity_on(D(2026, 5, 25), same_day, []) == "dag"


def test_purchaser_and_anonymous_alcohol():
    assert ra.purchaser(False, 1, 2) == 1  # the acting municipality pays
    assert ra.purchaser(True, 1, 2) == 2  # anonymous: the residence stated
    assert ra.purchaser(True, 1, None) is None
    assert ra.counts_as_anonymous_alcohol(True, ["sul141"])
    assert not ra.counts_as_anonymous_alcohol(True, ["sel101a"])
    assert not ra.counts_as_anonymous_alcohol(False, ["sul141"])


def test_places_used_never_divides_by_zero():
    assert ra.places_used(0, D(2026, 2, 1), D(2026, 2, 28)) == 0
    assert ra.places_used(186, D(2026, 5, 1), D(2026, 5, 31)) == 6


dates = st.dates(min_value=D(2025, 10, 1), max_value=D(2026, 8, 31))
stated = st.lists(st.tuples(dates, st.sampled_from(["", *ra.INTENSITIES]),
                            st.sampled_from(["bevilling", "delvis", "afslag"])), max_size=4)


@given(dates, st.one_of(st.none(), dates), stated, stated, dates)
def test_intensity_days_add_up_to_the_place_days(started, discharged, plans, decisions, day):
    if discharged is not None and discharged < started:
        started, discharged = discharged, started
    first, last = ra.month_bounds(day)
    p = [ra.Stated(on, i, n) for n, (on, i, _o) in enumerate(plans)]
    d = [ra.Stated(on, i, n, o) for n, (on, i, o) in enumerate(decisions)]
    days = ra.days_by_intensity(started, discharged, p, d, first, last)
    place_days = ra.place_days(started, discharged, first, last)
    assert sum(days.values()) == len(place_days)
    assert ra.places_used(sum(days.values()), first, last) <= 1
    if place_days:
        assert ra.in_treatment(started, discharged, first, last)


@given(dates, st.one_of(st.none(), dates))
def test_place_days_over_the_months_are_the_days_from_start_to_discharge(started, discharged):
    if discharged is not None and discharged < started:
        started, discharged = discharged, started
    end = discharged or D(2026, 8, 31)
    total = sum(len(ra.place_days(started, discharged, first, last))
                for first, last in ra.month_range(D(2025, 10, 1), D(2026, 8, 1)))
    assert total == (end - started).days + (0 if discharged else 1)


# --- The hand-built dataset --------------------------------------------------------------------

@pytest.fixture
def data(world):
    """Provider world.provider ("P") in May 2026 (31 days), worked out by hand:

    Solrød (world.muni), named citizens (acting municipality Solrød):
      c1  started 20/4, discharged 10/5, no plan or decision: ambulant. May: place days 1-9 = 9
          ambulant; a discharge. April: 20-30 = 11 ambulant; a start.
      c6  the SAME citizen as c1, started again 20/5, ambulant: days 20-31 = 12; a start.
      c2  decision 1/5 "dag", started 5/5, plan 15/5 "døgn" (moves): dag 5-14 = 10 days,
          døgn 15-31 = 17 days; a start.
      c3  started 31/5, discharged 2/6: 1 ambulant day (31/5); a start.
      c7  started 1/4, discharged 1/5: in treatment in May (the discharge day), no place day
          in May; a discharge. April: 1-30 = 30 ambulant days; a start.
      c8  decision 10/4 "dag", refusal 3/5 "døgn" (ignored), started 15/4: dag all May = 31.
          April: 15-30 = 16 dag; a start.
      c4  started 1/3, discharged 30/4: not in May. April: 1-29 = 29 ambulant; a discharge.
      c5  started 1/6: not in May.
      One more at provider2: not P's.
      => May: citizens 5 (c1 and c6 are one citizen; c2, c3, c7, c8), starts 3 (c2, c3, c6),
         discharges 2 (c1, c7); place days ambulant 9+12+1 = 22, dag 10+31 = 41, døgn 17;
         citizens by intensity: ambulant 2 (c1/c6, c3), dag 2 (c2, c8), døgn 1 (c2).
      => April: citizens 4 (c1, c4, c7, c8), starts 3 (c1, c7, c8), discharges 1 (c4);
         ambulant 11+29+30 = 70, dag 16, døgn 0.

    Køge (world.muni2):
      k1-k6  started 1/2, plan 5/2 "døgn": 31 døgn days each in May = 186 (6.0 places).
      k7     started 1/5, two plans agreed 10/5, "ambulant" (no. 1) and "dag" (no. 2): the
             higher number wins: ambulant 1-9 = 9 days, dag 10-31 = 22; a start.
      => May: citizens 7, starts 1, discharges 0; days (9, 22, 186); citizens by intensity
         (1, 1, 6).

    Anonymous alcohol treatments (§ 141), counted by the residence they stated:
      a1  residence Solrød (acting Køge), started 1/4, running: Solrød 1 (not Køge).
      a2  residence Faxe (world.muni3), 10/5-20/5: Faxe 1.
      a3  no residence stated, started 2/5: "not stated" 1.
      a4  residence Solrød, § 101 a only: not counted.  a5  at provider2: not P's.

    Agreements with P: Solrød from 1/1 2025 (in force), Køge until 30/4 2026 (not in May),
    Faxe from 1/1 2026 (in force: Faxe has a row with only its anonymous treatment).
    """
    w = world
    p, p2 = w.provider, w.provider2
    w.c1 = treated(p, w.muni, D(2026, 4, 20), D(2026, 5, 10))
    w.c6 = treated(p, w.muni, D(2026, 5, 20), citizen=w.c1.citizen)
    w.c2 = treated(p, w.muni, D(2026, 5, 5), decisions=[(D(2026, 5, 1), "dag")],
                   plans=[(D(2026, 5, 15), "dogn")])
    w.c3 = treated(p, w.muni, D(2026, 5, 31), D(2026, 6, 2))
    w.c7 = treated(p, w.muni, D(2026, 4, 1), D(2026, 5, 1))
    w.c8 = treated(p, w.muni, D(2026, 4, 15), decisions=[
        (D(2026, 4, 10), "dag"), (D(2026, 5, 3), "dogn", "afslag")])
    w.c4 = treated(p, w.muni, D(2026, 3, 1), D(2026, 4, 30))
    w.c5 = treated(p, w.muni, D(2026, 6, 1))
    treated(p2, w.muni, D(2026, 5, 1))
    w.koge = [treated(p, w.muni2, D(2026, 2, 1), plans=[(D(2026, 2, 5), "dogn")])
              for _ in range(6)]
    w.k7 = treated(p, w.muni2, D(2026, 5, 1),
                   plans=[(D(2026, 5, 10), "ambulant"), (D(2026, 5, 10), "dag")])
    alcohol = {"tracks": ("sul141",), "anonymous": True}
    w.a1 = treated(p, w.muni2, D(2026, 4, 1), residence=w.muni, **alcohol)
    w.a2 = treated(p, w.muni2, D(2026, 5, 10), D(2026, 5, 20), residence=w.muni3, **alcohol)
    w.a3 = treated(p, w.muni2, D(2026, 5, 2), residence=None, **alcohol)
    treated(p, w.muni2, D(2026, 5, 2), residence=w.muni, tracks=("sel101a",), anonymous=True)
    treated(p2, w.muni2, D(2026, 5, 2), residence=w.muni, **alcohol)
    PurchaseAgreementFactory(municipality=w.muni, provider=p, valid_from=D(2025, 1, 1))
    PurchaseAgreementFactory(municipality=w.muni2, provider=p, valid_from=D(2025, 1, 1),
                             valid_to=D(2026, 4, 30))
    PurchaseAgreementFactory(municipality=w.muni3, provider=p, valid_from=D(2026, 1, 1))
    return w


def by_municipality(month):
    return {r.municipality: r for r in month.rows}


def test_may_figures_per_purchasing_municipality(data, django_assert_max_num_queries):
    w = data
    with django_assert_max_num_queries(3):  # named courses, anonymous, agreements
        [may] = activity.report(w.provider.pk, MAY, MAY)
    rows = by_municipality(may)
    assert list(rows) == sorted([w.muni.pk, w.muni2.pk, w.muni3.pk]) + [None]
    solrod, koge, faxe, unstated = (rows[w.muni.pk], rows[w.muni2.pk], rows[w.muni3.pk],
                                    rows[None])
    assert (solrod.citizens, solrod.starts, solrod.discharges) == (5, 3, 2)
    assert solrod.days_by_intensity == (22, 41, 17)
    assert solrod.citizens_by_intensity == (2, 2, 1)
    assert (solrod.anonymous_alcohol, solrod.agreement) == (1, True)
    assert (koge.citizens, koge.starts, koge.discharges) == (7, 1, 0)
    assert koge.days_by_intensity == (9, 22, 186)
    assert koge.citizens_by_intensity == (1, 1, 6)
    assert (koge.anonymous_alcohol, koge.agreement) == (0, False)
    assert faxe == activity.Row(w.muni3.pk, anonymous_alcohol=1, agreement=True)
    assert unstated == activity.Row(None, anonymous_alcohol=1)
    assert may.places(koge.days_by_intensity[2]) == 6.0
    assert round(may.places(solrod.days_by_intensity[1]), 4) == round(41 / 31, 4)


def test_a_range_of_months_crosses_month_ends(data, django_assert_max_num_queries):
    w = data
    with django_assert_max_num_queries(4):  # one named query per month, then two
        april, may = activity.report(w.provider.pk, D(2026, 4, 1), MAY)
    solrod = by_municipality(april)[w.muni.pk]
    assert (solrod.citizens, solrod.starts, solrod.discharges) == (4, 3, 1)
    assert solrod.days_by_intensity == (70, 16, 0)
    assert by_municipality(april)[w.muni.pk].anonymous_alcohol == 1  # a1 from 1/4
    assert None not in by_municipality(april)  # a3 started in May
    assert by_municipality(may)[w.muni.pk].days_by_intensity == (22, 41, 17)


def test_the_number_of_queries_does_not_grow_with_the_courses(data,
                                                              django_assert_max_num_queries):
    for _ in range(20):
        treated(data.provider, data.muni, D(2026, 5, 3), plans=[(D(2026, 5, 6), "dag")])
    with django_assert_max_num_queries(3):
        [may] = activity.report(data.provider.pk, MAY, MAY)
    assert by_municipality(may)[data.muni.pk].citizens == 25


def test_rows_limited_to_the_municipalities_asked_for(data):
    [may] = activity.report(data.provider.pk, MAY, MAY, {data.muni3.pk})
    assert [r.municipality for r in may.rows] == [data.muni3.pk]


def test_an_empty_month(data):
    [december] = activity.report(data.provider.pk, D(2025, 12, 1), D(2025, 12, 1))
    # Solrød's and Køge's agreements give them rows, but there is no activity.
    assert [r.municipality for r in december.rows] == sorted([data.muni.pk, data.muni2.pk])
    assert not any(r.active for r in december.rows)
    assert december.empty


def test_too_many_months_are_refused(data):
    with pytest.raises(ValueError):
        activity.report(data.provider.pk, D(2024, 1, 1), D(2026, 1, 1))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_queries_agree_with_the_rules(world, seed):
    """Random courses with random plans and decisions: each month's figures from SQL equal the
    pure rules applied course by course."""
    rnd = random.Random(seed)
    munis = [world.muni, world.muni2]

    def day():
        return D(2026, 1, 1) + dt.timedelta(days=rnd.randrange(0, 120))

    specs = []
    for _ in range(25):
        started = day()
        discharged = rnd.choice([None, started + dt.timedelta(days=rnd.randrange(0, 60))])
        plans = [(day(), rnd.choice(["", *ra.INTENSITIES])) for _ in range(rnd.randrange(3))]
        decisions = [(day(), rnd.choice(ra.INTENSITIES), rnd.choice(["bevilling", "afslag"]))
                     for _ in range(rnd.randrange(3))]
        muni = rnd.choice(munis)
        course = treated(world.provider, muni, started, discharged, plans=plans,
                         decisions=decisions)
        specs.append((muni.pk, course.citizen_id, started, discharged,
                       [ra.Stated(p.agreed_on, p.intensity, p.number)
                        for p in course.plans.all()],
                       [ra.Stated(d.decided_on, d.intensity, d.pk, d.outcome)
                        for d in course.decisions.all()]))
    months = activity.report(world.provider.pk, D(2026, 1, 1), D(2026, 5, 1))
    for month in months:
        got = by_municipality(month)
        for m in munis:
            mine = [s for s in specs if s[0] == m.pk]
            running = [s for s in mine if ra.in_treatment(s[2], s[3], month.first, month.last)]
            days = [ra.days_by_intensity(s[2], s[3], s[4], s[5], month.first, month.last)
                    for s in running]
            expected = activity.Row(
                m.pk, len({s[1] for s in running}),
                sum(ra.starts_in(s[2], month.first, month.last) for s in mine),
                sum(ra.discharged_in(s[3], month.first, month.last) for s in mine),
                tuple(len({s[1] for s, d in zip(running, days, strict=True) if d[i]})
                      for i in ra.INTENSITIES),
                tuple(sum(d[i] for d in days) for i in ra.INTENSITIES))
            assert got.get(m.pk, activity.Row(m.pk)) == expected, (seed, month.first, m.name)


# --- The page: scope, suppression, bad input ---------------------------------------------------

class Table:
    """The activity table's body rows as {label: [cell texts]} (the label without the code)."""

    def __init__(self, html: str):
        from html.parser import HTMLParser

        rows, state = {}, {"in": False, "row": None, "cell": None}

        class P(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag == "tbody":
                    state["in"] = True
                elif state["in"] and tag == "tr":
                    state["row"] = []
                elif state["row"] is not None and tag in ("td", "th"):
                    state["cell"] = ""

            def handle_data(self, data):
                if state["cell"] is not None:
                    state["cell"] += data

            def handle_endtag(self, tag):
                if tag in ("td", "th") and state["cell"] is not None:
                    state["row"].append(" ".join(state["cell"].split()))
                    state["cell"] = None
                elif tag == "tr" and state["row"] is not None:
                    rows[state["row"][0].split(" (")[0]] = state["row"][1:]
                    state["row"] = None
                elif tag == "tbody":
                    state["in"] = False

        P().feed(html)
        self.rows = rows


# Cell positions in a page row after the label: agreement, citizens, starts, discharges,
# then (citizens, places) for ambulant, dag, døgn, then the anonymous alcohol treatments.
COUNTS = [1, 2, 3, 4, 6, 8, 10]
PLACES = {4: 5, 6: 7, 8: 9}


def page(client, status=200, **query):
    response = client.get(reverse("indicators:activity"), query)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def assert_suppressed(rows: dict):
    """No count 1-4 visible; no column, and no row of the named counts, with exactly one
    hidden count; places shown only beside a shown count of citizens."""
    table = [[r[i] for i in COUNTS] for r in rows.values()]
    for line in table:
        for text in line:
            assert text in HIDDEN or int(text) == 0 or int(text) >= rules.SUPPRESS_BELOW
        assert sum(t in HIDDEN for t in line[:-1]) != 1 or len(table) == 1
    for j in range(len(COUNTS)):
        column = [line[j] for line in table]
        assert sum(t in HIDDEN for t in column) != 1 or len(table) == 1
    for r in rows.values():
        for count, places in PLACES.items():
            assert (r[places] == "–") == (r[count] in HIDDEN)


def test_clinician_sees_every_purchaser_suppressed(data, login):
    """The named counts (citizens, starts, discharges, ambulant, dag, døgn) by hand:
        Solrød [5, 3, 2, 2, 2, 1]   Køge [7, 1, 0, 1, 1, 6]   Faxe and unstated all 0
        total  [12, 4, 2, 3, 3, 7]
    Primary: every 1-4. The døgn column then hides Solrød's 1 alone, so one more cell of it
    goes: Køge's 6 (its row already hides cells, and 6 < the total's 7). Every other column
    hides none or two and more. The anonymous column (1, 0, 1, 1; total 3) is its own table:
    every 1-3 hidden. Places: shown beside a shown count only: Faxe 0,0; the total's døgn
    7 citizens, (17 + 186) / 31 = 6.548 places."""
    html = page(login(data.clinician), provider=data.provider.pk, month="2026-05")
    rows = Table(html).rows
    assert list(rows) == ["Solrød", "Køge", "Faxe", "Bopælskommune ikke oplyst", "I alt"]
    assert rows == {
        "Solrød": ["Ja", "5", "<5", "<5", "<5", "–", "<5", "–", "<5", "–", "<5"],
        "Køge": ["Nej", "7", "<5", "0", "<5", "–", "<5", "–", "x", "–", "0"],
        "Faxe": ["Ja", "0", "0", "0", "0", "0,0", "0", "0,0", "0", "0,0", "<5"],
        "Bopælskommune ikke oplyst": ["Nej", "0", "0", "0", "0", "0,0", "0", "0,0", "0",
                                      "0,0", "<5"],
        "I alt": ["", "12", "<5", "<5", "<5", "–", "<5", "–", "7", "6,5", "<5"],
    }
    assert_suppressed(rows)


@pytest.mark.parametrize("role", ["leader", "caseworker", "admin"])
def test_municipality_users_see_only_their_own_row(data, login, role):
    html = page(login(getattr(data, role)), provider=data.provider.pk, month="2026-05")
    rows = Table(html).rows
    assert list(rows) == ["Solrød"]  # no other municipality, no total
    r = rows["Solrød"]
    # Solrød: citizens 5, starts 3, discharges 2, by intensity 2/2/1, anonymous 1.
    assert r[1] == "5"
    assert [r[i] for i in (2, 3, 4, 6, 8, 10)] == ["<5"] * 6
    assert [r[i] for i in (5, 7, 9)] == ["–"] * 3
    assert "Køge" not in html.split("<table")[1]


def test_coordinators_see_the_municipalities_they_coordinate(data, login):
    rows = Table(page(login(data.coordinator), provider=data.provider.pk)).rows
    assert set(rows) == {"Solrød", "Køge", "I alt"}  # Faxe is in another cluster
    assert_suppressed(rows)
    rows = Table(page(login(data.region_coordinator), provider=data.provider.pk)).rows
    assert set(rows) == {"Solrød", "Køge", "Faxe", "I alt"}  # never the unstated residence
    page(login(data.coordinator), status=404, provider=data.provider.pk,
         municipality=data.muni3.pk)


def test_municipality_served_only_by_an_agreement_or_anonymous_residents(data, login):
    leader = make_user(Role.LEADER, data.muni3, "leder-faxe")
    client = login(leader)
    html = page(client)  # default: the first provider in scope, last month
    assert "Misbrugscenter Øst, maj 2026" in html
    rows = Table(html).rows
    assert list(rows) == ["Faxe"] and rows["Faxe"][10] == "<5"
    page(client, status=404, provider=data.provider2.pk)  # never served Faxe


def test_out_of_scope_provider_or_municipality_is_404(data, login):
    other_clinician = make_user(Role.CLINICIAN, data.provider2, "behandler-2")
    page(login(other_clinician), status=404, provider=data.provider.pk)
    leader = login(data.leader)
    page(leader, status=404, provider=987654)
    page(leader, status=404, provider=data.provider.pk, municipality=data.muni2.pk)
    page(leader, status=404, provider=data.provider.pk, municipality=987654,
         month="not a month")  # scope is checked before the form
    clinician = login(data.clinician)
    page(clinician, status=404, provider=data.provider.pk, municipality=987654)
    rows = Table(page(clinician, provider=data.provider.pk, municipality=data.muni3.pk)).rows
    assert list(rows) == ["Faxe"]


def test_users_without_a_report_get_404(data, login):
    nobody = UserFactory(username="ingen-roller")
    assert login(nobody).get(reverse("indicators:activity")).status_code == 404


@pytest.mark.parametrize("query, field, message", [
    ({"month": "2026-13"}, "month", "Skriv måneden som år og måned, fx 2026-05."),
    ({"month": "maj"}, "month", "Skriv måneden som år og måned, fx 2026-05."),
    ({"month": "2026-07"}, "month", "Måneden er ikke begyndt endnu."),
    ({"month": "1850-01"}, "month", "Vælg en måned mellem år 1900 og 2100."),
    ({"provider": "abc"}, "provider", "Vælg et af de viste behandlingstilbud."),
    ({"municipality": "x"}, "municipality", "Vælg en af de viste kommuner."),
])
def test_bad_input_is_a_danish_form_error(data, login, query, field, message):
    client = login(data.clinician)
    html = page(client, status=400, **query)
    assert message in html
    assert "activity-table" not in html
    response = client.get(reverse("indicators:activity_csv"), query)
    assert response.status_code == 400


def test_an_empty_month_shows_no_activity(data, login):
    html = page(login(data.leader), provider=data.provider.pk, month="2025-12")
    assert "Ingen aktivitet" in html
    assert "activity-table" not in html and "%" not in html.split("<h2>")[1].split("</h2>")[0]


def test_current_month_is_allowed(data, login):
    html = page(login(data.clinician), month="2026-06")
    assert "juni 2026" in html


def test_no_identity_in_the_page_csv_or_api(data, login):
    client = login(data.clinician)
    texts = [page(client, provider=data.provider.pk),
             client.get(reverse("indicators:activity_csv"),
                        {"provider": data.provider.pk}).content.decode()]
    forbidden = []
    for citizen in Citizen.objects.all():
        forbidden += [str(citizen.public_id), citizen.pseudonym, citizen.first_name,
                      citizen.last_name, citizen.address]
        if citizen.cpr_encrypted:
            cpr = citizen.reveal_cpr()
            forbidden += [cpr, cpr[:6] + "-" + cpr[6:], citizen.masked_cpr]
    for course in Course.objects.all():
        forbidden.append(reverse("pathway:case", args=[course.pk]))
    for text in texts:
        for item in filter(None, forbidden):
            assert item not in text


# --- CSV ---------------------------------------------------------------------------------------

def test_csv_is_the_suppressed_table_and_is_audited(data, login):
    client = login(data.clinician)
    query = {"provider": data.provider.pk, "month": "2026-05"}
    html_rows = Table(page(client, **query)).rows
    response = client.get(reverse("indicators:activity_csv"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert lines[0][:5] == ["Måned", "Kommune", "Kommunekode", "Købsaftale i kraft",
                            "Borgere i behandling"]
    body = {line[1]: line for line in lines[1:]}
    assert set(body) == set(html_rows)
    for label, line in body.items():
        assert line[0] == "2026-05"
        assert line[3:] == [x for x in html_rows[label]]
    assert AuditEvent.objects.filter(user_id=data.clinician.pk, action=Action.EXPORT,
                                     citizen_id__isnull=True).count() == 1


# --- API ---------------------------------------------------------------------------------------

@pytest.mark.urls(__name__)
def test_api_returns_the_suppressed_table(data, login):
    client = login(data.clinician)
    response = client.get(API, {"provider": data.provider.pk, "month": "2026-05"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["suppressed"] is True and body["threshold"] == 5
    [may] = body["months"]
    assert may["month"] == "2026-05" and may["days"] == 31 and not may["empty"]
    rows = {r["name"]: r for r in may["rows"]}
    koge, total = rows["Køge"], rows["I alt"]
    assert koge["municipality"] == data.muni2.pk and koge["agreement"] is False
    assert koge["citizens"] == {"value": 7, "suppressed": False, "text": "7"}
    assert koge["intensities"][2] == {"intensity": "dogn",
                                      "citizens": {"value": None, "suppressed": True,
                                                   "text": "x"},
                                      "places": None}
    assert total["intensities"][2]["citizens"]["value"] == 7
    assert total["intensities"][2]["places"] == pytest.approx(203 / 31)
    solrod = rows["Solrød"]
    assert solrod["starts"] == {"value": None, "suppressed": True, "text": "<5"}
    assert solrod["intensities"][2]["places"] is None
    assert rows["I alt"]["total"] is True and rows["I alt"]["agreement"] is None
    assert "course" not in response.content.decode()
    assert AuditEvent.objects.filter(user_id=data.clinician.pk, action=Action.EXPORT,
                                     channel="api").exists()


@pytest.mark.urls(__name__)
def test_api_range_scope_and_bad_input(data, login):
    client = login(data.leader)
    response = client.get(API, {"provider": data.provider.pk, "from": "2026-03",
                                "month": "2026-05"})
    assert response.status_code == 200
    assert [m["month"] for m in response.json()["months"]] == ["2026-03", "2026-04", "2026-05"]
    assert {r["name"] for m in response.json()["months"] for r in m["rows"]} == {"Solrød"}
    assert client.get(API, {"provider": data.provider2.pk + 1000}).status_code == 404
    assert client.get(API, {"municipality": data.muni2.pk}).status_code == 404
    bad = client.get(API, {"from": "2026-06", "month": "2026-05"})
    assert bad.status_code == 400 and "from" in bad.json()
    bad = client.get(API, {"from": "2023-01", "month": "2026-05"})
    assert bad.status_code == 400 and "24" in bad.json()["from"][0]
    bad = client.get(API, {"month": "2026-99"})
    assert bad.status_code == 400 and "month" in bad.json()


def test_providers_of_a_municipality_without_service(world, login):
    """A municipality that no provider has served has no provider to show: an empty state."""
    lonely = MunicipalityFactory(name="Stevns", code="336", cluster=world.other_cluster)
    html = page(login(make_user(Role.LEADER, lonely, "leder-stevns")))
    assert "Ingen behandlingstilbud har behandlet borgere fra dine kommuner" in html


# --- Review findings: an id spelt otherwise, and a chosen row's suppression ---------------------

SPELLINGS = ["{:010d}", " {}", "{}.0", "+{}"]  # all of them the IntegerField's id


def csv_get(client, **query):
    return client.get(reverse("indicators:activity_csv"), query)


def assert_404_everywhere(client, **query):
    """The page, the CSV and the API all answer 404 for `query`."""
    page(client, status=404, **query)
    assert csv_get(client, **query).status_code == 404
    assert client.get(API, query).status_code == 404, query


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("spelling", SPELLINGS)
def test_an_out_of_scope_id_is_404_however_it_is_spelt(data, login, spelling):
    """The scope is checked on the ids as the form cleans them: "0000000007", " 7", "7.0" and
    "+7" are all 7, so none of them widens a report (before: they skipped the check and the
    row was shown unchecked)."""
    w = data
    leader = login(w.leader)  # Solrød's rows only
    assert_404_everywhere(leader, provider=w.provider.pk,
                          municipality=spelling.format(w.muni2.pk))
    # The same spelling of the leader's own municipality is that municipality's row:
    assert list(Table(page(leader, provider=w.provider.pk,
                           municipality=spelling.format(w.muni.pk))).rows) == ["Solrød"]
    other_clinician = login(make_user(Role.CLINICIAN, w.provider2, "behandler-2"))
    assert_404_everywhere(other_clinician, provider=spelling.format(w.provider.pk))
    assert_404_everywhere(other_clinician, provider=spelling.format(w.provider.pk),
                          municipality=w.muni.pk)
    # A clinician of P, also Solrød's leader: every row of P, Solrød's only at provider2 (which
    # served Solrød). P is their first provider, so a provider spelt otherwise must not have
    # the municipality checked against P's rows.
    both = make_user(Role.CLINICIAN, w.provider, "behandler-og-leder")
    Membership.objects.create(user=both, role=Role.LEADER, municipality=w.muni)
    client = login(both)
    assert_404_everywhere(client, provider=spelling.format(w.provider2.pk),
                          municipality=w.muni2.pk)
    assert_404_everywhere(client, provider=w.provider2.pk,
                          municipality=spelling.format(w.muni2.pk))
    assert list(Table(page(client, provider=spelling.format(w.provider.pk),
                           municipality=spelling.format(w.muni2.pk))).rows) == ["Køge"]
    assert list(Table(page(client, provider=spelling.format(w.provider2.pk),
                           municipality=w.muni.pk)).rows) == ["Solrød"]


@pytest.mark.urls(__name__)
def test_an_unknown_huge_or_malformed_id(data, login):
    client = login(data.clinician)
    assert_404_everywhere(client, provider=data.provider.pk, municipality="9" * 20)
    assert_404_everywhere(client, provider="9" * 20)
    # Malformed or below 1: the form's 400, on the page, the CSV and the API alike.
    for query in ({"municipality": "7a"}, {"municipality": "0"}, {"provider": "-1"},
                  {"provider": "x", "municipality": data.muni2.pk}):
        page(client, status=400, **query)
        assert csv_get(client, **query).status_code == 400
        assert client.get(API, query).status_code == 400


@pytest.fixture
def narrowed(world):
    """Provider P in May 2026, every course named, ambulant all month (started 1/4, no plan):
    citizens in treatment and ambulant citizens Solrød (A) 3, Køge (B) 7, Faxe (C) 10, total
    20; no start, discharge, dag or døgn. Anonymous alcohol treatments by stated residence:
    Køge 6, not stated 2, total 8.

    The whole table: A's 3s hidden ("<5"); each of those columns would then hide one cell
    only, so B's 7s go too ("x"). Anonymous: the unstated 2 hidden, then Køge's 6 ("x").
    Were Køge's row suppressed on its own it would show 7 and 6, and the totals 20 and 8 a
    clinician sees give A = 20 - 7 - 10 = 3 and the unstated 8 - 6 = 2."""
    w = world
    for municipality, n in ((w.muni, 3), (w.muni2, 7), (w.muni3, 10)):
        for _ in range(n):
            treated(w.provider, municipality, D(2026, 4, 1))
    alcohol = {"tracks": ("sul141",), "anonymous": True}
    for residence, n in ((w.muni2, 6), (None, 2)):
        for _ in range(n):
            treated(w.provider, w.muni, D(2026, 4, 1), residence=residence, **alcohol)
    return w


#: Page cells after the label: agreement, citizens, starts, discharges, (citizens, places)
#: per intensity, anonymous.
KOGE = ["Nej", "x", "0", "0", "x", "–", "0", "0,0", "0", "0,0"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("who", ["clinician", "region_coordinator"])
def test_a_chosen_municipality_keeps_the_whole_tables_suppression(narrowed, login, who):
    w = narrowed
    client = login(getattr(w, who))
    whole = Table(page(client, provider=w.provider.pk, month="2026-05")).rows
    assert whole["Solrød"][1] == "<5" and whole["Faxe"][1] == "10"
    assert whole["I alt"][1] == "20"
    # The anonymous column: the clinician's table has the unstated 2, so Køge's 6 protects
    # it; a coordinator never sees the unstated row, and Køge's 6 is their column's total.
    if who == "clinician":
        assert whole["Bopælskommune ikke oplyst"][10] == "<5" and whole["I alt"][10] == "8"
        anonymous = {"value": None, "suppressed": True, "text": "x"}
    else:
        assert "Bopælskommune ikke oplyst" not in whole and whole["I alt"][10] == "6"
        anonymous = {"value": 6, "suppressed": False, "text": "6"}
    koge = KOGE + [anonymous["text"]]
    assert whole["Køge"] == koge
    query = {"provider": w.provider.pk, "month": "2026-05", "municipality": w.muni2.pk}
    # The page: Køge's row exactly as in the whole table, no total.
    assert Table(page(client, **query)).rows == {"Køge": koge}
    # The CSV: the same.
    response = csv_get(client, **query)
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")),
                            delimiter=";"))
    assert [line[1] for line in lines[1:]] == ["Køge"]
    assert lines[1][3:] == koge
    # The API: the same cells, hidden as null.
    response = client.get(API, query)
    assert response.status_code == 200, response.content
    [may] = response.json()["months"]
    [row] = may["rows"]
    assert row["municipality"] == w.muni2.pk and row["total"] is False
    assert row["citizens"] == {"value": None, "suppressed": True, "text": "x"}
    assert row["intensities"][0] == {"intensity": "ambulant", "places": None,
                                     "citizens": {"value": None, "suppressed": True,
                                                  "text": "x"}}
    assert row["anonymous_alcohol"] == anonymous
    assert "7" not in [c for line in lines[1:] for c in line[4:]]


@pytest.mark.urls(__name__)
def test_a_chosen_municipality_over_a_range_of_months(narrowed, login):
    """Each month of an API range is the whole table suppressed, then narrowed."""
    client = login(narrowed.clinician)
    response = client.get(API, {"provider": narrowed.provider.pk, "from": "2026-04",
                                "month": "2026-05", "municipality": narrowed.muni2.pk})
    assert response.status_code == 200
    for month in response.json()["months"]:
        assert [r["name"] for r in month["rows"]] == ["Køge"]
        assert month["rows"][0]["citizens"]["text"] == "x"
