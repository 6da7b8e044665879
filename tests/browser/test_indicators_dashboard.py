"""Issue 5 acceptance, end to end in Debian's chromium: a leader logs in (with the second
factor), opens the indicator dashboard from the menu on a small demo-like dataset, chooses the
period, every chart renders (each image loads and has a size), axe-core finds no serious or
critical violation, the leader exports the table as XLSX (the file opens and has the header
row), and a screenshot is saved."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import load_workbook

from ..factories_indicators import discharge, follow_up, make_course
from .helpers import SCREENSHOTS, log_in

pytestmark = pytest.mark.browser

D = dt.date


@pytest.fixture
def dataset(world):
    """About thirty courses of Solrød in the first half of 2026, spread over the months:
    requests, assessments and decisions within a few days, starts (most within the guarantee,
    some with free choice), plans, reviews, discharges and follow-ups; a few in Køge."""
    courses = []
    for i in range(30):
        month = 1 + i % 5
        requested = D(2026, month, 2 + i % 20)
        started = requested + dt.timedelta(days=5 + (i % 4) * 4) if i % 6 else None
        course = make_course(
            world, requested, assessed=requested + dt.timedelta(days=3 + i % 12),
            decided=requested + dt.timedelta(days=5 + i % 12), started=started,
            free_choice=i % 7 == 0, birth_year=1960 + i,
            plans=[started + dt.timedelta(days=7 + i % 10)] if started else (),
            reviews=[started + dt.timedelta(days=60)] if started and i % 3 else ())
        if started and i % 4 == 0 and started < D(2026, 5, 1):
            discharge(course, started + dt.timedelta(days=30),
                      "faerdigbehandlet" if i % 8 else "udeblevet")
            follow_up(course, 1, started + dt.timedelta(days=60),
                      held_on=started + dt.timedelta(days=58) if i % 3 else None)
        courses.append(course)
    for i in range(4):
        make_course(world, D(2026, 2 + i, 10), municipality=world.muni2,
                    started=D(2026, 2 + i, 20))
    return courses


ALL_IMAGES_LOADED = """() => {
  const images = Array.from(document.querySelectorAll('main img'));
  return images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0);
}"""


def test_leader_opens_dashboard_charts_render_and_exports_xlsx(world, live_server, new_page,
                                                               findings, dataset, tmp_path):
    base = live_server.url
    TOTPDevice.objects.create(user=world.leader, name="telefon", confirmed=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page()
    log_in(page, base, world.leader, findings, "leader login")

    with page.expect_navigation():
        page.locator("nav").get_by_role("link", name="Indikatorer", exact=True).click()
    assert page.url.startswith(base + reverse("indicators:dashboard"))
    page.get_by_label("Fra og med").fill("2026-01-01")
    page.get_by_label("Til og med").fill("2026-06-15")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis", exact=True).click()
    assert "start=2026-01-01" in page.url

    main = page.locator("main")
    for title in ("Fra anmodning til behandlingsstart", "Under og efter behandlingen",
                  "Resultater, screening og dækning"):
        assert main.get_by_role("heading", name=title, level=2).count() == 1
    guarantee = main.get_by_role("row").filter(has_text="Behandlingsgaranti overholdt").first
    assert re.search(r"\d+ %|–", guarantee.inner_text())
    # The leader sees aggregates across the personal-data scope: suppressed, explained.
    assert main.get_by_text("vises som «<5»", exact=False).count() == 1

    # Every chart (a trend per KPI, a distribution where there is one) loads as an image.
    images = main.locator("img")
    assert images.count() >= 25
    page.wait_for_function(ALL_IMAGES_LOADED, timeout=120_000)
    sizes = images.evaluate_all("els => els.map(e => [e.naturalWidth, e.alt])")
    assert all(width > 0 and alt for width, alt in sizes), sizes
    assert main.locator("img[src*='/fordeling/']").count() >= 5

    findings.check(page, "leader indicator dashboard")
    page.screenshot(path=SCREENSHOTS / "indikatorer-dashboard.png", full_page=True,
                    caret="initial")

    # Each figure links to its definition.
    with page.expect_navigation():
        main.get_by_role("link", name="Gennemførselsgrad", exact=True).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Gennemførselsgrad"
    findings.check(page, "indicator definition")
    page.go_back()

    with page.expect_download() as info:
        page.get_by_role("link", name="Hent tabellen som regneark (XLSX)").click()
    download = info.value
    assert download.suggested_filename == "indikatorer.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.values)
    assert rows[0][:5] == ("Indikator", "Værdi", "Tæller", "Nævner", "Kilde")
    names = {r[0] for r in rows[1:] if r}
    assert {"Behandlingsgaranti overholdt", "Gennemførselsgrad"} <= names

    # The PDF of the same figures, the comparison with Køge and the DST statistic.
    href = main.get_by_role("link", name="Hent indikatorerne som PDF").get_attribute("href")
    pdf = page.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    with page.expect_navigation():
        main.get_by_role("link", name="Sammenlign kommunerne").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sammenligning af kommuner"
    table = main.locator("table[data-kpi='guarantee_kept']")
    assert [t.strip() for t in table.locator("tbody th").all_inner_texts()] == [
        "Køge", "Solrød", "Alle"]
    page.wait_for_function(ALL_IMAGES_LOADED, timeout=120_000)
    findings.check(page, "leader comparison")
    page.screenshot(path=SCREENSHOTS / "indikatorer-sammenligning.png", full_page=True,
                    caret="initial")

    page.go_back()
    with page.expect_navigation():
        main.get_by_role("link", name="Danmarks Statistiks opgørelse", exact=False).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Stofmisbrugsbehandling – Social"
    page.wait_for_function(ALL_IMAGES_LOADED, timeout=60_000)
    findings.check(page, "leader DST statistic")
    page.screenshot(path=SCREENSHOTS / "indikatorer-dst.png", full_page=True, caret="initial")

    assert not findings.problems(), findings.problems()
