"""The cluster report (issue 6 item 4): municipalities listed by category per indicator, with
colour and label, judgements marked, raw answers and evidence beside; examples and plans, the
purchase overview, the feedback, the appendix; HTML and PDF; who may read and write."""

import io

import pypdf
import pytest
from django.urls import reverse

from forlob.accounts.models import Role
from forlob.audit.models import AuditEvent
from forlob.quality import access, evidence
from forlob.quality.models import ClusterReportText, Participant, StaffCompetence, Status
from forlob.quality.reports import build_cluster_report

from .factories import ProviderFactory, PurchaseAgreementFactory, make_user
from .factories_quality import make_round, mini_kl
from .factories_quality_reports import (
    DELVIS_NO,
    DELVIS_YES,
    FLAG_TEXT,
    JUDGED_REASON,
    KOGE_PLAN,
    Tables,
    categories,
    fake_evidence,
    no_evidence,
    purchases,
    scenario,
)


@pytest.fixture
def setup(world, monkeypatch):
    monkeypatch.setattr(evidence, "evidence_for_round", fake_evidence(world))
    fw, rnd, sol, koge = scenario(world)
    return world, rnd


def url(name, rnd, cluster):
    return reverse(f"quality:{name}", kwargs={"round_id": rnd.pk, "cluster_id": cluster.pk})


def page(login, user, rnd, cluster, **params):
    response = login(user).get(url("report_cluster", rnd, cluster), params)
    assert response.status_code == 200
    return response.content.decode()


def indicator(report, number):
    return next(i for c in report.chapters for i in c.indicators if i.number == number)


def answer_rows(tables, number):
    """{abbreviation: cells} of an indicator's table of answers, categories and evidence."""
    rows = tables[f"Svar, kategori og målt værdi pr. kommune, indikator {number}"][1:]
    return {r[0][0]: r for r in rows}


def listed(ind):
    return {g.key: [(m.abbreviation, judged) for m, judged in g.members] for g in ind.groups}


# --- The categories --------------------------------------------------------------------------


def test_categories_per_indicator(setup):
    world, rnd = setup
    report = build_cluster_report(rnd, world.cluster)
    assert [m.abbreviation for m in report.members] == ["KØG", "SOL"]  # configured, fallback
    # Solrød's areas differ on 1.1: its common answer is nej.
    assert listed(indicator(report, "1.1")) == {
        "green": [("KØG", False)], "yellow": [], "red": [("SOL", False)]}
    # Køge's nej to 1.2 judged met: green, marked.
    assert listed(indicator(report, "1.2")) == {
        "green": [("KØG", True), ("SOL", False)], "yellow": [], "red": []}
    # A delvis resolved each way, and one kept.
    assert listed(indicator(report, "5.1")) == {
        "green": [("SOL", False)], "yellow": [], "red": [("KØG", False)]}
    assert listed(indicator(report, "5.2")) == {
        "green": [("SOL", False)], "yellow": [("KØG", False)], "red": []}
    # The greyed recommendation is there for the overview, without indicators.
    greyed = next(c for c in report.chapters if c.number == "3")
    assert greyed.greyed and greyed.indicators == ()


def test_the_page_shows_colours_and_labels_together(setup, login):
    world, rnd = setup
    html = page(login, world.coordinator, rnd, world.cluster)
    one = categories(html, "1.1")
    assert one["Helt indfriet"][0] == "KØG" and "badge-success" in one["Helt indfriet"][1]
    assert one["Ikke indfriet"][0] == "SOL" and "badge-error" in one["Ikke indfriet"][1]
    assert one["Delvist indfriet"][0] == "–" and "badge-warning" in one["Delvist indfriet"][1]
    five = categories(html, "5.2")
    assert five["Delvist indfriet"][0] == "KØG"
    judged = categories(html, "1.2")
    assert judged["Helt indfriet"][0] == "KØG*, SOL"
    assert f"sat til Helt indfriet ved skøn. Begrundelse: {JUDGED_REASON}" in html


