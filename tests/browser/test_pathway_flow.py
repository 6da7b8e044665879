"""Issue 3 end to end in Debian's chromium: a caseworker takes a citizen's request for treatment
(SEL § 101) through counselling, the doctor consultation, the assessment with AUDIT, a partial
grant with its letter, and the treatment start, only through the UI. The course is on the
worklist with days left before the start and gone after it; the case page's clocks show the
guarantee kept. The case page and the worklist are checked with axe; screenshots are saved.

Fields are found by their labels and sections by their headings, as a user finds them. Today is
2026-06-15 (tests/conftest.py); the citizen asked on 2026-06-08, so the guarantee's last day
is 2026-06-22 (SEL § 101, stk. 4)."""

import datetime as dt
import io
import re

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from forlob.audit.models import Action, AuditEvent
from forlob.pathway import services
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import Contact, Course, Decision, ScreeningResult

from ..factories import CitizenFactory
from .helpers import SCREENSHOTS, log_in, submit

pytestmark = pytest.mark.browser

REQUESTED = "2026-06-08"
REASONS = "Dagbehandling er ikke nødvendig nu; ambulant behandling dækker behovet."
AUDIT_ANSWERS = [3, 2, 2, 1, 1, 0, 2, 1, 2, 4]  # total 18: WHO risk zone III


def open_step(page, title):
    """The step's section on the case page, expanded (each step is a <details>)."""
    section = page.locator("section[id^=trin-]").filter(
        has=page.locator(".details-summary-text", has_text=re.compile(rf"^{re.escape(title)}$")))
    details = section.locator("details")
    if details.get_attribute("open") is None:
        section.locator("summary").click()
    return section


def save_step(page, section, title):
    """Submit the step's form; the case body comes back with "<title> er gemt." (htmx), or the
    section with its errors, which then fail the test with their text."""
    saved = page.get_by_text(f"{title} er gemt.")
    errors = section.locator(".form-error-message, .alert-error")
    section.locator("form button[type=submit]").click()
    saved.or_(errors).first.wait_for()
    if not saved.count():
        pytest.fail(f"{title} was not saved: " + " | ".join(errors.all_inner_texts()))


def pick_radio(scope, question, answer):
    """Check an answer in the group (fieldset) that asks the question; the innermost one when
    groups are nested (a <details> and an outer fieldset are groups too)."""
    group = scope.get_by_role("group", name=re.compile(rf"^{re.escape(question)}")).last
    group.get_by_label(answer, exact=True).check()


def worklist_rows(page, base, course_id):
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hovedmenu").get_by_role(
            "link", name="Arbejdsliste").click()
    assert page.url == base + reverse("pathway:worklist")
    return page.locator("tbody tr").filter(has_text=f"forløb {course_id})")


