"""The administrator's audit log: scope, filters, bad filters, CSV export (issue 2, item 7)."""

import csv
import datetime as dt
import io

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from forlob.accounts.models import Role
from forlob.audit.models import Action, AppendOnly, AuditEvent
from forlob.audit.recorder import record

from .factories import CitizenFactory, make_user

LOG = reverse("audit:log")
EXPORT = reverse("audit:export")
CPR = "0101801234"


def _at(day, hour=12):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _event(**kw):
    defaults = {"username": "x", "action": Action.VIEW, "at": _at(dt.date(2026, 6, 1))}
    defaults.update(kw)
    return AuditEvent.objects.bulk_create([AuditEvent(**defaults)])[0]


@pytest.fixture
def log(world):
    """Events about Solrød's citizens, by Solrød's staff, and about another municipality."""
    m, m3 = world.muni.pk, world.muni3.pk
    ref, other_ref = str(world.citizen.public_id), str(world.outsider.public_id)
    world.events = {
        "view": _event(username="sagsbehandler", role=Role.CASEWORKER, action=Action.VIEW,
                       subject_municipality_id=m, actor_municipality_id=m, citizen_ref=ref,
                       at=_at(dt.date(2026, 6, 1))),
        "update": _event(username="sagsbehandler", role=Role.CASEWORKER, action=Action.UPDATE,
                         subject_municipality_id=m, actor_municipality_id=m, citizen_ref=ref,
                         at=_at(dt.date(2026, 6, 10))),
        # A Køge clinician reads a Solrød citizen: in Solrød's log through the subject.
        "clinician": _event(username="behandler", role=Role.CLINICIAN, action=Action.VIEW,
                            subject_municipality_id=m, actor_municipality_id=world.muni2.pk,
                            citizen_ref=ref, at=_at(dt.date(2026, 6, 12))),
        # A Solrød caseworker's search: in the log through the actor.
        "search": _event(username="sagsbehandler", role=Role.CASEWORKER, action=Action.SEARCH,
                         actor_municipality_id=m, at=_at(dt.date(2026, 6, 14))),
        # Faxe's own business: never in Solrød's log.
        "faxe": _event(username="faxe-sagsbehandler", role=Role.CASEWORKER,
                       action=Action.REVEAL_CPR, subject_municipality_id=m3,
                       actor_municipality_id=m3, citizen_ref=other_ref,
                       at=_at(dt.date(2026, 6, 13))),
    }
    return world


def _shown(response):
    return [e.pk for e in response.context["events"]]


@pytest.mark.parametrize("role", ["caseworker", "clinician", "leader", "coordinator",
                                  "region_coordinator"])
def test_non_admins_get_404(log, login, role):
    client = login(getattr(log, role))
    before = AuditEvent.objects.count()
    assert client.get(LOG).status_code == 404
    assert client.get(EXPORT).status_code == 404
    assert AuditEvent.objects.count() == before  # no export was recorded either


def test_anonymous_goes_to_login(log, client):
    assert client.get(LOG).status_code == 302
    assert client.get(EXPORT).status_code == 302


def test_admin_sees_own_municipality_newest_first(log, login):
    response = login(log.admin).get(LOG)
    assert response.status_code == 200
    e = log.events
    assert _shown(response) == [e["search"].pk, e["clinician"].pk, e["update"].pk, e["view"].pk]
    assert "faxe-sagsbehandler" not in response.content.decode()


def test_other_admin_sees_other_municipality(log, login):
    faxe_admin = make_user(Role.ADMINISTRATOR, log.muni3, "faxe-admin")
    response = login(faxe_admin).get(LOG)
    assert _shown(response) == [log.events["faxe"].pk]


@pytest.mark.parametrize("params,expected", [
    ({"date_from": "2026-06-10"}, ["search", "clinician", "update"]),
    ({"date_to": "2026-06-10"}, ["update", "view"]),
    ({"date_from": "2026-06-10", "date_to": "2026-06-12"}, ["clinician", "update"]),
    ({"date_from": "2026-06-12", "date_to": "2026-06-12"}, ["clinician"]),
    ({"username": "behandler"}, ["search", "clinician", "update", "view"]),  # part of name
    ({"username": "Behandler", "role": "clinician"}, ["clinician"]),
    ({"username": "SAGSBEH"}, ["search", "update", "view"]),
    ({"action": "update"}, ["update"]),
    ({"action": "search"}, ["search"]),
    ({"role": "clinician"}, ["clinician"]),
    ({"role": "caseworker", "action": "view"}, ["view"]),
    ({"date_from": "2026-01-01", "date_to": "2026-01-31"}, []),
])
def test_filters(log, login, params, expected):
    response = login(log.admin).get(LOG, params)
    assert response.status_code == 200
    assert _shown(response) == [log.events[k].pk for k in expected]