def test_raw_answers_notes_and_reasons_beside_the_category(setup, login):
    world, rnd = setup
    html = page(login, world.coordinator, rnd, world.cluster)
    tables = Tables(html).tables
    rows = answer_rows(tables, "1.1")
    assert rows["SOL"][1][0] == "Alkohol: Ja Stof: Nej"
    assert "badge-error" in rows["SOL"][2][1] and rows["SOL"][2][0] == "Ikke indfriet"
    assert "Områderne svarede forskelligt" in rows["SOL"][4][0]
    rows = answer_rows(tables, "5.1")
    assert "Delvis er vurderet til ja." in rows["SOL"][4][0] and DELVIS_YES in rows["SOL"][4][0]
    assert "Delvis er vurderet til nej." in rows["KØG"][4][0] and DELVIS_NO in rows["KØG"][4][0]
    rows = answer_rows(tables, "1.2")
    assert rows["KØG"][1][0] == "Nej" and rows["KØG"][2][0] == "Helt indfriet*"
    assert "reglerne giver: Ikke indfriet" in rows["KØG"][4][0]


def test_evidence_and_its_flag_beside_the_answer(setup, login):
    world, rnd = setup
    html = page(login, world.coordinator, rnd, world.cluster)
    tables = Tables(html).tables
    rows = answer_rows(tables, "5.2")
    assert rows["SOL"][3][0].startswith("12 % (Opfølgning 1 måned efter udskrivning) "
                                        "40 % (Opfølgning 6 måneder efter udskrivning)")
    assert "Svaret stemmer ikke med data" in rows["SOL"][3][0] and FLAG_TEXT in rows["SOL"][3][0]
    assert "badge-error" in rows["SOL"][3][1]
    assert rows["KØG"][3][0] == "–"
    rows = answer_rows(tables, "5.1")
    assert rows["KØG"][3][0] == "<5 (Opfølgning på plan)"
    assert "Svaret stemmer ikke" not in rows["KØG"][3][0]


def test_without_evidence_the_report_still_renders(world, login, monkeypatch):
    monkeypatch.setattr(evidence, "evidence_for_round", no_evidence)
    _fw, rnd, _s, _k = scenario(world)
    html = page(login, world.coordinator, rnd, world.cluster)
    assert "Svaret stemmer ikke med data" not in html


def test_with_the_real_evidence_every_paired_indicator_has_a_line(world, login):
    """evidence.evidence_for_round as it is (no data in the period: no value, no flag)."""
    from forlob.indicators.catalogue import CATALOGUE

    _fw, rnd, _s, _k = scenario(world)
    report = build_cluster_report(rnd, world.cluster)
    rows = {r.member.abbreviation: r for r in indicator(report, "5.2").rows}
    names = [line.name for line in rows["SOL"].evidence.lines]
    assert names == [str(CATALOGUE["follow_up_1"].name("da")),
                     str(CATALOGUE["follow_up_6"].name("da"))]
    assert not rows["SOL"].evidence.flag
    assert indicator(report, "1.1").rows[0].evidence is None  # no KPI measures 1.1
    html = page(login, world.coordinator, rnd, world.cluster)
    assert names[0] in html and "Svaret stemmer ikke med data" not in html


