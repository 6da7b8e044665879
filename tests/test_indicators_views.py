"""The indicator dashboard (issue 5 item 3): scoping, suppression across the personal-data
scope, definitions, charts as SVG, and the audited XLSX export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from forlob.audit.models import AuditEvent
from forlob.indicators import catalogue
from forlob.indicators.catalogue import Kpi, Value


def _fake(code="fake_share", numerator=3, denominator=20, cells=()):
    return Kpi(code=code, name_da="Testandel", name_en="Test share",
               definition_da="En andel til test.", definition_en="A share for tests.",
               numerator="n", denominator="d", source="test", better="higher",
               period_date="start",
               compute=lambda f: Value(numerator / denominator if denominator else None,
                                       numerator, denominator, cells=cells))


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setattr(catalogue, "CATALOGUE", {})
    from forlob.indicators import views
    monkeypatch.setattr(views, "CATALOGUE", catalogue.CATALOGUE)
    kpi = _fake(cells=(("a", "A", 3), ("b", "B", 10), ("c", "C", 7)))
    catalogue.CATALOGUE[kpi.code] = kpi
    return kpi


def test_coordinator_sees_small_counts_suppressed(world, login, fake):
    page = login(world.coordinator).get(reverse("indicators:dashboard"))
    body = page.content.decode()
    assert page.status_code == 200 and "Testandel" in body
    # 3 of 20: the numerator 3 shows as <5 and the rate (15 %) is not shown
    assert "&lt;5" in body and "15 %" not in body
    # the distribution 3/10/7: 3 is primary, 7 (the smallest other) secondary
    assert "A: &lt;5" in body and "C: x" in body and "B: 10" in body


def test_caseworker_of_the_municipality_sees_exact_figures(world, login, fake):
    body = login(world.caseworker).get(reverse("indicators:dashboard")).content.decode()
    assert "15 %" in body and "A: 3" in body and "C: 7" in body


def test_people_without_municipalities_get_404(world, login, fake):
    assert login(world.clinician).get(reverse("indicators:dashboard")).status_code == 404


@pytest.mark.parametrize("query", [
    {"start": "2026-06-01", "end": "2026-01-01"}, {"start": "i går", "end": "2026-01-01"},
    {"start": "2000-01-01", "end": "2026-01-01"}, {"start": "2026-01-01", "end": "2026-02-01",
                                                   "municipality": "987654321"},
])
def test_bad_selection_is_400_with_a_message(world, login, fake, query):
    page = login(world.leader).get(reverse("indicators:dashboard"), query)
    assert page.status_code == 400 and "form-error-message" in page.content.decode()


def test_definition_page_and_unknown_code(world, login, fake):
    client = login(world.leader)
    page = client.get(reverse("indicators:definition", args=["fake_share"]))
    assert page.status_code == 200 and "En andel til test." in page.content.decode()
    assert client.get(reverse("indicators:definition", args=["nope"])).status_code == 404


def test_chart_is_svg(world, login, fake):
    response = login(world.leader).get(reverse("indicators:chart", args=["fake_share"]),
                                       {"start": "2026-01-01", "end": "2026-06-15"})
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def test_xlsx_export_as_shown_and_audited(world, login, fake):
    before = AuditEvent.objects.filter(action="export").count()
    response = login(world.coordinator).get(reverse("indicators:export_xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Indikator", "Værdi", "Tæller", "Nævner")
    assert rows[1][:4] == ("Testandel", "–", "<5", "20")  # suppressed as on screen
    assert AuditEvent.objects.filter(action="export").count() == before + 1
