"""The public quality standard in Debian's chromium without logging in (issue 7, acceptance):
the list of municipalities, the version in force with its configured guarantee, follow-up and
complaint routes, and the PDF link. axe-core finds no serious or critical violation."""

import datetime as dt

import pytest
from django.urls import reverse

from forlob.standards.models import ComplaintRoute

from ..factories_standards import ContactPointFactory, adopted
from .helpers import SCREENSHOTS

pytestmark = pytest.mark.browser

GUARANTEE = "Du kan begynde behandling senest 10 dage efter, at du har bedt om det"


@pytest.fixture
def published(world):
    standard = adopted(world.muni, valid_from=dt.date(2026, 1, 1), guarantee_days=10,
                       follow_up_first_days=21, follow_up_second_days=150,
                       follow_up_reasons=["oensker_stop"], vouchers_enabled=True,
                       voucher_amount=200, voucher_max_per_course=5)
    standard.sections = {"target": "Borgere i Solrød Kommune med et problematisk forbrug.",
                         "vouchers": "Gavekort gives for fremmøde efter aftale."}
    standard.save()
    ComplaintRoute.objects.filter(standard=standard, track="sel101").update(
        authority="Ankestyrelsen via Solrød Kommune", description="Klag skriftligt.")
    ContactPointFactory(standard=standard)
    standard.providers.set([world.provider])
    return standard


def test_public_standard_without_login(world, live_server, new_page, findings, published):
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page()

    page.goto(base + reverse("standards_public:index"))
    assert page.locator("html").get_attribute("lang") == "da"
    findings.check(page, "anonymous public standards index")
    with page.expect_navigation():
        page.get_by_role("link", name="Solrød Kommune", exact=True).click()
    assert page.url == base + "/kvalitetsstandard/269/"

    main = page.locator("main")
    assert GUARANTEE in " ".join(main.inner_text().split())
    assert main.get_by_role("heading", level=1).inner_text() == (
        "Kvalitetsstandard for behandling af rusmiddelproblemer")
    follow_up = main.locator("section").filter(
        has=page.get_by_role("heading", name="Opfølgning efter behandlingen"))
    assert "senest 21 dage efter udskrivningen" in follow_up.inner_text()
    assert "senest 150 dage efter udskrivningen" in follow_up.inner_text()
    assert "Ankestyrelsen via Solrød Kommune" in main.inner_text()
    assert page.get_by_role("link", name="Log af").count() == 0  # nobody is logged in
    findings.check(page, "anonymous public standard")
    page.screenshot(path=SCREENSHOTS / "kvalitetsstandard-offentlig.png", full_page=True,
                    caret="initial")

    # The table of contents leads to each chapter; the PDF link serves the same version.
    page.get_by_role("link", name="Klageadgang").click()
    assert page.url.endswith("#kapitel-complaints")
    href = page.get_by_role("link", name="Hent version 1 som PDF").get_attribute("href")
    assert href == "/kvalitetsstandard/269/pdf/"
    pdf = page.request.get(base + href)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    page.goto(base + "/kvalitetsstandard/999/")
    assert page.get_by_role("heading", level=1).inner_text() == "Siden findes ikke"

    assert not findings.problems(), findings.problems()
