"""A caseworker logs in through the real forms (password, then TOTP), finds a citizen and
reveals the CPR number through the htmx form; the reveal is audited. Screenshots are saved."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from forlob.audit.models import Action, AuditEvent

from .helpers import SCREENSHOTS, log_in

pytestmark = pytest.mark.browser


def test_caseworker_logs_in_and_reveals_cpr(world, live_server, new_page, findings):
    user, citizen = world.caseworker, world.citizen
    TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    base = live_server.url
    page = new_page()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # Not logged in: the home page sends us to the login form.
    page.goto(base + "/")
    assert page.url.startswith(base + reverse("accounts:login"))
    findings.check(page, "caseworker login")
    log_in(page, base, user, findings, "caseworker")
    assert page.get_by_role("heading", level=1).count() == 1
    page.screenshot(path=SCREENSHOTS / "caseworker-home.png", full_page=True)

    # The menu leads to the citizen list, which shows the citizen with a masked CPR only.
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Borgere").click()
    assert page.url == base + reverse("citizens:list")
    findings.check(page, "caseworker citizens list")
    cpr = citizen.reveal_cpr()
    full = f"{cpr[:6]}-{cpr[6:]}"
    assert full not in page.content() and cpr not in page.content()
    with page.expect_navigation():
        page.get_by_role("link", name=citizen.display_name).click()
    assert page.url == base + reverse("citizens:detail", args=[citizen.public_id])
    assert page.get_by_role("heading", level=1).inner_text().startswith(citizen.display_name)
    assert full not in page.content()
    findings.check(page, "caseworker citizen detail")

    # Reveal through the htmx form: the CPR box is swapped in place, the page stays.
    assert not AuditEvent.objects.filter(action=Action.REVEAL_CPR).exists()
    page.get_by_text("Vis fuldt CPR-nummer").click()
    page.get_by_label("Formål").fill("Opfølgning på henvisning")
    with page.expect_response(re.compile(r"/cpr/$")) as reveal:
        page.get_by_role("button", name="Vis CPR-nummer").click()
    assert reveal.value.status == 200
    assert reveal.value.request.headers.get("hx-request") == "true", "not sent through htmx"
    box = page.locator("#cpr-box")
    box.get_by_text(full).wait_for()
    assert page.url == base + reverse("citizens:detail", args=[citizen.public_id])
    assert cpr not in page.url
    findings.check(page, "caseworker citizen detail, CPR revealed")
    page.screenshot(path=SCREENSHOTS / "caseworker-cpr-revealed.png", full_page=True)

    event = AuditEvent.objects.get(action=Action.REVEAL_CPR)
    assert event.user_id == user.pk
    assert event.citizen_id == citizen.pk
    assert event.purpose == "Opfølgning på henvisning"
    assert cpr not in event.path

    assert not findings.problems(), findings.problems()
    assert (SCREENSHOTS / "caseworker-cpr-revealed.png").stat().st_size > 0
