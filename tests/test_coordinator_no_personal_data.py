"""Acceptance (issue 2): no page a kvalitetskoordinator can reach shows personal data.

Every URL pattern is walked at run time (tests/urlwalk.py) and requested with GET, with the
kwargs filled in for every citizen in turn, as a cluster coordinator, a region coordinator and a
municipal leader (leaders see aggregates only). No answer may contain any citizen's name,
pseudonym, address or CPR number (full, masked or the birth-date part), and no request may
write an audit record about a citizen (which would mean personal data was read).
"""

import datetime as dt

import pytest
from django.db.models import Max

from forlob.audit.models import AuditEvent

from .factories import AnonymousCitizenFactory, CitizenFactory, ReferralFactory
from .urlwalk import PersonalData, body, endpoints, fill, mark, send

#: Routes the walk may leave out, with the reason (see test_audit_walk).
EXPECTED_SKIPS: dict[str, str] = {}


@pytest.fixture
def cast(world):
    world.anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    ReferralFactory(citizen=world.anon, provider=world.provider, referred_on=dt.date(2026, 4, 1))
    # Citizens in the other cluster and in the leader's municipality, enough of them that
    # aggregated figures are not suppressed.
    world.more = [CitizenFactory(residence_municipality=world.muni) for _ in range(6)]
    world.citizens = [world.citizen, world.anon, world.outsider, world.ended, *world.more]
    for c in world.citizens:
        mark(c)
    return world


def walk(user, login, citizens):
    """GET every route with every kind of citizen filled in; look for all citizens' data."""
    fill_with = citizens[:5]  # one of each kind; the rest only need to be looked for
    client = login(user)
    detector = PersonalData(citizens)
    findings, seen, skipped, ok = [], set(), set(), []
    for e in endpoints():
        for citizen in fill_with if e.kwargs else fill_with[:1]:
            values = fill(e, citizen)
            path = e.build(values) if isinstance(values, dict) else None
            if path is None:
                skipped.add(e.route)
                continue
            if path in seen:
                continue
            seen.add(path)
            before = AuditEvent.objects.aggregate(m=Max("pk"))["m"] or 0
            try:
                response = send(client, "GET", path, e.is_api)
            except Exception as exc:  # noqa: BLE001 - a crash is a finding too
                findings.append(f"GET {path}: {type(exc).__name__}: {exc}")
                continue
            finally:
                if "_auth_user_id" not in client.session:
                    client = login(user)
            if response.status_code == 200:
                ok.append(path)
            text = body(response)
            for pk, kinds in detector.find(text).items():
                findings.append(f"GET {path} ({e.name or e.route}) shows {', '.join(kinds)} "
                                f"of citizen {pk}")
            read = AuditEvent.objects.filter(pk__gt=before, citizen_id__isnull=False)
            if read.exists():
                findings.append(f"GET {path} ({e.name or e.route}) read citizens "
                                f"{sorted(read.values_list('citizen_id', flat=True))}")
    return findings, skipped, ok


@pytest.mark.parametrize("role", ["coordinator", "region_coordinator", "leader"])
def test_no_reachable_page_shows_personal_data(cast, login, role):
    findings, skipped, ok = walk(getattr(cast, role), login, cast.citizens)
    assert skipped == set(EXPECTED_SKIPS), "routes the walk could not fill"
    assert findings == [], "\n".join(findings)
    # Not vacuous: the user was logged in and reached pages (home at least).
    assert "/" in ok and len(ok) >= 2


@pytest.mark.parametrize("role", ["coordinator", "region_coordinator"])
def test_not_even_as_django_staff(cast, login, role):
    """A coordinator who is also Django staff (superuser) reaches the admin: it shows no
    personal data either, because the admin goes through the same scoping layer."""
    user = getattr(cast, role)
    user.is_staff = user.is_superuser = True
    user.save()
    findings, skipped, ok = walk(user, login, cast.citizens)
    assert skipped == set(EXPECTED_SKIPS)
    assert findings == [], "\n".join(findings)
    assert any(p.startswith("/admin/") for p in ok)


def test_the_walk_notices_personal_data(cast, login):
    """The check can fail: the caseworker, who may see personal data, is reported."""
    findings, _, _ = walk(cast.caseworker, login, cast.citizens)
    assert any(f"/borgere/{cast.citizen.public_id}/" in f for f in findings)
    assert any("read citizens" in f for f in findings)
