"""The register extract (issue 5 item 5): the municipality's § 101 / § 142 courses as the
national register's reporting events - the authority's request, start, provider enrolment and
end, the provider's enrolment and discharge with the seven discharge fields - as CSV and as a
streamed JSON array, one row or object per event, audited, for the municipality's own
caseworkers only."""

import csv
import io
import json

import pytest
from django.db.models import Max
from django.http import StreamingHttpResponse
from django.urls import reverse

from forlob.audit.models import AuditEvent
from forlob.indicators import exports, register
from forlob.indicators.exports import Selection
from forlob.pathway.models import TreatmentStart
from forlob.treatment.models import Discharge

from .factories_indicators import D, make_course

NAMES = [f.name for f in register.REGISTER_FIELDS]
EMPTY_DISCHARGE = {"udskrivningsaarsag": None, "status_brug": None, "selvhjaelp": None,
                   "partner_uden_misbrug": None, "bolig": None, "forsoergelse": None}


@pytest.fixture
def data(world):
    """a: a whole § 101 course with a discharge worked out field by field; d: § 142 alone,
    started; f: § 101, requested only. Not in the extract: b anonymous (§ 101 a), c alcohol
    alone (§ 141), e another municipality's."""
    w = world
    w.a = make_course(w, D(2026, 1, 5), decided=D(2026, 1, 12), started=D(2026, 1, 15),
                      birth_year=1980)
    TreatmentStart.objects.filter(course=w.a).update(enrolled_on=D(2026, 1, 19))
    Discharge.objects.create(
        course=w.a, discharged_on=D(2026, 3, 1), reason="oensker_stop", use_status="reduceret",
        self_help_contact=True, partner_drug_free=False, housing="botilbud",
        means_of_support="overfoersel", status_text="status")
    w.b = make_course(w, D(2026, 1, 6), tracks=("sel101a",), anonymous=True,
                      started=D(2026, 1, 20))
    w.c = make_course(w, D(2026, 1, 7), tracks=("sul141",), started=D(2026, 1, 21))
    w.d = make_course(w, D(2026, 2, 2), tracks=("sul142",), started=D(2026, 2, 10),
                      birth_year=1995)
    w.e = make_course(w, D(2026, 1, 8), municipality=w.muni3, started=D(2026, 1, 22))
    w.f = make_course(w, D(2026, 4, 1), tracks=("sel101", "sul142"))
    return w


