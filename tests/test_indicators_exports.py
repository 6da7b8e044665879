"""The municipality's own data (issue 5 item 5): courses and events as CSV and XLSX with the
documented field lists, scoped to the municipality's caseworkers (granted its courses),
streamed with a bounded number of queries, audited per citizen, and large exports as a
background job with progress (run synchronously here)."""

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Max
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from forlob.accounts.models import Role
from forlob.audit.models import AuditEvent
from forlob.citizens import crypto
from forlob.indicators import exports, jobs
from forlob.indicators.models import ExportJob, JobStatus
from forlob.pathway.models import Course, Decision, TreatmentRequest

from .factories import make_user
from .factories_indicators import D, make_course

URLS = ["export_page", "export_courses_csv", "export_courses_xlsx", "export_events_csv",
        "export_events_xlsx", "export_register_csv", "export_register_json"]


@pytest.fixture
def data(world):
    """a: a whole § 101 course; b: an anonymous § 101 a request; c: another municipality's."""
    w = world
    w.a = make_course(w, D(2026, 1, 5), assessed=D(2026, 1, 10), decided=D(2026, 1, 12),
                      started=D(2026, 1, 15), discharged=D(2026, 3, 1), birth_year=1980)
    w.b = make_course(w, D(2026, 2, 1), tracks=("sel101a",), anonymous=True)
    w.c = make_course(w, D(2026, 1, 7), municipality=w.muni3)
    return w


@pytest.fixture
def job_settings(settings, tmp_path):
    settings.FORLOB_EXPORT_SYNC = True
    settings.FORLOB_EXPORT_DIR = tmp_path
    return settings


def last_event() -> int:
    return AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def content(response) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    text = content(response).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def get(client, name, **params):
    return client.get(reverse(f"indicators:{name}"), params)


def by_name(header, rows):
    return [dict(zip(header, r, strict=True)) for r in rows]


