"""Access grants of the journal context.

A journal note follows its course (treatment.course_scoping: caseworkers of the acting
municipality; clinicians while the citizen is actively referred to their provider), and on top
of that, between the sides: a note is always visible to the side it was written for; the other
side sees it only while the citizen's consent to share between provider and municipality is in
force (issue 4 item 4: "A party whose consent has gone loses access"). A note out of consent is
simply not returned, so direct access answers 404.
"""

from django.db.models import Q

from forlob.access import register
from forlob.network.consents import in_force_q
from forlob.network.models import Consent, Party
from forlob.treatment.course_scoping import course_grants

from .models import JournalNote, Side

_course_caseworker, _course_clinician = course_grants("course")


def shared_on(today) -> Q:
    """Notes on courses with a provider-municipality consent in force today."""
    consents = Consent.objects.filter(in_force_q(today), party=Party.PROVIDER_MUNICIPALITY)
    return Q(course_id__in=consents.values("course_id"))


@register(JournalNote)
def caseworker(scope, today):
    base = _course_caseworker(scope, today)
    if base is None:
        return None
    return base & (Q(side=Side.MUNICIPALITY) | shared_on(today))


@register(JournalNote)
def clinician(scope, today):
    base = _course_clinician(scope, today)
    if base is None:
        return None
    return base & (Q(side=Side.PROVIDER) | shared_on(today))
