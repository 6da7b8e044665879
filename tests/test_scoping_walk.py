"""Acceptance (issue 2): for every role, a citizen out of scope answers 404 on every URL and API
endpoint that takes one - never 200, 302, 400, 403 or 500, which would reveal that the citizen
exists. The URL patterns are walked at run time (tests/urlwalk.py), so a view or endpoint added
later is covered without being listed here."""

import datetime as dt

import pytest

from .factories import AnonymousCitizenFactory, ReferralFactory, UserFactory
from .urlwalk import NONEXISTENT_PK, citizen_related_kwargs, endpoints, fill, has_rows, send

UI_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: 404, or 405 when the method is wrong whatever the citizen (reveals nothing).
ALLOWED = {404, 405}

CITIZENS = ("citizen", "anon", "ended", "outsider", "anon_outsider")
#: Who may see whom, from the issue's role descriptions - deliberately not computed by the
#: scoping layer under test.
IN_SCOPE = {
    "caseworker": {"citizen", "anon"},  # acting municipality is theirs
    "clinician": {"citizen", "anon"},  # actively referred to their provider ("ended" is not)
}
ROLES = (
    "caseworker", "clinician", "leader", "coordinator", "region_coordinator", "admin",
    "superuser",
)


@pytest.fixture
def cast(world):
    """The world, plus anonymous persons in and out of the caseworker's municipality, and rows
    (referrals) for every citizen, so ids of real objects exist for every citizen."""
    world.anon = AnonymousCitizenFactory(acting_municipality=world.muni)
    ReferralFactory(citizen=world.anon, provider=world.provider, referred_on=dt.date(2026, 4, 1))
    world.anon_outsider = AnonymousCitizenFactory(acting_municipality=world.muni3)
    ReferralFactory(citizen=world.anon_outsider, provider=world.provider2,
                    referred_on=dt.date(2026, 4, 1))
    ReferralFactory(citizen=world.outsider, provider=world.provider2,
                    referred_on=dt.date(2026, 2, 1))
    # A Django superuser holds no membership: the flag must not open the register.
    world.superuser = UserFactory(username="superbruger", is_staff=True, is_superuser=True)
    return world


def citizen_endpoints():
    return [e for e in endpoints() if "citizen_id" in e.kwargs]


def status_of(client, method, path, api, relogin):
    try:
        response = send(client, method, path, api)
    except Exception as exc:  # noqa: BLE001 - a crash is a finding, reported with the rest
        return f"{type(exc).__name__}: {exc}"
    finally:
        if "_auth_user_id" not in client.session:
            relogin()
    return response.status_code


def test_the_walk_finds_ui_and_api_routes_with_a_citizen():
    routes = citizen_endpoints()
    names = {e.name for e in routes}
    assert "citizens:detail" in names
    assert any(e.is_api for e in routes), "no /api/v1/ route takes citizen_id"
    assert any(e.route.startswith("borgere/") for e in routes)


@pytest.mark.parametrize("role", ROLES)
def test_out_of_scope_citizen_answers_404_on_every_route(cast, login, role):
    user = getattr(cast, role)
    client = login(user)
    routes = citizen_endpoints()
    failures, skipped, requests = [], [], 0
    for name in CITIZENS:
        if name in IN_SCOPE.get(role, set()):
            continue
        citizen = getattr(cast, name)
        for e in routes:
            values = fill(e, citizen)
            path = e.build(values) if isinstance(values, dict) else None
            if path is None:
                skipped.append(f"{e.route}: {values if isinstance(values, str) else 'unbuildable'}")
                continue
            for method in API_METHODS if e.is_api else UI_METHODS:
                requests += 1
                status = status_of(client, method, path, e.is_api, lambda: login(user))
                if status not in ALLOWED:
                    failures.append(f"{method} {path} ({e.name or e.route}, {name}) -> {status}")
    assert skipped == [], "routes the walk could not fill (fix urlwalk or the route)"
    assert requests >= 2 * len(routes)
    assert failures == [], f"{role} reached out-of-scope citizens:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ["caseworker", "clinician"])
def test_citizen_in_scope_with_another_citizens_rows_answers_404(cast, login, role):
    """A route naming an in-scope citizen and a row (e.g. a referral) of another citizen must
    not reach that row."""
    user = getattr(cast, role)
    client = login(user)
    failures, checked = [], 0
    for e in citizen_endpoints():
        related = citizen_related_kwargs(e)
        if not related:
            continue
        for other_name in CITIZENS:
            other = getattr(cast, other_name)
            if other == cast.citizen or not all(has_rows(e, k, other) for k in related):
                continue
            values = fill(e, cast.citizen, overrides={k: other for k in related})
            assert isinstance(values, dict), values
            assert NONEXISTENT_PK not in values.values()
            path = e.build(values)
            assert path is not None, e.route
            for method in API_METHODS if e.is_api else UI_METHODS:
                checked += 1
                status = status_of(client, method, path, e.is_api, lambda: login(user))
                if status not in ALLOWED:
                    failures.append(f"{method} {path} ({e.name}, rows of {other_name}) -> {status}")
    assert checked > 0, "no route combines a citizen with a row of its own"
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("role", ["caseworker", "clinician"])
def test_in_scope_citizen_is_reachable(cast, login, role):
    """The walk is not vacuous: the same routes answer 200 for a citizen in scope."""
    client = login(getattr(cast, role))
    by_name = {e.name: e for e in citizen_endpoints()}
    for name in ("citizens:detail", "v1:citizen-detail"):
        if name not in by_name:
            continue
        path = by_name[name].build(fill(by_name[name], cast.citizen))
        response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
    assert "citizens:detail" in by_name


def test_clinician_loses_the_citizen_when_the_referral_ends(cast, login):
    from forlob import clock

    client = login(cast.clinician)
    path = f"/borgere/{cast.citizen.public_id}/"
    assert client.get(path).status_code == 200
    cast.referral.ended_on = clock.today()
    cast.referral.save()
    assert client.get(path).status_code == 200  # the last day still counts
    with clock.frozen(clock.today() + dt.timedelta(days=1)):
        assert client.get(path).status_code == 404
