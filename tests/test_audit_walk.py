"""Acceptance (issue 2): every view showing personal data writes an audit record.

All URL patterns are walked at run time (tests/urlwalk.py) and requested with GET as a
caseworker and as a clinician, with citizens in their scope filled in. Whenever an answer
contains a citizen's personal data (name, pseudonym, address, CPR full or masked; the public id
is not personal data), an audit record for that citizen and that user must have been written by
that request.
"""

import datetime as dt

import pytest
from django.db.models import Max

from forlob.audit.models import Action, AuditEvent

from .factories import AnonymousCitizenFactory, ReferralFactory
from .urlwalk import PersonalData, body, endpoints, fill, mark, send, shows

#: Routes the walk may leave out, with the reason. Anything skipped must be listed here, so a
#: new route the walk cannot fill fails this test instead of going unchecked.
EXPECTED_SKIPS: dict[str, str] = {}


@pytest.fixture
def cast(world):
    world.anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    ReferralFactory(citizen=world.anon, provider=world.provider, referred_on=dt.date(2026, 4, 1))
    for c in (world.citizen, world.anon, world.outsider, world.ended):
        mark(c)
    return world


def last_event_id() -> int:
    return AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0


def walk_as(user, login, citizens):
    """GET every route as `user`; return (findings, pages with personal data, skipped)."""
    client = login(user)
    detector = PersonalData(citizens)
    findings, shown, skipped, seen = [], [], set(), set()
    for e in endpoints():
        for citizen in citizens if e.kwargs else citizens[:1]:
            values = fill(e, citizen)
            path = e.build(values) if isinstance(values, dict) else None
            if path is None:
                skipped.add(e.route)
                continue
            if path in seen:
                continue
            seen.add(path)
            before = last_event_id()
            try:
                response = send(client, "GET", path, e.is_api)
            except Exception as exc:  # noqa: BLE001 - a crash is a finding too
                findings.append(f"GET {path}: {type(exc).__name__}: {exc}")
                continue
            finally:
                if "_auth_user_id" not in client.session:
                    client = login(user)
            if response.status_code >= 500:
                findings.append(f"GET {path}: {response.status_code}")
            text = body(response)
            for pk, kinds in detector.find(text).items():
                shown.append((path, pk))
                audited = AuditEvent.objects.filter(
                    pk__gt=before, citizen_id=pk, user_id=user.pk
                ).exists()
                if not audited:
                    findings.append(
                        f"GET {path} ({e.name or e.route}) shows {', '.join(kinds)} of citizen "
                        f"{pk} without an audit record"
                    )
    return findings, shown, skipped


@pytest.mark.parametrize("role", ["caseworker", "clinician"])
def test_every_page_showing_personal_data_is_audited(cast, login, role):
    user = getattr(cast, role)
    citizens = [cast.citizen, cast.anon]
    findings, shown, skipped = walk_as(user, login, citizens)
    assert skipped == set(EXPECTED_SKIPS), "routes the walk could not fill"
    assert findings == [], "\n".join(findings)
    # Not vacuous: the walk did see personal data of both citizens (detail pages at least).
    assert {pk for _, pk in shown} == {c.pk for c in citizens}


def test_administrator_pages_show_no_unaudited_personal_data(cast, login):
    """The municipality's administrator reads the audit log (with records about the citizens
    in it); whatever the administrator's pages show of a citizen must be audited too."""
    for role in ("caseworker", "clinician"):
        login(getattr(cast, role)).get(f"/borgere/{cast.citizen.public_id}/")
    assert AuditEvent.objects.filter(citizen_id=cast.citizen.pk).count() >= 2
    log = login(cast.admin).get("/log/")
    assert log.status_code == 200 and str(cast.citizen.public_id) in log.content.decode()
    findings, _, skipped = walk_as(cast.admin, login, [cast.citizen, cast.anon])
    assert skipped == set(EXPECTED_SKIPS)
    assert findings == [], "\n".join(findings)


