"""The decision letter through the API: the PDF (audited PRINT), sending once (EXPORT)."""

import io

import pytest
from pypdf import PdfReader

from forlob.audit.models import Action, AuditEvent

from .api_helpers import post, url
from .test_pathway_api import assessment_body, decision_body, open_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world, login):
    return login(world.caseworker)


@pytest.fixture
def decided(world, cw):
    course = post(cw, url("course-list"), open_body(world.citizen)).json()
    body = post(cw, url("course-assessments", course_id=course["id"]),
                assessment_body(course["version"])).json()
    assessment_id = body["assessments"][0]["id"]
    body = post(cw, url("course-decisions", course_id=course["id"]),
                decision_body(body["version"], assessment_id, provider=world.provider.pk)).json()
    return course["id"], body["decisions"][0]["id"]


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_letter_pdf_is_served_and_audited(world, cw, decided):
    course_id, decision_id = decided
    response = cw.get(url("course-decision-letter", course_id=course_id,
                          decision_id=decision_id))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "Dagbehandling er ikke nødvendig nu." in text and "Ankestyrelsen" in text
    assert AuditEvent.objects.filter(action=Action.PRINT, citizen_id=world.citizen.pk).exists()


def test_letter_is_sent_once(world, cw, decided, settings, tmp_path):
    settings.FORLOB_OUTBOX_DIR = tmp_path
    course_id, decision_id = decided
    send = url("course-decision-letter-send", course_id=course_id, decision_id=decision_id)
    first = post(cw, send, {})
    assert first.status_code == 200, first.json()
    decision = next(d for d in first.json()["decisions"] if d["id"] == decision_id)
    assert decision["letter_sent_on"] == "2026-06-15"
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    again = post(cw, send, {})
    assert again.status_code == 400
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    assert AuditEvent.objects.filter(action=Action.EXPORT, citizen_id=world.citizen.pk).count() == 1


def test_clinician_cannot_send_and_outsider_gets_404(world, login, decided):
    course_id, decision_id = decided
    clinician = login(world.clinician)
    send = url("course-decision-letter-send", course_id=course_id, decision_id=decision_id)
    assert post(clinician, send, {}).status_code == 403
    coordinator = login(world.coordinator)
    assert coordinator.get(url("course-decision-letter", course_id=course_id,
                               decision_id=decision_id)).status_code == 404
