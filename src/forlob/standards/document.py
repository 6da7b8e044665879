"""The published quality standard (issue 7 item 3): one version of a municipality's standard as
a plain document structure, rendered as an HTML page and a PDF from one body template.

Every promise in the document is read from the version's configured fields (guarantee, follow-up
offsets and reasons, plan and review intervals, intensities, gift vouchers, contact points,
providers, complaint routes), never typed into the text a second time, so the published standard
and the deadlines the rules compute cannot drift apart. The editable text sections
(ServiceStandard.sections) come first in each chapter; an empty one is left out, the configured
facts stay. No personal data."""

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forlob.organisations.models import TreatmentKind
from forlob.pathway.choices import TRACK_CHOICES
from forlob.pathway.letters import sender_name
from forlob.pathway.rules_aftercare import LEGAL_FOLLOW_UP_MONTHS, follow_up_applies
from forlob.treatment.choices import Reason
from forlob.treatment.rules import Party, follow_up_party

from . import levels, rules
from .models import ContactKind, Section, ServiceStandard

BODY_TEMPLATE = "standards/_document.html"
PDF_TEMPLATE = "standards/document_pdf.html"


@dataclass(frozen=True)
class Block:
    """One piece of configured facts in a chapter.

    kind "p": `text` as a paragraph; "list": `text` followed by `items` as a bullet list;
    "facts": an optional `heading` (h3) and `rows` of (label, value) as a description list;
    "table": `text` as caption, `columns`, and `rows` of cells."""

    kind: str
    text: str = ""
    heading: str = ""
    items: tuple = ()
    columns: tuple = ()
    rows: tuple = ()


@dataclass(frozen=True)
class Chapter:
    key: str
    number: int
    title: str
    paragraphs: tuple[str, ...]  # the editable text, split into paragraphs
    blocks: tuple[Block, ...]

    @property
    def anchor(self) -> str:
        return f"kapitel-{self.key}"


@dataclass(frozen=True)
class Document:
    title: str
    municipality: str
    code: str
    number: int
    is_draft: bool
    adopted_on: dt.date | None
    valid_from: dt.date | None
    valid_until: dt.date | None
    revision_due: dt.date | None
    involvement: str
    involved_on: dt.date | None
    chapters: tuple[Chapter, ...] = field(default=())


# --- Plain-Danish phrases built from the configured values -----------------------------------


def days_text(n: int) -> str:
    return ngettext("%(n)d dag", "%(n)d dage", n) % {"n": n}


def months_text(n: int) -> str:
    return ngettext("%(n)d måned", "%(n)d måneder", n) % {"n": n}


def every_months(n: int) -> str:
    """'mindst hver 3. måned', or 'mindst hver måned' for 1."""
    if n == 1:
        return _("mindst hver måned")
    return _("mindst hver %(n)d. måned") % {"n": n}


def guarantee_sentence(standard: ServiceStandard) -> str:
    return _("Du kan begynde behandling senest %(days)s efter, at du har bedt om det "
             "(serviceloven § 101, stk. 4, og sundhedsloven § 141, stk. 2).") % {
        "days": days_text(standard.guarantee_days)}


def follow_up_offsets(standard: ServiceStandard) -> tuple[str, str]:
    """The two follow-ups as 'senest …': the standard's days, or the law's 1 and 6 months
    (bekendtgørelse 1477 § 4, stk. 2) where it promises none."""
    first, second = standard.follow_up_first_days, standard.follow_up_second_days
    return (
        _("senest %(t)s efter udskrivningen") % {
            "t": months_text(LEGAL_FOLLOW_UP_MONTHS[0]) if first is None else days_text(first)},
        _("senest %(t)s efter udskrivningen") % {
            "t": months_text(LEGAL_FOLLOW_UP_MONTHS[1]) if second is None
            else days_text(second)},
    )


def follow_up_reasons(standard: ServiceStandard) -> list[str]:
    """Labels of the discharge reasons that trigger follow-up, in Reason order: the law's four
    always, plus those the standard promises."""
    promised = standard.follow_up_reasons or ()
    return [str(label) for value, label in Reason.choices
            if follow_up_applies(value, promised)]


def track_label(track: str) -> str:
    return str(dict(TRACK_CHOICES).get(track, track))


# --- Configured facts per chapter --------------------------------------------------------------