def test_queries_do_not_grow_with_the_municipalities(setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import MunicipalityFactory
    from .factories_quality import answer

    world, rnd = setup
    with CaptureQueriesContext(connection) as two:
        build_cluster_report(rnd, world.cluster, with_competence=True)
    for n in range(3):
        extra = MunicipalityFactory(name=f"Ekstra {n}", cluster=world.cluster)
        p = rnd.participants.create(municipality=extra, areas=["alkohol", "stof"],
                                    status=Status.SUBMITTED)
        answer(p, rnd.framework, "1.1", "ja", area="alkohol")
    with CaptureQueriesContext(connection) as five:
        report = build_cluster_report(rnd, world.cluster, with_competence=True)
    assert len(report.members) == 5
    assert len(five.captured_queries) == len(two.captured_queries)


def test_examples_ticks_and_plans(setup):
    world, rnd = setup
    report = build_cluster_report(rnd, world.cluster)
    nine = next(c for c in report.chapters if c.number == "9")
    texts = {b.number: [(e.member.abbreviation, e.area, e.text) for e in b.entries]
             for b in nine.texts}
    assert texts["9.2"] == [("SOL", "Alkohol", "Fælles teammøder hver uge.")]
    assert texts["9.3"] == [("SOL", "Stof", "Medicinsk, Psykosocial")]
    one = next(c for c in report.chapters if c.number == "1")
    assert [(e.member.abbreviation, e.text) for b in one.plans for e in b.entries] == [
        ("SOL", "Vi indfører familiesamtaler i stofbehandlingen.")]
    five = next(c for c in report.chapters if c.number == "5")
    assert [(e.member.abbreviation, e.text) for b in five.plans for e in b.entries] == [
        ("KØG", "Opfølgning efter udskrivning skal systematiseres.")]


def test_examples_attached_to_their_indicator(world, monkeypatch):
    """An EXAMPLES item numbered "<indicator>-eks" is shown under that indicator."""
    from forlob.quality.models import Item, ItemKind

    monkeypatch.setattr(evidence, "evidence_for_round", no_evidence)
    fw = mini_kl()
    one = Item.objects.get(section__framework=fw, number="1.1")
    Item.objects.create(section=one.section, number="1.1-eks", kind=ItemKind.EXAMPLES,
                        text="Hvordan/giv eksempler", order=1)
    rnd = make_round(fw, cluster=world.cluster, municipalities=[world.muni])
    rnd.participants.update(status=Status.SUBMITTED)
    from .factories_quality import answer

    answer(rnd.participants.get(), fw, "1.1-eks", text="Familiesamtaler.")
    report = build_cluster_report(rnd, world.cluster)
    ind = indicator(report, "1.1")
    assert [(b.number, [e.text for e in b.entries]) for b in ind.examples] == [
        ("1.1-eks", ["Familiesamtaler."])]
    chapter = next(c for c in report.chapters if c.number == "1")
    assert all(b.number != "1.1-eks" for b in chapter.texts)


def test_purchases_in_force_during_the_period_and_buyers(setup, login):
    world, rnd = setup
    purchases(world)
    report = build_cluster_report(rnd, world.cluster)
    assert [(p.buyer.name, p.provider, p.owner) for p in report.purchases] == [
        ("Solrød", "Misbrugscenter Øst", "Køge"), ("Solrød", "Nyt Tilbud", "Faxe")]
    assert [m.name for m in report.buyers] == ["Køge"]
    html = page(login, world.coordinator, rnd, world.cluster)
    assert "Privat Klinik" not in html and "Nyt Tilbud" in html


def test_texts_feedback_and_appendix(setup, login):
    world, rnd = setup
    ClusterReportText.objects.create(
        round=rnd, cluster=world.cluster, focus_areas="Unge.\n\nFamilier.",
        feedback_experience="Bedre indsigt i hinandens tilbud.")
    html = page(login, world.coordinator, rnd, world.cluster)
    assert "<p>Unge.</p>" in html and "<p>Familier.</p>" in html
    assert ("Hvad er de væsentligste erfaringer klyngen har gjort sig indtil nu – positive og "
            "negative – i forhold til samarbejdsformen?") in html
    assert "Bedre indsigt i hinandens tilbud." in html and "Ikke besvaret endnu." in html
    tables = Tables(html).tables
    appendix = tables["Anbefaling 1: Familieorienteret behandling"]
    # Two appendices have this caption; the last one parsed is Solrød's (alphabetical order).
    assert [c[0] for c in appendix[0]] == ["Nr.", "Punkt", "Alkohol", "Stof"]
    assert [c[0] for c in appendix[1]][2:] == ["Ja", "Nej"]  # raw, before the rules


def test_empty_texts_and_pending_answers_are_said(setup, login):
    world, rnd = setup
    html = page(login, world.coordinator, rnd, world.cluster)
    assert "Koordinatoren har ikke skrevet klyngens fokusområder endnu." in html
    assert "Foreløbig rapport" in html


def test_competence_listed_on_request(setup, login):
    world, rnd = setup
    StaffCompetence.objects.create(municipality=world.muni, education="Socialrådgiver",
                                   methods=["MI"], contact_name="Kontakt Person")
    clinic = ProviderFactory(name="Privat Klinik", owner_municipality=None)
    PurchaseAgreementFactory(municipality=world.muni2, provider=clinic)
    StaffCompetence.objects.create(provider=clinic, education="Psykolog", contact_name="P")
    StaffCompetence.objects.create(municipality=world.muni3, education="Sygeplejerske",
                                   contact_name="Anden klynge")
    assert "Socialrådgiver" not in page(login, world.coordinator, rnd, world.cluster)
    html = page(login, world.coordinator, rnd, world.cluster, kompetencer="1")
    assert "Socialrådgiver" in html and "MI" in html and "Psykolog" in html
    assert "Sygeplejerske" not in html


# --- PDF -------------------------------------------------------------------------------------


def test_pdf_holds_the_categories_and_is_a_print(setup, login):
    world, rnd = setup
    before = AuditEvent.objects.filter(action="print").count()
    response = login(world.coordinator).get(url("report_cluster_pdf", rnd, world.cluster))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) > 0
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    for label in ("Helt indfriet", "Delvist indfriet", "Ikke indfriet", "Klyngerapport: Øst"):
        assert label in text
    assert "Svaret stemmer ikke med data" in text
    assert AuditEvent.objects.filter(action="print").count() == before + 1


