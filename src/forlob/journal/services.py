"""Writing journal notes (issue 4 item 6): one transactional, audited function per step, like
treatment.services. Who may write is `treatment.services.can_write` (caseworkers of the acting
municipality; clinicians of the provider the citizen is referred to). A note is never changed:
`amend_note` writes a new note that corrects an earlier one. Messages are Danish.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from forlob import clock
from forlob.access import scope_for, scoped
from forlob.audit.recorder import Action, record
from forlob.treatment.services import _versioned, can_write

from . import rules
from .models import ANONYMOUS_MESSAGE, TEXT_MAX, JournalNote, NoteType, Side, on_anonymous_course


def may_write(user, course) -> bool:
    """Whether `user` may write notes on `course` now (never on an anonymous § 101 a course)."""
    return can_write(user, course) and not on_anonymous_course(course)


def writer_side(user, course):
    """(side, municipality, provider) the user writes for on `course`, from their role now: a
    caseworker of the acting municipality writes for the municipality, a clinician for the
    provider the citizen is referred to at treatment start."""
    scope = scope_for(user)
    if course.acting_municipality_id in scope.caseworker_municipalities:
        return Side.MUNICIPALITY, course.acting_municipality, None
    return Side.PROVIDER, None, course.start.provider


def may_amend(user, course, note) -> bool:
    """Whether `user` may correct `note`: only the side that wrote it corrects it (issue 4
    item 6: corrections by an amending note), and only where they may write."""
    return may_write(user, course) and note.side == writer_side(user, course)[0]


def notes(user, course):
    """The notes of `course` that `user` may see (scoping: sides and consent)."""
    return scoped(user, JournalNote).filter(course=course).select_related(
        "municipality", "provider", "amends").prefetch_related("amendments")


def _check(course, note):
    if on_anonymous_course(course):
        raise ValidationError(ANONYMOUS_MESSAGE)
    errors = {}
    if note.note_type not in NoteType.values:
        errors["note_type"] = _("Vælg en af de viste notattyper.")
    problem = rules.written_on_problem(note.written_on, clock.today())
    if problem == "missing":
        errors["written_on"] = _("Skriv en dato.")
    elif problem == "future":
        errors["written_on"] = _("Datoen ligger i fremtiden. Et notat skrives om noget, der er "
                                 "sket.")
    text = (note.text or "").strip()
    if not text:
        errors["text"] = _("Skriv notatet.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Notatet må højst være %(max)s tegn.") % {"max": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    note.text = text


def _store(request, course, note):
    user = request.user
    note.course = course
    note.side, note.municipality, note.provider = writer_side(user, course)
    note.author = user
    note.author_name = (user.get_full_name() or user.get_username())[:300]
    note.full_clean(exclude=["author"])
    note.save()
    record(request, Action.CREATE, citizen=course.citizen, obj=note)
    return note


def write_note(request, course, note: JournalNote) -> JournalNote:
    """A new journal note on `course`."""
    if not can_write(request.user, course):
        raise PermissionDenied
    note.amends = None
    _check(course, note)
    with _versioned(request, course):
        return _store(request, course, note)


def amend_note(request, course, original: JournalNote, note: JournalNote) -> JournalNote:
    """A note that corrects `original`; the original stays as it was, shown as amended. Only
    the side that wrote a note corrects it."""
    if not can_write(request.user, course):
        raise PermissionDenied
    _check(course, note)
    if original.course_id != course.pk:
        raise ValidationError({"amends": _("Notatet hører til et andet forløb.")})
    side, _municipality, _provider = writer_side(request.user, course)
    if original.side != side:
        raise ValidationError({"amends": _(
            "Kun den side, der skrev notatet, kan rette det (%(side)s).")
            % {"side": original.get_side_display()}})
    note.amends = original
    with _versioned(request, course):
        return _store(request, course, note)
