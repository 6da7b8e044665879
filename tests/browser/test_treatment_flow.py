"""Issue 4 end to end in Debian's chromium, with the clock moved between visits (the live
server's today() is the FORLOB_TODAY setting). One course, after its start on 10 June 2026:

- the clinician writes the plan;
- two reviews with repeated AUDIT are recorded and both appear on the measures chart;
- a no-show creates an outreach task on the clinician's worklist;
- discharge as færdigbehandlet on 1 December 2026;
- the follow-up tasks appear on the clinician's worklist (the discharging provider follows up by
  default) at +1 month (1 January 2027) and +6 months (1 June 2027), and not on the
  caseworker's;
- at the 6-month follow-up the goal is not maintained, and the caseworker records a new request:
  a new course whose guarantee clock runs from the new request (last day 15 June 2027).

Everything after the start is done through the UI, found by labels and headings."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from forlob.pathway.models import Course
from forlob.treatment.models import FollowUp, Review, TreatmentPlan

from ..test_treatment_services import _req, start
from .helpers import SCREENSHOTS, log_in
from .test_pathway_flow import open_step, pick_radio, save_step

pytestmark = pytest.mark.browser

AUDIT_FIRST = "3, 2, 2, 1, 1, 0, 2, 1, 2, 4"  # 18
AUDIT_SECOND = "1, 1, 0, 0, 0, 0, 1, 0, 0, 0"  # 3


def move_clock(settings, day: str):
    settings.FORLOB_TODAY = day


def case(page, base, course_id):
    page.goto(base + reverse("pathway:case", args=[course_id]))


def worklist_rows(page, base, url_name, course_id):
    page.goto(base + reverse(url_name))
    return page.locator("tbody tr").filter(has_text=f"forløb {course_id})")


@pytest.fixture
def started_course(world):
    """A § 101 course opened on 1 June and started on 10 June 2026 at the clinician's provider
    (the pathway part is issue 3's and has its own browser test)."""
    from forlob.pathway import services as pathway_services
    from forlob.pathway.models import Contact

    req = _req(world.caseworker)
    course = pathway_services.open_course(req, world.citizen, Contact(
        received_on=dt.date(2026, 6, 1), channel="phone", substances="alcohol",
        asks="treatment"), tracks=["sel101"])
    return start(world, req, course)


def test_course_from_plan_to_follow_up_and_new_request(world, live_server, new_page, findings,
                                                       settings, started_course):
    base, course_id = live_server.url, started_course.pk
    for user in (world.clinician, world.caseworker):
        TOTPDevice.objects.create(user=user, name="telefon", confirmed=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    clinician = new_page()
    log_in(clinician, base, world.clinician)

    # --- 15 June: the plan is due (start + 14 days) and the clinician writes it. ---
    move_clock(settings, "2026-06-15")
    rows = worklist_rows(clinician, base, "treatment:worklist", course_id)
    assert rows.filter(has_text="Behandlingsplan").count() == 1
    case(clinician, base, course_id)
    section = open_step(clinician, "Behandlingsplan")
    section.get_by_label("Aftalt med borgeren").fill("2026-06-12")
    section.get_by_label("Indhold").fill("Samtaler hver uge og en gruppe om tilbagefald.")
    goal = section.get_by_role("group", name=re.compile(r"^Mål 1"))
    goal.get_by_label("Målet med borgerens egne ord").fill("Jeg vil ikke drikke mere")
    goal.get_by_label("Måltype").select_option(label="Ophør")
    goal.get_by_label("Afdækket behov, målet bygger på").select_option(index=1)
    save_step(clinician, section, "Behandlingsplan")
    plan = TreatmentPlan.objects.get(course_id=course_id)
    assert plan.recorded_by == world.clinician and plan.goals.count() == 1

    # --- 10 September: first review with AUDIT; an appointment the citizen misses. ---
    move_clock(settings, "2026-09-10")
    case(clinician, base, course_id)
    review(clinician, "2026-09-10", AUDIT_FIRST, "12", "Delvist opnået")
    section = open_step(clinician, "Aftale og fremmøde")
    section.get_by_label("Dato for aftalen").fill("2026-09-10")
    section.get_by_label("Type").select_option(label="Samtale")
    pick_radio(section, "Fremmøde", "Udeblevet")
    save_step(clinician, section, "Aftale og fremmøde")
    rows = worklist_rows(clinician, base, "treatment:worklist", course_id)
    outreach = rows.filter(has_text="Opsøgende kontakt efter udeblivelse")
    assert outreach.count() == 1, rows.all_inner_texts()
    findings.check(clinician, "clinician worklist with outreach task")

    # --- 1 December: second review with AUDIT, both on the chart; then discharge. ---
    move_clock(settings, "2026-12-01")
    case(clinician, base, course_id)
    review(clinician, "2026-12-01", AUDIT_SECOND, "2", "Opnået")
    assert Review.objects.filter(course_id=course_id).count() == 2
    chart = clinician.locator("figure.forlob-chart").filter(
        has=clinician.locator("caption", has_text="AUDIT"))
    table = chart.locator("tbody").inner_text()
    assert "10. september 2026" in table and "1. december 2026" in table
    assert re.search(r"\b18\b", table) and re.search(r"\b3\b", table)
    assert chart.locator("svg circle").count() >= 2
    assert chart.locator("svg polyline").count() == 1
    clinician.screenshot(path=SCREENSHOTS / "treatment-case-chart.png", full_page=True,
                     caret="initial")  # "hide" injects a style element: a CSP report

    section = open_step(clinician, "Udskrivning")
    section.get_by_label("Udskrevet").fill("2026-12-01")
    section.get_by_label("Årsag").select_option(label="Færdigbehandlet")
    section.get_by_label("Status for brug ved udskrivning").select_option(label="Ophørt")
    section.get_by_label("Bolig efter udskrivning").select_option(label="Egen bolig")
    section.get_by_label("Forsørgelse").select_option(label="Løn eller selvstændig")
    section.get_by_label("Skriftlig status på forløbet").fill("Målet er nået.")
    save_step(clinician, section, "Udskrivning")
    dues = list(FollowUp.objects.filter(course_id=course_id).order_by("number")
                .values_list("due", flat=True))
    assert dues == [dt.date(2027, 1, 1), dt.date(2027, 6, 1)]
    findings.check(clinician, "case page after discharge")

    # --- 20 December: follow-up 1 (+1 month) is on the clinician's worklist only. ---
    move_clock(settings, "2026-12-20")
    rows = worklist_rows(clinician, base, "treatment:worklist", course_id)
    first = rows.filter(has_text="Opfølgning 1 måned efter udskrivning")
    assert first.count() == 1 and "1. januar 2027" in first.inner_text()
    assert "12 dage tilbage" in first.inner_text()
    assert rows.filter(has_text="Opfølgning 6 måneder efter udskrivning").count() == 1
    caseworker = new_page()
    log_in(caseworker, base, world.caseworker)
    rows = worklist_rows(caseworker, base, "pathway:worklist", course_id)
    assert rows.filter(has_text="efter udskrivning").count() == 0

    move_clock(settings, "2027-01-01")
    case(clinician, base, course_id)
    outcome(clinician, "2027-01-01", "Opfølgning 1", "Ja")

    # --- 1 June 2027: the 6-month follow-up, the goal not maintained. ---
    move_clock(settings, "2027-05-25")
    rows = worklist_rows(clinician, base, "treatment:worklist", course_id)
    second = rows.filter(has_text="Opfølgning 6 måneder efter udskrivning")
    assert second.count() == 1 and "1. juni 2027" in second.inner_text()
    assert rows.filter(has_text="Opfølgning 1 måned efter udskrivning").count() == 0
    findings.check(clinician, "clinician worklist, 6-month follow-up")

    move_clock(settings, "2027-06-01")
    case(clinician, base, course_id)
    outcome(clinician, "2027-06-01", "Opfølgning 2", "Nej")
    clinician.get_by_text("Målet er ikke fastholdt: tilbyd borgeren", exact=False).first.wait_for()

    # --- The caseworker records the new request: a new course, a new guarantee clock. ---
    case(caseworker, base, course_id)
    section = open_step(caseworker, "Ny anmodning om behandling ved opfølgning")
    select_containing(section.get_by_label("Opfølgning", exact=True), "Opfølgning 2")
    section.get_by_label("Borgeren anmodede").fill("2027-06-01")
    section.get_by_label("Kanal").select_option(label="Telefon")
    with caseworker.expect_navigation():
        section.locator("form button[type=submit]").click()
    match = re.fullmatch(re.escape(base) + r"/forloeb/(\d+)/", caseworker.url)
    assert match, caseworker.url
    new_id = int(match.group(1))
    assert new_id != course_id
    assert Course.objects.get(pk=new_id).citizen == world.citizen
    rows = worklist_rows(caseworker, base, "pathway:worklist", new_id)
    guarantee = rows.filter(has_text="Behandlingsstart (14-dagesgaranti)")
    assert guarantee.count() == 1, rows.all_inner_texts()
    assert "15. juni 2027" in guarantee.inner_text()
    assert "14 dage tilbage" in guarantee.inner_text()
    findings.check(caseworker, "caseworker worklist, new course")
    caseworker.screenshot(path=SCREENSHOTS / "treatment-new-request.png", full_page=True)
    assert not findings.problems(), findings.problems()


def select_containing(select, text):
    """Choose the option whose label contains `text` (the labels carry the due date)."""
    option = select.locator("option").filter(has_text=text)
    assert option.count() == 1, select.inner_text()
    select.select_option(value=option.get_attribute("value"))


def review(page, held_on, audit, days, status):
    title = "Opfølgning på behandlingsplanen"
    section = open_step(page, title)
    section.get_by_label("Afholdt").fill(held_on)
    section.get_by_label("Dage med brug de seneste 30 dage").fill(days)
    section.get_by_label("AUDIT-svar (valgfri)").fill(audit)
    section.get_by_label("Jeg vil ikke drikke mere").select_option(label=status)
    save_step(page, section, title)


def outcome(page, held_on, task, maintained):
    title = "Udfald af opfølgning efter udskrivning"
    section = open_step(page, title)
    select_containing(section.get_by_label("Opfølgning", exact=True), task)
    section.get_by_label("Afholdt").fill(held_on)
    pick_radio(section, "Fik I kontakt med borgeren?", "Ja")
    section.get_by_label("Er målet fastholdt?").select_option(label=maintained)
    section.get_by_label("Status for brug").select_option(label="Reduceret")
    save_step(page, section, title)
