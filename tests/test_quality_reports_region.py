"""The region report (issue 6 item 5): per indicator a bar chart of ja, delvis and nej per
cluster (resolved answers), the coordinator's status and recommendations per recommendation,
the overall conclusions, the municipalities that did not take part; HTML and PDF with one chart
per answerable indicator; only the round's coordinators."""

import io

import pypdf
import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from forlob.accounts.models import Role
from forlob.quality import evidence
from forlob.quality.charts_quality import tally_spec, title_lines, to_svg
from forlob.quality.models import RegionReportText, SectionReportText, Status
from forlob.quality.outcomes import indicators
from forlob.quality.reports_region import build_region_report
from forlob.quality.rules_reports import Tally

from .factories import MunicipalityFactory, make_user
from .factories_quality import make_round, mini_kl
from .factories_quality_reports import (
    FLAG_TEXT,
    KOGE_PLAN,
    Tables,
    fake_evidence,
    no_evidence,
    scenario,
)


@pytest.fixture(autouse=True)
def _no_evidence(monkeypatch):
    monkeypatch.setattr(evidence, "evidence_for_round", no_evidence)


@pytest.fixture
def region_round(world):
    MunicipalityFactory(name="Stevns", code="336", cluster=world.other_cluster)
    _fw, rnd, _sol, _koge = scenario(world, region_round=True)
    return rnd


def counts(report, number):
    chart = next(c for c in report.charts if c.number == number)
    return {c.name: c.tally for c in chart.counts}


def test_tallies_per_cluster_from_resolved_answers(world, region_round):
    report = build_region_report(region_round, with_svg=False)
    assert [name for name, _m in report.clusters] == ["Syd", "Øst"]
    # Solrød's split areas differ on 1.1: nej.
    assert counts(report, "1.1") == {"Øst": Tally(yes=1, no=1), "Syd": Tally(yes=1)}
    # A delvis resolved each way.
    assert counts(report, "5.1")["Øst"] == Tally(yes=1, no=1)
    # A delvis kept is its own bar.
    assert counts(report, "5.2")["Øst"] == Tally(yes=1, partly=1)
    # A judgement does not move the bars; it is counted beside them.
    assert counts(report, "1.2")["Øst"] == Tally(yes=1, no=1, judged=1)


def test_one_chart_per_answerable_indicator_and_greyed_have_none(world, region_round):
    report = build_region_report(region_round)
    numbers = [i.number for i in indicators(region_round.framework)]
    assert [c.number for c in report.charts] == numbers == ["1.1", "1.2", "5.1", "5.2", "9.1"]
    assert next(c for c in report.chapters if c.number == "3").charts == ()
    body = render_to_string("quality/report_region_body.html", {"report": report, "pdf": True})
    assert body.count("<svg") == len(numbers)