def test_citizen_reference_filter(log, login):
    client = login(log.admin)
    response = client.get(LOG, {"citizen_ref": str(log.citizen.public_id)})
    e = log.events
    assert _shown(response) == [e["clinician"].pk, e["update"].pk, e["view"].pk]
    # Another municipality's citizen gives nothing, not Faxe's record:
    response = client.get(LOG, {"citizen_ref": str(log.outsider.public_id)})
    assert _shown(response) == []
    assert "Ingen loglinjer matcher filtrene" in response.content.decode()


def test_date_filter_uses_local_days(log, login):
    """23:30 Copenhagen time on 1 June is 21:30 UTC: it belongs to 1 June."""
    late = _event(username="sen", subject_municipality_id=log.muni.pk,
                  at=timezone.make_aware(dt.datetime(2026, 6, 2, 23, 30)))
    shown = _shown(login(log.admin).get(LOG, {"date_from": "2026-06-02",
                                              "date_to": "2026-06-02"}))
    assert shown == [late.pk]


@pytest.mark.parametrize("params,message", [
    ({"date_from": "15-15-2026"}, "Skriv en gyldig dato"),
    ({"date_to": "i går"}, "Skriv en gyldig dato"),
    ({"date_from": "2026-02-30"}, "Skriv en gyldig dato"),
    ({"date_from": "2026-06-12", "date_to": "2026-06-01"}, "Til-datoen ligger før fra-datoen"),
    ({"action": "drop_table"}, "Ukendt handling"),
    ({"role": "superuser"}, "Ukendt rolle"),
    ({"citizen_ref": "0101801234"}, "Borgerreferencen skal være et UUID"),
])
def test_invalid_filters_are_danish_form_errors(log, login, params, message):
    response = login(log.admin).get(LOG, params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "Filtrene kan ikke bruges" in body
    assert _shown(response) == []


def test_invalid_filters_on_export_are_refused_and_not_audited(log, login):
    client = login(log.admin)
    before = AuditEvent.objects.count()
    response = client.get(EXPORT, {"date_from": "2026-06-12", "date_to": "2026-06-01"})
    assert response.status_code == 400
    assert "Til-datoen ligger før fra-datoen" in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_empty_state(world, login):
    response = login(world.admin).get(LOG)
    assert response.status_code == 200
    assert _shown(response) == []
    assert "Loggen er tom" in response.content.decode()
    assert "Eksportér som CSV" not in response.content.decode()  # nothing to export


def test_pagination_keeps_filters(log, login):
    for i in range(60):
        _event(username=f"massevisning{i}", subject_municipality_id=log.muni.pk,
               action=Action.VIEW, at=_at(dt.date(2026, 5, 1)) + dt.timedelta(minutes=i))
    client = login(log.admin)
    first = client.get(LOG, {"username": "massevisning"})
    assert len(first.context["events"]) == 50
    assert first.context["page"].paginator.count == 60
    body = first.content.decode()
    assert "username=massevisning" in body and "side=2" in body
    second = client.get(LOG, {"username": "massevisning", "side": "2"})
    assert len(second.context["events"]) == 10
    # Newest first across pages:
    assert first.context["events"][0].username == "massevisning59"
    assert second.context["events"][-1].username == "massevisning0"
    assert client.get(LOG, {"side": "abc"}).status_code == 200


def _csv(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def test_csv_export_of_filtered_log(log, login):
    client = login(log.admin)
    response = client.get(EXPORT, {"citizen_ref": str(log.citizen.public_id),
                                   "action": "view"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="adgangslog-2026-06-15.csv"'
    rows = _csv(response)
    header, body = rows[0], rows[1:]
    assert header[:6] == ["tidspunkt", "bruger", "rolle", "organisation", "handling",
                          "borgerreference"]
    assert [r[1] for r in body] == ["behandler", "sagsbehandler"]  # newest first
    assert {r[4] for r in body} == {"view"}
    assert {r[5] for r in body} == {str(log.citizen.public_id)}
    assert all(len(r) == len(header) for r in body)


def test_csv_export_contains_no_names_or_cpr(log, login):
    """Real accesses through the citizen pages, then an export: references only."""
    citizen = CitizenFactory(residence_municipality=log.muni, first_name="Gudrun",
                             last_name="Særnavn", cpr_plain=CPR)
    login(log.caseworker).get(reverse("citizens:detail", args=[citizen.public_id]))
    reveal = login(log.caseworker).post(reverse("citizens:reveal_cpr",
                                                args=[citizen.public_id]),
                                        {"purpose": f"tjek af {CPR[:6]}-{CPR[6:]}"})
    assert reveal.status_code == 200
    client = login(log.admin)
    text = b"".join(client.get(EXPORT).streaming_content).decode("utf-8")
    assert str(citizen.public_id) in text
    for secret in ("Gudrun", "Særnavn", CPR, CPR[:6] + "-" + CPR[6:], CPR[:6]):
        assert secret not in text, secret
    page = client.get(LOG).content.decode()
    assert str(citizen.public_id) in page
    for secret in ("Gudrun", "Særnavn", CPR, CPR[:6] + "-" + CPR[6:]):
        assert secret not in page, secret


def test_export_is_itself_audited(log, login):
    client = login(log.admin)
    response = client.get(EXPORT, {"action": "update"})
    rows = _csv(response)
    assert len(rows) == 2  # header + the one update
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.purpose == "eksport af adgangslog"
    assert event.username == "administrator"
    assert event.role == Role.ADMINISTRATOR
    assert event.actor_municipality_id == log.muni.pk
    assert event.path == EXPORT
    # ... and the export shows up in the administrator's own log:
    shown = client.get(LOG, {"action": "export"})
    assert _shown(shown) == [event.pk]
    assert "eksport af adgangslog" in shown.content.decode()


def test_export_purpose_is_danish_in_english_ui(log, login):
    client = login(log.admin)
    client.post(reverse("set_language"), {"language": "en"})
    b"".join(client.get(EXPORT).streaming_content)
    assert AuditEvent.objects.get(action=Action.EXPORT).purpose == "eksport af adgangslog"


def test_csv_cells_cannot_become_spreadsheet_formulas(log, login):
    _event(username="=HYPERLINK(\"http://x\")", subject_municipality_id=log.muni.pk,
           purpose="+SUM(A1)")
    text = b"".join(login(log.admin).get(EXPORT).streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in text and "'+SUM(A1)" in text
    for line in text.splitlines():
        assert not line.startswith(("=", "+", "@"))


def test_free_text_cpr_is_redacted_in_view(log, login):
    _event(username="x", subject_municipality_id=log.muni.pk,
           purpose=f"opslag på {CPR}")
    body = login(log.admin).get(LOG).content.decode()
    assert CPR not in body and "[CPR]" in body


def test_log_is_read_only(log, login):
    client = login(log.admin)
    before = AuditEvent.objects.count()
    assert client.post(LOG, {"action": "view"}).status_code == 405
    assert client.post(EXPORT).status_code == 405
    assert client.delete(LOG).status_code == 405
    for name in ("audit:delete", "audit:edit", "audit:update"):
        with pytest.raises(NoReverseMatch):
            reverse(name, args=[1])
    event = log.events["view"]
    with pytest.raises(AppendOnly):
        event.delete()
    assert AuditEvent.objects.count() == before
    body = client.get(LOG).content.decode()
    assert 'method="post"' not in body.split("<main", 1)[1]  # no forms that change the log


def test_recorded_actions_of_real_views_reach_the_log(log, login, rf):
    """A view recorded by the citizen pages appears with the role and the reference."""
    login(log.caseworker).get(reverse("citizens:detail", args=[log.citizen.public_id]))
    response = login(log.admin).get(LOG, {"citizen_ref": str(log.citizen.public_id),
                                          "date_from": "2026-01-01"})
    real = [e for e in response.context["events"] if e.path.startswith("/borgere/")]
    assert real and real[0].role == Role.CASEWORKER and real[0].username == "sagsbehandler"


def test_record_helper_scopes_admin_action_to_municipality(world, rf):
    """An administrator's own actions are attributed to their municipality."""
    request = rf.get("/log/")
    request.user = world.admin
    event = record(request, Action.EXPORT, purpose="x")
    assert event.actor_municipality_id == world.muni.pk


@pytest.mark.parametrize("params", [
    {"date_to": "9999-12-31"}, {"date_from": "0001-01-01"},
    {"date_from": "1999-12-31", "date_to": "2101-01-01"},
])
@pytest.mark.parametrize("path", ["/log/", "/log/eksport.csv"])
def test_dates_at_the_calendar_ends_are_form_errors_not_500(log, login, params, path):
    """Found in review: 9999-12-31 + 1 day overflowed. Now a Danish form error, nothing 500."""
    response = login(log.admin).get(path, params)
    if path.endswith(".csv"):
        assert response.status_code == 400
    else:
        assert response.status_code in (200, 400)
        assert "Vælg en dato mellem" in response.content.decode()