def test_courses_csv_holds_the_documented_columns_and_the_hand_built_values(data, login):
    response = get(login(data.caseworker), "export_courses_csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="forloeb-269-2026-06-15.csv"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    header, *rows = csv_rows(response)
    assert header == [f.name for f in exports.COURSE_FIELDS]
    rows = by_name(header, rows)
    assert [r["forloeb_id"] for r in rows] == [str(data.a.pk), str(data.b.pk)]  # not c
    a, b = rows
    assert a == {
        "forloeb_id": str(data.a.pk), "borger_noegle": exports.citizen_key(data.a.citizen_id),
        "kommunekode": "269", "anonym": "0", "foedselsaar": "1980",
        "koen": data.a.citizen.sex, "alder_ved_anmodning": "46",
        "spor_sel101": "1", "spor_sel101a": "0", "spor_sul142": "0", "spor_sul141": "0",
        "foerste_kontakt": "", "foerste_anmodning": "2026-01-05",
        "foerste_afdaekning": "2026-01-10", "foerste_afgoerelse": "2026-01-12",
        "afgoerelse_udfald": "bevilling", "frit_valg": "0", "garanti_dage": "14",
        "ivaerksat": "2026-01-15", "tilknyttet_tilbud": "2026-01-15",
        "tilbud_id": str(data.provider.pk), "tilbud": "Misbrugscenter Øst",
        "udskrevet": "2026-03-01", "udskrivningsaarsag": "faerdigbehandlet",
        "status_brug": "ophoert",
        "oprettet": data.a.created_at.astimezone().date().isoformat(),
    }
    assert (b["anonym"], b["foedselsaar"], b["koen"], b["spor_sel101a"], b["ivaerksat"]) == (
        "1", "1990", "", "1", "")


def test_no_cpr_name_or_address_and_a_stable_pseudonymous_key(data, login):
    second = Course.objects.create(citizen=data.a.citizen, acting_municipality=data.muni)
    TreatmentRequest.objects.create(course=second, requested_on=D(2026, 4, 1), channel="phone")
    client = login(data.caseworker)
    text = content(get(client, "export_courses_csv")).decode()
    citizen = data.a.citizen
    cpr = citizen.reveal_cpr()
    for secret in (cpr, cpr[:6], citizen.first_name, citizen.last_name, citizen.address,
                   data.b.citizen.pseudonym, crypto.blind_index(cpr)):
        assert secret not in text
    key = exports.citizen_key(citizen.pk)
    assert len(key) == 32 and int(key, 16) >= 0
    assert text.count(key) == 2  # both courses of the citizen carry the same key
    assert key != exports.citizen_key(data.b.citizen_id)
    assert key in content(get(client, "export_events_csv")).decode()  # and in every export


@pytest.mark.parametrize("params, expected", [
    ({"start": "2026-03-02"}, ["b"]),  # a was discharged on 1 March
    ({"end": "2026-01-31"}, ["a"]),  # b's first request is on 1 February
    ({"start": "2026-01-01", "end": "2026-12-31"}, ["a", "b"]),
])
def test_courses_touching_the_period(data, login, params, expected):
    header, *rows = csv_rows(get(login(data.caseworker), "export_courses_csv", **params))
    ids = {str(getattr(data, k).pk): k for k in "ab"}
    assert [ids[r[0]] for r in rows] == expected


def test_events_csv_one_row_per_event_in_order(data, login):
    Decision.objects.filter(course=data.a).update(provider=data.provider2)
    header, *rows = csv_rows(get(login(data.caseworker), "export_events_csv"))
    assert header == [f.name for f in exports.EVENT_FIELDS]
    rows = by_name(header, rows)
    a = [(r["haendelse"], r["dato"], r["tilbud_id"], r["kode"]) for r in rows
         if r["forloeb_id"] == str(data.a.pk)]
    p, p2 = str(data.provider.pk), str(data.provider2.pk)
    assert a == [("anmodning", "2026-01-05", "", "phone"),
                 ("afdaekning", "2026-01-10", "", "europasi"),
                 ("afgoerelse", "2026-01-12", p2, "bevilling"),
                 ("ivaerksaettelse", "2026-01-15", p, ""),
                 ("tilbudstilknytning", "2026-01-15", p, ""),
                 ("udskrivning", "2026-03-01", "", "faerdigbehandlet")]
    b = [(r["haendelse"], r["kommunekode"], r["borger_noegle"]) for r in rows
         if r["forloeb_id"] == str(data.b.pk)]
    assert b == [("anmodning", "269", exports.citizen_key(data.b.citizen_id))]
    assert len(rows) == 7  # nothing of the other municipality's course


def test_events_in_the_period_only(data, login):
    header, *rows = csv_rows(get(login(data.caseworker), "export_events_csv",
                                 start="2026-01-11", end="2026-01-31"))
    assert [r[3] for r in rows] == ["afgoerelse", "ivaerksaettelse", "tilbudstilknytning"]


@pytest.mark.parametrize("name, fields", [("export_courses_xlsx", exports.COURSE_FIELDS),
                                          ("export_events_xlsx", exports.EVENT_FIELDS)])
def test_xlsx_is_readable_with_the_same_columns(data, login, name, fields):
    response = get(login(data.caseworker), name)
    assert response.status_code == 200 and response["Content-Type"] == jobs.CONTENT_TYPES["xlsx"]
    sheet = load_workbook(io.BytesIO(content(response)), read_only=True).worksheets[0]
    header, *rows = list(sheet.values)
    assert list(header) == [f.name for f in fields]
    first = dict(zip(header, rows[0], strict=True))
    assert first["forloeb_id"] == data.a.pk and first["kommunekode"] == "269"
    if "ivaerksat" in first:
        assert first["ivaerksat"] == dt.datetime(2026, 1, 15) and first["anonym"] == 0
    else:
        assert first["haendelse"] == "anmodning" and first["dato"] == dt.datetime(2026, 1, 5)
    assert len(rows) == (2 if "ivaerksat" in first else 7)


@pytest.mark.parametrize("role", ["leader", "coordinator", "region_coordinator", "clinician",
                                  "admin"])
def test_who_is_not_the_municipalitys_caseworker_gets_404(data, login, role):
    client = login(getattr(data, role))
    for name in URLS:
        assert get(client, name).status_code == 404, name
    assert client.post(reverse("indicators:export_page"),
                       {"export": "courses_csv"}).status_code == 404


def test_another_municipality_is_404_and_bad_input_is_400(data, login):
    client = login(data.caseworker)
    for name in URLS:
        assert get(client, name, municipality=data.muni3.pk).status_code == 404, name
    other = login(make_user(Role.CASEWORKER, data.muni3, "faxe"))
    header, *rows = csv_rows(get(other, "export_courses_csv"))
    assert [r[0] for r in rows] == [str(data.c.pk)]
    for params in ({"start": "i går"}, {"start": "2026-06-01", "end": "2026-01-01"},
                   {"municipality": "x"}):
        page = get(client, "export_courses_csv", **params)
        assert page.status_code == 400 and "form-error-message" in page.content.decode()


def test_every_export_is_audited_once_per_citizen(data, login, settings):
    settings.FORLOB_EXPORT_CHUNK = 1  # batches of one row: a citizen spans several batches
    before = last_event()
    content(get(login(data.caseworker), "export_events_csv"))
    new = AuditEvent.objects.filter(pk__gt=before)
    assert {e.action for e in new} == {"export"}
    summary = new.get(citizen_id=None)
    assert "haendelser (CSV)" in summary.purpose and "Solrød (269)" in summary.purpose
    cited = new.exclude(citizen_id=None)
    assert sorted(cited.values_list("citizen_id", flat=True)) == sorted(
        [data.a.citizen_id, data.b.citizen_id])
    event = cited.get(citizen_id=data.a.citizen_id)
    assert (event.user_id, event.role, event.actor_municipality_id, event.channel,
            event.citizen_ref) == (data.caseworker.pk, Role.CASEWORKER, data.muni.pk, "ui",
                                   str(data.a.citizen.public_id))
    assert event.purpose == summary.purpose and event.path.endswith("haendelser.csv")


def _many(world, n):
    for i in range(n):
        make_course(world, D(2026, 1, 1) + dt.timedelta(days=i), started=D(2026, 3, 1),
                    discharged=D(2026, 4, 1))


@pytest.mark.parametrize("name", ["export_courses_csv", "export_events_csv",
                                  "export_register_json"])
def test_streaming_with_a_bounded_number_of_queries(world, login, name,
                                                    django_assert_max_num_queries):
    client = login(world.caseworker)
    _many(world, 3)
    with CaptureQueriesContext(connection) as few:
        content(get(client, name))
    _many(world, 27)
    with django_assert_max_num_queries(12) as many:
        response = get(client, name)
        assert isinstance(response, StreamingHttpResponse)
        body = content(response)
    assert body.count(b"\n") > 30
    # 30 courses cost what 3 did: one row query and one audit insert, whatever the number
    # (besides session, user, memberships and the export's own audit record)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_large_export_runs_as_a_job_with_progress_and_one_download(
        data, login, job_settings, tmp_path):
    job_settings.FORLOB_EXPORT_JOB_ROWS = 1
    client = login(data.caseworker)
    before = last_event()
    response = client.post(reverse("indicators:export_page"), {
        "export": "courses_csv", "municipality": data.muni.pk, "start": "", "end": ""})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("indicators:export_job", args=[job.pk])
    assert (job.status, job.total, job.done, job.user) == (JobStatus.DONE, 2, 2, data.caseworker)
    assert Path(job.file_path).parent == tmp_path and Path(job.file_path).is_file()
    page = client.get(response["Location"]).content.decode()
    assert "Udtrækket er klart: 2 rækker." in page and "hx-trigger" not in page
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<div id="eksport-status">') and "<html" not in fragment
    # someone else: 404 on the job and its file
    other = login(data.admin, client=type(client)())
    assert other.get(response["Location"]).status_code == 404
    download = reverse("indicators:export_job_download", args=[job.pk])
    assert other.get(download).status_code == 404
    file = client.get(download)
    header, *rows = list(csv.reader(io.StringIO(content(file).decode()[1:]), delimiter=";"))
    assert header[0] == "forloeb_id" and [r[0] for r in rows] == [str(data.a.pk),
                                                                    str(data.b.pk)]
    assert not list(tmp_path.iterdir())  # deleted on download
    assert client.get(download).status_code == 404  # once
    new = AuditEvent.objects.filter(pk__gt=before)
    assert sorted(e.citizen_id for e in new if e.citizen_id) == sorted(
        [data.a.citizen_id, data.b.citizen_id])
    assert sum(1 for e in new if e.object_type == "indicators.ExportJob") == 2  # start, fetch


