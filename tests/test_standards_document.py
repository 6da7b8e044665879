"""Publishing the quality standard (issue 7 item 3): the document is built from the configured
service levels, the public pages serve the version in force today to anyone, drafts are never
public, the staff preview is scoped, and the PDF (rasterised to PNG) carries the configured
guarantee, follow-up offsets and complaint routes (acceptance)."""

import datetime as dt

import pymupdf
import pytest
from django.urls import reverse

from forlob import clock
from forlob.standards import document, services
from forlob.standards.models import ComplaintRoute, Section, ServiceStandard, Status
from forlob.standards.rules import ALL_TRACKS

from .browser.helpers import SCREENSHOTS
from .conftest import TODAY
from .factories import MunicipalityFactory, ProviderFactory
from .factories_standards import ContactPointFactory, ServiceStandardFactory, adopted

pytestmark = pytest.mark.django_db

GUARANTEE_10 = "Du kan begynde behandling senest 10 dage efter, at du har bedt om det"
LAW_FIVE = ("Færdigbehandlet", "Udskrevet til andet tilbud", "Udskrevet til hospital",
            "Anden årsag")

def norm(text) -> str:
    """Whitespace-normalised (the document keeps '§ 101' together with a no-break space)."""
    return " ".join(str(text).split())


def pairs(rows) -> dict:
    return {norm(k): norm(v) for k, v in rows}


def text_of(doc: document.Document) -> str:
    """Every string a reader sees in the document, whitespace-normalised."""
    parts = [doc.title, doc.municipality]
    for chapter in doc.chapters:
        parts += [chapter.title, *chapter.paragraphs]
        for block in chapter.blocks:
            parts += [block.text, block.heading, *block.items, *block.columns]
            parts += [str(cell) for row in block.rows for cell in row]
    return " ".join(" ".join(parts).split())


def chapter(doc, key):
    return next(c for c in doc.chapters if c.key == key)


def follow_up_rows(doc):
    block = next(b for b in chapter(doc, "follow_up").blocks if b.kind == "facts")
    return pairs(block.rows)


def routes(standard, **texts):
    """Complaint routes with distinctive text per track."""
    for track in ALL_TRACKS:
        ComplaintRoute.objects.update_or_create(
            standard=standard, track=track,
            defaults={"authority": texts.get(track, f"Klagenævn {track.upper()}"),
                      "deadline": f"{ALL_TRACKS.index(track) + 2} uger efter afgørelsen",
                      "description": f"Klagevejledning for {track}."})


@pytest.fixture
def configured(world):
    standard = adopted(world.muni, valid_from=dt.date(2026, 1, 1), guarantee_days=10,
                       follow_up_first_days=21, follow_up_second_days=150,
                       follow_up_reasons=["oensker_stop", "flyttet"], plan_days=7,
                       review_months_sel101=2, review_months_sul141=4)
    routes(standard)
    return standard


# --- The document holds the configuration ------------------------------------------------------


def test_document_holds_configured_guarantee_offsets_reasons_and_routes(configured):
    doc = document.build_document(configured)
    text = text_of(doc)
    assert GUARANTEE_10 in text
    assert "(serviceloven § 101, stk. 4, og sundhedsloven § 141, stk. 2)" in text
    rows = follow_up_rows(doc)
    assert rows["Første opfølgning"] == "senest 21 dage efter udskrivningen"
    assert rows["Anden opfølgning"] == "senest 150 dage efter udskrivningen"
    reasons = next(b for b in chapter(doc, "follow_up").blocks if b.kind == "list").items
    assert set(reasons) == {*LAW_FIVE, "Borgeren ønsker at stoppe", "Flyttet til anden kommune"}
    assert "Bortvist" not in reasons
    assert "senest 7 dage efter, at behandlingen er begyndt" in text
    review = next(b for b in chapter(doc, "plans").blocks if b.kind == "table")
    assert pairs(review.rows)["Social stofmisbrugsbehandling (SEL § 101)"] == "mindst hver 2. måned"
    assert pairs(review.rows)["Alkoholbehandling (SUL § 141)"] == "mindst hver 4. måned"
    complaints = {norm(b.heading): pairs(b.rows) for b in chapter(doc, "complaints").blocks}
    assert len(complaints) == 4
    for track in ALL_TRACKS:
        label = norm(document.track_label(track))
        assert complaints[label]["Klagen sendes til"] == f"Klagenævn {track.upper()}"
        assert complaints[label]["Sådan klager du"] == f"Klagevejledning for {track}."


