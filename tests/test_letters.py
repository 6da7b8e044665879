"""The decision letter (issue 3 item 7): content per track read back from the PDF, sending
through the outbox, immutability after sending, and the preview/send pages."""

import datetime as dt
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import include, path, reverse
from pypdf import PdfReader

from forlob.accounts.models import Role
from forlob.audit.models import AuditEvent
from forlob.pathway import letters, services
from forlob.pathway.choices import DOMAINS
from forlob.pathway.delivery import DeliveryFailed, OutboxDelivery
from forlob.pathway.models import Assessment, Contact, Decision
from forlob.urls import urlpatterns as root_urlpatterns

from .factories import CitizenFactory, make_user

D = dt.date

# The pages are included by the pathway URLs (lead); the tests mount them on their own.
urlpatterns = [
    *root_urlpatterns,
    path("testbrev/", include(("forlob.pathway.urls_letters", "testbrev"))),
]
TEST_URLS = pytest.mark.urls("tests.test_letters")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with whitespace collapsed (lines break anywhere)."""
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(autouse=True)
def outbox(settings, tmp_path):
    settings.FORLOB_OUTBOX_DIR = tmp_path / "outbox"
    settings.FORLOB_LETTER_DELIVERY = "forlob.pathway.delivery.OutboxDelivery"
    return settings.FORLOB_OUTBOX_DIR


def _request(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def req(world):
    return _request(world.caseworker)


def _domains():
    return {key: {"findings": f"fund {key}", "resources": "", "needs": ""} for key, _ in DOMAINS}


def make_decision(req, citizen, tracks, **fields):
    contact = Contact(received_on=D(2026, 6, 1), channel="phone", substances="both",
                      asks="treatment")
    course = services.open_course(req, citizen, contact, tracks=tracks)
    assessment = services.record_assessment(req, course, Assessment(
        done_on=D(2026, 6, 5), instrument="europasi", instrument_on=D(2026, 6, 5),
        domains=_domains(), children_at_home=False, pregnancy=False))
    values = {"assessment": assessment, "decided_on": D(2026, 6, 8),
              "proposal_focus": "Stabil hverdag uden kokain",
              "proposal_goals": "Holde fast i arbejdet", **fields}
    if values.get("outcome") == "afslag":  # a refusal names other help (retningslinje 3.6.3)
        values.setdefault("other_help", "Rådgivning i kommunens rusmiddelcenter.")
    return services.decide(req, course, Decision(**values))


@pytest.fixture
def sel101_partial(world, req):
    return make_decision(
        req, world.citizen, ["sel101"], track="sel101", outcome="delvis",
        provider=world.provider, intensity="ambulant",
        services="Individuelle samtaler to gange om ugen i 12 uger.",
        execution="Samtalerne foregår i Misbrugscenter Øst.",
        reasons="Dagbehandling er ikke nødvendig, fordi du har et fast arbejde og et netværk.")


def test_sel101_partial_letter(world, sel101_partial):
    text = pdf_text(letters.render_pdf(sel101_partial, draft=False))
    # Addressed to the citizen, from the acting municipality, dated
    assert "Karen Jensen" in text and world.citizen.address in text
    assert "Solrød Kommune" in text
    assert "15. juni 2026" in text
    # Outcome, legal basis, what is granted, reasons
    assert "Afgørelse om social behandling for stofmisbrug" in text
    assert "Du får delvist den behandling" in text
    assert "Afgørelsen er truffet efter Serviceloven § 101." in text
    assert "Misbrugscenter Øst" in text and "Ambulant" in text
    assert "Individuelle samtaler to gange om ugen i 12 uger." in text
    assert "Dagbehandling er ikke nødvendig, fordi du har et fast arbejde" in text
    # Free choice information, with its effect on the guarantee
    assert "frit valg" in text and "ikke krav på at begynde behandlingen inden for 14 dage" in text
    # Complaint route: 4 weeks, to the municipality, reconsidered within 4 weeks, Ankestyrelsen
    assert "Sådan klager du" in text
    assert "4 uger fra modtagelsen af afgørelsen" in text
    assert "Du skal sende klagen til Solrød Kommune" in text
    assert "genvurderer afgørelsen inden for 4 uger" in text
    assert "Ankestyrelsen" in text and "Du skal sende klagen til" in text
    assert "Patientklager" not in text and "stpk.dk" not in text
    assert "UDKAST" not in text
    assert "CPR" not in text and world.citizen.reveal_cpr()[:6] not in text.replace("-", "")


def test_sul142_refusal_letter(world, req):
    decision = make_decision(
        req, world.citizen, ["sel101", "sul142"], track="sul142", outcome="afslag",
        reasons="Lægen vurderer, at substitutionsbehandling ikke er relevant for dig nu.",
        other_help="Du kan få social behandling efter serviceloven § 101 hos Misbrugscenter Øst.")
    text = pdf_text(letters.render_pdf(decision, draft=False))
    assert "Afgørelse om lægelig behandling for stofmisbrug" in text
    assert "Du får afslag på den behandling" in text
    # A refusal names its legal basis and reasons, and other help that can compensate
    assert "Vi har givet afslag efter Sundhedsloven § 142." in text
    assert "substitutionsbehandling ikke er relevant for dig nu" in text
    assert "Anden hjælp" in text and "social behandling efter serviceloven § 101" in text
    # Complaint route: Styrelsen for Patientklager, 2 years, at the latest 5 years
    assert "Styrelsen for Patientklager" in text and "stpk.dk" in text
    assert "Du skal sende klagen til" not in text  # not via the municipality
    assert "2 år fra du fik eller burde have fået kendskab til forholdet" in text
    assert "senest 5 år efter hændelsen" in text
    assert "Ankestyrelsen" not in text
    # Nothing granted, so no offer and no free choice section
    assert "Det får du" not in text and "frit valg" not in text


def test_sul141_partial_letter(world, req):
    decision = make_decision(
        req, world.citizen, ["sul141"], track="sul141", outcome="delvis",
        provider=world.provider2, intensity="ambulant",
        services="Ambulant alkoholbehandling med samtaler hver uge.",
        reasons="Døgnbehandling er ikke nødvendig; ambulant behandling dækker dit behov.")
    text = pdf_text(letters.render_pdf(decision, draft=False))
    assert "Afgørelse om behandling for alkoholmisbrug" in text
    assert "Afgørelsen er truffet efter Sundhedsloven § 141." in text
    assert "Døgnbehandling er ikke nødvendig; ambulant behandling dækker dit behov." in text
    assert "Privat Alkoholklinik" in text
    # No appeal to another authority, and the letter says so
    assert "Afgørelsen kan ikke indbringes for anden administrativ myndighed." in text
    assert "ikke kan klage over afgørelsen til en anden myndighed" in text
    assert "Ankestyrelsen" not in text and "Patientklager" not in text
    assert "Sådan klager du" not in text


def test_full_grant_says_guidance_on_request(world, req):
    decision = make_decision(
        req, world.citizen, ["sel101"], track="sel101", outcome="bevilling",
        provider=world.provider, intensity="ambulant", services="Samtaler hver uge.")
    text = pdf_text(letters.render_pdf(decision, draft=False))
    assert "Du får den behandling, du har bedt om." in text
    assert "Derfor er der ikke en klagevejledning i dette brev" in text
    assert "Du kan altid bede os om vejledning om, hvordan du kan klage." in text
    assert "Sådan klager du" not in text and "Ankestyrelsen" not in text
    assert "Begrundelse" not in text  # no reasons needed for a full grant (FVL § 22)


def test_unsent_letter_is_a_draft(sel101_partial):
    pdf, draft = letters.letter_pdf(sel101_partial)
    assert draft is True
    assert "UDKAST" in pdf_text(pdf)
    assert sel101_partial.letter_sent_on is None and not sel101_partial.letter_pdf


# --- sending ---------------------------------------------------------------------------------

def test_send_writes_outbox_sets_date_and_audits(world, req, sel101_partial, outbox):
    letters.send_letter(req, sel101_partial)
    decision = Decision.objects.get(pk=sel101_partial.pk)
    assert decision.letter_sent_on == D(2026, 6, 15)
    stored = bytes(decision.letter_pdf)
    files = sorted(outbox.glob("*.pdf"))
    assert len(files) == 1 and files[0].read_bytes() == stored
    assert files[0].name.startswith(f"afgoerelsesbrev-{decision.course_id}-{decision.pk}-")
    assert "Karen" not in files[0].name and "Jensen" not in files[0].name
    receipt = json.loads(files[0].with_suffix(".json").read_text())
    assert receipt["decision"] == decision.pk and receipt["sent_on"] == "2026-06-15"
    assert receipt["citizen"] == str(world.citizen.public_id)
    text = pdf_text(stored)
    assert "UDKAST" not in text and "Serviceloven § 101" in text
    event = AuditEvent.objects.get(object_type="pathway.Decision", object_id=str(decision.pk),
                                   purpose="afgørelsesbrev sendt")
    assert event.action == "export" and event.citizen_id == world.citizen.pk
    # The page now shows the stored letter, not a new rendering
    pdf, draft = letters.letter_pdf(decision)
    assert draft is False and pdf == stored


def test_second_send_refused(req, sel101_partial, outbox):
    letters.send_letter(req, sel101_partial)
    with pytest.raises(ValidationError):
        letters.send_letter(req, sel101_partial)
    fresh = Decision.objects.get(pk=sel101_partial.pk)
    with pytest.raises(ValidationError):  # also with an instance loaded before the first send
        letters.send_letter(req, fresh)
    assert len(list(outbox.glob("*.pdf"))) == 1
    assert AuditEvent.objects.filter(purpose="afgørelsesbrev sendt").count() == 1


def test_stale_instance_cannot_send_twice(req, sel101_partial, outbox):
    stale = Decision.objects.get(pk=sel101_partial.pk)  # loaded while unsent
    letters.send_letter(req, sel101_partial)
    assert stale.letter_sent_on is None
    with pytest.raises(ValidationError):
        letters.send_letter(req, stale)
    assert len(list(outbox.glob("*.pdf"))) == 1


def test_decision_immutable_after_sending(req, sel101_partial):
    stale = Decision.objects.get(pk=sel101_partial.pk)
    letters.send_letter(req, sel101_partial)
    decision = Decision.objects.get(pk=sel101_partial.pk)
    decision.reasons = "Noget andet"
    with pytest.raises(ValidationError):
        decision.save()
    stale.outcome = "afslag"
    with pytest.raises(ValidationError):
        stale.save()
    with pytest.raises(ValidationError):
        decision.delete()
    kept = Decision.objects.get(pk=sel101_partial.pk)
    assert kept.reasons.startswith("Dagbehandling") and kept.outcome == "delvis"


def test_unsent_decision_can_still_be_saved(sel101_partial):
    sel101_partial.execution = "Rettet inden afsendelse."
    sel101_partial.save()
    assert Decision.objects.get(pk=sel101_partial.pk).execution == "Rettet inden afsendelse."


class BrokenDelivery:
    channel = "broken"

    def deliver(self, decision, pdf_bytes, filename):
        raise DeliveryFailed("postkassen er lukket")


def test_failed_delivery_rolls_back(settings, req, sel101_partial):
    settings.FORLOB_LETTER_DELIVERY = "tests.test_letters.BrokenDelivery"
    with pytest.raises(DeliveryFailed):
        letters.send_letter(req, sel101_partial)
    decision = Decision.objects.get(pk=sel101_partial.pk)
    assert decision.letter_sent_on is None and not decision.letter_pdf
    assert not AuditEvent.objects.filter(purpose="afgørelsesbrev sendt").exists()


def test_outbox_never_overwrites(tmp_path, sel101_partial):
    box = OutboxDelivery(tmp_path)
    box.deliver(sel101_partial, b"%PDF-1", "brev.pdf")
    with pytest.raises(DeliveryFailed):
        box.deliver(sel101_partial, b"%PDF-2", "brev.pdf")
    assert (tmp_path / "brev.pdf").read_bytes() == b"%PDF-1"
    with pytest.raises(DeliveryFailed):
        box.deliver(sel101_partial, b"%PDF-3", "../brev.pdf")


def test_only_the_municipality_sends(world, sel101_partial):
    with pytest.raises(PermissionDenied):
        letters.send_letter(_request(world.clinician), sel101_partial)
    assert Decision.objects.get(pk=sel101_partial.pk).letter_sent_on is None


# --- pages -------------------------------------------------------------------------------------

def _urls(decision):
    kwargs = {"course_id": decision.course_id, "decision_id": decision.pk}
    return (reverse("testbrev:letter_preview", kwargs=kwargs),
            reverse("testbrev:letter_send", kwargs=kwargs))


@TEST_URLS
def test_preview_page_shows_pdf_and_audits_print(world, login, sel101_partial):
    preview, _send = _urls(sel101_partial)
    response = login(world.caseworker).get(preview)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Cache-Control"] == "no-store"
    assert "UDKAST" in pdf_text(response.content)
    assert AuditEvent.objects.filter(action="print", citizen_id=world.citizen.pk,
                                     object_id=str(sel101_partial.pk)).count() == 1


@TEST_URLS
def test_send_page_sends_once(world, login, sel101_partial, outbox):
    preview, send = _urls(sel101_partial)
    client = login(world.caseworker)
    assert client.get(send).status_code == 405
    response = client.post(send)
    assert response.status_code == 302
    assert Decision.objects.get(pk=sel101_partial.pk).letter_sent_on == D(2026, 6, 15)
    again = client.post(send, follow=True)
    assert "allerede sendt" in again.content.decode()
    assert len(list(outbox.glob("*.pdf"))) == 1
    shown = client.get(preview)
    assert "UDKAST" not in pdf_text(shown.content)


@TEST_URLS
def test_pages_out_of_scope_are_404(world, login):
    other_caseworker = make_user(Role.CASEWORKER, world.muni3, "sagsbehandler-faxe")
    citizen = CitizenFactory(residence_municipality=world.muni3)
    decision = make_decision(
        _request(other_caseworker), citizen, ["sel101"], track="sel101", outcome="afslag",
        reasons="Ikke behov.")
    preview, send = _urls(decision)
    client = login(world.caseworker)
    assert client.get(preview).status_code == 404
    assert client.post(send).status_code == 404
    assert Decision.objects.get(pk=decision.pk).letter_sent_on is None
    # a decision id of another course under an in-scope course is a 404 as well
    mine = make_decision(_request(world.caseworker), world.citizen, ["sel101"], track="sel101",
                         outcome="afslag", reasons="Ikke behov.")
    crossed = reverse("testbrev:letter_preview",
                      kwargs={"course_id": mine.course_id, "decision_id": decision.pk})
    assert client.get(crossed).status_code == 404


@TEST_URLS
def test_clinician_may_view_but_not_send(world, login, sel101_partial):
    preview, send = _urls(sel101_partial)
    client = login(world.clinician)  # the citizen is referred to the clinician's provider
    assert client.get(preview).status_code == 200
    assert client.post(send).status_code == 403
    assert Decision.objects.get(pk=sel101_partial.pk).letter_sent_on is None


def test_renderer_fetches_nothing(world, req, tmp_path):
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("HEMMELIGT-INDHOLD")
    decision = make_decision(
        req, world.citizen, ["sel101"], track="sel101", outcome="afslag",
        reasons=f'<img src="file://{secret}"> <link rel="stylesheet" href="file://{secret}">')
    text = pdf_text(letters.render_pdf(decision, draft=False))
    assert "HEMMELIGT-INDHOLD" not in text
    assert '<img src="file://' in text  # shown as text, not interpreted