def test_a_running_job_polls_and_shows_a_progress_bar(data, login, job_settings):
    job = ExportJob.objects.create(user=data.caseworker, kind="events", format="xlsx",
                                   filters={"municipality": data.muni.pk}, total=8000,
                                   done=2000, status=JobStatus.RUNNING)
    url = reverse("indicators:export_job", args=[job.pk])
    fragment = login(data.caseworker).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}"' in fragment and 'hx-trigger="every 2s"' in fragment
    assert '<progress id="eksport-fremdrift" max="8000" value="2000">' in fragment
    assert "25 %" in fragment


def test_a_small_export_downloads_at_once(data, login, job_settings):
    response = login(data.caseworker).post(reverse("indicators:export_page"), {
        "export": "register_json", "municipality": data.muni.pk, "start": "2026-01-01"})
    assert response.status_code == 302 and not ExportJob.objects.exists()
    assert response["Location"] == (reverse("indicators:export_register_json")
                                    + f"?municipality={data.muni.pk}&start=2026-01-01")


def test_the_page_offers_the_exports_and_refuses_bad_input(data, login):
    client = login(data.caseworker)
    page = get(client, "export_page")
    assert page.status_code == 200 and "Indberetningshændelser" in page.content.decode()
    bad = client.post(reverse("indicators:export_page"), {"export": "courses_pdf"})
    assert bad.status_code == 400 and "form-error-message" in bad.content.decode()