def test_staff_caseworker_admin_pages_are_audited_too(cast, login):
    """The admin is covered as well: a caseworker who is also Django staff (superuser) walks
    every route, admin included."""
    user = cast.caseworker
    user.is_staff = user.is_superuser = True
    user.save()
    findings, shown, skipped = walk_as(user, login, [cast.citizen, cast.anon])
    assert skipped == set(EXPECTED_SKIPS)
    assert findings == [], "\n".join(findings)
    assert shown


@pytest.mark.parametrize("role", ["caseworker", "clinician"])
def test_detail_page_writes_exactly_one_view_record(cast, login, role):
    user = getattr(cast, role)
    client = login(user)
    before = last_event_id()
    response = client.get(f"/borgere/{cast.citizen.public_id}/")
    assert response.status_code == 200
    assert cast.citizen.last_name in response.content.decode()
    events = list(AuditEvent.objects.filter(pk__gt=before))
    assert len(events) == 1, [(e.action, e.citizen_id) for e in events]
    event = events[0]
    assert event.action == Action.VIEW
    assert event.user_id == user.pk
    assert event.username == user.username
    assert event.citizen_id == cast.citizen.pk
    assert event.citizen_ref == str(cast.citizen.public_id)
    assert event.channel == "ui"
    assert event.path == f"/borgere/{cast.citizen.public_id}/"
    if role == "caseworker":
        assert (event.role, event.organisation) == ("caseworker", str(cast.muni))
        assert event.actor_municipality_id == cast.muni.pk
    else:
        assert (event.role, event.organisation) == ("clinician", str(cast.provider))
        assert event.actor_municipality_id == cast.provider.owner_municipality_id
    assert event.subject_municipality_id == cast.citizen.acting_municipality_id


def test_list_page_audits_each_citizen_shown_and_only_those(cast, login):
    client = login(cast.caseworker)
    before = last_event_id()
    response = client.get("/borgere/")
    assert response.status_code == 200
    viewed = set(
        AuditEvent.objects.filter(pk__gt=before, action=Action.VIEW)
        .values_list("citizen_id", flat=True)
    )
    assert viewed == {cast.citizen.pk, cast.anon.pk}
    text = response.content.decode()
    assert shows(text, cast.citizen) and shows(text, cast.anon)
    assert not shows(text, cast.outsider) and not shows(text, cast.ended)


def test_the_walk_detects_an_unaudited_page(cast, login, monkeypatch):
    """The walk can fail: with the detail view's record() disabled it reports the page."""
    from forlob.citizens import views

    real = views.record

    def record_everything_but_views(request, action, **kwargs):
        if action == Action.VIEW and request.path.startswith("/borgere/"):
            return None
        return real(request, action, **kwargs)

    monkeypatch.setattr(views, "record", record_everything_but_views)
    findings, _, _ = walk_as(cast.caseworker, login, [cast.citizen])
    assert any(f"/borgere/{cast.citizen.public_id}/ " in f for f in findings), findings


def test_clinician_record_names_the_provider_of_the_active_referral(cast, login):
    """A clinician at two providers; the citizen's referral to one has ended, to the other it is
    active: the record names the provider whose active referral gives access."""
    from forlob.accounts.models import Membership, Role

    from .factories import UserFactory

    user = UserFactory(username="behandler2")
    for provider in (cast.provider, cast.provider2):  # ended referral's provider comes first
        Membership.objects.create(user=user, role=Role.CLINICIAN, provider=provider)
    ReferralFactory(citizen=cast.ended, provider=cast.provider2, referred_on=dt.date(2026, 6, 1))
    before = last_event_id()
    assert login(user).get(f"/borgere/{cast.ended.public_id}/").status_code == 200
    [event] = AuditEvent.objects.filter(pk__gt=before)
    assert (event.role, event.organisation) == ("clinician", str(cast.provider2))