# --- Access ----------------------------------------------------------------------------------


def test_leader_of_a_participant_reads_but_does_not_write(setup, login):
    world, rnd = setup
    html = page(login, world.leader, rnd, world.cluster)
    assert url("report_cluster_edit", rnd, world.cluster) not in html
    client = login(world.leader)
    assert client.get(url("report_cluster_edit", rnd, world.cluster)).status_code == 404
    assert client.post(url("report_cluster_edit", rnd, world.cluster),
                       {"focus_areas": "x"}).status_code == 404
    assert client.get(url("report_cluster_pdf", rnd, world.cluster)).status_code == 200
    index = client.get(reverse("quality:report_index", args=[rnd.pk])).content.decode()
    assert url("report_cluster", rnd, world.cluster) in index
    assert url("report_cluster_edit", rnd, world.cluster) not in index
    assert reverse("quality:report_region", args=[rnd.pk]) not in index


def test_administrator_of_a_participant_reads_like_its_leader(setup, login):
    world, rnd = setup
    assert access.cluster_report_right(world.admin, rnd, world.cluster) == access.REPORT_READ
    assert access.report_rounds(world.admin).filter(pk=rnd.pk).exists()
    client = login(world.admin)
    html = page(login, world.admin, rnd, world.cluster)
    assert "Klyngerapport: Øst" in html
    assert url("report_cluster_edit", rnd, world.cluster) not in html
    assert client.get(url("report_cluster_pdf", rnd, world.cluster)).status_code == 200
    assert client.get(url("report_cluster_edit", rnd, world.cluster)).status_code == 404
    index = client.get(reverse("quality:report_index", args=[rnd.pk])).content.decode()
    assert url("report_cluster", rnd, world.cluster) in index
    assert reverse("quality:report_region", args=[rnd.pk]) not in index
    # Not the other cluster's report, nor a round their municipality is not in.
    other = make_user(Role.ADMINISTRATOR, world.muni3)
    assert access.cluster_report_right(other, rnd, world.cluster) is None
    assert not access.report_rounds(other).filter(pk=rnd.pk).exists()
    assert login(other).get(url("report_cluster", rnd, world.cluster)).status_code == 404


