"""Demo self-assessment (issue 6): a round in cluster Øst against KL's 12 recommendations,
opened by the demo coordinator. Køge, Greve and Roskilde have answered (Køge split into alkohol
and stof, which differ on one indicator); Solrød's leader has a draft to finish; Lejre has not
begun. Plus a few competence and development-project entries for the map. The answers are
invented for the demo; written straight to the models (the round lies partly in the past)."""

import datetime as dt

from django.utils import timezone

from forlob.quality.models import (
    Answer,
    Area,
    Choice,
    DevelopmentProject,
    Framework,
    Item,
    ItemKind,
    Participant,
    ParticipantEvent,
    Round,
    StaffCompetence,
    Status,
)

ROUND_NAME = "Selvevaluering KL's 12 anbefalinger"

#: Per municipality: status, areas, and the indicators answered other than "ja".
ANSWERS = {
    "Køge": (Status.SUBMITTED, [Area.ALCOHOL, Area.DRUGS], {"5.2": Choice.PARTLY}),
    "Greve": (Status.APPROVED, [], {"1.3": Choice.NO, "10.1": Choice.PARTLY}),
    "Roskilde": (Status.SUBMITTED, [], {"2.3": Choice.NO}),
    "Solrød": (Status.DRAFT, [], {"5.2": Choice.YES}),
}
#: Køge's areas differ on this indicator: alkohol says ja, stof says nej.
KOEGE_SPLIT = ("7.2", {Area.ALCOHOL: Choice.YES, Area.DRUGS: Choice.NO})

COMPETENCES = [
    ("Køge", "Socialrådgiver", ["MI", "Kognitiv terapi"], ["Basisscreening"], 6,
     "Mette Madsen", "mema@koege.dk"),
    ("Roskilde", "Psykolog", ["Kognitiv terapi", "Familiebehandling"], ["ASI"], 2,
     "Per Holm", "perh@roskilde.dk"),
    ("Greve", "Sygeplejerske", ["MI"], ["AUDIT", "DUDIT"], 3, "Anne Berg", "anbe@greve.dk"),
]
PROJECTS = [
    ("Køge", "Familien med i behandlingen", "Flere forløb med netværket inddraget.",
     "Familieorienteret alkoholbehandling (FOA)", dt.date(2025, 9, 1), "Mette Madsen"),
    ("Roskilde", "Opfølgning efter udskrivning", "Alle udskrevne kontaktes efter 1 og 6 mdr.",
     "Telefonopfølgning med fast skabelon", dt.date(2026, 1, 1), "Per Holm"),
]


def load_quality(munis, clusters, coordinator, today) -> int:
    """Create the demo round once; returns the number of rows created."""
    framework = Framework.objects.filter(code="kl-12").order_by("-version").first()
    if framework is None or Round.objects.filter(name=ROUND_NAME).exists():
        return 0
    created = 0
    year = today.year
    rnd = Round.objects.create(
        framework=framework, name=ROUND_NAME, period_start=dt.date(year - 1, 1, 1),
        period_end=dt.date(year - 1, 12, 31), deadline=today + dt.timedelta(days=30),
        cluster=clusters["Øst"], opened_by=coordinator)
    created += 1
    items = list(Item.objects.filter(section__framework=framework, section__greyed=False))
    now = timezone.now()
    for name in ("Køge", "Greve", "Roskilde", "Solrød", "Lejre"):
        status, areas, exceptions = ANSWERS.get(name, (Status.DRAFT, [], None))
        p = Participant.objects.create(round=rnd, municipality=munis[name], areas=areas,
                                       status=status, buyer=name == "Solrød",
                                       submitted_at=now if status != Status.DRAFT else None)
        created += 1
        if exceptions is None:
            continue
        for area in p.answer_areas():
            for item in items:
                created += _answer(p, item, area, exceptions, name)
        if status != Status.DRAFT:
            ParticipantEvent.objects.create(participant=p, at=now, user=None,
                                            from_status=Status.DRAFT, to_status=Status.SUBMITTED)
            created += 1
    for owner, education, methods, tools, count, contact, email in COMPETENCES:
        StaffCompetence.objects.create(municipality=munis[owner], education=education,
                                       methods=methods, tools=tools, staff_count=count,
                                       contact_name=contact, contact_email=email)
        created += 1
    for owner, title, aim, method, start, contact in PROJECTS:
        DevelopmentProject.objects.create(municipality=munis[owner], title=title, aim=aim,
                                          method=method, period_start=start,
                                          contact_name=contact)
        created += 1
    return created


def _answer(p, item, area, exceptions, name) -> int:
    if item.kind == ItemKind.INDICATOR:
        choice = exceptions.get(item.number, Choice.YES)
        if name == "Køge" and item.number == KOEGE_SPLIT[0]:
            choice = KOEGE_SPLIT[1][area]
        Answer.objects.create(participant=p, item=item, area=area, choice=choice)
        return 1
    if item.kind == ItemKind.PLAN:
        section_choices = [exceptions.get(i.number, Choice.YES)
                           for i in item.section.items.filter(kind=ItemKind.INDICATOR)]
        if all(c == Choice.YES for c in section_choices) and not (
                name == "Køge" and item.section.number == "7"):
            return 0
        Answer.objects.create(participant=p, item=item, area=area,
                              text="Vi beskriver en plan i løbet af næste halvår.")
        return 1
    if item.kind in (ItemKind.TEXT, ItemKind.EXAMPLES):
        Answer.objects.create(participant=p, item=item, area=area,
                              text=f"{name}: et kort eksempel fra praksis.")
        return 1
    if item.kind == ItemKind.TICKLIST:
        return 0
    return 0


def delete_quality(municipalities):
    rounds = Round.objects.filter(name=ROUND_NAME)
    for r in rounds:
        r.participants.all().delete()
    rounds.delete()
    StaffCompetence.objects.filter(municipality__in=municipalities).delete()
    DevelopmentProject.objects.filter(municipality__in=municipalities).delete()
