"""Journal API v1 (issue 4 item 6): list, write and amend notes; a saved note is never changed
(PUT/PATCH/DELETE answer 405 with a Danish message and change nothing); anonymous § 101 a
courses refuse notes (400); 403 for readers who may not write; 404 out of scope; 409 stale."""

import json

import pytest

from forlob.audit.models import Action, AuditEvent
from forlob.journal.models import JournalNote

from .api_helpers import JSON, post, url
from .factories import make_user
from .factories_journal import anonymous_course, fresh, give_consent, note, started_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(world):
    return started_course(world)


def body(course, **overrides):
    return {"version": fresh(course).version, "note_type": "samtale",
            "written_on": "2026-06-12", "text": "Samtale om ugen.", **overrides}


def test_write_list_and_read_a_note(world, login, course):
    client = login(world.clinician)
    response = post(client, url("course-journal", course_id=course.pk), body(course))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["side"] == "provider" and data["organisation"] == "Misbrugscenter Øst"
    assert data["text"] == "Samtale om ugen." and data["amends"] is None
    assert data["course_version"] == fresh(course).version
    listed = client.get(url("course-journal", course_id=course.pk))
    assert listed.status_code == 200
    assert [n["id"] for n in listed.json()["notes"]] == [data["id"]]
    assert listed.json()["can_write"] is True
    one = client.get(url("course-journal-note", course_id=course.pk, journalnote_id=data["id"]))
    assert one.status_code == 200 and one.json()["text"] == "Samtale om ugen."
    views = AuditEvent.objects.filter(action=Action.VIEW, user_id=world.clinician.pk,
                                      citizen_id=world.citizen.pk, channel="api")
    assert views.count() == 2
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(data["id"]),
                                     object_type="journal.JournalNote").exists()


def test_amend_through_the_api(world, login, course):
    original = note(world.caseworker, course, text="Forkert")
    client = login(world.caseworker)
    path = url("course-journal-note-amend", course_id=course.pk, journalnote_id=original.pk)
    response = post(client, path, body(course, text="Rettet"))
    assert response.status_code == 201
    assert response.json()["amends"] == original.pk
    one = client.get(url("course-journal-note", course_id=course.pk,
                         journalnote_id=original.pk)).json()
    assert one["amended_by"] == [response.json()["id"]] and one["text"] == "Forkert"


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_editing_a_sent_note_is_refused_and_changes_nothing(world, login, course, method):
    original = note(world.caseworker, course, text="Original")
    client = login(world.caseworker)
    path = url("course-journal-note", course_id=course.pk, journalnote_id=original.pk)
    response = getattr(client, method)(path, json.dumps({"text": "Ændret"}), content_type=JSON)
    assert response.status_code == 405
    assert "kan ikke ændres eller slettes" in response.json()["detail"]
    assert JournalNote.objects.get().text == "Original"


@pytest.mark.parametrize("overrides, field", [
    ({"written_on": "2026-06-16"}, "written_on"),
    ({"written_on": "x"}, "written_on"),
    ({"text": ""}, "text"),
    ({"text": "   "}, "text"),
    ({"text": "x" * 20_001}, "text"),
    ({"note_type": "dagbog"}, "note_type"),
    ({"note_type": None}, "note_type"),
    ({"version": None}, "version"),
])
def test_bad_input_is_a_danish_400_with_nothing_saved(world, login, course, overrides, field):
    client = login(world.caseworker)
    response = post(client, url("course-journal", course_id=course.pk), body(course, **overrides))
    assert response.status_code == 400 and field in response.json()
    assert not JournalNote.objects.exists()


def test_bad_amend_is_refused(world, login, course):
    original = note(world.clinician, course)
    client = login(world.caseworker)
    give_consent(world, course)
    path = url("course-journal-note-amend", course_id=course.pk, journalnote_id=original.pk)
    response = post(client, path, body(course))
    assert response.status_code == 400 and "amends" in response.json()
    assert JournalNote.objects.count() == 1


