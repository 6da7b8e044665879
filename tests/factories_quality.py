"""Factories for the quality self-assessment (issue 6).

`mini_kl()` builds a small framework shaped like KL's 12 recommendations (1, 3 greyed, 5 with
5.1/5.2 and a plan, 9 with a tick-list), so tests don't depend on the data migration. Tests that
need the real frameworks use the loaded rows (`Framework.objects.get(code="kl-12")`).
"""

import datetime as dt

from forlob.quality.models import (
    Answer,
    Framework,
    Item,
    ItemKind,
    Participant,
    Round,
    Section,
)


def mini_kl(version="test"):
    fw = Framework.objects.create(code="kl-mini", version=version, name="KL mini")
    rows = [
        ("1", "Familieorienteret behandling", False, [
            ("1.1", ItemKind.INDICATOR, "Familieperspektivet inddrages.", True, 5, []),
            ("1.2", ItemKind.INDICATOR, "Familie inddrages, når det er relevant.", True, 5, []),
            ("1.4", ItemKind.PLAN, "Plan for løsning", False, 5, []),
        ]),
        ("3", "Nationale retningslinjer", True, []),
        ("5", "Systematisk opfølgning", False, [
            ("5.1", ItemKind.INDICATOR, "Der følges løbende op.", True, None, []),
            ("5.2", ItemKind.INDICATOR, "Der følges op efter endt behandling.", True, None, []),
            ("5.3", ItemKind.PLAN, "Plan for løsning", False, 5, []),
        ]),
        ("9", "Medicinsk og psykosocial behandling", False, [
            ("9.1", ItemKind.INDICATOR, "Tilbud om både medicinsk og psykosocial.", True, None,
             []),
            ("9.2", ItemKind.TEXT, "Hvordan sikres samspil?", False, 5, []),
            ("9.3", ItemKind.TICKLIST, "Hvilken behandlingsform tilbydes?", False, None,
             ["Medicinsk", "Psykosocial"]),
            ("9.4", ItemKind.PLAN, "Plan for løsning", False, 5, []),
        ]),
    ]
    for order, (number, title, greyed, items) in enumerate(rows):
        section = Section.objects.create(framework=fw, number=number, title=title,
                                         greyed=greyed, order=order)
        for i, (inum, kind, text, mandatory, max_lines, options) in enumerate(items):
            Item.objects.create(section=section, number=inum, kind=kind, text=text,
                                mandatory=mandatory, max_lines=max_lines, options=options,
                                order=i)
    return fw


def item(fw, number):
    return Item.objects.get(section__framework=fw, number=number)


def make_round(fw, *, cluster=None, region=None, municipalities=(), name="Runde 2026",
               period=(dt.date(2026, 1, 1), dt.date(2026, 5, 31)),
               deadline=dt.date(2026, 7, 1), user=None):
    rnd = Round.objects.create(framework=fw, name=name, period_start=period[0],
                               period_end=period[1], deadline=deadline, cluster=cluster,
                               region=region, opened_by=user)
    for m in municipalities:
        Participant.objects.create(round=rnd, municipality=m)
    return rnd


def answer(participant, fw, number, choice="", text="", area="", ticks=()):
    return Answer.objects.update_or_create(
        participant=participant, item=item(fw, number), area=area,
        defaults={"choice": choice, "text": text, "ticks": list(ticks)})[0]
