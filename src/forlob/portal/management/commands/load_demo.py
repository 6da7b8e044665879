"""Load the demo data: Region Sjælland, providers, purchase agreements, fictitious citizens,
one demo user per role, and the Solrød caseworker's courses at different stages of the pathway
(demo_pathway.py). Idempotent: running it again changes nothing but refreshes the demo
passwords and referral dates. `--reset` first removes the demo data and loads it afresh.

All persons are fictitious. Their CPR numbers have real birth dates but serial numbers that
fail the modulus-11 check; such numbers are only issued since 2007, when a date's modulus-11
series is used up, so they are unlikely to belong to anyone. Never load the demo into a
database with real data (the command refuses production settings).

Audit records are never deleted: the trail is append-only and has no foreign keys.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from forlob import clock
from forlob.accounts.models import Membership, Role
from forlob.audit.recorder import Action, record
from forlob.citizens import crypto
from forlob.citizens.models import Citizen, Referral
from forlob.citizens.rules import parse_cpr, passes_modulus11
from forlob.organisations.models import (
    Cluster,
    Intensity,
    Municipality,
    Provider,
    PurchaseAgreement,
    Region,
)
from forlob.organisations.models import TreatmentKind as K
from forlob.portal.management import demo_pathway, demo_quality, demo_standard, demo_volume
from forlob.survey.models import Invitation as SurveyInvitation
from forlob.survey.models import Response as SurveyResponse

DEMO_PASSWORD = "Forlob-demo-2026"
REGION = "Region Sjælland"

# Cluster -> (name, code, approximate population 1 January 2024, Danmarks Statistik FOLK1A).
CLUSTERS = {
    "Syd": [("Faxe", "320", 37900), ("Guldborgsund", "376", 60300), ("Lolland", "360", 40300),
            ("Næstved", "370", 84100), ("Stevns", "336", 24000), ("Vordingborg", "390", 45600)],
    "Øst": [("Greve", "253", 51000), ("Køge", "259", 62900), ("Lejre", "350", 29400),
            ("Roskilde", "265", 90500), ("Solrød", "269", 24000)],
    "Vest": [("Holbæk", "316", 73000), ("Kalundborg", "326", 48800), ("Odsherred", "306", 32900),
             ("Ringsted", "329", 36100), ("Slagelse", "330", 80100), ("Sorø", "340", 30900)],
}

KOEGE_CENTRE = "Misbrugscenter Køge"
ALCOHOL_CLINIC = "Alkoholklinikken Sjælland ApS"
RESIDENTIAL = "Behandlingscentret Skovly ApS"
A, D, R = Intensity.AMBULANT, Intensity.DAY, Intensity.RESIDENTIAL
ALL_DRUG = [K.SOCIAL_DRUG, K.ANONYMOUS_DRUG, K.MEDICAL_DRUG]

# name: (owner code or None for private, kinds, intensities, Socialtilsynet, Tilbudsportalen,
#        address)
PROVIDERS = {
    KOEGE_CENTRE: ("259", ALL_DRUG, [A, D], True, True, "Torvet 1, 4600 Køge"),
    "Ungeindsatsen Køge": ("259", [K.YOUTH], [A], False, False, "Torvet 1, 4600 Køge"),
    "Rusmiddelcenter Roskilde": ("265", [*ALL_DRUG, K.ALCOHOL], [A], True, True,
                                 "Rådhusbuen 1, 4000 Roskilde"),
    "Rusmiddelcenter Næstved": ("370", [*ALL_DRUG, K.ALCOHOL], [A, D], True, True,
                                "Rådmandshaven 20, 4700 Næstved"),
    "UngSyd Næstved": ("370", [K.YOUTH], [A, D], False, False, "Rådmandshaven 20, 4700 Næstved"),
    "Rusmiddelcenter Holbæk": ("316", [*ALL_DRUG, K.ALCOHOL], [A, D], True, True,
                               "Kanalstræde 2, 4300 Holbæk"),
    ALCOHOL_CLINIC: (None, [K.ALCOHOL], [A], False, False, "Algade 10, 4000 Roskilde"),
    RESIDENTIAL: (None, [K.SOCIAL_DRUG, K.ALCOHOL], [R], True, True, "Skovvej 7, 4690 Haslev"),
}

# (buyer, provider, kinds, valid from, valid to or None)
AGREEMENTS = [
    ("Solrød", KOEGE_CENTRE, ALL_DRUG, dt.date(2023, 1, 1), None),  # all its drug treatment
    ("Solrød", ALCOHOL_CLINIC, [K.ALCOHOL], dt.date(2024, 1, 1), None),
    ("Solrød", "Ungeindsatsen Køge", [K.YOUTH], dt.date(2024, 1, 1), None),
    ("Solrød", RESIDENTIAL, [K.SOCIAL_DRUG], dt.date(2025, 1, 1), None),
    ("Køge", ALCOHOL_CLINIC, [K.ALCOHOL], dt.date(2024, 1, 1), None),
    ("Greve", KOEGE_CENTRE, [K.MEDICAL_DRUG], dt.date(2024, 1, 1), None),  # medical part only
    ("Greve", RESIDENTIAL, [K.SOCIAL_DRUG], dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("Lejre", "Rusmiddelcenter Roskilde", [K.MEDICAL_DRUG], dt.date(2023, 1, 1), None),
    ("Stevns", "Rusmiddelcenter Næstved", ALL_DRUG, dt.date(2022, 1, 1), None),
    ("Faxe", "Rusmiddelcenter Næstved", [K.MEDICAL_DRUG], dt.date(2024, 4, 1), None),
    ("Vordingborg", "UngSyd Næstved", [K.YOUTH], dt.date(2025, 1, 1), None),
    ("Odsherred", "Rusmiddelcenter Holbæk", [K.MEDICAL_DRUG], dt.date(2024, 1, 1), None),
    ("Sorø", "Rusmiddelcenter Holbæk", ALL_DRUG, dt.date(2023, 1, 1), dt.date(2025, 12, 31)),
    ("Sorø", "Rusmiddelcenter Holbæk", [K.MEDICAL_DRUG], dt.date(2026, 1, 1), None),
]

# Fictitious persons: (CPR, first name, last name, address, postal code, city, municipality).
CITIZENS = [
    ("120384-0100", "Mette", "Sørensen", "Tved Allé 4", "2680", "Solrød Strand", "Solrød"),
    ("021171-0103", "Jens", "Hansen", "Strandvejen 80", "2680", "Solrød Strand", "Solrød"),
    ("210795-0103", "Ali", "Demir", "Havdrup Vej 12", "4622", "Havdrup", "Solrød"),
    ("300190-0100", "Camilla", "Nielsen", "Jersie Strandvej 3", "2680", "Solrød Strand", "Solrød"),
    ("140509-4101", "Lukas", "Berg", "Cypresvej 9", "2680", "Solrød Strand", "Solrød"),
    ("080966-0101", "Peter", "Holm", "Nørregade 31", "4600", "Køge", "Køge"),
    ("241288-0100", "Sofie", "Lund", "Ølby Allé 5", "4600", "Køge", "Køge"),
    ("170479-0101", "Henrik", "Madsen", "Greve Centervej 2", "2670", "Greve", "Greve"),
    ("050675-0100", "Anne", "Kristensen", "Torvegade 6", "4640", "Faxe", "Faxe"),
    ("110299-0101", "Mads", "Olsen", "Algade 40", "4000", "Roskilde", "Roskilde"),
]
# Anonymous persons (SEL § 101 a): (pseudonym, birth year, acting municipality).
ANONYMOUS = [("Sommerfugl", 1996, "Solrød"), ("Ravn", 2001, "Køge")]

# Referrals: (CPR or pseudonym, provider, started days ago, ended days ago or None).
# Mette Sørensen and Sommerfugl get theirs from the treatment start of their demo courses.
REFERRALS = [
    ("021171-0103", ALCOHOL_CLINIC, 60, None),
    ("210795-0103", KOEGE_CENTRE, 30, None),
    ("300190-0100", RESIDENTIAL, 200, 20),  # ended: the clinician no longer sees her
    ("140509-4101", "Ungeindsatsen Køge", 45, None),
    ("080966-0101", KOEGE_CENTRE, 300, None),
    ("241288-0100", ALCOHOL_CLINIC, 14, None),
    ("170479-0101", KOEGE_CENTRE, 90, None),
    ("050675-0100", "Rusmiddelcenter Næstved", 75, None),
    ("110299-0101", "Rusmiddelcenter Roskilde", 10, None),
]

# username: (role, organisation kind, organisation name, first name, last name)
USERS = {
    "sagsbehandler": (Role.CASEWORKER, "municipality", "Solrød", "Sara", "Sagsbehandler"),
    "behandler": (Role.CLINICIAN, "provider", KOEGE_CENTRE, "Bo", "Behandler"),
    "leder": (Role.LEADER, "municipality", "Solrød", "Lene", "Leder"),
    "koordinator": (Role.COORDINATOR, "cluster", "Øst", "Kim", "Koordinator"),
    "regionskoordinator": (Role.COORDINATOR, "region", REGION, "Rikke", "Regionskoordinator"),
    "administrator": (Role.ADMINISTRATOR, "municipality", "Solrød", "Anders", "Administrator"),
}

DEMO_PURPOSE = "demodata"


def demo_cpr_numbers() -> list[str]:
    """The demo CPR numbers, checked to be well-formed and outside the modulus-11 series."""
    numbers = []
    for text, *_rest in CITIZENS:
        facts = parse_cpr(text)
        if passes_modulus11(facts.number):
            raise CommandError(f"Demo CPR {text[:6]}-**** passes modulus 11; pick another.")
        numbers.append(facts.number)
    return numbers


def _upsert(model, lookup: dict, values: dict):
    """Create or update one row, validated by the model's own rules."""
    obj = model._default_manager.filter(**lookup).first()
    created = obj is None
    if created:
        obj = model(**lookup)
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj, created