def test_failed_jobs_leave_no_file_and_old_files_are_purged(data, job_settings, tmp_path,
                                                            monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")
    job = ExportJob.objects.create(user=data.caseworker, kind="courses", format="csv",
                                   filters={"municipality": data.muni.pk})
    with monkeypatch.context() as m:
        m.setattr(jobs, "write_file", boom)
        jobs.run(job.pk, {})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not list(tmp_path.iterdir())
    old = ExportJob.objects.create(user=data.caseworker, kind="courses", format="csv",
                                   filters={"municipality": data.muni.pk})
    jobs.run(old.pk, jobs.audit_template(data.caseworker, data.muni, "test"))
    old.refresh_from_db()
    assert old.status == JobStatus.DONE and Path(old.file_path).is_file()
    assert jobs.purge(now=old.created_at + dt.timedelta(hours=23)) == 0
    assert jobs.purge(now=old.created_at + dt.timedelta(hours=25)) == 1
    old.refresh_from_db()
    assert old.status == JobStatus.GONE and not list(tmp_path.iterdir())


def test_field_lists_match_docs_exports_md():
    """docs/exports.md holds the generated tables; after changing a field list, run
    `.venv/bin/python manage.py shell -c "from forlob.indicators.exports import update_doc;
    update_doc()"`."""
    documented = exports.doc_sections(exports.DOC.read_text(encoding="utf-8"))
    assert documented == exports.doc_tables()


@pytest.mark.django_db(transaction=True)
def test_outside_the_tests_a_job_runs_in_a_thread(world, settings, tmp_path):
    settings.FORLOB_EXPORT_DIR = tmp_path
    make_course(world, D(2026, 1, 5))
    job = ExportJob.objects.create(user=world.caseworker, kind="events", format="xlsx",
                                   filters={"municipality": world.muni.pk}, total=1)
    jobs.start(job, jobs.audit_template(world.caseworker, world.muni, "test"))
    for _ in range(300):
        job.refresh_from_db()
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            break
        time.sleep(0.1)
    assert (job.status, job.done) == (JobStatus.DONE, 1)
    sheet = load_workbook(job.file_path, read_only=True).worksheets[0]
    assert [r[3] for r in sheet.values] == ["haendelse", "anmodning"]