def body(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def as_json(client, **params):
    response = client.get(reverse("indicators:export_register_json"), params)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return json.loads(body(response))


def test_one_object_per_event_with_the_seven_discharge_fields(data, login):
    objects = as_json(login(data.caseworker))
    assert all(list(o) == NAMES for o in objects)
    a = [o for o in objects if o["forloeb_id"] == data.a.pk]
    key = exports.citizen_key(data.a.citizen_id)
    p = data.provider.pk
    common = {"kommunekode": "269", "forloeb_id": data.a.pk, "borger_noegle": key,
              "foedselsaar": 1980, "koen": data.a.citizen.sex}
    provider = {"tilbud_id": p, "tilbud": "Misbrugscenter Øst"}
    none = {"tilbud_id": None, "tilbud": None}

    def event(name, reporter, day, where, **discharge):
        return {**common, "haendelse": name, "indberetter": reporter, "dato": day, **where,
                **EMPTY_DISCHARGE, **discharge}

    assert a == [
        event("anmodning", "myndighed", "2026-01-05", none),
        event("ivaerksaettelse", "myndighed", "2026-01-15", provider),
        event("tilbudstilknytning", "myndighed", "2026-01-19", provider),
        event("indskrivning", "tilbud", "2026-01-19", provider),
        event("udskrivning", "tilbud", "2026-03-01", provider,
              udskrivningsaarsag="oensker_stop", status_brug="reduceret", selvhjaelp=True,
              partner_uden_misbrug=False, bolig="botilbud", forsoergelse="overfoersel"),
        event("afslutning", "myndighed", "2026-03-01", provider),
    ]


def test_which_courses_are_in_the_extract(data, login):
    objects = as_json(login(data.caseworker))
    courses = {o["forloeb_id"] for o in objects}
    assert courses == {data.a.pk, data.d.pk, data.f.pk}  # not b (anonymous), c (§ 141), e
    d = [(o["haendelse"], o["dato"]) for o in objects if o["forloeb_id"] == data.d.pk]
    assert d == [("anmodning", "2026-02-02"), ("ivaerksaettelse", "2026-02-10"),
                 ("tilbudstilknytning", "2026-02-10"), ("indskrivning", "2026-02-10")]
    f = [o["haendelse"] for o in objects if o["forloeb_id"] == data.f.pk]
    assert f == ["anmodning"]  # once, though the course has both tracks


def test_events_in_the_period(data, login):
    objects = as_json(login(data.caseworker), start="2026-01-16", end="2026-03-01")
    assert [(o["forloeb_id"], o["haendelse"]) for o in objects] == [
        (data.a.pk, "tilbudstilknytning"), (data.a.pk, "indskrivning"),
        (data.a.pk, "udskrivning"), (data.a.pk, "afslutning"),
        (data.d.pk, "anmodning"), (data.d.pk, "ivaerksaettelse"),
        (data.d.pk, "tilbudstilknytning"), (data.d.pk, "indskrivning")]
    assert as_json(login(data.caseworker), start="2026-06-01") == []


def test_csv_has_the_same_rows(data, login):
    response = login(data.caseworker).get(reverse("indicators:export_register_csv"))
    assert 'filename="indberetning-269-2026-06-15.csv"' in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(body(response)[1:]), delimiter=";"))
    assert header == NAMES and len(rows) == 6 + 4 + 1
    discharge = dict(zip(header, rows[4], strict=True))
    assert (discharge["haendelse"], discharge["selvhjaelp"], discharge["partner_uden_misbrug"],
            discharge["bolig"]) == ("udskrivning", "1", "0", "botilbud")
    request = dict(zip(header, rows[0], strict=True))
    assert (request["haendelse"], request["tilbud_id"], request["selvhjaelp"]) == (
        "anmodning", "", "")


def test_json_is_streamed_in_batches_and_valid_when_empty(data, login, settings):
    settings.FORLOB_EXPORT_CHUNK = 2
    client = login(data.caseworker)
    response = client.get(reverse("indicators:export_register_json"))
    chunks = list(response.streaming_content)
    assert len(chunks) >= 7  # "[", 11 objects in batches of 2, "]"
    assert len(json.loads(b"".join(chunks))) == 11
    assert as_json(client, end="2025-12-31") == []


def test_audited_per_citizen_in_the_extract(data, login):
    before = AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    as_json(login(data.caseworker))
    new = AuditEvent.objects.filter(pk__gt=before, action="export")
    assert sorted(new.exclude(citizen_id=None).values_list("citizen_id", flat=True)) == sorted(
        [data.a.citizen_id, data.d.citizen_id, data.f.citizen_id])
    assert "indberetning (JSON)" in new.get(citizen_id=None).purpose


@pytest.mark.parametrize("role", ["leader", "coordinator", "clinician", "admin"])
def test_only_the_municipalitys_caseworkers(data, login, role):
    client = login(getattr(data, role))
    for name in ("export_register_csv", "export_register_json"):
        assert client.get(reverse(f"indicators:{name}")).status_code == 404
    caseworker = login(data.caseworker)
    assert caseworker.get(reverse("indicators:export_register_json"),
                          {"municipality": data.muni2.pk}).status_code == 404


def test_one_query_however_many_events(data, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = list(register.events(Selection(data.muni.pk)).iterator(chunk_size=3))
    assert len(rows) == 11