def test_report_scoping_in_access(setup):
    """access.report_rounds and access.cluster_report_right: who reaches which round and what
    right they have on which cluster report."""
    world, rnd = setup
    right = access.cluster_report_right
    assert right(world.coordinator, rnd, world.cluster) == access.REPORT_WRITE
    assert right(world.region_coordinator, rnd, world.cluster) == access.REPORT_WRITE
    assert right(world.leader, rnd, world.cluster) == access.REPORT_READ
    for user in (world.caseworker, world.clinician, make_user(Role.LEADER, world.muni3),
                 make_user(Role.COORDINATOR, world.other_cluster)):
        assert right(user, rnd, world.cluster) is None, user
        assert not access.report_rounds(user).filter(pk=rnd.pk).exists(), user
    # A cluster coordinator reaches a region round of its region, and writes its own cluster's
    # report there, not the other cluster's.
    fw = rnd.framework
    region_round = make_round(fw, region=world.region, name="Regionsrunde",
                              municipalities=[world.muni, world.muni3])
    assert access.report_rounds(world.coordinator).filter(pk=region_round.pk).exists()
    assert right(world.coordinator, region_round, world.cluster) == access.REPORT_WRITE
    assert right(world.coordinator, region_round, world.other_cluster) is None


@pytest.mark.parametrize("who", ["caseworker", "clinician", "other_leader",
                                 "other_coordinator", "region_coordinator_elsewhere"])
def test_others_get_404(setup, login, who):
    world, rnd = setup
    from .factories import ClusterFactory, RegionFactory

    users = {
        "other_leader": lambda: make_user(Role.LEADER, world.muni3),
        "other_coordinator": lambda: make_user(Role.COORDINATOR, world.other_cluster),
        "region_coordinator_elsewhere": lambda: make_user(
            Role.COORDINATOR, ClusterFactory(region=RegionFactory(name="Hovedstaden")).region),
    }
    user = users[who]() if who in users else getattr(world, who)
    client = login(user)
    for name in ("report_cluster", "report_cluster_pdf", "report_cluster_edit"):
        assert client.get(url(name, rnd, world.cluster)).status_code == 404, name
    assert client.get(reverse("quality:report_index", args=[rnd.pk])).status_code == 404


def test_region_coordinator_of_the_rounds_region_writes(setup, login):
    world, rnd = setup
    client = login(world.region_coordinator)
    assert client.get(url("report_cluster_edit", rnd, world.cluster)).status_code == 200


def test_a_cluster_not_in_the_round_is_404(setup, login):
    world, rnd = setup
    client = login(world.coordinator)
    assert client.get(url("report_cluster", rnd, world.other_cluster)).status_code == 404
    assert client.get(reverse("quality:report_cluster", kwargs={
        "round_id": 987654, "cluster_id": world.cluster.pk})).status_code == 404


def test_cluster_coordinator_writes_its_cluster_report_in_a_region_round(world, login,
                                                                         monkeypatch):
    monkeypatch.setattr(evidence, "evidence_for_round", no_evidence)
    _fw, rnd, _s, _k = scenario(world, region_round=True)
    client = login(world.coordinator)
    assert client.get(url("report_cluster", rnd, world.cluster)).status_code == 200
    assert client.get(url("report_cluster_edit", rnd, world.cluster)).status_code == 200
    assert client.get(url("report_cluster", rnd, world.other_cluster)).status_code == 404
    assert client.get(reverse("quality:report_region", args=[rnd.pk])).status_code == 404
    index = client.get(reverse("quality:report_index", args=[rnd.pk])).content.decode()
    assert url("report_cluster", rnd, world.cluster) in index
    assert url("report_cluster", rnd, world.other_cluster) not in index
    assert reverse("quality:report_region", args=[rnd.pk]) not in index


# --- Only submitted and approved answers -------------------------------------------------------


