"""A round ready for the cluster and region reports (issue 6 items 4 and 5), on mini_kl().

Solrød answers split into alkohol and stof; Køge answers as a whole. The areas differ on 1.1
(Solrød → Ikke indfriet), a delvis is resolved each way (Solrød 5.1 → ja, Køge 5.1 → nej), one
is kept (Køge 5.2 → Delvist indfriet), and Køge's "nej" to 1.2 is judged met (Helt indfriet,
by judgement). Solrød has submitted its answers, Køge's and Faxe's are approved (a report shows
only submitted or approved answers); `statuses` changes that. Helpers to read tables out of a
page (no HTML library in the project)."""

import datetime as dt
from html.parser import HTMLParser

from forlob.quality.evidence import Evidence
from forlob.quality.models import Abbreviation, Participant, Resolution, Status

from .factories import ProviderFactory, PurchaseAgreementFactory
from .factories_quality import answer, item, make_round, mini_kl

JUDGED_REASON = "Køberkommune: familieindsatsen indfries gennem købsaftalen med Køge."
DELVIS_YES = "På linje med kommunerne, der svarede ja."
DELVIS_NO = "Uddybningen viser ingen systematik."
FLAG_TEXT = "Svaret er ja, men 12 % af udskrivningerne fik opfølgning efter 1 måned."
KOGE_PLAN = "Opfølgning efter udskrivning skal systematiseres."


def resolve(participant, fw, number, user, **fields):
    return Resolution.objects.create(participant=participant, item=item(fw, number),
                                     decided_by=user, **fields)


def scenario(world, *, region_round=False, statuses=None):
    """`statuses`: {municipality: Status} over the defaults (Solrød submitted, the others
    approved)."""
    fw = mini_kl()
    if region_round:
        rnd = make_round(fw, region=world.region, user=world.region_coordinator,
                         municipalities=[world.muni, world.muni2, world.muni3])
    else:
        rnd = make_round(fw, cluster=world.cluster, user=world.coordinator,
                         municipalities=[world.muni, world.muni2])
    sol = rnd.participants.get(municipality=world.muni)
    sol.areas = ["alkohol", "stof"]
    sol.save()
    koge = rnd.participants.get(municipality=world.muni2)
    koge.buyer = True
    koge.save()
    for area, choices in (("alkohol", {"1.1": "ja", "1.2": "ja", "5.1": "delvis", "5.2": "ja",
                                       "9.1": "ja"}),
                          ("stof", {"1.1": "nej", "1.2": "ja", "5.1": "delvis", "5.2": "ja",
                                    "9.1": "ja"})):
        for number, choice in choices.items():
            answer(sol, fw, number, choice, area=area)
    answer(sol, fw, "9.2", text="Fælles teammøder hver uge.", area="alkohol")
    answer(sol, fw, "9.3", ticks=["Medicinsk", "Psykosocial"], area="stof")
    answer(sol, fw, "1.4", text="Vi indfører familiesamtaler i stofbehandlingen.", area="stof")
    for number, choice in {"1.1": "ja", "1.2": "nej", "5.1": "delvis", "5.2": "delvis",
                           "9.1": "ja"}.items():
        answer(koge, fw, number, choice)
    answer(koge, fw, "5.3", text=KOGE_PLAN)
    resolve(sol, fw, "5.1", world.coordinator, delvis_to="ja", delvis_reason=DELVIS_YES)
    resolve(koge, fw, "5.1", world.coordinator, delvis_to="nej", delvis_reason=DELVIS_NO)
    resolve(koge, fw, "5.2", world.coordinator, delvis_to="delvis",
            delvis_reason="Fastholdt.")
    resolve(koge, fw, "1.2", world.coordinator, category_override="green",
            override_reason=JUDGED_REASON)
    Abbreviation.objects.create(municipality=world.muni2, abbreviation="KØG")
    if region_round:
        faxe = rnd.participants.get(municipality=world.muni3)
        for number in ("1.1", "1.2", "5.1", "5.2", "9.1"):
            answer(faxe, fw, number, "ja")
    wanted = {world.muni: Status.SUBMITTED, **(statuses or {})}
    for p in rnd.participants.all():
        Participant.objects.filter(pk=p.pk).update(
            status=wanted.get(p.municipality, Status.APPROVED))
    sol.refresh_from_db()
    koge.refresh_from_db()
    return fw, rnd, sol, koge


def purchases(world):
    """Solrød buys from Køge's centre (in force), from a private clinic (ended before the
    period) and from one starting inside the period."""
    private = ProviderFactory(name="Privat Klinik", owner_municipality=None)
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                             valid_from=dt.date(2024, 1, 1))
    PurchaseAgreementFactory(municipality=world.muni, provider=private,
                             valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2025, 12, 31))
    late = ProviderFactory(name="Nyt Tilbud", owner_municipality=world.muni3)
    PurchaseAgreementFactory(municipality=world.muni, provider=late,
                             valid_from=dt.date(2026, 5, 1))


def fake_evidence(world):
    """evidence_for_round for the scenario: Solrød's "ja" to 5.2 disagrees with its data (a
    second line, after 6 months, beside it)."""
    six = Evidence(item_number="5.2", kpi_code="follow_up_6",
                   name="Opfølgning 6 måneder efter udskrivning", shown="40 %", value=0.4,
                   flag=False, flag_text="")
    flagged = Evidence(item_number="5.2", kpi_code="follow_up_1",
                       name="Opfølgning 1 måned efter udskrivning", shown="12 %", value=0.12,
                       flag=True, flag_text=FLAG_TEXT, further=(six,))
    agreeing = Evidence(item_number="5.1", kpi_code="review_cadence", name="Opfølgning på plan",
                        shown="<5", value=None, flag=False, flag_text="")

    def evidence_for_round(rnd, numbers=None, participants=None):
        found = {(world.muni.pk, "5.2"): flagged, (world.muni2.pk, "5.1"): agreeing}
        if participants is not None:  # as the real one: only the given participants
            ids = {p.municipality_id for p in participants}
            found = {k: v for k, v in found.items() if k[0] in ids}
        return found

    return evidence_for_round


def no_evidence(rnd, numbers=None, participants=None):
    return {}


class Tables(HTMLParser):
    """Every table of a page: {caption: [[(cell text, {classes inside the cell})]]}."""

    def __init__(self, html):
        super().__init__()
        self.tables, self._caption, self._rows, self._cell = {}, None, None, None
        self._in_caption = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "table":
            self._caption, self._rows = "", []
        elif tag == "caption":
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ["", set()]
        elif self._cell is not None:
            self._cell[1] |= classes
            if tag == "br":
                self._cell[0] += " "

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append((" ".join(self._cell[0].split()), self._cell[1]))
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[" ".join(self._caption.split())] = [r for r in self._rows if r]
            self._rows = None

    def handle_data(self, data):
        if self._in_caption:
            self._caption += data
        elif self._cell is not None:
            self._cell[0] += data


def categories(html, number) -> dict[str, tuple[str, set]]:
    """{category label: (municipalities text, classes of the label)} for one indicator."""
    rows = Tables(html).tables[f"Kommunerne efter kategori, indikator {number}"]
    return {label: (members, classes) for (label, classes), (members, _c) in rows[1:]}