def _target(standard):
    return [Block("list", text=_("Kommunen tilbyder disse former for behandling:"),
                  items=tuple(str(label) for _v, label in TRACK_CHOICES))]


def _contact(standard):
    blocks = []
    kinds = dict(ContactKind.choices)
    for point in standard.contact_points.all():
        rows = [(label, value) for label, value in (
            (_("Adresse"), point.address), (_("Telefon"), point.phone),
            (_("E-mail"), point.email), (_("Åbningstider"), point.opening_hours)) if value]
        blocks.append(Block("facts", heading=f"{kinds.get(point.kind, point.kind)}: {point.name}",
                            rows=tuple(rows)))
    if not blocks:
        blocks.append(Block("p", text=_("Kontakt %(m)s, hvis du vil have rådgivning eller "
                                        "behandling.") % {"m": sender_name(standard.municipality)}))
    return blocks


def _course(standard):
    blocks = [
        Block("p", text=guarantee_sentence(standard)),
        Block("p", text=_("Garantien gælder social behandling efter serviceloven § 101 og "
                          "alkoholbehandling efter sundhedsloven § 141.")),
        Block("facts", heading=_("Hvor ofte du kommer i behandling"), rows=(
            (_("Ambulant behandling"),
             _("%(lo)d til %(hi)d gange om måneden") % {"lo": standard.ambulant_min,
                                                        "hi": standard.ambulant_max}),
            (_("Dagbehandling"),
             _("mindst %(lo)d gange om måneden") % {"lo": standard.day_min}),
            (_("Døgnbehandling"), _("du bor på behandlingsstedet i en periode")),
        )),
    ]
    kinds = dict(TreatmentKind.choices)
    providers = list(standard.providers.all().order_by("name"))
    if providers:
        blocks.append(Block(
            "table", text=_("Behandlingstilbud, kommunen bruger"),
            columns=(_("Tilbud"), _("Behandling"), _("Adresse"), _("Telefon")),
            rows=tuple((p.name, ", ".join(str(kinds.get(k, k)) for k in p.kinds),
                        p.address, p.phone) for p in providers)))
    return blocks


def _decisions(standard):
    return [Block("p", text=_(
        "Beder du om social behandling efter serviceloven § 101, får du en skriftlig afgørelse. "
        "Du kan vælge et andet godkendt offentligt eller privat behandlingstilbud af samme slags, "
        "også i en anden kommune (frit valg). Vælger du selv et andet tilbud, gælder fristen på "
        "%(days)s ikke, men behandlingen skal begynde så hurtigt som muligt.") % {
        "days": days_text(standard.guarantee_days)})]


def _plans(standard):
    months = standard.review_months()
    return [
        Block("p", text=_("Din behandlingsplan laves sammen med dig senest %(days)s efter, at "
                          "behandlingen er begyndt.") % {"days": days_text(standard.plan_days)}),
        Block("table", text=_("Opfølgning på behandlingsplanen"),
              columns=(_("Behandling"), _("Vi følger op på planen sammen med dig")),
              rows=tuple((str(label), every_months(months[track]))
                         for track, label in TRACK_CHOICES)),
    ]


def _follow_up(standard):
    first, second = follow_up_offsets(standard)
    who = (_("Det behandlingstilbud, du bliver udskrevet fra, kontakter dig.")
           if follow_up_party(standard.follow_up_by) == Party.CLINICIAN
           else _("Kommunen kontakter dig."))
    return [
        Block("facts", heading=_("Hvornår vi følger op"), rows=(
            (_("Første opfølgning"), first), (_("Anden opfølgning"), second),
            (_("Hvem følger op"), who))),
        Block("list", text=_("Vi følger op, når behandlingen slutter, fordi:"),
              items=tuple(follow_up_reasons(standard))),
        Block("p", text=_("Vi taler med dig om, hvordan det går, og om du har brug for mere "
                          "hjælp. Du kan altid sige nej tak (bekendtgørelse nr. 1477, § 4).")),
    ]


def _complaints(standard):
    routes = {r.track: r for r in standard.complaint_routes.all()}
    blocks = []
    for track, label in TRACK_CHOICES:
        route = routes.get(track)
        if route is None:
            continue
        rows = [(_("Klagen sendes til"), route.authority),
                (_("Klagefrist"), route.deadline or _("Ingen frist"))]
        if route.description:
            rows.append((_("Sådan klager du"), route.description))
        blocks.append(Block("facts", heading=str(label), rows=tuple(rows)))
    return blocks