def pdf_text(response):
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.RETURNED])
def test_a_draft_is_named_but_never_shown(world, login, monkeypatch, status):
    """Køge's answers are not in (a draft, or sent back): its plan text is in neither the page
    nor the PDF, for the coordinator or Solrød's leader; it is in no category, no appendix and
    no tally of the report; it is named as not submitted with its status."""
    monkeypatch.setattr(evidence, "evidence_for_round", fake_evidence(world))
    _fw, rnd, _sol, _koge = scenario(world, statuses={world.muni2: status})
    report = build_cluster_report(rnd, world.cluster)
    assert [m.name for m in report.not_submitted] == ["Køge"]
    assert [m.name for m in report.reported] == ["Solrød"]
    for number in ("1.1", "1.2", "5.1", "5.2", "9.1"):
        ind = indicator(report, number)
        assert all(m.name != "Køge" for g in ind.groups for m, _j in g.members), number
        assert [r.member.name for r in ind.rows] == ["Solrød"], number
    assert [a.member.name for a in report.appendix] == ["Solrød"]
    assert report.buyers == ()  # Køge's "køberkommune" is one of its answers
    assert report.preliminary
    label = str(Status(status).label)
    for user in (world.coordinator, world.leader):
        html = page(login, user, rnd, world.cluster)
        assert KOGE_PLAN not in html and JUDGED_REASON not in html and DELVIS_NO not in html
        assert "Foreløbig rapport" in html
        rows = Tables(html).tables["Ikke indsendt"]
        assert [[c[0] for c in r] for r in rows] == [["Kommune", "Status"], ["Køge", label]]
        assert "KØG" not in {a for _l, (a, _c) in categories(html, "1.1").items()}
        assert set(answer_rows(Tables(html).tables, "1.1")) == {"SOL"}
        response = login(user).get(url("report_cluster_pdf", rnd, world.cluster))
        assert response.status_code == 200
        text = pdf_text(response)
        assert "Opfølgning efter udskrivning skal" not in text and "Ikke indsendt" in text
        assert "Køge" in text  # named, with its status
        assert "Køberkommune" not in text.split("Hvem køber hos hvem")[1].split("Køber hos")[0]


def test_without_submitted_answers_the_report_is_empty_but_renders(world, login, monkeypatch):
    monkeypatch.setattr(evidence, "evidence_for_round", fake_evidence(world))
    _fw, rnd, _s, _k = scenario(world, statuses={world.muni: Status.DRAFT,
                                                 world.muni2: Status.DRAFT})
    report = build_cluster_report(rnd, world.cluster)
    assert report.reported == () and report.appendix == ()
    assert all(not g.members for c in report.chapters for i in c.indicators for g in i.groups)
    html = page(login, world.coordinator, rnd, world.cluster)
    assert "Ingen kommuner i klyngen har indsendt deres svar endnu." in html
    assert KOGE_PLAN not in html and "Fælles teammøder" not in html


def test_answers_of_never_returns_a_drafts_answers(world, monkeypatch):
    from forlob.quality.reports import answers_of

    _fw, rnd, sol, koge = scenario(world, statuses={world.muni2: Status.DRAFT})
    found = answers_of([sol, koge])
    assert found and {pid for pid, _i, _a in found} == {sol.pk}


def test_preliminary_only_while_some_answers_are_not_approved(world, login, monkeypatch):
    monkeypatch.setattr(evidence, "evidence_for_round", no_evidence)
    _fw, rnd, _s, _k = scenario(world, statuses={world.muni: Status.APPROVED})
    report = build_cluster_report(rnd, world.cluster)
    assert not report.preliminary and report.not_submitted == ()
    assert "Foreløbig rapport" not in page(login, world.coordinator, rnd, world.cluster)
    Participant.objects.filter(round=rnd, municipality=world.muni).update(
        status=Status.SUBMITTED)
    html = page(login, world.coordinator, rnd, world.cluster)
    assert "Foreløbig rapport" in html and "Solrød (indsendt)" in html
    assert "Svar, der ikke er indsendt, indgår ikke i rapporten." not in html