def test_page_has_charts_tables_texts_and_absentees(world, region_round, login):
    section = region_round.framework.sections.get(number="5")
    SectionReportText.objects.create(round=region_round, section=section,
                                     status_text="Alle følger op.",
                                     recommendations="Fælles skema for opfølgning.")
    RegionReportText.objects.create(round=region_round, conclusions="Første.\n\nAnden.")
    response = login(world.region_coordinator).get(
        reverse("quality:report_region", args=[region_round.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 5
    rows = Tables(html).tables["Antal kommuner pr. svar, indikator 5.2"]
    assert [c[0] for c in rows[0]] == ["Klynge", "Ja", "Delvis", "Nej", "Ikke besvaret",
                                       "Ikke indsendt", "Kategori sat ved skøn",
                                       "Svar, der ikke stemmer med data"]
    assert [c[0] for c in rows[2]] == ["Øst", "1", "1", "0", "0", "0", "0", "0"]
    assert "Alle følger op." in html and "Fælles skema for opfølgning." in html
    assert "<p>Første.</p>" in html and "<p>Anden.</p>" in html
    assert "Koordinatoren har ikke skrevet en status endnu." in html  # the other sections
    absent = html.split('id="ikke-deltaget"')[1]
    assert "Stevns" in absent and "Solrød" not in absent


def test_pdf_renders_one_chart_per_indicator(world, region_round, login):
    response = login(world.region_coordinator).get(
        reverse("quality:report_region_pdf", args=[region_round.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 0
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Regionsrapport: Region Sjælland" in text and "Stevns" in text
    for i in indicators(region_round.framework):
        # The chart's title (SVG text) and the table's caption under it.
        assert text.count(" ".join(title_lines(i.number, i.text))) >= 1, i.number
        assert f"Antal kommuner pr. svar, indikator {i.number}" in text


def test_a_cluster_rounds_region_report_shows_its_one_cluster(world, login):
    MunicipalityFactory(name="Greve", code="253", cluster=world.cluster)
    _fw, rnd, _s, _k = scenario(world)
    report = build_region_report(rnd, with_svg=False)
    assert report.scope == "Øst" and [n for n, _m in report.clusters] == ["Øst"]
    assert [(a.cluster, a.municipalities) for a in report.absent] == [("Øst", ("Greve",))]
    assert set(counts(report, "1.1")) == {"Øst"}


def test_a_round_nobody_answered(world, login):
    rnd = make_round(mini_kl(), cluster=world.cluster, municipalities=[world.muni])
    rnd.participants.update(status=Status.SUBMITTED)
    report = build_region_report(rnd, with_svg=False)
    assert counts(report, "1.1") == {"Øst": Tally(unanswered=1)}
    response = login(world.coordinator).get(reverse("quality:report_region", args=[rnd.pk]))
    assert response.status_code == 200
    assert "Koordinatoren har ikke skrevet de samlede konklusioner endnu." in (
        response.content.decode())


def test_chart_spec_bars_and_svg():
    spec = tally_spec(["1.1 Familie"], [("Øst", Tally(yes=2, partly=1, no=3))])
    values = {(v["cluster"], v["answer"]): v["count"] for v in spec["data"]["values"]}
    assert values == {("Øst", "Ja"): 2, ("Øst", "Delvis"): 1, ("Øst", "Nej"): 3}
    svg = to_svg(spec)
    assert svg.startswith("<svg") and "1.1 Familie" in svg and "<script" not in svg
    assert to_svg(spec) == svg  # cached


def test_chart_labels_are_escaped():
    svg = to_svg(tally_spec(["<script>alert(1)</script>"], [("<b>Øst</b>", Tally(yes=1))]))
    assert "<script>" not in svg and "<b>" not in svg


def test_long_titles_wrap_to_three_lines():
    lines = title_lines("1.1", "ord " * 100)
    assert len(lines) == 3 and all(len(line) <= 70 for line in lines)
    assert lines[-1].endswith("…")


# --- Access ----------------------------------------------------------------------------------


def test_only_the_rounds_coordinators(world, region_round, login):
    names = ("report_region", "report_region_pdf", "report_region_edit")
    for user in (world.leader, world.coordinator, world.caseworker, world.admin,
                 make_user(Role.COORDINATOR, world.other_cluster)):
        client = login(user)
        for name in names:
            assert client.get(reverse(f"quality:{name}", args=[region_round.pk])
                              ).status_code == 404, (user, name)
    client = login(world.region_coordinator)
    for name in names:
        assert client.get(reverse(f"quality:{name}", args=[region_round.pk])
                          ).status_code == 200, name


def test_region_coordinator_reads_a_cluster_rounds_region_report(world, login):
    _fw, rnd, _s, _k = scenario(world)
    for user in (world.coordinator, world.region_coordinator):
        assert login(user).get(reverse("quality:report_region", args=[rnd.pk])
                               ).status_code == 200
    assert login(world.leader).get(reverse("quality:report_region", args=[rnd.pk])
                                   ).status_code == 404


def test_the_real_kl_12_framework_gets_one_chart_per_answerable_indicator(world):
    from forlob.quality.models import Framework

    fw = Framework.objects.get(code="kl-12")
    rnd = make_round(fw, cluster=world.cluster, municipalities=[world.muni, world.muni2])
    report = build_region_report(rnd)
    numbers = [i.number for i in indicators(fw)]
    assert len(numbers) == 16 and [c.number for c in report.charts] == numbers
    assert {c.number for c in report.chapters if c.greyed} == {"3", "4", "8", "11"}
    assert all(not c.charts for c in report.chapters if c.greyed)
    body = render_to_string("quality/report_region_body.html", {"report": report, "pdf": True})
    assert body.count("<svg") == 16


# --- Only submitted and approved answers; the evidence; what the bars count ------------------


def pdf_text(response):
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_a_draft_is_not_counted_but_named(world, login):
    MunicipalityFactory(name="Stevns", code="336", cluster=world.other_cluster)
    _fw, rnd, _s, _k = scenario(world, region_round=True, statuses={world.muni2: Status.DRAFT})
    report = build_region_report(rnd, with_svg=False)
    # Køge (draft) is in no bar: only Solrød counts in Øst.
    assert counts(report, "1.1") == {"Øst": Tally(no=1), "Syd": Tally(yes=1)}
    assert counts(report, "1.2")["Øst"] == Tally(yes=1)  # Køge's judgement is not counted
    chart = next(c for c in report.charts if c.number == "1.1")
    assert {c.name: c.not_submitted for c in chart.counts} == {"Øst": 1, "Syd": 0}
    assert [m.name for m in report.not_submitted] == ["Køge"] and report.preliminary
    assert [(n, [m.name for m in ms]) for n, ms in report.clusters] == [
        ("Syd", ["Faxe"]), ("Øst", ["Solrød"])]
    html = login(world.region_coordinator).get(
        reverse("quality:report_region", args=[rnd.pk])).content.decode()
    rows = Tables(html).tables["Antal kommuner pr. svar, indikator 1.2"]
    assert [c[0] for c in rows[2]] == ["Øst", "1", "0", "0", "0", "1", "0", "0"]
    assert "Køge (kladde)" in html and KOGE_PLAN not in html
    absent = html.split('id="ikke-deltaget"')[1]
    assert "Køge" not in absent and "Stevns" in absent  # Køge takes part, it is not absent


def test_a_cluster_where_nobody_submitted_is_still_shown(world):
    _fw, rnd, _s, _k = scenario(world, statuses={world.muni: Status.DRAFT,
                                                 world.muni2: Status.RETURNED})
    report = build_region_report(rnd, with_svg=False)
    assert counts(report, "1.1") == {"Øst": Tally()}
    assert [m.name for m in report.not_submitted] == ["Køge", "Solrød"]


def test_evidence_flags_counted_per_cluster_and_named(world, region_round, login,
                                                      monkeypatch):
    """Solrød's "ja" to 5.2 disagrees with its data (fake_evidence): counted in Øst and named
    under the indicator, on the page and in the PDF; no flagged value itself is shown."""
    monkeypatch.setattr(evidence, "evidence_for_round", fake_evidence(world))
    report = build_region_report(region_round, with_svg=False)
    chart = next(c for c in report.charts if c.number == "5.2")
    assert {c.name: c.flagged for c in chart.counts} == {"Øst": 1, "Syd": 0}
    assert [(f.member.abbreviation, f.cluster) for f in chart.flagged] == [("SOL", "Øst")]
    agreeing = next(c for c in report.charts if c.number == "5.1")  # Køge's value agrees
    assert agreeing.flagged == () and all(c.flagged == 0 for c in agreeing.counts)
    client = login(world.region_coordinator)
    html = client.get(reverse("quality:report_region", args=[region_round.pk])).content.decode()
    rows = Tables(html).tables["Antal kommuner pr. svar, indikator 5.2"]
    header = [c[0] for c in rows[0]]
    column = header.index("Svar, der ikke stemmer med data")
    assert {r[0][0]: r[column][0] for r in rows[1:]} == {"Syd": "0", "Øst": "1"}
    figure = html.split('id="indikator-5-2"')[1].split("</figure>")[0]
    assert '<abbr title="Solrød">SOL</abbr> (Øst)' in figure
    assert "12 %" not in html and FLAG_TEXT not in html
    other = html.split('id="indikator-5-1"')[1].split("</figure>")[0]
    assert "forlob-report-flagged" not in other
    text = pdf_text(client.get(reverse("quality:report_region_pdf", args=[region_round.pk])))
    five_two = text.split("Antal kommuner pr. svar, indikator 5.2")[1].split(
        "Antal kommuner pr. svar, indikator 9.1")[0]
    assert "Svar, der ikke stemmer med data SOL (Øst)" in five_two


def test_a_drafts_evidence_is_never_asked_for(world, monkeypatch):
    seen = []

    def spy(rnd, numbers=None, participants=None):
        seen.append({p.municipality_id for p in participants})
        return {}

    monkeypatch.setattr(evidence, "evidence_for_round", spy)
    _fw, rnd, _s, _k = scenario(world, statuses={world.muni2: Status.DRAFT})
    build_region_report(rnd, with_svg=False)
    assert seen == [{world.muni.pk}]


def test_the_charts_say_that_judgements_do_not_move_the_bars(world, region_round, login):
    client = login(world.region_coordinator)
    html = client.get(reverse("quality:report_region", args=[region_round.pk])).content.decode()
    note = "en kategori sat ved koordinatorens skøn flytter ikke søjlerne"
    figures = html.split('<figure class="forlob-report-figure"')[1:]
    assert len(figures) == 5 and all(note in f.split("</figcaption>")[0] for f in figures)
    # On the chart itself, too (the SVG's subtitle).
    assert all("En kategori sat ved skøn flytter dem ikke." in f for f in figures)
    text = pdf_text(client.get(reverse("quality:report_region_pdf", args=[region_round.pk])))
    assert text.count(note) == 5
    assert text.count("En kategori sat ved skøn flytter dem ikke.") == 5