def test_law_offsets_and_reasons_when_the_standard_promises_no_more(world):
    doc = document.build_document(adopted(world.muni))
    rows = follow_up_rows(doc)
    assert rows["Første opfølgning"] == "senest 1 måned efter udskrivningen"
    assert rows["Anden opfølgning"] == "senest 6 måneder efter udskrivningen"
    reasons = next(b for b in chapter(doc, "follow_up").blocks if b.kind == "list").items
    assert set(reasons) == set(LAW_FIVE)
    assert "Du kan begynde behandling senest 14 dage efter" in text_of(doc)
    assert rows["Hvem følger op"] == ("Det behandlingstilbud, du bliver udskrevet fra, "
                                      "kontakter dig.")


def test_chapters_in_section_order_with_header(configured):
    configured.adopted_on = dt.date(2025, 12, 10)
    configured.involvement = "Brugerrådet og LMS blev hørt."
    configured.save()
    doc = document.build_document(configured)
    required = [s.value for s in Section if s != Section.VOUCHERS]
    assert [c.key for c in doc.chapters] == required  # vouchers not used: no voucher chapter
    assert [c.number for c in doc.chapters] == list(range(1, len(required) + 1))
    assert (doc.municipality, doc.code, doc.number) == ("Solrød Kommune", "269", 1)
    assert doc.adopted_on == dt.date(2025, 12, 10) and doc.valid_from == dt.date(2026, 1, 1)
    assert doc.revision_due == dt.date(2027, 12, 10)  # two years after adoption
    assert doc.valid_until is None and not doc.is_draft
    assert doc.involvement == "Brugerrådet og LMS blev hørt."
    later = adopted(configured.municipality, valid_from=dt.date(2026, 9, 1))
    assert document.build_document(configured).valid_until == dt.date(2026, 8, 31)
    assert document.build_document(later).valid_until is None


def test_empty_section_keeps_the_configured_facts(world):
    standard = adopted(world.muni, follow_up_first_days=14)
    standard.sections = {"target": "Borgere over 18 år.\n\nOgså pårørende kan få råd.",
                         "follow_up": "   "}
    standard.save()
    doc = document.build_document(standard)
    assert chapter(doc, "target").paragraphs == ("Borgere over 18 år.",
                                                 "Også pårørende kan få råd.")
    assert chapter(doc, "follow_up").paragraphs == ()
    assert follow_up_rows(doc)["Første opfølgning"] == "senest 14 dage efter udskrivningen"


def test_contacts_providers_vouchers_and_intensities(world):
    standard = adopted(world.muni, vouchers_enabled=True, voucher_amount=1250,
                       voucher_max_per_course=3, ambulant_min=2, ambulant_max=6, day_min=7)
    standard.sections = {**standard.sections, "vouchers": "Gavekort gives for fremmøde."}
    standard.save()
    ContactPointFactory(standard=standard, kind="alcohol", name="Alkoholklinikken",
                        phone="56 18 20 00", opening_hours="Tirsdag 15-18")
    standard.providers.set([world.provider])
    doc = document.build_document(standard)
    text = text_of(doc)
    assert "Alkoholbehandling: Alkoholklinikken" in text and "Tirsdag 15-18" in text
    assert "Misbrugscenter Øst" in text
    assert "2 til 6 gange om måneden" in text and "mindst 7 gange om måneden" in text
    vouchers = chapter(doc, "vouchers")
    assert vouchers.paragraphs == ("Gavekort gives for fremmøde.",)
    assert pairs(vouchers.blocks[1].rows) == {"Beløb pr. gavekort": "1.250 kr.",
                                              "Højst antal gavekort i et forløb": "3"}


