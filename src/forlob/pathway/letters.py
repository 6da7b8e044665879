"""The decision letter (afgørelsesbrev): Danish HTML from a template, rendered to PDF (issue 3).

Everything the letter says comes from the Decision and from rules.py: the legal basis follows
from the track, reasons are required unless the request is fully granted (FVL §§ 22-24), and the
complaint guidance (FVL § 25) is the track's route from `rules.complaint_route`. A full grant
carries no guidance but tells the citizen they may ask for it (retningslinje 3.6.5).

`send_letter` renders the final PDF, stores it on the decision with the sent date, hands it to
the configured delivery (delivery.py) and writes the audit record, all in one transaction. A
sent letter is immutable, and so is its decision (models.Decision.save refuses changes).
"""

import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forlob import clock
from forlob.audit.recorder import Action, record

from . import rules, services
from .delivery import get_delivery
from .models import Decision

LETTER_TEMPLATE = "pathway/letters/decision.html"
LETTER_CSS = "pathway/letters/letter.css"
SENT_PURPOSE = "afgørelsesbrev sendt"

TITLES = {
    rules.Track.SOCIAL_DRUG: gettext_lazy("Afgørelse om social behandling for stofmisbrug"),
    rules.Track.MEDICAL_DRUG: gettext_lazy("Afgørelse om lægelig behandling for stofmisbrug"),
    rules.Track.ALCOHOL: gettext_lazy("Afgørelse om behandling for alkoholmisbrug"),
    rules.Track.ANONYMOUS_DRUG: gettext_lazy("Anonym behandling for stofmisbrug"),
}


def sender_name(municipality) -> str:
    """The sender of the letter: the acting municipality, e.g. "Solrød Kommune"."""
    name = municipality.name
    return name if name.lower().endswith("kommune") else _("%s Kommune") % name


def reference(decision) -> str:
    """An opaque case reference for the letter and the outbox (no personal data)."""
    return f"F-{decision.course_id}-A-{decision.pk}"


def letter_context(decision, draft: bool) -> dict:
    course = decision.course
    track = rules.Track(decision.track)
    outcome = rules.Outcome(decision.outcome)
    recorded_by = decision.recorded_by
    return {
        "decision": decision,
        "citizen": course.citizen,
        "sender": sender_name(course.acting_municipality),
        "caseworker": recorded_by.get_full_name() if recorded_by else "",
        "reference": reference(decision),
        "letter_date": decision.letter_sent_on or clock.today(),
        "draft": draft,
        "title": TITLES[track],
        "track": track.value,
        "is_grant": outcome == rules.Outcome.GRANT,
        "is_partial": outcome == rules.Outcome.PARTIAL,
        "is_refusal": outcome == rules.Outcome.REFUSAL,
        "legal_basis": rules.legal_basis(track),
        "reasons_required": rules.reasons_required(outcome),
        "guidance_required": rules.complaint_guidance_required(outcome),
        "route": rules.complaint_route(track),
        "free_choice": (rules.free_choice_allowed(track)
                        and outcome != rules.Outcome.REFUSAL),
        "medical": track == rules.Track.MEDICAL_DRUG,
        "guarantee_days": services.guarantee_days(course),
    }


def render_html(decision, draft: bool) -> str:
    """The letter as HTML, always in Danish (it is addressed to the citizen)."""
    with translation.override("da"):
        return render_to_string(LETTER_TEMPLATE, letter_context(decision, draft))


def render_pdf(decision, draft: bool | None = None) -> bytes:
    """The letter as PDF. An unsent letter renders as a draft with a watermark."""
    import weasyprint  # imported here: the app runs (without letters) even if Pango is missing

    if draft is None:
        draft = decision.letter_sent_on is None
    html = render_html(decision, draft)
    with translation.override("da"):
        css = render_to_string(LETTER_CSS, {"draft": draft})
    # The letter needs nothing from outside: refuse every URL (file:, http:, data:), so text
    # typed into a decision can never make the renderer read a file or call a server.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)])


def letter_pdf(decision) -> tuple[bytes, bool]:
    """What the letter page shows: the stored, sent PDF, or else a fresh draft.
    Returns (pdf, is_draft)."""
    if decision.letter_sent_on is not None and decision.letter_pdf:
        return bytes(decision.letter_pdf), False
    return render_pdf(decision, draft=True), True


def filename(decision, draft: bool = False) -> str:
    """File name without personal data; sent letters get a random suffix so an outbox file is
    never overwritten, not even after a database reset reuses ids."""
    base = f"afgoerelsesbrev-{decision.course_id}-{decision.pk}"
    if draft:
        return f"{base}-udkast.pdf"
    sent = decision.letter_sent_on
    return f"{base}-{sent:%Y%m%d}-{secrets.token_hex(4)}.pdf"


def check_sendable(decision) -> None:
    """A letter is sent once, and only for a complete decision (FVL §§ 22-24)."""
    if decision.letter_sent_on is not None:
        raise ValidationError(_("Afgørelsesbrevet er allerede sendt den %s og kan ikke sendes "
                                "igen.") % decision.letter_sent_on.strftime("%d.%m.%Y"))
    outcome = rules.Outcome(decision.outcome)
    if rules.reasons_required(outcome) and not decision.reasons.strip():
        raise ValidationError(_("Afgørelsen mangler en begrundelse (forvaltningsloven § 22)."))
    if outcome != rules.Outcome.REFUSAL and (decision.provider_id is None
                                              or not decision.intensity):
        raise ValidationError(_("Afgørelsen mangler det konkrete tilbud og intensiteten."))
    if decision.track == rules.Track.ANONYMOUS_DRUG:
        raise ValidationError(_("Anonym behandling gives uden afgørelse."))


def send_letter(request, decision) -> Decision:
    """Render, store, deliver and audit the final letter, once. Raises ValidationError when the
    letter was sent before, PermissionDenied unless the user acts for the municipality."""
    course = decision.course
    if not services.can_act(request.user, course):
        raise PermissionDenied
    current = Decision.objects.select_related(
        "course__citizen", "course__acting_municipality", "provider", "recorded_by",
        "assessment").get(pk=decision.pk)
    check_sendable(current)
    current.letter_sent_on = clock.today()
    pdf = render_pdf(current, draft=False)
    name = filename(current)
    with transaction.atomic():
        # Compare-and-set: of two simultaneous sendings exactly one finds the letter unsent.
        # (update() bypasses Decision.save, whose check refuses changes to sent decisions.)
        updated = Decision.objects.filter(pk=current.pk, letter_sent_on__isnull=True).update(
            letter_sent_on=current.letter_sent_on, letter_pdf=pdf)
        if updated != 1:
            raise ValidationError(_("Afgørelsesbrevet er allerede sendt og kan ikke sendes "
                                    "igen."))
        current.letter_pdf = pdf
        # A delivery failure (DeliveryFailed) rolls the sending back: nothing is marked sent.
        get_delivery().deliver(current, pdf, name)
        record(request, Action.EXPORT, citizen=course.citizen, obj=current,
               purpose=SENT_PURPOSE)
    decision.letter_sent_on, decision.letter_pdf = current.letter_sent_on, pdf
    return current
