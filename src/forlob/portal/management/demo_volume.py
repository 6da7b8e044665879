"""Demo volume for `load_demo` (issue 5): a few hundred fictitious courses over the last 18
months in eight demo municipalities, so the indicator dashboard, the comparison and the DST
page show figures instead of "<5".

Deterministic: one seeded random generator draws every choice, and every date is relative to
the day the demo is loaded. Every fact goes through the services the app uses (pathway,
treatment, network, survey), as a machine user ("demodata") with caseworker memberships in
those municipalities, so the facts are consistent and audited: request, assessment with
AUDIT/DUDIT, decision (partial grants and refusals with reasons), free choice, start, plan,
reviews with days of use and repeated screenings, discharge with the seven SMDB fields,
follow-ups held, declined or missed, network and consents, a survey answer; anonymous § 101 a
courses and § 141 alcohol courses (some anonymous) among them. The letter of a non-full
decision is not rendered: the decision records the day it was sent.

Only under the demo settings (`make run`), or where FORLOB_DEMO_VOLUME is set: the demo's own
tests load the hand-built stages alone. A second run adds nothing; `--reset` removes the
courses and citizens with the rest of the demo (they live in the demo municipalities).
"""

import datetime as dt
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from forlob import clock
from forlob.accounts.models import Membership, Role
from forlob.audit.recorder import Action, record
from forlob.citizens import crypto
from forlob.citizens.models import Citizen
from forlob.citizens.rules import parse_cpr, passes_modulus11
from forlob.network import services as network
from forlob.network.models import Consent, NetworkMember
from forlob.pathway import services as pathway
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import Assessment, Contact, Course, Decision, FreeChoice, TreatmentStart
from forlob.survey import questionnaire
from forlob.survey import services as survey
from forlob.treatment import services as treatment
from forlob.treatment.models import Discharge, PlanGoal, Review, TreatmentPlan

SEED = 5  # issue 5
DAYS = 545  # about 18 months back
USERNAME = "demodata"

KOEGE, ROSKILDE, NAESTVED, HOLBAEK = ("Misbrugscenter Køge", "Rusmiddelcenter Roskilde",
                                      "Rusmiddelcenter Næstved", "Rusmiddelcenter Holbæk")
ALCOHOL = "Alkoholklinikken Sjælland ApS"

# Municipality: (courses, drug provider, alcohol provider, another offer for free choice).
PLACES = {
    "Solrød": (130, KOEGE, ALCOHOL, ROSKILDE),
    "Køge": (60, KOEGE, ALCOHOL, ROSKILDE),
    "Greve": (35, KOEGE, ALCOHOL, ROSKILDE),
    "Roskilde": (40, ROSKILDE, ALCOHOL, KOEGE),
    "Lejre": (20, ROSKILDE, ROSKILDE, KOEGE),
    "Næstved": (30, NAESTVED, NAESTVED, KOEGE),
    "Faxe": (15, NAESTVED, NAESTVED, KOEGE),
    "Holbæk": (25, HOLBAEK, HOLBAEK, NAESTVED),
}

FIRST_NAMES = ["Anders", "Birgitte", "Christian", "Dorthe", "Emil", "Frederik", "Gitte",
               "Hanne", "Ida", "Jonas", "Kasper", "Line", "Maja", "Niels", "Oliver", "Pia",
               "Rasmus", "Sanne", "Thomas", "Ulla", "Victor", "Winnie", "Yasmin", "Zakaria"]
LAST_NAMES = ["Andersen", "Christensen", "Eriksen", "Frandsen", "Gregersen", "Iversen",
              "Jakobsen", "Knudsen", "Larsen", "Mortensen", "Nygaard", "Pedersen", "Rasmussen",
              "Simonsen", "Thomsen", "Vestergaard", "Østergaard"]
PSEUDONYMS = ["Måge", "Egern", "Ugle", "Hjort", "Lærke", "Odder", "Svane", "Ræv", "Grævling",
              "Spurv", "Høg", "Sæl", "Bæver", "Krage", "Stær", "Vibe"]
REASONS = [("faerdigbehandlet", 40), ("andet_tilbud", 8), ("hospital", 3), ("flyttet", 6),
           ("oensker_stop", 14), ("udeblevet", 21), ("bortvist", 4), ("doed", 1), ("anden", 3)]