def test_stale_version_is_409(world, login, course):
    client = login(world.caseworker)
    stale = body(course)
    note(world.caseworker, course)
    response = post(client, url("course-journal", course_id=course.pk), stale)
    assert response.status_code == 409 and response.json()["detail"]
    assert JournalNote.objects.count() == 1


def test_anonymous_101a_course_refuses_notes(world, login):
    anon = anonymous_course(world)
    for user in (world.caseworker, world.clinician):
        client = login(user)
        response = post(client, url("course-journal", course_id=anon.pk), body(anon))
        assert response.status_code == 400
        assert "101 a" in " ".join(response.json()["non_field_errors"])
        listed = client.get(url("course-journal", course_id=anon.pk)).json()
        assert listed["notes"] == [] and listed["can_write"] is False
    assert not JournalNote.objects.exists()


METHODS = ("get", "post", "put", "patch", "delete")
#: The methods each journal route allows; any other method is 405 for a user in scope.
ROUTES = {"course-journal": {"get", "post"}, "course-journal-note": {"get"},
          "course-journal-note-amend": {"post"}}


def _journal_paths(course, original):
    return {"course-journal": url("course-journal", course_id=course.pk),
            "course-journal-note": url("course-journal-note", course_id=course.pk,
                                       journalnote_id=original.pk),
            "course-journal-note-amend": url("course-journal-note-amend", course_id=course.pk,
                                             journalnote_id=original.pk)}


def test_methods_a_route_does_not_allow_are_405_in_scope(world, login, course):
    original = note(world.caseworker, course, text="Original")
    client = login(world.caseworker)
    for name, path in _journal_paths(course, original).items():
        for method in sorted(set(METHODS) - ROUTES[name]):
            response = client.generic(method.upper(), path, json.dumps(body(course)),
                                      content_type=JSON)
            assert response.status_code == 405, (name, method)
    assert JournalNote.objects.get().text == "Original"


@pytest.mark.parametrize("who", ["leader", "coordinator", "other_caseworker", "other_clinician"])
def test_out_of_scope_is_404(world, login, course, who):
    """Out of scope, every route answers 404 - also for the methods it does not allow, as the
    course is looked up (and not found) before the method is: a 405 would tell the course
    exists."""
    user = {"other_caseworker": lambda: make_user("caseworker", world.muni3, "faxe"),
            "other_clinician": lambda: make_user("clinician", world.provider2, "privat")}.get(
        who, lambda: getattr(world, who))()
    original = note(world.caseworker, course, text="Original")
    client = login(user)
    for name, path in _journal_paths(course, original).items():
        for method in METHODS:
            response = client.generic(method.upper(), path, json.dumps(body(course)),
                                      content_type=JSON)
            assert response.status_code == 404, (name, method)
    assert JournalNote.objects.get().text == "Original"


def test_reader_in_scope_who_may_not_write_is_403(world, login, course):
    """A clinician of the provider the citizen is referred to, but not the provider that
    started the treatment, sees the course but may not write on it."""
    from .factories import ReferralFactory

    other = make_user("clinician", world.provider2, "privat")
    ReferralFactory(citizen=world.citizen, provider=world.provider2)
    client = login(other)
    assert client.get(url("course-journal", course_id=course.pk)).status_code == 200
    response = post(client, url("course-journal", course_id=course.pk), body(course))
    assert response.status_code == 403 and response.json()["detail"]
    assert not JournalNote.objects.exists()


def test_note_of_another_course_is_404(world, login, course):
    other = started_course(world)
    foreign = note(world.caseworker, other)
    client = login(world.caseworker)
    assert client.get(url("course-journal-note", course_id=course.pk,
                          journalnote_id=foreign.pk)).status_code == 404
    path = url("course-journal-note-amend", course_id=course.pk, journalnote_id=foreign.pk)
    before = JournalNote.objects.count()
    assert post(client, path, body(course)).status_code == 404
    assert JournalNote.objects.count() == before
    assert not JournalNote.objects.filter(amends=foreign).exists()
