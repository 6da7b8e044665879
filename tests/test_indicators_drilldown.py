"""The case list behind a figure (issue 5 item 3; indicators/views_drilldown.py): exactly the
courses a KPI counts in its denominator, for the municipality's caseworkers only, through the
scoping layer, paginated, sortable by date, and every citizen shown audited."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob.audit.models import AuditEvent
from forlob.indicators import catalogue
from forlob.network.models import NetworkMember
from forlob.pathway.models import Assessment, Course, ScreeningResult
from forlob.treatment.models import Review

from .factories_indicators import add_decision, filters, follow_up, make_course

D = dt.date
PERIOD = {"start": "2026-01-01", "end": "2026-06-15"}
#: Coverage's denominator is the estimated target group, not cases: its list is the courses of
#: the citizens counted in the numerator.
BY_NUMERATOR = {"coverage"}


def url(code):
    return reverse("indicators:cases", args=[code])


def ids(response):
    return [course.pk for course, _dates in response.context["rows"]]


def _score(course, day, total, instrument="audit"):
    ScreeningResult.objects.create(course=course, instrument=instrument, administered_on=day,
                                   answers=[], total=total)


@pytest.fixture
def dataset(world):
    """Courses of world.muni touching every KPI, each with at most one decision, assessment
    and follow-up of a number, so every denominator counts courses; and one course of another
    municipality that must never show."""
    a = make_course(world, D(2026, 1, 5), assessed=D(2026, 1, 10), decided=D(2026, 1, 12),
                    started=D(2026, 1, 15), plans=(D(2026, 1, 20),))
    Assessment.objects.filter(course=a).update(screening_needed=True,
                                               screening_started_on=D(2026, 1, 20))
    _score(a, D(2026, 1, 10), 20)
    _score(a, D(2026, 3, 1), 15)
    _score(a, D(2026, 1, 10), 12, "dudit")
    _score(a, D(2026, 4, 1), 12, "dudit")
    plan = a.plans.get()
    Review.objects.create(course=a, plan=plan, held_on=D(2026, 3, 1), days_of_use_30=10)
    Review.objects.create(course=a, plan=plan, held_on=D(2026, 5, 1), days_of_use_30=4)
    NetworkMember.objects.create(course=a, name="Mor", relation="parent",
                                 influence="supportive", involvement_consent_on=D(2026, 2, 1))
    b = make_course(world, D(2026, 2, 1), tracks=("sul141",), free_choice=True,
                    started=D(2026, 2, 20), discharged=D(2026, 4, 1))
    follow_up(b, 1, D(2026, 5, 1), held_on=D(2026, 5, 1))
    make_course(world, D(2026, 3, 1), tracks=("sel101a",), anonymous=True,
                started=D(2026, 3, 5), plans=(D(2026, 4, 20),))
    d = make_course(world, D(2026, 3, 1), assessed=D(2026, 3, 20))
    add_decision(d, d.assessments.get(), D(2026, 3, 25), "afslag", reasons="Begrundelse",
                 other_help="Rådgivning", letter_sent_on=D(2026, 3, 26))
    e = make_course(world, D(2026, 4, 1), assessed=D(2026, 4, 5), started=D(2026, 5, 20),
                    discharged=D(2026, 6, 1), reason="udeblevet")
    add_decision(e, e.assessments.get(), D(2026, 4, 8), "delvis")
    follow_up(e, 1, D(2026, 6, 10))  # missed
    follow_up(e, 2, D(2026, 6, 14), declined_on=D(2026, 6, 2))
    make_course(world, D(2026, 5, 1), tracks=("sel101", "sul142"))  # waiting past deadlines
    make_course(world, D(2026, 2, 1), birth_year=2010, assessed=D(2026, 2, 3),
                decided=D(2026, 2, 4), started=D(2026, 2, 10), plans=(D(2026, 3, 1),))
    follow_up(make_course(world, D(2025, 6, 1), started=D(2025, 7, 1),
                          discharged=D(2026, 1, 10)), 1, D(2026, 6, 20))  # still open
    other = make_course(world, D(2026, 1, 5), municipality=world.muni2, assessed=D(2026, 1, 6),
                        decided=D(2026, 1, 7), started=D(2026, 1, 8), discharged=D(2026, 2, 1))
    follow_up(other, 1, D(2026, 3, 1))
    return world


def test_the_list_is_exactly_the_denominator_of_every_kpi(dataset, login):
    client = login(dataset.caseworker)
    selection = filters(dataset, D(2026, 1, 1), D(2026, 6, 15))
    others = set(Course.objects.filter(acting_municipality=dataset.muni2).values_list(
        "pk", flat=True))
    assert others
    counted = 0
    for code, kpi in catalogue.CATALOGUE.items():
        if kpi.cases is None:
            assert client.get(url(code), PERIOD).status_code == 404, code
            continue
        response = client.get(url(code), PERIOD)
        assert response.status_code == 200, code
        shown = ids(response)
        value = kpi.compute(selection)
        expected = value.numerator if code in BY_NUMERATOR else value.denominator
        assert len(shown) == len(set(shown)) == (expected or 0), code
        assert set(shown) == set(kpi.cases(selection).values_list("pk", flat=True)), code
        assert not set(shown) & others, code
        counted += bool(shown)
    assert counted >= 15, "the dataset must put courses behind most figures"


def test_only_the_municipalitys_caseworkers_drill_down(dataset, login):
    for role in ("leader", "coordinator", "region_coordinator", "clinician"):
        response = login(getattr(dataset, role)).get(url("guarantee_kept"), PERIOD)
        assert response.status_code == 404, role
    assert login(dataset.caseworker).get(url("guarantee_kept"), PERIOD).status_code == 200


def test_an_administrator_has_no_case_list(dataset, login):
    """An administrator manages users, not cases (pathway.scoping grants no courses): no
    drill-down, and nothing is audited."""
    before = AuditEvent.objects.count()
    response = login(dataset.admin).get(url("completion_rate"), PERIOD)
    assert response.status_code == 404
    assert AuditEvent.objects.count() == before


def test_another_municipality_in_the_selection_is_404(dataset, login):
    client = login(dataset.caseworker)
    for muni in (dataset.muni2.pk, 987654321):
        assert client.get(url("completion_rate"), {**PERIOD, "municipality": muni}
                          ).status_code == 404
    own = client.get(url("completion_rate"), {**PERIOD, "municipality": dataset.muni.pk})
    assert own.status_code == 200 and len(ids(own)) == 3  # b, e and the open follow-up


def test_unknown_code_and_a_figure_without_cases_are_404(dataset, login):
    client = login(dataset.caseworker)
    assert client.get(url("nope"), PERIOD).status_code == 404
    assert client.get(url("satisfaction"), PERIOD).status_code == 404


@pytest.mark.parametrize("query", [
    {"start": "2026-06-01", "end": "2026-01-01"}, {"start": "i går", "end": "2026-01-01"},
    {**PERIOD, "track": "sel999"}, {**PERIOD, "municipality": "Solrød"},
    {**PERIOD, "sort": "navn"},
])
def test_bad_query_is_400_with_a_danish_message(dataset, login, query):
    response = login(dataset.caseworker).get(url("completion_rate"), query)
    body = response.content.decode()
    assert response.status_code == 400 and "Udsnittet kan ikke vises" in body
    assert "Ukendt sortering." in body or "alert-text" in body


def test_every_citizen_shown_is_audited_with_the_indicator(dataset, login):
    client = login(dataset.caseworker)
    response = client.get(url("waiting_days_no_guarantee"), PERIOD)
    shown = {course.citizen_id for course, _dates in response.context["rows"]}
    assert len(shown) == 2  # free choice and § 101 a
    events = AuditEvent.objects.filter(purpose="indikator: waiting_days_no_guarantee")
    assert {e.citizen_id for e in events} == shown and events.count() == len(shown)
    assert {e.action for e in events} == {"view"} and {e.user_id for e in events} == {
        dataset.caseworker.pk}
    body = response.content.decode()
    for course, _dates in response.context["rows"]:
        assert reverse("pathway:case", args=[course.pk]) in body
        assert course.citizen.display_name in body


def test_paginated_by_25_and_sorted_by_date(world, login):
    days = [D(2026, 1, 1) + dt.timedelta(days=i) for i in range(27)]
    courses = [make_course(world, D(2025, 6, 1), started=D(2025, 7, 1), discharged=day)
               for day in days]
    client = login(world.caseworker)
    first = client.get(url("completion_rate"), {**PERIOD, "sort": "udskrivning"})
    second = client.get(url("completion_rate"), {**PERIOD, "sort": "udskrivning", "side": 2})
    assert ids(first) == [c.pk for c in courses[:25]]
    assert ids(second) == [c.pk for c in courses[25:]]
    latest = client.get(url("completion_rate"), {**PERIOD, "sort": "-udskrivning"})
    assert ids(latest) == [c.pk for c in reversed(courses)][:25]
    # each page audits the citizens it shows, no more
    events = AuditEvent.objects.filter(purpose="indikator: completion_rate")
    assert events.count() == 25 + 2 + 25
    assert "side=2" in first.content.decode()