def test_changing_the_draft_changes_the_document(world):
    draft = services.create_draft(world.leader, world.muni)
    assert "senest 14 dage efter, at du har bedt om det" in text_of(
        document.build_document(draft))
    services.save_draft(world.leader, draft, {"guarantee_days": 10, "follow_up_first_days": 21,
                                              "follow_up_reasons": ["bortvist"]},
                        draft.version)
    draft.refresh_from_db()
    doc = document.build_document(draft)
    assert GUARANTEE_10 in text_of(doc) and doc.is_draft
    assert follow_up_rows(doc)["Første opfølgning"] == "senest 21 dage efter udskrivningen"
    assert "Bortvist" in next(b for b in chapter(doc, "follow_up").blocks
                              if b.kind == "list").items


# --- Public pages ------------------------------------------------------------------------------


def test_public_page_serves_the_version_in_force_to_anyone(client, configured):
    newer = adopted(configured.municipality, valid_from=dt.date(2026, 7, 1), guarantee_days=7)
    url = reverse("standards_public:current", args=["269"])
    assert url == "/kvalitetsstandard/269/"
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert GUARANTEE_10 in body and "<html lang=\"da\">" in body
    assert "senest 21 dage efter udskrivningen" in body
    assert response.context["doc"].number == configured.number
    with clock.frozen(dt.date(2026, 7, 1)):
        later = client.get(url)
    assert later.status_code == 200 and later.context["doc"].number == newer.number
    assert "Du kan begynde behandling senest 7 dage efter" in later.content.decode()
    assert GUARANTEE_10 not in later.content.decode()


def test_public_page_in_english_declares_its_language(client, settings, configured):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/kvalitetsstandard/269/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert response.context["doc"].number == configured.number


def test_a_draft_is_never_public(client, world, configured):
    ServiceStandardFactory(municipality=world.muni, number=2, guarantee_days=5)
    ServiceStandardFactory(municipality=world.muni2, number=1, guarantee_days=5)
    response = client.get("/kvalitetsstandard/269/")
    assert response.context["doc"].number == configured.number
    assert "senest 5 dage" not in response.content.decode()
    assert client.get("/kvalitetsstandard/259/").status_code == 404  # only a draft
    assert client.get("/kvalitetsstandard/259/pdf/").status_code == 404
    assert client.get("/kvalitetsstandard/999/").status_code == 404  # unknown code
    assert client.get("/kvalitetsstandard/999/pdf/").status_code == 404
    index = client.get("/kvalitetsstandard/")
    assert index.status_code == 200
    assert [r["code"] for r in index.context["rows"]] == ["269"]


def test_index_lists_only_versions_in_force_today(client, world, configured):
    adopted(world.muni3, valid_from=TODAY + dt.timedelta(days=1))  # not yet in force
    assert [r["code"] for r in client.get("/kvalitetsstandard/").context["rows"]] == ["269"]
    assert client.get("/kvalitetsstandard/320/").status_code == 404
    with clock.frozen(TODAY + dt.timedelta(days=1)):
        rows = client.get("/kvalitetsstandard/").context["rows"]
    assert [r["code"] for r in rows] == ["320", "269"]  # by name: Faxe, Solrød