class Command(BaseCommand):
    help = "Indlæs demodata (Region Sjælland, tilbud, aftaler, fiktive borgere, demobrugere)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="Slet demodata først og indlæs dem igen.")
        parser.add_argument("--allow-production", action="store_true",
                            help="Tillad kørsel med produktionsindstillinger (kun testmiljøer).")

    def handle(self, *args, reset=False, allow_production=False, **options):
        if str(settings.SETTINGS_MODULE).endswith(".production") and not allow_production:
            raise CommandError(_("Demodata indlæses ikke med produktionsindstillinger."))
        self.created = 0
        with transaction.atomic():
            if reset:
                self.reset()
            self.load(clock.today())
        self.reset_lockouts()
        self.stdout.write(self.style.SUCCESS(
            _("Demodata er indlæst (%(n)s nye rækker).") % {"n": self.created}))
        self.print_logins()

    # --- removing ------------------------------------------------------------------------

    def reset(self):
        municipalities = list(Municipality.objects.filter(
            Q(cluster__region__name=REGION) | Q(code__in=[c for ms in CLUSTERS.values()
                                                         for _n, c, _p in ms])
        ).values_list("pk", flat=True))
        providers = list(Provider.objects.filter(
            Q(name__in=list(PROVIDERS)) | Q(owner_municipality__in=municipalities)
        ).values_list("pk", flat=True))
        indexes = [crypto.blind_index(n) for n in demo_cpr_numbers()]
        citizens = Citizen.objects.filter(
            Q(acting_municipality__in=municipalities) | Q(residence_municipality__in=municipalities)
            | Q(cpr_index__in=indexes)
        )
        citizen_ids = set(citizens.values_list("pk", flat=True))
        # Courses protect their citizen and the providers of their decisions and starts.
        demo_pathway.delete_courses(citizen_ids, municipalities, providers)
        referrals = Referral.objects.filter(Q(citizen__in=citizen_ids) | Q(provider__in=providers))
        for referral in referrals.select_related("citizen"):
            if referral.citizen_id not in citizen_ids:
                record(None, Action.DELETE, citizen=referral.citizen, obj=referral,
                       purpose=_("nulstilling af demodata"))
        referrals.delete()
        for citizen in Citizen.objects.filter(pk__in=citizen_ids):
            record(None, Action.DELETE, citizen=citizen, purpose=_("nulstilling af demodata"))
        Citizen.objects.filter(pk__in=citizen_ids).delete()
        PurchaseAgreement.objects.filter(
            Q(municipality__in=municipalities) | Q(provider__in=providers)
        ).delete()
        get_user_model().objects.filter(username__in=list(USERS)).delete()
        Membership.objects.filter(
            Q(municipality__in=municipalities) | Q(provider__in=providers)
            | Q(cluster__region__name=REGION) | Q(region__name=REGION)
        ).delete()
        # Survey answers are anonymous and hang off the provider only (survey.models).
        SurveyResponse.objects.filter(provider__in=providers).delete()
        SurveyInvitation.objects.filter(provider__in=providers).delete()
        Provider.objects.filter(pk__in=providers).delete()
        demo_standard.delete_standards(municipalities)
        demo_quality.delete_quality(municipalities)
        Municipality.objects.filter(pk__in=municipalities).delete()
        Cluster.objects.filter(region__name=REGION).delete()
        Region.objects.filter(name=REGION).delete()
        self.stdout.write(_("Demodata er slettet. Loggen over adgang er bevaret."))

    # --- loading -------------------------------------------------------------------------

    def _count(self, pair):
        obj, created = pair
        self.created += int(created)
        return obj

    def load(self, today):
        region = self._count(_upsert(Region, {"name": REGION}, {}))
        clusters, munis = {}, {}
        for cluster_name, members in CLUSTERS.items():
            cluster = self._count(_upsert(Cluster, {"region": region, "name": cluster_name}, {}))
            clusters[cluster_name] = cluster
            for name, code, population in members:
                munis[name] = self._count(_upsert(
                    Municipality, {"code": code},
                    {"name": name, "cluster": cluster, "population": population}))
        by_code = {m.code: m for m in munis.values()}
        providers = {}
        for name, (owner, kinds, intensities, approved, listed, address) in PROVIDERS.items():
            providers[name] = self._count(_upsert(Provider, {"name": name}, {
                "owner_municipality": by_code[owner] if owner else None,
                "kinds": [str(k) for k in kinds],
                "intensities": [str(i) for i in intensities],
                "approved_by_socialtilsynet": approved,
                "listed_on_tilbudsportalen": listed,
                "address": address,
            }))
        for buyer, provider, kinds, start, end in AGREEMENTS:
            self._count(_upsert(
                PurchaseAgreement,
                {"municipality": munis[buyer], "provider": providers[provider],
                 "valid_from": start},
                {"kinds": [str(k) for k in kinds], "valid_to": end}))
        persons = self.load_citizens(munis)
        self.load_referrals(persons, providers, today)
        self.load_users(munis, providers, clusters, region)
        caseworker = get_user_model().objects.get(username="sagsbehandler")
        self.created += demo_standard.load_standards(munis, providers, today)
        self.created += demo_pathway.load_courses(caseworker, persons, providers, today)
        self.created += demo_volume.load_volume(munis, providers, today)
        coordinator = get_user_model().objects.get(username="koordinator")
        self.created += demo_quality.load_quality(munis, clusters, coordinator, today)

    def load_citizens(self, munis) -> dict:
        persons = {}
        for (text, first, last, address, postal, city, muni), number in zip(
            CITIZENS, demo_cpr_numbers(), strict=True
        ):
            citizen = Citizen.objects.filter(cpr_index=crypto.blind_index(number)).first()
            if citizen is None:
                citizen = Citizen(first_name=first, last_name=last, address=address,
                                  postal_code=postal, city=city,
                                  residence_municipality=munis[muni],
                                  acting_municipality=munis[muni])
                citizen.set_cpr(number)
                citizen.save()
                record(None, Action.CREATE, citizen=citizen, purpose=DEMO_PURPOSE)
                self.created += 1
            persons[text] = citizen
        for pseudonym, year, muni in ANONYMOUS:
            citizen = Citizen.objects.filter(is_anonymous=True, pseudonym=pseudonym,
                                             acting_municipality=munis[muni]).first()
            if citizen is None:
                citizen = Citizen.objects.create(
                    is_anonymous=True, pseudonym=pseudonym, birth_year=year,
                    residence_municipality=munis[muni], acting_municipality=munis[muni])
                record(None, Action.CREATE, citizen=citizen, purpose=DEMO_PURPOSE)
                self.created += 1
            persons[pseudonym] = citizen
        return persons

    def load_referrals(self, persons, providers, today):
        """One referral per person and provider, dated relative to today."""
        for key, provider_name, started, ended in REFERRALS:
            citizen, provider = persons[key], providers[provider_name]
            referred_on = today - dt.timedelta(days=started)
            ended_on = today - dt.timedelta(days=ended) if ended is not None else None
            referral = Referral.objects.filter(citizen=citizen, provider=provider).first()
            if referral is None:
                referral = Referral.objects.create(citizen=citizen, provider=provider,
                                                   referred_on=referred_on, ended_on=ended_on)
                record(None, Action.CREATE, citizen=citizen, obj=referral, purpose=DEMO_PURPOSE)
                self.created += 1
            elif (referral.referred_on, referral.ended_on) != (referred_on, ended_on):
                referral.referred_on, referral.ended_on = referred_on, ended_on
                referral.save(update_fields=["referred_on", "ended_on"])
                record(None, Action.UPDATE, citizen=citizen, obj=referral, purpose=DEMO_PURPOSE)

    def load_users(self, munis, providers, clusters, region):
        orgs = {"municipality": munis, "provider": providers, "cluster": clusters,
                "region": {REGION: region}}
        User = get_user_model()
        self.logins = []
        for username, (role, kind, org_name, first, last) in USERS.items():
            user = User.objects.filter(username=username).first()
            if user is None:
                user = User(username=username)
                self.created += 1
            user.first_name, user.last_name = first, last
            user.email = f"{username}@example.org"
            user.is_active = True
            if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
                user.set_password(DEMO_PASSWORD)  # only when changed: keeps sessions valid
            user.save()
            org = orgs[kind][org_name]
            membership, created = Membership.objects.get_or_create(
                user=user, role=role, **{kind: org})
            self.created += int(created)
            self.logins.append((username, Role(role).label, str(org)))

    def reset_lockouts(self):
        """Forget failed logins for the demo users, so the printed credentials work."""
        try:
            from axes.utils import reset
        except ImportError:  # pragma: no cover - axes is a dependency
            return
        for username in USERS:
            reset(username=username)

    def print_logins(self):
        headers = (_("Brugernavn"), _("Rolle"), _("Organisation"), _("Adgangskode"))
        rows = [(u, str(role), org, DEMO_PASSWORD) for u, role, org in self.logins]
        widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write(_("Demo-logins (fiktive data):"))
        if not settings.FORLOB_REQUIRE_2FA:
            self.stdout.write(_("To-faktor-login er slået fra i demoindstillingerne."))
        self.stdout.write(line)
        self.stdout.write("  ".join(str(h).ljust(w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        self.stdout.write(line)
