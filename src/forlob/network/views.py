"""The network steps of the case page (issue 4 items 3 and 4): each posts to its own URL under
/forloeb/<course_id>/netvaerk/. Like treatment.views: without JavaScript the browser is sent
back to the case page; with htmx an invalid form swaps its own section and a saved one the
case body. Out of scope: 404; not allowed to write: 404."""

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from forlob import clock
from forlob.pathway.views_steps import (
    saved_response,
    section_step,
)

from . import rules, services
from .forms import (
    ConsentForm,
    DisclosureForm,
    GuardianEndForm,
    GuardianForm,
    MemberForm,
    WithdrawForm,
    active_guardians,
    withdrawable,
)

STEPS = {
    "member": MemberForm,
    "guardian": GuardianForm,
    "guardian_end": GuardianEndForm,
    "consent": ConsentForm,
    "withdraw": WithdrawForm,
    "disclosure": DisclosureForm,
}
TEMPLATE = "pathway/steps/_fields.html"
STATUS = {
    rules.ConsentStatus.IN_FORCE: (gettext_lazy("I kraft"), "badge-success"),
    rules.ConsentStatus.EXPIRED: (gettext_lazy("Udløbet"), "badge-warning"),
    rules.ConsentStatus.WITHDRAWN: (gettext_lazy("Trukket tilbage"), "badge-error"),
    rules.ConsentStatus.NOT_YET: (gettext_lazy("Endnu ikke gældende"), "badge-info"),
}


def visible_steps(user, course):
    """Which steps apply now: consents always; network persons, guardian and disclosures not on
    an anonymous course; ending a guardianship while one is active; withdrawing while a consent
    can be withdrawn."""
    if not services.can_write(user, course):
        return []
    named = not course.citizen.is_anonymous
    shown = []
    if named:
        shown += ["member", "guardian"]
        if active_guardians(course):
            shown.append("guardian_end")
    shown.append("consent")
    if withdrawable(course):
        shown.append("withdraw")
    if named:
        shown.append("disclosure")
    return shown


def step_context(key, course, form, is_open=False):
    return {
        "key": key, "slug": form.slug, "title": form.title, "help": getattr(form, "help", ""),
        "submit": form.submit, "form": form,
        "url": reverse(f"network:{key}", args=[course.pk]),
        "template": TEMPLATE, "open": is_open,
    }


def consent_rows(course, today):
    """Each consent with its status from the rules (rules.consent_status)."""
    rows = []
    for consent in course.consents.order_by("-given_on", "-pk"):
        status = rules.consent_status(consent.given_on, consent.valid_until,
                                      consent.withdrawn_on, today)
        label, badge = STATUS[status]
        rows.append({"consent": consent, "status": status.value, "status_label": label,
                     "badge": badge})
    return rows


def section_context(user, course, bound_key=None, bound_form=None):
    today = clock.today()
    steps = []
    for key in visible_steps(user, course):
        if key == bound_key:
            steps.append(step_context(key, course, bound_form, is_open=True))
        else:
            steps.append(step_context(key, course, STEPS[key](course=course)))
    guardians = [(g, rules.guardian_active(g.from_on, g.ended_on, today))
                 for g in course.guardians.order_by("-from_on", "-pk")]
    return {
        "course": course,
        "members": course.network_members.order_by("pk"),
        "guardians": guardians,
        "consents": consent_rows(course, today),
        "disclosures": course.disclosures.select_related("recorded_by").order_by(
            "-disclosed_on", "-pk"),
        "steps": steps,
    }


@login_required
@require_POST
def step(request, course_id, key):
    return section_step(request, course_id, key, steps=STEPS, visible=visible_steps,
                        bound="network_bound", saved=_saved, step_for=step_context)


def _saved(request, course, form):
    texts = [_("%(step)s er gemt.") % {"step": form.title}]
    if form.reopened:
        texts.append(_("%(n)s afslået opfølgning er genåbnet ved det nye samtykke.")
                     % {"n": len(form.reopened)})
    return saved_response(request, course, texts)
