"""Issue 6 end to end in Debian's chromium: a coordinator opens a round for the cluster against
KL's 12 recommendations; Solrød answers as a whole (delvis to 1.2, ja to 5.2 while its data show
a quarter of the follow-ups done); Køge answers split into alkohol and stof, which differ on 7.2;
the coordinator resolves Solrød's delvis to ja. The cluster report then shows the categories
with their colours and the evidence flag; the HTML report and the PDF rendered to PNG are saved.
Every page is checked with axe-core."""

import datetime as dt
from pathlib import Path

import pymupdf
import pytest
from django.urls import reverse

from forlob.accounts.models import Role
from forlob.quality.forms_answer import prefix
from forlob.quality.frameworks import loader
from forlob.quality.models import Abbreviation, Framework, Item, Participant, Round, Status

from ..factories import make_user
from ..factories_indicators import follow_up, make_course
from .helpers import SCREENSHOTS, log_in, submit

pytestmark = pytest.mark.browser
D = dt.date


def kl_framework():
    """The migration loads KL's scheme, but a live-server test may run after another that
    flushed the database; load it again from the bundled file then."""
    fw = Framework.objects.filter(code="kl-12").first()
    if fw is None:
        fw = loader.load_file(Path(loader.__file__).parent / "kl-12-2014.json")
    return fw


def solroed_follow_ups(world):
    """20 follow-ups 1 month after discharge due in the round's period, 5 held: 25 %."""
    for i in range(20):
        course = make_course(world, D(2025, 6, 1), started=D(2025, 7, 1),
                             discharged=D(2025, 12, 1))
        follow_up(course, 1, D(2026, 3, 1), held_on=D(2026, 3, 1) if i < 5 else None)


def choose(page, item, area, value):
    page.locator(f'input[name="{prefix(item, area)}-choice"][value="{value}"]').check()


def answer_all_ja(page):
    for radio in page.locator('input[type="radio"][value="ja"]').all():
        radio.check()


