"""Journal services and model (issue 4 item 6): writing and amending notes, the writer's side,
bad input refused with nothing saved, a saved note never changed (model, queryset, database),
no notes on anonymous § 101 a courses, and the rules."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from forlob import clock
from forlob.audit.models import Action, AuditEvent
from forlob.journal import rules, services
from forlob.journal.models import JournalNote, NoteLocked, NoteType, Side
from forlob.locking import StaleRecord
from forlob.pathway.models import CourseTrack

from .factories import make_user
from .factories_journal import D, anonymous_course, fresh, note, req, started_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return started_course(world)


# --- rules -------------------------------------------------------------------------------

@given(st.booleans(), st.lists(st.sampled_from(["sel101", "sel101a", "sul141", "sul142"])))
def test_journal_allowed_only_off_anonymous_101a(is_anonymous, tracks):
    assert rules.journal_allowed(is_anonymous, tracks) == (
        not is_anonymous and "sel101a" not in tracks)


@pytest.mark.parametrize(("day", "today", "problem"), [
    (dt.date(2026, 6, 15), dt.date(2026, 6, 15), None),       # today itself
    (dt.date(2026, 6, 14), dt.date(2026, 6, 15), None),       # yesterday
    (dt.date(2000, 1, 1), dt.date(2026, 6, 15), None),        # long ago
    (dt.date(2026, 6, 16), dt.date(2026, 6, 15), "future"),   # tomorrow
    (dt.date(2027, 1, 1), dt.date(2026, 12, 31), "future"),   # over a year end
    (None, dt.date(2026, 6, 15), "missing"),
])
def test_written_on_worked_examples(day, today, problem):
    assert rules.written_on_problem(day, today) == problem


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
       st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_written_on_never_in_the_future(day, today):
    problem = rules.written_on_problem(day, today)
    assert problem in (None, "future")
    assert rules.written_on_problem(today, today) is None  # today may always be recorded
    # a day that may be recorded stays recordable: later today, or an earlier day
    if problem is None:
        assert rules.written_on_problem(day, today + dt.timedelta(days=1)) is None
        assert rules.written_on_problem(day - dt.timedelta(days=1), today) is None
    else:
        # a refused day is refused for every earlier today, and so is every later day
        assert rules.written_on_problem(day, today - dt.timedelta(days=1)) == "future"
        assert rules.written_on_problem(day + dt.timedelta(days=1), today) == "future"
    # exactly the days after today are refused: tomorrow is, today is not
    assert rules.written_on_problem(today + dt.timedelta(days=1), today) == "future"
    assert rules.written_on_problem(None, today) == "missing"


# --- writing ------------------------------------------------------------------------------

def test_caseworker_writes_a_municipality_note_audited(world, course):
    before = course.version
    written = note(world.caseworker, course, text="  Telefon med borgeren.  ",
                   kind="telefonsamtale")
    stored = JournalNote.objects.get(pk=written.pk)
    assert stored.side == Side.MUNICIPALITY and stored.municipality == world.muni
    assert stored.provider is None and stored.author == world.caseworker
    assert stored.text == "Telefon med borgeren." and stored.note_type == NoteType.PHONE
    assert stored.author_name == (world.caseworker.get_full_name() or "sagsbehandler")
    assert stored.recorded_at is not None
    assert fresh(course).version == before + 1
    event = AuditEvent.objects.filter(action=Action.CREATE, object_type="journal.JournalNote",
                                      object_id=str(written.pk)).get()
    assert event.citizen_id == world.citizen.pk and event.user_id == world.caseworker.pk


def test_clinician_writes_a_provider_note(world, course):
    written = note(world.clinician, course, kind="medicinsk")
    assert written.side == Side.PROVIDER and written.provider == world.provider
    assert written.municipality is None


def test_side_comes_from_the_role_at_writing_time(world, course):
    """A user who is caseworker in one municipality and clinician at the provider writes for
    the municipality on its courses."""
    both = make_user("caseworker", world.muni, "begge")
    from forlob.accounts.models import Membership, Role

    Membership.objects.create(user=both, role=Role.CLINICIAN, provider=world.provider)
    assert note(both, course).side == Side.MUNICIPALITY


@pytest.mark.parametrize("user", ["leader", "coordinator", "admin"])
def test_readers_may_not_write(world, course, user):
    with pytest.raises(PermissionDenied):
        note(getattr(world, user), course)
    assert not JournalNote.objects.exists()


def test_clinician_of_another_provider_may_not_write(world, course):
    other = make_user("clinician", world.provider2, "anden")
    with pytest.raises(PermissionDenied):
        note(other, course)
    assert not JournalNote.objects.exists()


@pytest.mark.parametrize("kind, day, text, field", [
    ("samtale", D(2026, 6, 16), "x", "written_on"),  # tomorrow
    ("samtale", None, "x", "written_on"),
    ("samtale", D(2026, 6, 15), "   ", "text"),
    ("samtale", D(2026, 6, 15), "", "text"),
    ("dagbog", D(2026, 6, 15), "x", "note_type"),
    ("samtale", D(2026, 6, 15), "x" * 20_001, "text"),
])
def test_bad_input_is_refused_with_nothing_saved(world, course, kind, day, text, field):
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        note(world.caseworker, course, text=text, kind=kind, day=day)
    assert field in exc.value.message_dict
    assert all(isinstance(m, str) and m for m in exc.value.message_dict[field])
    assert not JournalNote.objects.exists()
    assert AuditEvent.objects.count() == events
    assert fresh(course).version == course.version


def test_stale_version_is_refused_with_nothing_saved(world, course):
    stale = fresh(course)
    note(world.caseworker, course)
    with pytest.raises(StaleRecord):
        services.write_note(req(world.caseworker), stale, JournalNote(
            note_type="samtale", written_on=D(2026, 6, 15), text="Senere"))
    assert JournalNote.objects.count() == 1


def test_today_is_allowed(world, course):
    assert note(world.caseworker, course, day=clock.today()).written_on == clock.today()


# --- amending -----------------------------------------------------------------------------

def test_amending_note_keeps_the_original(world, course):
    original = note(world.clinician, course, text="Borgeren var beruset.")
    fix = note(world.clinician, course, text="Rettelse: borgeren var ikke beruset.",
               amends=original)
    original.refresh_from_db()
    assert original.text == "Borgeren var beruset."
    assert fix.amends == original and list(original.amendments.all()) == [fix]
    assert fix.side == Side.PROVIDER


def test_only_the_writing_side_amends(world, course):
    original = note(world.clinician, course)
    with pytest.raises(ValidationError) as exc:
        note(world.caseworker, course, amends=original)
    assert "amends" in exc.value.message_dict
    assert JournalNote.objects.count() == 1


def test_amend_a_note_of_another_course_is_refused(world, course):
    other = started_course(world)
    original = note(world.caseworker, other)
    with pytest.raises(ValidationError):
        note(world.caseworker, course, amends=original)
    assert JournalNote.objects.count() == 1


def test_amend_bad_input_saves_nothing(world, course):
    original = note(world.caseworker, course)
    with pytest.raises(ValidationError):
        note(world.caseworker, course, text="", amends=original)
    assert JournalNote.objects.count() == 1


# --- never changed ------------------------------------------------------------------------

def test_a_saved_note_cannot_be_changed_or_deleted(world, course):
    written = note(world.caseworker, course, text="Original")
    written.text = "Ændret"
    with pytest.raises(NoteLocked):
        written.save()
    with pytest.raises(NoteLocked):
        written.save(update_fields=["text"])
    with pytest.raises(NoteLocked):
        written.delete()
    with pytest.raises(NoteLocked):
        JournalNote.objects.filter(pk=written.pk).update(text="Ændret")
    with pytest.raises(NoteLocked):
        JournalNote.objects.filter(pk=written.pk).delete()
    with pytest.raises(NoteLocked):
        JournalNote.objects.bulk_update([written], ["text"])
    assert JournalNote.objects.get(pk=written.pk).text == "Original"
    assert "ændres" in str(NoteLocked())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger on PostgreSQL")
def test_the_database_refuses_changes_too(world, course):
    from django.db.utils import DatabaseError

    written = note(world.caseworker, course, text="Original")
    for sql in ("UPDATE journal_journalnote SET text = 'x' WHERE id = %s",
                "DELETE FROM journal_journalnote WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [written.pk])
    assert JournalNote.objects.get(pk=written.pk).text == "Original"


# --- anonymous § 101 a --------------------------------------------------------------------

def test_no_note_on_an_anonymous_101a_course(world):
    anon = anonymous_course(world)
    assert services.can_write(world.clinician, anon) and not services.may_write(
        world.clinician, anon)
    for user in (world.caseworker, world.clinician):
        with pytest.raises(ValidationError) as exc:
            note(user, anon)
        assert "101 a" in " ".join(exc.value.messages)
    assert not JournalNote.objects.exists()


def test_the_model_refuses_a_note_on_a_101a_course(world):
    anon = anonymous_course(world)
    raw = JournalNote(course=anon, note_type="samtale", written_on=D(2026, 6, 12), text="x",
                      side=Side.MUNICIPALITY, municipality=world.muni, author=world.caseworker,
                      author_name="x")
    with pytest.raises(ValidationError):
        raw.full_clean()
    with pytest.raises(ValidationError):
        raw.save()
    assert not JournalNote.objects.exists()


def test_a_101a_track_alone_also_refuses(world, course):
    """Even a course of an identified citizen that somehow got the § 101 a track."""
    CourseTrack.objects.create(course=course, track="sel101a")
    with pytest.raises(ValidationError):
        note(world.caseworker, course)
    assert not JournalNote.objects.exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="database trigger on PostgreSQL")
def test_the_database_refuses_a_note_on_a_101a_course(world):
    from django.db.utils import DatabaseError

    anon = anonymous_course(world)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO journal_journalnote (course_id, note_type, written_on, text, side, "
            "municipality_id, author_id, author_name, recorded_at) VALUES "
            "(%s, 'samtale', '2026-06-12', 'x', 'municipality', %s, %s, 'x', now())",
            [anon.pk, world.muni.pk, world.caseworker.pk])
    assert not JournalNote.objects.exists()
