"""Every participant's outcome on every indicator of a round (issue 6 item 3), in three queries
whatever the round's size. Reports, the coordinator's overview, comparisons and exports read
outcomes only from here; the rules are rules.py's."""

from collections import defaultdict

from .models import Answer, Item, ItemKind, Participant, Resolution
from .rules import Outcome, outcome


def indicators(framework):
    """The answerable indicators of a framework, in order (greyed recommendations excluded)."""
    return list(Item.objects.filter(section__framework=framework, kind=ItemKind.INDICATOR,
                                    section__greyed=False).select_related("section"))


def round_outcomes(rnd, participants=None) -> dict[tuple[int, int], Outcome]:
    """{(participant id, item id): Outcome} for the round's participants (or the given ones)."""
    participants = list(participants if participants is not None
                        else Participant.objects.filter(round=rnd))
    items = indicators(rnd.framework)
    ids = [p.pk for p in participants]
    answers = defaultdict(dict)
    for row in Answer.objects.filter(participant_id__in=ids, item__in=items).values(
            "participant_id", "item_id", "area", "choice"):
        answers[(row["participant_id"], row["item_id"])][row["area"]] = row["choice"]
    resolutions = {(r.participant_id, r.item_id): r
                   for r in Resolution.objects.filter(participant_id__in=ids)}
    result = {}
    for p in participants:
        for item in items:
            given = answers.get((p.pk, item.pk), {})
            choices = {area: given.get(area, "") for area in p.answer_areas()}
            r = resolutions.get((p.pk, item.pk))
            result[(p.pk, item.pk)] = outcome(
                choices,
                delvis_to=r.delvis_to if r else "", override=r.category_override if r else "",
                delvis_reason=r.delvis_reason if r else "",
                override_reason=r.override_reason if r else "")
    return result