def test_a_round_from_opening_to_the_cluster_report(world, live_server, new_page, findings):
    base = live_server.url
    fw = kl_framework()
    items = {i.number: i for i in Item.objects.filter(section__framework=fw)}
    koege_leader = make_user(Role.LEADER, world.muni2, "leder-koege")
    Abbreviation.objects.create(municipality=world.muni, abbreviation="SOL")
    Abbreviation.objects.create(municipality=world.muni2, abbreviation="KØG")
    solroed_follow_ups(world)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    # The coordinator opens the round for the cluster.
    coordinator = new_page()
    log_in(coordinator, base, world.coordinator)
    coordinator.goto(base + reverse("quality:round_create"))
    findings.check(coordinator, "quality round create")
    coordinator.get_by_label("Rammeværk og version").select_option(value=str(fw.pk))
    coordinator.get_by_label("Navn").fill("Selvevaluering 2026, klynge Øst")
    coordinator.get_by_label("Periode fra").fill("2026-01-01")
    coordinator.get_by_label("Periode til").fill("2026-05-31")
    coordinator.get_by_label("Svarfrist").fill("2026-07-01")
    coordinator.get_by_label("Solrød").check()
    coordinator.get_by_label("Køge").check()
    submit(coordinator, coordinator.get_by_role("button", name="Åbn runden"))
    rnd = Round.objects.get(name="Selvevaluering 2026, klynge Øst")
    assert (rnd.cluster, rnd.framework) == (world.cluster, fw)
    solroed = Participant.objects.get(round=rnd, municipality=world.muni)
    koege = Participant.objects.get(round=rnd, municipality=world.muni2)

    # Solrød answers as a whole: delvis to 1.2 (so the plan 1.4 is needed), ja elsewhere.
    leader = new_page()
    log_in(leader, base, world.leader)
    leader.goto(base + reverse("quality:answer_edit", args=[solroed.pk]))
    answer_all_ja(leader)
    choose(leader, items["1.2"], "", "delvis")
    submit(leader, leader.get_by_role("button", name="Indsend til koordinatoren"))
    assert "Plan for løsning" in leader.locator("main").inner_text()  # the plan is missing
    solroed.refresh_from_db()
    assert solroed.status == Status.DRAFT
    findings.check(leader, "quality answer with errors")
    leader.locator(f'[name="{prefix(items["1.4"], "")}-text"]').fill(
        "Vi indfører familiesamtaler som fast tilbud i efteråret.")
    submit(leader, leader.get_by_role("button", name="Indsend til koordinatoren"))
    solroed.refresh_from_db()
    assert solroed.status == Status.SUBMITTED
    # The evidence stands beside the answer in the form.
    assert "Målt: 25 %" in leader.locator("main").inner_text()

    # Køge answers split into alkohol and stof; stof says nej to 7.2 (and plans for it).
    other = new_page()
    log_in(other, base, koege_leader)
    other.goto(base + reverse("quality:answer_background", args=[koege.pk]))
    other.get_by_label("opdelt på områder").check()
    other.get_by_label("Alkohol").check()
    other.get_by_label("Stof").check()
    findings.check(other, "quality background")
    submit(other, other.get_by_role("button", name="Gem"))
    other.goto(base + reverse("quality:answer_edit", args=[koege.pk]))
    answer_all_ja(other)
    choose(other, items["7.2"], "stof", "nej")
    other.locator(f'[name="{prefix(items["7.3"], "stof")}-text"]').fill(
        "Stofområdet begynder at bruge evalueringen i 2027.")
    findings.check(other, "quality answer split")
    submit(other, other.get_by_role("button", name="Indsend til koordinatoren"))
    koege.refresh_from_db()
    assert koege.status == Status.SUBMITTED and koege.areas == ["alkohol", "stof"]

    # The coordinator sees the progress and resolves Solrød's delvis to ja.
    coordinator.goto(base + reverse("quality:round_detail", args=[rnd.pk]))
    assert "Alle kommuner har indsendt." in coordinator.locator("main").inner_text()
    findings.check(coordinator, "quality round detail")
    coordinator.goto(base + reverse("quality:resolution_edit",
                                    args=[solroed.pk, items["1.2"].pk]))
    coordinator.get_by_label("Afgør som ja – Helt indfriet").check()
    coordinator.get_by_label("Begrundelse").first.fill(
        "Uddybningen viser familiesamtaler i de fleste forløb, på linje med dem, der svarede ja.")
    findings.check(coordinator, "quality resolution")
    submit(coordinator, coordinator.get_by_role("button", name="Gem afgørelsen"))

    # The cluster report: categories with colours, and the evidence flag.
    report_url = reverse("quality:report_cluster", args=[rnd.pk, world.cluster.pk])
    coordinator.goto(base + report_url)
    findings.check(coordinator, "quality cluster report")

    def group(number, label):
        block = coordinator.locator(".forlob-report-indicator").filter(
            has=coordinator.get_by_role("heading", name=f"Indikator {number}", exact=True))
        by_category = block.locator("table").first  # the municipalities listed by category
        return by_category.locator("tbody tr").filter(
            has=coordinator.locator(".badge", has_text=label))

    met_12 = group("1.2", "Helt indfriet")
    assert "SOL" in met_12.inner_text()
    assert met_12.locator(".badge-success").count() == 1
    not_met_72 = group("7.2", "Ikke indfriet")
    assert "KØG" in not_met_72.inner_text()  # the areas differ: the common answer is nej
    assert not_met_72.locator(".badge-error").count() == 1
    assert "SOL" in group("7.2", "Helt indfriet").inner_text()
    block_52 = coordinator.locator(".forlob-report-indicator").filter(
        has=coordinator.get_by_role("heading", name="Indikator 5.2", exact=True))
    solroed_row = block_52.locator("tbody tr").filter(has_text="SOL").last
    assert "Svaret stemmer ikke med data" in solroed_row.inner_text()
    assert "25 %" in solroed_row.inner_text()
    koege_row = block_52.locator("tbody tr").filter(has_text="KØG").last
    assert "Svaret stemmer ikke med data" not in koege_row.inner_text()
    coordinator.screenshot(path=SCREENSHOTS / "quality-cluster-report.png", full_page=True,
                           caret="initial")

    # The PDF of the same report, rendered to PNG.
    response = coordinator.request.get(
        base + reverse("quality:report_cluster_pdf", args=[rnd.pk, world.cluster.pk]))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    with pymupdf.open(stream=response.body(), filetype="pdf") as pdf:
        text = "".join(page.get_text() for page in pdf)
        assert "Helt indfriet" in text and "Ikke indfriet" in text
        assert "Svaret stemmer ikke med data" in text
        pdf[0].get_pixmap(dpi=80).save(SCREENSHOTS / "quality-cluster-report-pdf-1.png")
        for page in pdf:
            if "Indikator 5.2" in page.get_text():
                page.get_pixmap(dpi=80).save(
                    SCREENSHOTS / "quality-cluster-report-pdf-evidence.png")
                break
    assert (SCREENSHOTS / "quality-cluster-report-pdf-evidence.png").stat().st_size > 0
    assert not findings.problems(), findings.problems()
