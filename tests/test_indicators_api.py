"""The indicators through the API (issue 5 item 5; indicators/api.py): the catalogue, the
figures as the dashboard shows them to the same user (suppressed across the personal-data
scope), the DST statistic likewise, bad input as Danish 400s, and scope as 404."""

import datetime as dt

import pytest
from django.test import Client

from forlob.audit.models import AuditEvent
from forlob.indicators import api as indicators_api
from forlob.indicators import catalogue, presentation
from forlob.indicators.catalogue import Kpi, Value

from .api_helpers import url
from .factories_indicators import discharge, filters, make_course

D = dt.date
PERIOD = {"start": "2026-01-01", "end": "2026-06-15"}


def _fake(cells=(("a", "A", 3), ("b", "B", 10), ("c", "C", 7))):
    return Kpi(code="fake_share", name_da="Testandel", name_en="Test share",
               definition_da="En andel til test.", definition_en="A share for tests.",
               numerator="n", denominator="d", source="test", better="higher",
               period_date="start", compute=lambda f: Value(3 / 20, 3, 20, cells=cells))


@pytest.fixture
def fake(monkeypatch):
    kpi = _fake()
    monkeypatch.setattr(indicators_api, "CATALOGUE", {kpi.code: kpi})
    return kpi


def values(client, **query):
    response = client.get(url("indicator-values"), {**PERIOD, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_catalogue_lists_every_kpi_in_both_languages(world, login):
    response = login(world.leader).get(url("indicator-list"))
    assert response.status_code == 200
    rows = {row["code"]: row for row in response.json()}
    assert set(rows) == set(catalogue.CATALOGUE)
    guarantee = rows["guarantee_kept"]
    assert guarantee["name_da"] == "Behandlingsgaranti overholdt"
    assert guarantee["name_en"] == "Treatment guarantee kept"
    assert guarantee["better"] == "higher" and guarantee["drill_down"] is True
    assert "SEL § 101" in guarantee["source"] and guarantee["denominator"]
    assert rows["satisfaction"]["drill_down"] is False


def test_catalogue_needs_a_login(world):
    assert Client().get(url("indicator-list")).status_code == 403


def test_values_for_a_leader_are_suppressed(world, login, fake):
    data = values(login(world.leader))
    assert data["suppressed"] is True and data["threshold"] == 5
    (row,) = data["indicators"]
    # 3 of 20: the numerator is below 5, so it and the rate are hidden; the denominator shows
    assert row["value"] is None and row["suppressed"] is True
    assert row["numerator"] is None and row["numerator_suppressed"] is True
    assert row["denominator"] == 20 and row["denominator_suppressed"] is False
    # the distribution 3/10/7: 3 primary, 7 (the smallest other) secondary
    assert [(c["key"], c["value"], c["suppressed"]) for c in row["cells"]] == [
        ("a", None, True), ("b", 10, False), ("c", None, True)]


def test_values_for_the_municipalitys_caseworker_are_exact(world, login, fake):
    data = values(login(world.caseworker))
    assert data["suppressed"] is False and data["municipalities"] == [world.muni.pk]
    (row,) = data["indicators"]
    assert row["value"] == pytest.approx(0.15) and row["suppressed"] is False
    assert (row["numerator"], row["denominator"]) == (3, 20)
    assert [c["value"] for c in row["cells"]] == [3, 10, 7]
    assert not any(c["suppressed"] for c in row["cells"])


def test_a_coordinator_sees_the_cluster_suppressed(world, login, fake):
    data = values(login(world.coordinator))
    assert data["suppressed"] is True
    assert set(data["municipalities"]) == {world.muni.pk, world.muni2.pk}


@pytest.fixture
def courses(world):
    """Three discharges in the period, two of them planned, and six waiting courses."""
    for reason in ("faerdigbehandlet", "faerdigbehandlet", "udeblevet"):
        c = make_course(world, D(2026, 1, 5), started=D(2026, 1, 20))
        discharge(c, D(2026, 3, 1), reason)
    for day in range(1, 7):
        make_course(world, D(2026, 2, day))
    return world


def test_every_real_kpi_is_shown_as_on_the_dashboard(courses, login):
    """For each KPI of the catalogue, a number is null exactly where the dashboard hides it
    and otherwise the computed one."""
    selection = filters(courses, D(2026, 1, 1), D(2026, 6, 15))
    for user, suppress in ((courses.leader, True), (courses.caseworker, False)):
        rows = {r["code"]: r for r in values(login(user))["indicators"]}
        assert set(rows) == set(catalogue.CATALOGUE)
        for code, kpi in catalogue.CATALOGUE.items():
            v = kpi.compute(selection)
            shown = presentation.figure(kpi, v, suppress)
            row = rows[code]
            assert row["value"] == presentation.shown_value(v, suppress), code
            if v.denominator is not None:
                hidden = shown.denominator != str(v.denominator)
                assert row["denominator"] == (None if hidden else v.denominator), code
            if v.numerator is not None and v.denominator is not None:
                hidden = shown.numerator != str(v.numerator)
                assert row["numerator"] == (None if hidden else v.numerator), code
                assert row["numerator_suppressed"] is hidden, code
    leader = {r["code"]: r for r in values(login(courses.leader))["indicators"]}
    assert leader["completion_rate"]["value"] is None  # 2 of 3
    assert leader["completion_rate"]["numerator"] is None
    worker = {r["code"]: r for r in values(login(courses.caseworker))["indicators"]}
    assert worker["completion_rate"]["value"] == pytest.approx(2 / 3)
    assert (worker["completion_rate"]["numerator"], worker["completion_rate"]["denominator"]
            ) == (2, 3)


@pytest.mark.parametrize("query, field", [
    ({"start": "2026-06-01", "end": "2026-01-01"}, "end"),
    ({"start": "i går"}, "start"),
    ({"start": "2000-01-01", "end": "2026-01-01"}, "end"),
    ({"start": "0001-01-01", "end": "0001-01-02"}, "start"),
    ({"end": "9999-12-31", "start": "9999-12-01"}, "start"),
    ({"track": "sel999"}, "track"),
    ({"provider": "987654321"}, "provider"),
    ({"sex": "X"}, "sex"),
    ({"age_group": "90+"}, "age_group"),
    ({"municipality": "Solrød"}, "municipality"),
])
@pytest.mark.parametrize("name", ["indicator-values", "indicator-dst"])
def test_bad_params_are_400_with_a_danish_message(world, login, query, field, name):
    before = AuditEvent.objects.count()
    response = login(world.leader).get(url(name), {**PERIOD, **query})
    assert response.status_code == 400
    messages = response.json()[field]
    assert messages and all(isinstance(m, str) and m for m in messages)
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", ["indicator-values", "indicator-dst"])
def test_no_municipalities_or_one_outside_them_is_404(world, login, name):
    assert login(world.clinician).get(url(name), PERIOD).status_code == 404
    client = login(world.leader)
    for muni in (world.muni2.pk, world.muni3.pk, 987654321):
        response = client.get(url(name), {**PERIOD, "municipality": muni})
        assert response.status_code == 404 and response.json() == {"detail": "Findes ikke."}
    assert client.get(url(name), {**PERIOD, "municipality": world.muni.pk}).status_code == 200


def test_second_factor_is_required_for_caseworkers(world, client):
    client.force_login(world.caseworker)
    assert client.get(url("indicator-values"), PERIOD).status_code == 403


def test_reading_figures_is_audited_as_an_export(world, login, fake):
    values(login(world.leader), track="sel101")
    event = AuditEvent.objects.get(user_id=world.leader.pk, action="export")
    assert event.purpose.startswith("indikatorer (API):") and "track=sel101" in event.purpose
    assert event.channel == "api" and event.citizen_id is None


# --- The DST statistic ----------------------------------------------------------------------

@pytest.fixture
def dst_courses(world):
    """Three § 101 courses requested and started in February, one ended in March, plus seven
    requested in April and not started."""
    for i in range(3):
        c = make_course(world, D(2026, 2, 2 + i), started=D(2026, 2, 10 + i))
        if i == 0:
            discharge(c, D(2026, 3, 1))
    for i in range(7):
        make_course(world, D(2026, 4, 1 + i))
    return world


def dst(client, **query):
    response = client.get(url("indicator-dst"), {**PERIOD, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_dst_for_the_caseworker_is_exact(dst_courses, login):
    data = dst(login(dst_courses.caseworker))
    assert data["suppressed"] is False
    assert (data["requests"], data["starts"], data["enrolments"], data["ends"]) == (10, 3, 3, 1)
    assert data["treatment"]["begun"] == 3 and data["persons_in_treatment"] == 3
    months = {m["first"]: m for m in data["months"]}
    assert months["2026-02-01"]["requests"] == 3 and months["2026-04-01"]["requests"] == 7
    assert sum(r["count"] for r in data["end_reasons"]) == 1
    assert data["guarantee"]["kept"] == 3 and data["guarantee"]["share"] == 1.0


def test_dst_for_a_leader_hides_small_counts_and_what_would_reveal_them(dst_courses, login):
    data = dst(login(dst_courses.leader))
    assert data["suppressed"] is True
    assert data["requests"] == 10  # 5 or more shows
    assert data["starts"] is None and data["ends"] is None and data["enrolments"] is None
    assert data["persons_in_treatment"] is None and data["treatment"]["begun"] is None
    months = {m["first"]: m for m in data["months"]}
    # February's 3 requests are hidden; April's 7 would reveal them from the total of 10
    assert months["2026-02-01"]["requests"] is None
    assert months["2026-04-01"]["requests"] is None
    assert months["2026-01-01"]["requests"] == 0  # a zero reveals no one
    assert all(r["count"] in (0, None) for r in data["end_reasons"])
    assert any(r["suppressed"] for r in data["end_reasons"])
    assert data["guarantee"]["kept"] is None and data["guarantee"]["share"] is None


def test_dst_is_audited_as_an_export(dst_courses, login):
    dst(login(dst_courses.coordinator))
    assert AuditEvent.objects.filter(user_id=dst_courses.coordinator.pk, action="export",
                                     purpose__startswith="DST-statistik (API):").count() == 1
