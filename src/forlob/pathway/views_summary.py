"""The citizen's summary of their own course (issue 4 item 11): a printable page in plain
Danish with the goals of the current treatment plan, the next dates, who to contact, and the
citizen's rights (retningslinje 3.1 and 3.5.8).

It comes from the same data as the case page: goals from the current TreatmentPlan, dates from
`pathway.services.course_clocks` and `treatment.worklist.due_items` (never computed here), the
complaint route per track from `rules.complaint_route`, free choice and the guarantee from the
rules. The course goes through the scoping layer (out of scope: 404). Every showing is audited:
the page as VIEW; the print version (?udskriv=1) and the PDF as EXPORT "udskrift til borgeren".

Routes: pathway/urls.py includes this module's `urlpatterns` under <course_id>/sammenfatning/.
"""

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.shortcuts import render
from django.template import Template
from django.template.loader import render_to_string
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from forlob import clock
from forlob.audit.recorder import Action, record
from forlob.treatment.models import Discharge
from forlob.treatment.services import current_plan
from forlob.treatment.worklist import due_items

from . import rules, services
from .choices import TRACK_CHOICES
from .letters import sender_name
from .views_steps import load_course
from .views_timeline import ClockRow

TEMPLATE = "pathway/summary.html"
PRINT_CSS = "forlob/print.css"
PRINT_PURPOSE = "udskrift til borgeren"
VIEW_PURPOSE = "sammenfatning til borgeren"

#: The next dates in the citizen's words, by clock name (rules.clocks, treatment.clocks).
PLAIN_LABELS = {
    "assessment": _("Vi afdækker din situation sammen med dig senest"),
    "decision": _("Du får svar på din anmodning (en afgørelse) senest"),
    "doctor": _("Din samtale med en læge holdes senest"),
    "guarantee": _("Din behandling begynder senest"),
    "screening": _("Screening eller udredning begynder senest"),
    "plan": _("Vi lægger din behandlingsplan sammen med dig senest"),
    "review": _("Vi følger op på din behandlingsplan sammen med dig senest"),
    "follow_up_1": _("Vi kontakter dig cirka en måned efter udskrivningen, senest"),
    "follow_up_2": _("Vi kontakter dig cirka seks måneder efter udskrivningen, senest"),
    "relapse": _("Vi følger op på din behandlingsplan sammen med dig senest"),
    "outreach": _("Vi kontakter dig, fordi du ikke kom til din aftale, senest"),
    "new_decision": _("Kommunen ser på din sag igen og giver dig svar senest"),
    "coordinating": _("Mødet om din koordinerende indsatsplan holdes senest"),
    "supervision": _("Din sagsbehandler følger op på dit ophold senest"),
    "follow_on_offer": _("Du får tilbud om videre behandling senest"),
}
#: Items left out of the citizen's summary: the staff's own tasks (e.g. contacting outreach
#: services) have no plain label above and are not shown.

#: A bare page for the PDF: the summary template extends it instead of the site's base.html.
PDF_BASE = Template(
    '<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>{% block title %}'
    '{% endblock %}</title></head><body>{% block content %}{% endblock %}</body></html>')


def next_dates(course, today):
    """Open deadlines of the course, earliest first, as (plain label, row)."""
    rows = [ClockRow(c) for c in services.course_clocks(course, today)]
    rows = [r for r in rows if r.is_open] + list(due_items(course, today))
    rows.sort(key=lambda r: r.clock.due)
    return [(PLAIN_LABELS[r.clock.name], r) for r in rows if r.clock.name in PLAIN_LABELS]


def rights(course, facts):
    """Per track of the course: complaint route, free choice and whether the guarantee applies."""
    out = []
    for track in sorted(facts.tracks):
        out.append({
            "track": track,
            "name": dict(TRACK_CHOICES).get(track.value, track.value),
            "basis": rules.legal_basis(track),
            "route": rules.complaint_route(track),
            "free_choice": rules.free_choice_allowed(track),
            "guarantee": rules.guarantee_applies(track, facts.free_choice,
                                                 facts.youth_guarantee, facts.is_youth),
        })
    return out


def summary_context(course, today):
    citizen = course.citizen
    plan = current_plan(course)
    facts = services.course_facts(course)
    start = getattr(course, "start", None)
    # This course's provider only: the citizen's referrals elsewhere are not every reader's to
    # see (a clinician sees only referrals to their own provider).
    providers = set()
    if start is not None:
        providers.add(start.provider)
    else:
        decision = course.decisions.exclude(provider=None).order_by("-decided_on", "-pk").first()
        if decision is not None:
            providers.add(decision.provider)
    per_track = rights(course, facts)
    return {
        "course": course,
        "citizen": citizen,
        "today": today,
        "plan": plan,
        "goals": list(plan.goals.all()) if plan else [],
        "dates": next_dates(course, today),
        "caseworker": course.caseworker,
        "municipality": sender_name(course.acting_municipality),
        "providers": sorted(providers, key=lambda p: p.name),
        "tracks": per_track,
        "free_choice": any(t["free_choice"] for t in per_track),
        "guarantee": any(t["guarantee"] for t in per_track),
        "guarantee_days": facts.guarantee_days,
        "discharge": Discharge.objects.filter(course=course).first(),
    }


@login_required
@require_safe
def summary(request, course_id):
    course = load_course(request, course_id)
    printing = request.GET.get("udskriv") == "1"
    if printing:
        record(request, Action.EXPORT, citizen=course.citizen, obj=course, purpose=PRINT_PURPOSE)
    else:
        record(request, Action.VIEW, citizen=course.citizen, obj=course, purpose=VIEW_PURPOSE)
    context = {**summary_context(course, clock.today()), "base": "base.html", "pdf": False,
               "printing": printing}
    response = render(request, TEMPLATE, context)
    response["Cache-Control"] = "no-store"
    return response


def render_pdf(course, today) -> bytes:
    """The summary as PDF, always in Danish; every URL refused, like the decision letter."""
    import weasyprint  # imported here: the app runs (without PDFs) even if Pango is missing

    with translation.override("da"):
        html = render_to_string(TEMPLATE, {**summary_context(course, today), "base": PDF_BASE,
                                           "pdf": True})
    with open(finders.find(PRINT_CSS), encoding="utf-8") as f:
        css = f.read()
    css += '\n@page { size: A4; margin: 20mm; }\nhtml { font-family: "DejaVu Sans", sans-serif;' \
           ' font-size: 10.5pt; line-height: 1.45; }\n'
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=())
    document = weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=css, url_fetcher=fetcher)])


@login_required
@require_safe
def summary_pdf(request, course_id):
    course = load_course(request, course_id)
    pdf = render_pdf(course, clock.today())
    record(request, Action.EXPORT, citizen=course.citizen, obj=course, purpose=PRINT_PURPOSE)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="sammenfatning-{course.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("", summary, name="summary"),
    path("pdf/", summary_pdf, name="summary_pdf"),
]
