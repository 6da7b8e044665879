"""The journal section of the case page (issue 4 item 6): notes newest first with type, author,
side and date; writing and amending with and without htmx; bad input shown on the form with
nothing saved; no section form on anonymous § 101 a courses; 404 out of scope."""

import pytest
from django.urls import reverse

from forlob.audit.models import Action, AuditEvent
from forlob.journal.models import JournalNote

from .factories import make_user
from .factories_journal import D, anonymous_course, fresh, note, started_course

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
GOOD = {"note_type": "samtale", "written_on": "2026-06-12", "text": "Samtale om ugen."}


@pytest.fixture
def course(world):
    return started_course(world)


def case(client, course):
    return client.get(reverse("pathway:case", args=[course.pk]))


def post_note(client, course, data, htmx=False, prefix="journalnotat", path=None):
    body = {f"{prefix}-{k}": v for k, v in {"version": fresh(course).version, **data}.items()}
    path = path or reverse("journal:note", args=[course.pk])
    return client.post(path, body, **(HTMX if htmx else {}))


def test_case_page_shows_notes_newest_first_with_their_facts(world, login, course):
    note(world.caseworker, course, text="Ældste notat", day=D(2026, 6, 11))
    note(world.caseworker, course, text="Nyeste notat", kind="netvaerksmoede",
         day=D(2026, 6, 14))
    page = case(login(world.caseworker), course)
    text = page.content.decode()
    assert page.status_code == 200
    assert 'id="journal"' in text and 'id="trin-journalnotat"' in text
    assert text.index("Nyeste notat") < text.index("Ældste notat")
    assert "Netværksmøde, 14. juni 2026" in text
    assert "Kommune: Solrød" in text and "Ret notatet" in text


def test_caseworker_writes_a_note_without_javascript(world, login, course):
    client = login(world.caseworker)
    response = post_note(client, course, GOOD)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/forloeb/{course.pk}/#journal")
    saved = JournalNote.objects.get()
    assert saved.text == "Samtale om ugen." and saved.author == world.caseworker
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(saved.pk),
                                     object_type="journal.JournalNote").exists()
    assert "Samtale om ugen." in case(client, course).content.decode()


def test_clinician_writes_a_note_with_htmx(world, login, course):
    client = login(world.clinician)
    response = post_note(client, course, {**GOOD, "note_type": "medicinsk"}, htmx=True)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#case-body"
    text = response.content.decode()
    assert "Journalnotatet er gemt." in text and "Medicinsk notat" in text
    assert "Behandlingstilbud: Misbrugscenter Øst" in text


@pytest.mark.parametrize("data, message", [
    ({**GOOD, "written_on": "2026-06-16"}, "fremtiden"),
    ({**GOOD, "text": ""}, "Udfyld feltet"),
    ({**GOOD, "note_type": "dagbog"}, "Vælg en af de viste muligheder"),
    ({**GOOD, "written_on": "i går"}, "gyldig dato"),
])
def test_bad_input_shows_on_the_form_and_saves_nothing(world, login, course, data, message):
    client = login(world.caseworker)
    plain = post_note(client, course, data)
    assert plain.status_code == 400 and message in plain.content.decode()
    fragment = post_note(client, course, data, htmx=True)
    assert fragment.status_code == 200 and message in fragment.content.decode()
    assert 'id="trin-journalnotat"' in fragment.content.decode()
    assert not JournalNote.objects.exists()


def test_stale_form_is_refused(world, login, course):
    client = login(world.caseworker)
    body = {"journalnotat-version": fresh(course).version,
            **{f"journalnotat-{k}": v for k, v in GOOD.items()}}
    note(world.caseworker, course)  # someone else writes meanwhile
    response = client.post(reverse("journal:note", args=[course.pk]), body)
    assert response.status_code == 400 and "Genindlæs" in response.content.decode()
    assert JournalNote.objects.count() == 1


