"""The journal section of the case page (issue 4 item 6).

Writing a note posts to /forloeb/<course_id>/journal/notat/; correcting one is
/forloeb/<course_id>/journal/<journalnote_id>/ret/ (GET: the form - with htmx as a fragment
under the note, without it as a page with the original note; POST: the amending note). Like
treatment.views: without JavaScript the browser is sent back to the case page; with htmx an
invalid form swaps its own section and a saved one the case body. Out of scope, a note the user
may not see, or a user who may not write here: 404.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from forlob.access import get_scoped_or_404
from forlob.audit.recorder import Action, record
from forlob.pathway.views_steps import (
    apply_form,
    case_context,
    load_course,
    render_invalid,
    saved_response,
)

from . import services
from .forms import AmendForm, NoteForm

STEP_TEMPLATE = "journal/_note_fields.html"


def step_context(key, course, form, is_open=False):
    url = (reverse("journal:note", args=[course.pk]) if key == "note"
           else reverse("journal:amend", args=[course.pk, form.original.pk]))
    return {
        "key": key, "slug": form.slug, "title": form.title, "help": form.help,
        "submit": form.submit, "form": form, "url": url, "template": STEP_TEMPLATE,
        "open": is_open,
    }


def grouped(notes):
    """Notes newest first, each original followed by the notes that correct it (oldest
    first), so a correction is always read together with what it corrects."""
    by_pk = {n.pk: n for n in notes}
    children = {}
    for n in notes:
        if n.amends_id in by_pk:
            children.setdefault(n.amends_id, []).append(n)
    rows = []

    def add(note, depth):
        corrections = sorted(children.get(note.pk, []), key=lambda c: (c.recorded_at, c.pk))
        rows.append({"note": note, "depth": depth, "amended": bool(corrections)})
        for c in corrections:
            add(c, depth + 1)

    for n in notes:
        if n.amends_id not in by_pk:
            add(n, 0)
    return rows


def section_context(user, course, bound_form=None):
    """What the journal section shows: the notes the user may see, and the form to write one
    (never on an anonymous § 101 a course)."""
    anonymous = services.on_anonymous_course(course)
    writable = services.may_write(user, course)
    rows = grouped(list(services.notes(user, course)))
    for row in rows:
        row["can_amend"] = services.may_amend(user, course, row["note"])
    step = None
    if writable:
        form = bound_form or NoteForm(course=course)
        step = step_context("note", course, form, is_open=bound_form is not None)
    return {"course": course, "rows": rows, "step": step, "anonymous": anonymous}


def _writable_course(request, course_id):
    course = load_course(request, course_id)
    if not services.may_write(request.user, course):
        raise Http404
    return course


def _original(request, course, journalnote_id):
    """A note the user may see and correct: their own side's (404 otherwise)."""
    original = get_scoped_or_404(request.user, services.notes(request.user, course),
                                 pk=journalnote_id)
    if original.side != services.writer_side(request.user, course)[0]:
        raise Http404
    return original


@login_required
@require_POST
def note(request, course_id):
    course = _writable_course(request, course_id)
    form = NoteForm(request.POST, course=course)
    if apply_form(request, course, form):
        return _saved(request, course, _("Journalnotatet er gemt."))

    def context_for(course):
        context = case_context(request, course)
        context["journal_bound"] = form
        return context

    return render_invalid(request, course_id, "note", form, context_for, step_for=step_context)


@login_required
@require_http_methods(["GET", "POST"])
def amend(request, course_id, journalnote_id):
    course = _writable_course(request, course_id)
    original = _original(request, course, journalnote_id)
    if request.method == "POST":
        form = AmendForm(request.POST, course=course, original=original)
        if apply_form(request, course, form):
            return _saved(request, course, _("Rettelsen af journalnotatet er gemt."))
        status = 200 if request.htmx else 400
    else:
        form = AmendForm(course=course, original=original)
        status = 200
    record(request, Action.VIEW, citizen=course.citizen, obj=original,
           purpose=_("ret journalnotat"))
    step = step_context("amend", course, form, is_open=True)
    if request.htmx:
        return render(request, "pathway/_step.html", {"step": step}, status=status)
    return render(request, "journal/amend.html",
                  {"course": course, "citizen": course.citizen, "original": original,
                   "step": step}, status=status)


def _saved(request, course, text):
    return saved_response(request, course, [text], anchor="#journal")