def test_public_pdf_inline_with_filename(client, configured):
    response = client.get("/kvalitetsstandard/269/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="kvalitetsstandard-269-v1.pdf"'
    assert response.content.startswith(b"%PDF")
    with pymupdf.open(stream=response.content, filetype="pdf") as pdf_doc:
        assert "Gælder til og med" not in pdf_doc[0].get_text()
    adopted(configured.municipality, valid_from=dt.date(2026, 9, 1))  # ends version 1
    again = client.get("/kvalitetsstandard/269/pdf/")
    with pymupdf.open(stream=again.content, filetype="pdf") as pdf_doc:
        first = " ".join(pdf_doc[0].get_text().split())
    assert "Gælder til og med 31. august 2026" in first and "Version 1" in first


# --- Staff preview -----------------------------------------------------------------------------


def preview(pk, suffix=""):
    return reverse("standards:standard_document", args=[pk]) + suffix


def test_preview_of_a_draft_for_the_municipality_and_its_coordinator(world, login):
    draft = ServiceStandardFactory(municipality=world.muni2, number=1, guarantee_days=9)
    as_coordinator = login(world.coordinator)
    response = as_coordinator.get(preview(draft.pk))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Du kan begynde behandling senest 9 dage efter" in body and "Udkast" in body
    pdf = as_coordinator.get(preview(draft.pk, "pdf/"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'inline; filename="kvalitetsstandard-259-v1-udkast.pdf"'
    own = ServiceStandardFactory(municipality=world.muni, number=1)
    assert preview(own.pk) == f"/indstillinger/kvalitetsstandard/{own.pk}/dokument/"
    assert login(world.leader).get(preview(own.pk)).status_code == 200


def test_preview_outside_the_users_municipalities_is_404(world, login, client):
    other = ServiceStandardFactory(municipality=world.muni3, number=1)  # another cluster
    neighbour = ServiceStandardFactory(municipality=world.muni2, number=1)
    for user in (world.leader, world.coordinator):
        c = login(user)
        assert c.get(preview(other.pk)).status_code == 404
        assert c.get(preview(other.pk, "pdf/")).status_code == 404
    assert login(world.leader).get(preview(neighbour.pk)).status_code == 404
    assert login(world.caseworker).get(preview(neighbour.pk)).status_code == 404
    assert login(world.region_coordinator).get(preview(other.pk)).status_code == 200
    client.logout()
    anonymous = client.get(preview(neighbour.pk))
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]


# --- Acceptance: the PDF rendered to PNG ------------------------------------------------------


def test_pdf_rendered_to_png_holds_guarantee_offsets_and_complaint_routes(world, configured):
    routes(configured, sel101="Ankestyrelsen via Solrød Kommune",
           sul142="Styrelsen for Patientklager")
    pdf = document.render_pdf(ServiceStandard.objects.get(pk=configured.pk))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = []
    with pymupdf.open(stream=pdf, filetype="pdf") as pdf_doc:
        assert pdf_doc.page_count >= 2
        for number, page in enumerate(pdf_doc, start=1):
            pages.append(" ".join(page.get_text().split()))
            pixmap = page.get_pixmap(dpi=80)
            target = SCREENSHOTS / f"kvalitetsstandard-269-v1-side-{number}.png"
            pixmap.save(target)
            assert target.stat().st_size > 0
            samples = pixmap.samples
            dark = sum(1 for i in range(0, len(samples), pixmap.n) if samples[i] < 128)
            assert dark > 500, f"page {number} looks blank"
    text = " ".join(pages)
    assert GUARANTEE_10 in text
    assert "senest 21 dage efter udskrivningen" in text
    assert "senest 150 dage efter udskrivningen" in text
    assert "Ankestyrelsen via Solrød Kommune" in text
    assert "Styrelsen for Patientklager" in text
    for track in ("sel101a", "sul141"):
        assert f"Klagenævn {track.upper()}" in text
        assert f"Klagevejledning for {track}." in text
    assert "Solrød Kommune · Version 1" in text and "Side 1 af" in pages[0]


def test_pdf_of_a_municipality_without_contact_points_or_routes(world):
    standard = ServiceStandardFactory(municipality=MunicipalityFactory(name="Greve"),
                                      number=1, status=Status.DRAFT, sections={})
    standard.providers.set([ProviderFactory(name="Tilbud uden adresse", address="")])
    with pymupdf.open(stream=document.render_pdf(standard), filetype="pdf") as pdf_doc:
        text = " ".join(" ".join(p.get_text().split()) for p in pdf_doc)
    assert "Kontakt Greve Kommune" in text and "Tilbud uden adresse" in text
    assert "UDKAST" in text
