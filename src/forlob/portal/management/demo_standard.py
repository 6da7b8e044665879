"""Demo quality standards (issue 7): Solrød's, modelled on its real 2023 standard, in two
adopted versions and a draft, and Køge's in one version. Written straight to the models: the
services refuse backdated versions, and the demo's history lies in the past."""

import datetime as dt

from forlob.standards import defaults
from forlob.standards.models import ComplaintRoute, ContactPoint, ServiceStandard, Status

SOLROED_SECTIONS = {
    "target": "Solrød Kommune tilbyder gratis rådgivning og behandling til borgere over 18 år, "
              "der bor i kommunen og har et problematisk forbrug af alkohol, stoffer eller "
              "ikke-ordineret medicin.",
    "course": "Du kan henvende dig selv, eller andre kan henvise dig med dit samtykke. Vi taler "
              "med dig om hele din situation: rusmidler, helbred, bolig, økonomi, arbejde og "
              "familie.",
    "decisions": "Du får en skriftlig afgørelse med begrundelse og klagevejledning. Du kan "
                 "frit vælge et andet offentligt eller privat tilbud, der er godkendt af "
                 "Socialtilsynet.",
    "plans": "Sammen med din behandler laver du en behandlingsplan med mål for behandlingen. "
             "Planen følges op løbende.",
    "own_payment": "Selve behandlingen er gratis. Du betaler selv transport og særlige "
                   "aktiviteter. Ved døgnbehandling kan der være egenbetaling for kost og "
                   "logi, som beregnes ud fra din indtægt, før behandlingen begynder.",
    "monitoring": "Vi følger op på fristerne i denne standard og på borgernes tilfredshed. "
                  "Medarbejderne har en sundheds- eller socialfaglig uddannelse og "
                  "efteruddannelse i motiverende samtale og kognitiv terapi.",
    "register": "Vi indberetter til Stofmisbrugsdatabasen og Det Nationale "
                "Alkoholbehandlingsregister, som loven kræver.",
}

CONTACTS = [
    ("counselling", "Rådgivningen i Job- og Socialcenteret", "Solrød Center 1, 2680 Solrød "
     "Strand", "56 18 28 60", "misbrug@solrod.dk", "Mandag-torsdag 9-15, fredag 9-12"),
    ("anonymous", "Misbrugscenter Køge (anonym behandling)", "Torvet 1, 4600 Køge",
     "56 67 29 00", "", "Mandag-fredag 9-15, uden tidsbestilling tirsdag 13-15"),
    ("alcohol", "Alkoholklinikken Sjælland", "Algade 10, 4000 Roskilde", "46 31 71 41", "",
     "Mandag-fredag 8-15"),
]


def _version(municipality, number, status, adopted_on, valid_from, providers, **levels):
    sections = {**{k: v for k, v in defaults.SECTIONS.items()},
                **(SOLROED_SECTIONS if municipality.code == "269" else {})}
    standard = ServiceStandard.objects.create(
        municipality=municipality, number=number, status=status, adopted_on=adopted_on,
        valid_from=valid_from, sections=sections,
        involvement="Brugerrådet og Pårørenderådgivningen blev hørt om udkastet." if adopted_on
        else "", involved_on=adopted_on and adopted_on - dt.timedelta(days=30), **levels)
    standard.providers.set(providers)
    for track, (to, when, how) in defaults.COMPLAINT_ROUTES.items():
        ComplaintRoute.objects.create(standard=standard, track=track, authority=to,
                                      deadline=when, description=how)
    if municipality.code == "269":
        for kind, name, address, phone, email, hours in CONTACTS:
            ContactPoint.objects.create(standard=standard, kind=kind, name=name,
                                        address=address, phone=phone, email=email,
                                        opening_hours=hours)
    return 1


def load_standards(munis, providers, today) -> int:
    """Solrød: v1 (2023), v2 (promising follow-up after every ending, like the real one) and a
    draft v3 that shortens the guarantee; Køge: v1. Returns the number of versions made."""
    solrod, koege = munis["Solrød"], munis["Køge"]
    if ServiceStandard.objects.filter(municipality__in=[solrod, koege]).exists():
        return 0
    bought = [providers["Misbrugscenter Køge"], providers["Alkoholklinikken Sjælland ApS"],
              providers["Behandlingscentret Skovly ApS"]]
    every_reason = ["flyttet", "oensker_stop", "bortvist", "udeblevet"]
    made = _version(solrod, 1, Status.ADOPTED, dt.date(2023, 5, 23), dt.date(2023, 7, 1),
                    bought[:2])
    made += _version(solrod, 2, Status.ADOPTED, dt.date(2025, 5, 20), dt.date(2025, 6, 1),
                     bought, follow_up_reasons=every_reason, vouchers_enabled=False)
    made += _version(solrod, 3, Status.DRAFT, None, None, bought, guarantee_days=10,
                     follow_up_reasons=every_reason, follow_up_first_days=21)
    made += _version(koege, 1, Status.ADOPTED, today - dt.timedelta(days=400),
                     today - dt.timedelta(days=380), [providers["Misbrugscenter Køge"]],
                     review_months_sul141=4)
    return made


def delete_standards(municipalities) -> None:
    ServiceStandard.objects.filter(municipality__in=municipalities).delete()