def test_amend_page_and_fragment_then_amending_note_shown_together(world, login, course):
    original = note(world.clinician, course, text="Forkert dosis noteret.", kind="medicinsk")
    note(world.clinician, course, text="Et senere notat", day=D(2026, 6, 14))
    client = login(world.clinician)
    path = reverse("journal:amend", args=[course.pk, original.pk])
    page = client.get(path)
    assert page.status_code == 200 and "Forkert dosis noteret." in page.content.decode()
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(original.pk)).exists()
    fragment = client.get(path, **HTMX)
    assert fragment.status_code == 200
    assert f'id="trin-ret-notat-{original.pk}"' in fragment.content.decode()
    assert "<html" not in fragment.content.decode()

    response = post_note(client, course, {**GOOD, "text": "Rettelse: dosis var 40 mg."},
                         prefix=f"ret-notat-{original.pk}", path=path)
    assert response.status_code == 302
    fix = JournalNote.objects.get(amends=original)
    assert fix.text == "Rettelse: dosis var 40 mg."
    assert JournalNote.objects.get(pk=original.pk).text == "Forkert dosis noteret."
    text = case(client, course).content.decode()
    assert "rettet" in text and "rettelse" in text
    # Shown together: the correction right after what it corrects, even though newer notes
    # come first.
    assert (text.index("Et senere notat") < text.index("Forkert dosis noteret.")
            < text.index("Rettelse: dosis var 40 mg."))


def test_amend_with_htmx_and_bad_input(world, login, course):
    original = note(world.caseworker, course)
    client = login(world.caseworker)
    path = reverse("journal:amend", args=[course.pk, original.pk])
    prefix = f"ret-notat-{original.pk}"
    bad = post_note(client, course, {**GOOD, "text": ""}, htmx=True, prefix=prefix, path=path)
    assert bad.status_code == 200 and "Udfyld feltet" in bad.content.decode()
    bad_plain = post_note(client, course, {**GOOD, "text": ""}, prefix=prefix, path=path)
    assert bad_plain.status_code == 400
    assert JournalNote.objects.count() == 1
    ok = post_note(client, course, GOOD, htmx=True, prefix=prefix, path=path)
    assert ok.status_code == 200 and "Rettelsen af journalnotatet er gemt." in ok.content.decode()
    assert JournalNote.objects.filter(amends=original).count() == 1


def test_other_side_cannot_amend_even_with_consent(world, login, course):
    from .factories_journal import give_consent

    give_consent(world, course)
    original = note(world.clinician, course, text="Tilbuddets notat")
    client = login(world.caseworker)
    text = case(client, course).content.decode()
    assert "Tilbuddets notat" in text and "Ret notatet" not in text
    path = reverse("journal:amend", args=[course.pk, original.pk])
    assert client.get(path).status_code == 404
    assert post_note(client, course, GOOD, prefix=f"ret-notat-{original.pk}",
                     path=path).status_code == 404
    assert JournalNote.objects.count() == 1


def test_anonymous_101a_course_has_no_journal_form(world, login):
    anon = anonymous_course(world)
    for user in (world.caseworker, world.clinician):
        client = login(user)
        text = case(client, anon).content.decode()
        assert "Der skrives ikke journalnotater på anonyme forløb" in text
        assert 'id="trin-journalnotat"' not in text
        assert post_note(client, anon, GOOD).status_code == 404
        assert post_note(client, anon, GOOD, htmx=True).status_code == 404
    assert not JournalNote.objects.exists()


@pytest.mark.parametrize("who", ["leader", "coordinator", "other_caseworker", "other_clinician"])
def test_out_of_scope_or_not_writer_is_404(world, login, course, who):
    user = {"other_caseworker": lambda: make_user("caseworker", world.muni3, "faxe"),
            "other_clinician": lambda: make_user("clinician", world.provider2, "privat")}.get(
        who, lambda: getattr(world, who))()
    original = note(world.caseworker, course)
    client = login(user)
    assert post_note(client, course, GOOD).status_code == 404
    path = reverse("journal:amend", args=[course.pk, original.pk])
    assert client.get(path).status_code == 404
    assert client.post(path, {}).status_code == 404
    assert JournalNote.objects.count() == 1


def test_get_on_the_write_url_is_not_allowed(world, login, course):
    assert login(world.caseworker).get(reverse("journal:note", args=[course.pk])).status_code \
        == 405