def enabled() -> bool:
    """FORLOB_DEMO_VOLUME when set; otherwise on under the demo settings only."""
    default = str(settings.SETTINGS_MODULE).endswith(".demo")
    return bool(getattr(settings, "FORLOB_DEMO_VOLUME", default))


def load_volume(munis, providers, today) -> int:
    """Create the volume unless it is there or switched off; returns the courses created."""
    if not enabled():
        return 0
    user = _machine_user([munis[name] for name in PLACES])
    if Course.objects.filter(caseworker=user).exists():
        return 0
    return _Volume(user, munis, providers, today).load()


def _machine_user(municipalities):
    """The user the volume is recorded as: no password, so nobody logs in as it; a caseworker
    of each municipality, since the services let only the acting municipality act."""
    user, created = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"first_name": "Demodata", "last_name": "(maskinelt)"})
    if created:
        user.set_unusable_password()
        user.save()
    for municipality in municipalities:
        Membership.objects.get_or_create(user=user, role=Role.CASEWORKER,
                                         municipality=municipality)
    return get_user_model().objects.get(pk=user.pk)  # a fresh scope


def _domains():
    return {key: {"findings": "Ingen særlige forhold.", "resources": "", "needs": ""}
            for key, _label in DOMAINS}


class _Volume:
    """Builds the courses, drawing every choice from one generator seeded with SEED, so the
    same day gives the same demo."""

    def __init__(self, user, munis, providers, today):
        request = RequestFactory().post("/")
        request.user = user
        request.path = request.path_info = "manage.py load_demo"  # where the facts came from
        self.req, self.munis, self.providers, self.today = request, munis, providers, today
        self.rng = random.Random(SEED)
        self.indexes = set(Citizen.objects.exclude(cpr_index=None).values_list(
            "cpr_index", flat=True))
        self.pseudonyms = 0
        self.answers = [(q.key, [v for v, _label in q.scale]) for q in questionnaire.CURRENT.scaled]

    def load(self) -> int:
        created = 0
        for name, (count, drugs, alcohol, free) in PLACES.items():
            for _i in range(count):
                created += self.course(self.munis[name], drugs, alcohol, free)
        return created

    # --- drawing -------------------------------------------------------------------------

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def on(self, day, low, high):
        """A day `low`..`high` days after `day`, or None when that is still to come."""
        result = day + dt.timedelta(days=self.rng.randint(low, high))
        return result if result <= self.today else None

    def citizen(self, municipality, anonymous: bool):
        if anonymous:
            self.pseudonyms += 1
            citizen = Citizen.objects.create(
                is_anonymous=True, birth_year=self.rng.randint(1965, 2004),
                pseudonym=f"{self.rng.choice(PSEUDONYMS)} {self.pseudonyms}",
                residence_municipality=municipality, acting_municipality=municipality)
        else:
            citizen = Citizen(first_name=self.rng.choice(FIRST_NAMES),
                              last_name=self.rng.choice(LAST_NAMES),
                              residence_municipality=municipality,
                              acting_municipality=municipality)
            citizen.set_cpr(self.cpr())
            citizen.save()
        record(None, Action.CREATE, citizen=citizen, purpose="demodata")
        return citizen

    def cpr(self) -> str:
        """A well-formed CPR number outside the modulus-11 series (like load_demo's), born
        1960-2008 (the 7th digit 0-3 for the 1900s, 4 for the 2000s)."""
        while True:
            born = dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randint(0, 17900))
            first = self.rng.randint(0, 3) if born.year < 2000 else 4
            number = f"{born:%d%m%y}{first}{self.rng.randint(0, 999):03d}"
            index = crypto.blind_index(number)
            if (not passes_modulus11(number) and index not in self.indexes
                    and parse_cpr(number).birth_date == born):
                self.indexes.add(index)
                return number

    def screening(self, instrument, severity: float):
        """AUDIT (10 items, the last two 0/2/4) or DUDIT (11 items, the last two 0/2/4)."""
        items = 8 if instrument == "audit" else 9
        answers = [min(4, int(self.rng.random() * 5 * severity)) for _i in range(items)]
        return answers + [self.rng.choice([0, 2, 4]) if severity > 0.4 else 0 for _i in "ab"]

    # --- one course ----------------------------------------------------------------------

    def course(self, municipality, drugs, alcohol, free, citizen=None, asked=None) -> int:
        """One course with as many facts as have happened by today; returns the courses made
        (a citizen discharged early sometimes comes back with a new request)."""
        r = self.rng.random()
        anonymous = r < 0.15 if citizen is None else citizen.is_anonymous
        tracks = (["sel101a"] if r < 0.10 and anonymous else ["sul141"] if r < 0.45
                  else ["sel101", "sul142"] if r < 0.60 else ["sel101"])
        provider = self.providers[alcohol if tracks == ["sul141"] else drugs]
        citizen = citizen or self.citizen(municipality, anonymous)
        asked = asked or self.today - dt.timedelta(days=self.rng.randint(0, DAYS))
        substance = "alcohol" if tracks == ["sul141"] else self.rng.choice(["drugs", "both"])
        course = pathway.open_course(self.req, citizen, Contact(
            received_on=asked, channel=self.rng.choice(["personal", "phone", "digital",
                                                        "written"]),
            substances=substance, asks="treatment"), tracks=tracks)
        severity = self.rng.uniform(0.3, 0.9)
        started = self.pathway(course, tracks, provider, free, asked, severity)
        made = 1
        if started is not None:
            course = Course.objects.get(pk=course.pk)
            ended = self.treatment(course, started, severity)
            if ended and self.chance(0.2) and not anonymous:  # back again: a new course
                again = self.on(ended, 5, 60)
                if again and again < self.today - dt.timedelta(days=14):
                    made += self.course(municipality, drugs, alcohol, free, citizen, again)
        return made

    def pathway(self, course, tracks, provider, free, asked, severity):
        """Assessment, decision, free choice and start as far as they have happened; the
        start day, or None."""
        instrument = "audit" if "sul141" in tracks else "dudit"
        if "sel101a" in tracks:  # anonymous treatment: no assessment, no decision
            started = self.on(asked, 2, 16)
        else:
            assessed = self.on(asked, 1, 11) if self.chance(0.85) else self.on(asked, 12, 20)
            if assessed is None:
                return None
            self.assess(course, assessed, instrument, severity)
            started = self.on(assessed, 0, 6)
            if "sel101" in tracks:
                started = self.decide(course, tracks, provider, free, asked, assessed)
        if started is None:
            return None
        pathway.start_treatment(self.req, Course.objects.get(pk=course.pk), TreatmentStart(
            started_on=started, enrolled_on=started, provider=provider))
        return started

    def assess(self, course, day, instrument, severity):
        children, flagged, pregnant = self.chance(0.25), self.chance(0.3), self.chance(0.03)
        pathway.record_assessment(self.req, course, Assessment(
            done_on=day, instrument=self.rng.choice(["europasi", "voksenmap"]),
            instrument_on=day, domains=_domains(), feedback_on=day,
            screening_needed=flagged, children_at_home=children,
            children_count=self.rng.randint(1, 3) if children else None,
            pregnancy=pregnant, due_date=day + dt.timedelta(days=150) if pregnant else None,
            notified_on=day if children and self.chance(0.6) else None,
            notified_to="Børn og Familie" if children else ""),
            [(instrument, self.screening(instrument, severity), day)])
        begun = self.on(day, 3, 40) if flagged and self.chance(0.7) else None
        if begun:
            pathway.start_screening(self.req, course, begun)

    def decide(self, course, tracks, provider, free, asked, assessed):
        """The decision on a § 101 course (and a free choice); the start day or None."""
        held = None
        if "sul142" in tracks:  # the free doctor consultation, held before the start
            held = self.on(asked, 1, 6) if self.chance(0.6) else None
            pathway.record_doctor(self.req, course, asked, held is not None, held)
        chosen = self.providers[free] if self.chance(0.12) else None
        if chosen:
            pathway.record_free_choice(self.req, course, FreeChoice(chosen_on=assessed,
                                                                   provider=chosen))
        decided = self.on(assessed, 0, 3)
        if decided is None:
            return None
        r = self.rng.random()
        outcome = "afslag" if r < 0.05 else "delvis" if r < 0.22 else "bevilling"
        sent = self.on(decided, 0, 4) if outcome != "bevilling" and self.chance(0.8) else None
        pathway.decide(self.req, course, Decision(
            assessment=course.assessments.get(), track="sel101", outcome=outcome,
            decided_on=decided, proposal_focus="Stoppe eller mindske forbruget.",
            proposal_goals="Stabil hverdag.", told_free_choice=True, letter_sent_on=sent,
            provider=None if outcome == "afslag" else chosen or provider,
            intensity="" if outcome == "afslag" else "ambulant",
            reasons="" if outcome == "bevilling" else (
                "Afdækningen viser, at ambulant behandling er tilstrækkelig."),
            other_help="Rådgivning i jobcenteret." if outcome == "afslag" else ""))
        if outcome == "afslag":
            return None
        after = max(decided, held or decided)  # a free choice waits for its place
        return self.on(after, 14, 40) if chosen else self.on(after, 0, 6)

    def treatment(self, course, started, severity):
        """Plan, reviews, network, discharge and follow-ups; the discharge day or None."""
        planned = self.on(started, 0, 17)
        if planned is None:
            return None
        plan = treatment.add_plan(self.req, course, TreatmentPlan(
            agreed_on=planned, content="Individuelle samtaler og gruppeforløb.",
            # Some plans are linked to a § 141 handleplan or a koordinerende indsatsplan
            # (KL anbefaling 12.2), deterministically and without drawing from the seed.
            action_plan_141=course.pk % 4 == 0, coordinating_plan=course.pk % 5 == 0), [
            PlanGoal(text="Jeg vil stoppe eller skære ned.", goal_type="ophoer",
                     need_domain="intoxicants"),
            PlanGoal(text="Jeg vil have en fast hverdag.", goal_type="social",
                     need_domain="social")])
        goals = list(plan.goals.values_list("pk", flat=True))
        named = not course.citizen.is_anonymous
        if named and self.chance(0.35):
            network.add_member(self.req, course, NetworkMember(
                name="Pårørende", relation=self.rng.choice(["partner", "parent", "sibling"]),
                influence="supportive", involvement_consent_on=planned))
        if named and self.chance(0.2):
            network.give_consent(self.req, course, Consent(
                party=self.rng.choice(["gp", "jobcenter", "psychiatry"]),
                scope="Status og behandlingsplan.", given_on=planned))
        ends = self.on(started, 45, 330) if self.chance(0.75) else None
        day, last = planned, ends or self.today
        instrument = "audit" if course.tracks.filter(track="sul141").exists() else "dudit"
        while True:
            day = day + dt.timedelta(days=self.rng.randint(60, 125))
            if day > last:
                break
            severity = max(0.0, severity - self.rng.uniform(-0.1, 0.25))
            screenings = ([(instrument, self.screening(instrument, severity), day)]
                          if self.chance(0.6) else [])
            treatment.add_review(self.req, course, Review(
                held_on=day, days_of_use_30=min(30, int(30 * severity * self.rng.random()))),
                {pk: self.rng.choice(["achieved", "partly", "not_achieved"]) for pk in goals},
                screenings)
        if ends is None:
            return None
        reason = self.rng.choices([r for r, _w in REASONS], [w for _r, w in REASONS])[0]
        treatment.discharge(self.req, course, Discharge(
            discharged_on=ends, reason=reason, use_status=self.rng.choice(
                ["ophoert", "reduceret", "uaendret"]), housing="egen",
            means_of_support=self.rng.choice(["loen", "overfoersel", "pension"]),
            status_text="Forløbet er afsluttet."))
        if named and self.chance(0.35):
            with clock.frozen(ends):
                token = survey.issue(self.req, course, "paper")
                survey.submit(token, {key: self.rng.choice(values[:3])
                                      for key, values in self.answers})
        self.follow_ups(course, ends)
        return ends

    def follow_ups(self, course, ended):
        r = self.rng.random()
        for task in course.follow_ups.order_by("number"):
            if task.due > self.today:
                break
            if r < 0.15:
                treatment.decline_follow_up(self.req, course, max(ended, task.due -
                                                                  dt.timedelta(days=7)))
                break
            if r < 0.8:
                held = min(self.today, task.due + dt.timedelta(days=self.rng.randint(0, 10)))
                reached = self.chance(0.85)
                treatment.record_follow_up_outcome(
                    self.req, course, task, held, reached,
                    self.rng.choice(["yes", "partly", "no"]) if reached else "",
                    self.rng.choice(["ophoert", "reduceret", "uaendret"]) if reached else "")
