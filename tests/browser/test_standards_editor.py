"""Issue 7 items 1, 3 and 4 end to end in Debian's chromium: a leader writes version 2 of
Solrød's quality standard from the adopted version 1, is refused a guarantee above the law,
adds a contact point, records the council's adoption with the user organisations' involvement,
and compares the two versions. Every page is checked with axe-core."""

import datetime as dt

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from forlob.standards.models import ServiceStandard, Status

from ..factories_standards import adopted
from .helpers import SCREENSHOTS, log_in, submit

pytestmark = pytest.mark.browser


def test_leader_writes_adopts_and_compares_a_version(world, live_server, new_page, findings):
    base = live_server.url
    adopted(world.muni, valid_from=dt.date(2025, 1, 1), adopted_on=dt.date(2024, 12, 1),
            sections={"target": "Tilbuddet er for borgere over 18 år."})
    TOTPDevice.objects.create(user=world.leader, name="telefon", confirmed=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page()
    log_in(page, base, world.leader)

    page.goto(base + reverse("standards:list"))
    assert "1. december 2026" in page.locator("main").inner_text()  # next revision
    findings.check(page, "standards list")
    page.screenshot(path=SCREENSHOTS / "standards-list.png", full_page=True, caret="initial")
    submit(page, page.get_by_role("button", name="Opret udkast for Solrød"))
    draft = ServiceStandard.objects.get(municipality=world.muni, status=Status.DRAFT)
    assert page.url.endswith(reverse("standards:standard_edit", args=[draft.pk]))
    findings.check(page, "standards edit")

    # Above the law: refused, with the error at the field; nothing saved.
    page.get_by_label("Behandlingsgaranti").fill("15")
    submit(page, page.get_by_role("button", name="Gem udkastet"))
    assert "højst være 14 dage" in page.locator("main").inner_text()
    findings.check(page, "standards edit with errors")
    page.screenshot(path=SCREENSHOTS / "standards-edit-error.png", full_page=True,
                    caret="initial")
    assert ServiceStandard.objects.get(pk=draft.pk).guarantee_days == 14

    page.get_by_label("Behandlingsgaranti").fill("10")
    page.get_by_label("Udeblevet").check()
    page.get_by_label("Hvem er tilbuddet for").fill("Tilbuddet er for alle borgere.")
    submit(page, page.get_by_role("button", name="Gem udkastet"))
    findings.check(page, "standards version page")
    page.screenshot(path=SCREENSHOTS / "standards-version.png", full_page=True, caret="initial")

    submit(page, page.get_by_role("link", name="Ret kontaktpunkter"))
    page.get_by_label("Henvendelse om").select_option(label="Alkoholbehandling")
    page.get_by_label("Navn").fill("Alkoholenheden")
    page.get_by_label("Telefon").fill("56 18 20 00")
    findings.check(page, "standards contact points")
    submit(page, page.get_by_role("button", name="Gem kontaktpunkter"))

    submit(page, page.get_by_role("link", name="Registrér vedtagelse"))
    page.get_by_label("Vedtaget af kommunalbestyrelsen den").fill("2026-06-10")
    page.get_by_label("Gælder fra").fill("2026-07-01")
    page.get_by_label("Inddragelse af brugerorganisationer").fill("Brugerrådet blev hørt.")
    page.get_by_label("Dato for inddragelse").fill("2026-05-20")
    findings.check(page, "standards adopt")
    submit(page, page.get_by_role("button", name="Registrér vedtagelsen"))
    saved = ServiceStandard.objects.get(pk=draft.pk)
    assert (saved.status, saved.valid_from, saved.guarantee_days) == (
        Status.ADOPTED, dt.date(2026, 7, 1), 10)

    submit(page, page.get_by_role("link", name="Sammenlign med version 1"))
    main = page.locator("main").inner_text()
    assert "Behandlingsgaranti (kalenderdage)" in main
    assert "Alkoholenheden" in main and "Udeblevet" in main
    assert page.locator("main ins").filter(has_text="alle").count() >= 1
    findings.check(page, "standards diff")
    page.screenshot(path=SCREENSHOTS / "standards-diff.png", full_page=True, caret="initial")
    assert not findings.problems(), findings.problems()
