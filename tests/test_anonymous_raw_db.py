"""Acceptance (issue 4): "A test reads the raw database and finds no CPR and no journal note on
any § 101 a course."

Named and anonymous courses are made through the API, as a client would; a journal note is
tried on the anonymous § 101 a course (refused) and written on the named one. Then the RAW
database is read with SQL only (no ORM models): for every course whose citizen is anonymous or
that has the § 101 a track, the citizen's CPR columns are NULL and no journal row refers to the
course; and no column of any table holds the CPR numbers used here in clear - not even the
named citizen's, which is stored encrypted. Runs on SQLite and PostgreSQL.
"""

import pytest
from django.db import connection

from forlob.citizens.rules import parse_cpr

from .api_helpers import named_payload, post, url
from .factories import next_cpr

pytestmark = pytest.mark.django_db

MARKER = "Notatmarkør-7Q3Z"


def course_body(citizen_id, tracks):
    return {"citizen": citizen_id, "received_on": "2026-06-01", "channel": "phone",
            "substances": "drugs", "asks": "treatment", "tracks": tracks}


def start_body(version, provider):
    return {"version": version, "started_on": "2026-06-10", "enrolled_on": "2026-06-10",
            "provider": provider.pk}


def note_body(version, text):
    return {"version": version, "note_type": "samtale", "written_on": "2026-06-12",
            "text": text}


@pytest.fixture
def made(world, login):
    """Through the API: a named citizen with a § 101 course, an anonymous person with a
    § 101 a course (both started), a refused attempt to give the anonymous person a CPR, a
    refused journal note on the § 101 a course and a written one on the named course."""
    cw = login(world.caseworker)
    named_cpr, anon_cpr = next_cpr(), next_cpr()
    named = post(cw, url("citizen-list"), named_payload(world, cpr=named_cpr)).json()
    refused = post(cw, url("citizen-list"), {
        "is_anonymous": True, "pseudonym": "Ræven", "birth_year": 1995,
        "acting_municipality": "269", "cpr": anon_cpr})
    assert refused.status_code == 400
    anon = post(cw, url("citizen-list"), {
        "is_anonymous": True, "pseudonym": "Ræven", "birth_year": 1995,
        "acting_municipality": "269"}).json()

    courses = {}
    for key, citizen, tracks in (("named", named, ["sel101"]), ("anon", anon, ["sel101a"])):
        response = post(cw, url("course-list"), course_body(citizen["id"], tracks))
        assert response.status_code == 201, response.content
        courses[key] = response.json()["id"]
    # § 101 a starts without a decision; the named § 101 course gets its note before start.
    anon_course = cw.get(url("course-detail", course_id=courses["anon"])).json()
    started = post(cw, url("course-start", course_id=courses["anon"]),
                   start_body(anon_course["version"], world.provider))
    assert started.status_code == 201, started.content

    for user in (world.caseworker, world.clinician):
        client = login(user)
        version = client.get(url("course-detail", course_id=courses["anon"])).json()["version"]
        response = post(client, url("course-journal", course_id=courses["anon"]),
                        note_body(version, f"{MARKER} {anon_cpr} {named_cpr}"))
        assert response.status_code == 400, response.content
    cw = login(world.caseworker)
    version = cw.get(url("course-detail", course_id=courses["named"])).json()["version"]
    written = post(cw, url("course-journal", course_id=courses["named"]),
                   note_body(version, f"{MARKER} samtale med borgeren"))
    assert written.status_code == 201, written.content
    return {"cprs": [named_cpr, anon_cpr], "courses": courses}


def rows(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def anonymous_101a_courses():
    """Course ids whose citizen is anonymous or that have the § 101 a track - raw SQL."""
    return {r[0] for r in rows(
        "SELECT co.id FROM pathway_course co JOIN citizens_citizen ci ON ci.id = co.citizen_id "
        "WHERE ci.is_anonymous = %s OR EXISTS (SELECT 1 FROM pathway_coursetrack t "
        "WHERE t.course_id = co.id AND t.track = %s)", [True, "sel101a"])}


def columns_holding(needle):
    """(table, column) pairs anywhere in the database whose value contains `needle`."""
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            for column in connection.introspection.get_table_description(cursor, table):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} "  # noqa: S608 - names from introspection
                    f"WHERE CAST({quote(column.name)} AS TEXT) LIKE %s",
                    [f"%{needle}%"])
                if cursor.fetchone()[0]:
                    found.append((table, column.name))
    return found


def test_no_cpr_and_no_journal_note_on_any_101a_course(made):
    courses = anonymous_101a_courses()
    assert made["courses"]["anon"] in courses and made["courses"]["named"] not in courses
    marks = ", ".join(["%s"] * len(courses))
    ids = sorted(courses)
    assert rows(f"SELECT ci.id FROM citizens_citizen ci JOIN pathway_course co "  # noqa: S608
                f"ON co.citizen_id = ci.id WHERE co.id IN ({marks}) AND (ci.cpr_encrypted "
                f"IS NOT NULL OR ci.cpr_index IS NOT NULL)", ids) == []
    assert rows(f"SELECT COUNT(*) FROM journal_journalnote "  # noqa: S608
                f"WHERE course_id IN ({marks})", ids) == [(0,)]
    # Not vacuous: the named course's note is there, and the scan finds its text.
    assert rows("SELECT COUNT(*) FROM journal_journalnote WHERE course_id = %s",
                [made["courses"]["named"]]) == [(1,)]
    assert ("journal_journalnote", "text") in columns_holding(MARKER)


def test_no_cpr_in_clear_anywhere_in_the_database(made):
    for cpr in made["cprs"]:
        birth_and_serial = f"{cpr[:6]}-{cpr[6:]}"
        assert parse_cpr(cpr).number == cpr
        assert columns_holding(cpr) == [], cpr
        assert columns_holding(birth_and_serial) == [], birth_and_serial