def _vouchers(standard):
    rows = [(_("Beløb pr. gavekort"), _("%(kr)s kr.") % {
        "kr": number_format(standard.voucher_amount, force_grouping=True)})]
    if standard.voucher_max_per_course:
        rows.append((_("Højst antal gavekort i et forløb"),
                     str(standard.voucher_max_per_course)))
    return [Block("p", text=_("Kommunen kan give gavekort som en del af behandlingen "
                              "(serviceloven § 101, stk. 9).")),
            Block("facts", rows=tuple(rows))]


def _monitoring(standard):
    return [Block("p", text=_(
        "Er du i døgnbehandling, følger din sagsbehandler op på dit ophold %(every)s "
        "(serviceloven § 148).") % {"every": every_months(standard.supervision_months)})]


def _nothing(standard):
    return []


FACTS = {
    Section.TARGET: _target, Section.CONTACT: _contact, Section.COURSE: _course,
    Section.DECISIONS: _decisions, Section.PLANS: _plans, Section.FOLLOW_UP: _follow_up,
    Section.COORDINATING: _nothing, Section.COMPLAINTS: _complaints,
    Section.OWN_PAYMENT: _nothing, Section.VOUCHERS: _vouchers,
    Section.MONITORING: _monitoring, Section.REGISTER: _nothing,
}


NBSP = "\u00a0"


def keep_together(text) -> str:
    """A section sign or 'stk.' and its number on one line ('§ 101', 'stk. 4'), as Danish
    typesetting has it."""
    return str(text).replace("§ ", "§" + NBSP).replace("stk. ", "stk." + NBSP)


def _tidy(block: Block) -> Block:
    return dataclasses.replace(
        block, text=keep_together(block.text), heading=keep_together(block.heading),
        items=tuple(keep_together(i) for i in block.items),
        columns=tuple(keep_together(c) for c in block.columns),
        rows=tuple(tuple(keep_together(c) for c in row) for row in block.rows))


def paragraphs(text: str) -> tuple[str, ...]:
    """The editable text split on blank lines; empty for an empty section."""
    parts = [p.strip() for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    return tuple(p for p in parts if p)


def build_document(standard: ServiceStandard) -> Document:
    """The document of one version: its header and a chapter per Section, in Section order.
    The gift-voucher chapter is there only when the version uses gift vouchers."""
    sections = standard.sections or {}
    chapters = []
    for section in Section:
        if section == Section.VOUCHERS and not standard.vouchers_enabled:
            continue
        chapters.append(Chapter(
            key=section.value, number=len(chapters) + 1, title=str(section.label),
            paragraphs=paragraphs(sections.get(section.value, "")),
            blocks=tuple(_tidy(b) for b in FACTS[section](standard))))
    valid_until = None
    if not standard.is_draft:
        valid_until = rules.valid_until(levels.adopted(standard.municipality_id),
                                        standard.number)
    return Document(
        title=str(standard.title), municipality=sender_name(standard.municipality),
        code=standard.municipality.code, number=standard.number, is_draft=standard.is_draft,
        adopted_on=standard.adopted_on, valid_from=standard.valid_from, valid_until=valid_until,
        revision_due=rules.revision_due(standard.adopted_on) if standard.adopted_on else None,
        involvement=standard.involvement, involved_on=standard.involved_on,
        chapters=tuple(chapters))


def pdf_filename(standard: ServiceStandard) -> str:
    draft = "-udkast" if standard.is_draft else ""
    return f"kvalitetsstandard-{standard.municipality.code}-v{standard.number}{draft}.pdf"


def render_pdf(standard: ServiceStandard) -> bytes:
    """The document as PDF, always in Danish (it is the municipality's published text). Every
    URL is refused, like the decision letter, so typed text can never make the renderer read a
    file or call a server; the CSS is in the PDF template itself."""
    import weasyprint  # imported here: the app runs (without PDFs) even if Pango is missing

    with translation.override("da"):
        html = render_to_string(PDF_TEMPLATE, {"doc": build_document(standard), "pdf": True})
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()