def test_caseworker_takes_request_to_treatment_start(world, live_server, new_page, findings,
                                                    settings, tmp_path):
    settings.FORLOB_OUTBOX_DIR = tmp_path / "outbox"
    user, citizen, provider = world.caseworker, world.citizen, world.provider
    TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    base = live_server.url
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = new_page()
    log_in(page, base, user)

    # --- The citizen page opens a course; a contact asking for treatment is the request. ---
    page.goto(base + reverse("citizens:detail", args=[citizen.public_id]))
    with page.expect_navigation():
        page.get_by_role("link", name="Opret forløb").click()
    assert page.url == base + reverse("pathway:open", args=[citizen.public_id])
    page.get_by_label("Henvendelsen kom").fill(REQUESTED)
    page.get_by_label("Kanal").select_option(label="Telefon")
    pick_radio(page, "Rusmidler", "Stoffer")
    pick_radio(page, "Henvendelsen drejer sig om", "Anmodning om behandling")
    page.get_by_label("Social stofmisbrugsbehandling (SEL § 101)").check()
    submit(page, page.get_by_role("button", name="Opret forløb"))
    match = re.fullmatch(re.escape(base) + r"/forloeb/(\d+)/", page.url)
    assert match, f"opening the course ended on {page.url}"
    course_id = int(match.group(1))
    course = Course.objects.get(pk=course_id)
    assert course.citizen == citizen and course.caseworker == user
    page.get_by_text("Forløbet er oprettet.").wait_for()
    assert "8. juni 2026" in page.locator("#case-body dl").first.inner_text()

    # --- The worklist shows the open clocks with days left; the guarantee ends 22 June. ---
    rows = worklist_rows(page, base, course_id)
    assert rows.count() >= 1
    guarantee = rows.filter(has_text="Behandlingsstart (14-dagesgaranti)")
    assert guarantee.count() == 1
    assert "22. juni 2026" in guarantee.inner_text()
    assert "7 dage tilbage" in guarantee.inner_text()
    findings.check(page, "pathway worklist, course open")
    page.screenshot(path=SCREENSHOTS / "pathway-worklist-before-start.png", full_page=True)
    with page.expect_navigation():
        guarantee.get_by_role("link", name=citizen.display_name).click()
    assert page.url == base + reverse("pathway:case", args=[course_id])

    # --- Counselling: recorded, and never stops a clock. ---
    title = "Rådgivningssamtale"
    section = open_step(page, title)
    section.get_by_label("Afholdt").fill("2026-06-09")
    section.get_by_label("Andre behov").fill("Gældsrådgivning")
    save_step(page, section, title)

    # --- The free doctor consultation (SUL § 142): offered, accepted, held. ---
    title = "Vederlagsfri lægesamtale"
    section = open_step(page, title)
    section.get_by_label("Tilbudt").fill(REQUESTED)
    pick_radio(section, "Takkede borgeren ja?", "Ja")
    section.get_by_label("Afholdt").fill("2026-06-10")
    section.get_by_label("Fund").fill("Ingen abstinenser; behov for somatisk opfølgning.")
    save_step(page, section, title)

    # --- The holistic assessment: six domains, children and pregnancy, AUDIT item by item. ---
    title = "Helhedsorienteret afdækning"
    section = open_step(page, title)
    section.get_by_label("Afdækningen afsluttet").fill("2026-06-11")
    section.get_by_label("Redskab", exact=True).select_option(label="EuropASI")
    section.get_by_label("Redskabet anvendt").fill("2026-06-11")
    for _key, label in DOMAINS:
        section.get_by_label(f"{label}: fund").fill(f"Fund: {label}")
    pick_radio(section, "Bor der børn under 18 år i hjemmet?", "Nej")
    pick_radio(section, "Er der en kendt graviditet?", "Nej")
    audit = section.get_by_role("group", name=re.compile(r"^AUDIT"))
    for n, answer in enumerate(AUDIT_ANSWERS, 1):
        audit.get_by_label(re.compile(rf"^{n}\. ")).select_option(str(answer))
    audit.get_by_label("AUDIT udfyldt").fill("2026-06-11")
    save_step(page, section, title)
    screening = ScreeningResult.objects.get(course=course)
    assert (screening.instrument, screening.answers, screening.total) == (
        "audit", AUDIT_ANSWERS, 18)

    # --- A partial grant (delvis bevilling) with reasons, provider and intensity. ---
    title = "Afgørelse"
    section = open_step(page, title)
    section.get_by_label("Visitationsoplæg: fokusområder").fill("Stoffrihed og økonomi")
    section.get_by_label("Visitationsoplæg: personlige udviklingsmål").fill(
        "Stoffri i tre måneder; styr på gælden")
    pick_radio(section, "Afgørelse", "Delvis bevilling")
    section.get_by_label("Afgørelsen truffet").fill("2026-06-12")
    section.get_by_label(re.compile(r"^Tilbud")).select_option(label=provider.name)
    section.get_by_label("Intensitet").select_option(label="Ambulant")
    section.get_by_label("Ydelser, omfang og formål").fill("Ambulant behandling to gange om ugen")
    section.get_by_label("Begrundelse").fill(REASONS)
    section.get_by_label("Borgeren er oplyst om frit valg").check()
    save_step(page, section, title)
    decision = Decision.objects.get(course=course)
    assert (decision.outcome, decision.intensity, decision.provider_id) == (
        "delvis", "ambulant", provider.pk)

    # --- The letter: the preview link gives a PDF with the reasons and the complaint route. ---
    link = page.get_by_role("link", name="Udkast til afgørelsesbrev (PDF)")
    response = page.context.request.get(base + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    text = " ".join(_pdf_text(response.body()).split())
    assert REASONS in text
    assert "Ankestyrelsen" in text
    assert "Delvis" in text or "delvist" in text
    assert AuditEvent.objects.filter(action=Action.PRINT, citizen_id=citizen.pk).exists()

    submit(page, page.get_by_role("button", name="Send afgørelsesbrevet"))
    page.get_by_text("Afgørelsesbrevet er sendt.").wait_for()
    page.get_by_role("link", name="Afgørelsesbrev, sendt 15. juni 2026 (PDF)").wait_for()
    assert page.get_by_role("button", name="Send afgørelsesbrevet").count() == 0
    decision.refresh_from_db()
    assert decision.letter_sent_on is not None and bytes(decision.letter_pdf).startswith(b"%PDF")
    assert len(list((tmp_path / "outbox").glob("*.pdf"))) == 1

    page.screenshot(path=SCREENSHOTS / "pathway-case-before-start.png", full_page=True)
    # axe with every step form expanded, so the forms are checked too.
    closed = page.locator("#case-body details:not([open]) > summary")
    while closed.count():
        closed.first.click()
    findings.check(page, "pathway case page, before start, forms open")
    # axe leaves empty style="" attributes behind, which htmx's settling would copy (and the
    # CSP rightly block): continue on a freshly loaded page.
    page.reload()

    # --- Treatment start and enrolment with the granted provider. ---
    title = "Iværksættelse og tilknytning til tilbud"
    section = open_step(page, title)
    section.get_by_label("Behandlingen iværksat").fill("2026-06-15")
    section.get_by_label("Tilknyttet tilbuddet").fill("2026-06-15")
    assert section.get_by_label(re.compile(r"^Tilbud")).input_value() == str(provider.pk)
    save_step(page, section, title)

    # The clocks: the guarantee is met (started 15 June, last day 22 June); none is open.
    clocks = page.get_by_role("table", name=re.compile("Forløbets frister"))
    row = clocks.get_by_role("row").filter(has_text="Behandlingsstart (14-dagesgaranti)")
    assert "Overholdt" in row.inner_text()
    assert "15. juni 2026" in row.inner_text()
    assert clocks.locator("tbody tr").filter(has_text=re.compile("Åben|Overskredet")).count() == 0
    # The start form is gone: a course starts once.
    assert page.locator(".details-summary-text").filter(has_text=title).count() == 0
    findings.check(page, "pathway case page, after start")
    page.screenshot(path=SCREENSHOTS / "pathway-case-after-start.png", full_page=True)

    # --- The start clocks are gone from the worklist; the plan is now due (issue 4). ---
    rows = worklist_rows(page, base, course_id)
    assert rows.count() == 1
    assert "Behandlingsplan" in rows.first.inner_text()
    findings.check(page, "pathway worklist, course started")
    page.screenshot(path=SCREENSHOTS / "pathway-worklist-after-start.png", full_page=True)

    assert not findings.problems(), findings.problems()


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


def test_caseworker_records_custody_and_youth_routing(world, live_server, new_page, findings):
    """A citizen under 18: the case page puts routing to the children and youth service and the
    custody holders first (issue 3 item 4); both are recorded through their htmx forms."""
    user = world.caseworker
    TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    youth = CitizenFactory(residence_municipality=world.muni, first_name="Emil",
                           last_name="Ung", cpr_plain="0101104123")  # 16 years old
    request = RequestFactory().post("/")
    request.user = user
    course = services.open_course(request, youth, Contact(
        received_on=dt.date(2026, 6, 10), channel="phone",
        substances="alcohol", asks="treatment"), tracks=["sel101"])
    base = live_server.url
    page = new_page()
    log_in(page, base, user)
    page.goto(base + reverse("pathway:case", args=[course.pk]))
    youth_section = page.get_by_role("region", name="Børn og unge under 18 år")
    youth_section.get_by_text("Borgeren er under 18 år").wait_for()
    findings.check(page, "pathway case page, youth")
    page.reload()  # axe leaves style="" attributes that htmx's settling would copy (CSP)

    title = "Henvisning til børne- og ungeområdet"
    section = open_step(page, title)
    section.get_by_label("Henvist til børne- og ungeområdet").fill("2026-06-12")
    save_step(page, section, title)
    assert "12. juni 2026" in page.get_by_role(
        "region", name="Børn og unge under 18 år").locator("dl").inner_text()

    title = "Forældremyndighedsindehaver"
    section = open_step(page, title)
    section.get_by_label("Navn").fill("Hanne Ung")
    section.get_by_label("Relation til borgeren").fill("mor")
    section.get_by_label("Telefon").fill("12345678")
    save_step(page, section, title)
    holders = page.get_by_role("table", name="Forældremyndighedsindehavere")
    assert "Hanne Ung" in holders.inner_text() and "12345678" in holders.inner_text()
    course.refresh_from_db()
    assert str(course.youth_routed_on) == "2026-06-12"
    assert course.custody_holders.get().relation == "mor"
    page.screenshot(path=SCREENSHOTS / "pathway-case-youth.png", full_page=True)
    assert not findings.problems(), findings.problems()
