import datetime as dt

import pytest

from forlob import clock
from forlob.accounts.models import Role

from .factories import (
    CitizenFactory,
    ClusterFactory,
    MunicipalityFactory,
    ProviderFactory,
    ReferralFactory,
    RegionFactory,
    make_user,
)

TODAY = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _danish_first():
    """Each test starts in Danish, whatever language an earlier test switched to."""
    from django.utils import translation

    translation.activate("da")
    yield
    translation.activate("da")


@pytest.fixture(autouse=True)
def _pinned_today():
    """Every test runs on a known day; tests move it with clock.frozen()."""
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def world(db):
    """Two municipalities in one cluster, a third in another cluster, a provider each,
    one user per role, and citizens in and out of each user's scope."""

    class W:
        pass

    w = W()
    w.region = RegionFactory(name="Region Sjælland")
    w.cluster = ClusterFactory(region=w.region, name="Øst")
    w.other_cluster = ClusterFactory(region=w.region, name="Syd")
    w.muni = MunicipalityFactory(name="Solrød", code="269", cluster=w.cluster)
    w.muni2 = MunicipalityFactory(name="Køge", code="259", cluster=w.cluster)
    w.muni3 = MunicipalityFactory(name="Faxe", code="320", cluster=w.other_cluster)
    w.provider = ProviderFactory(name="Misbrugscenter Øst", owner_municipality=w.muni2)
    w.provider2 = ProviderFactory(name="Privat Alkoholklinik", owner_municipality=None)
    w.caseworker = make_user(Role.CASEWORKER, w.muni, "sagsbehandler")
    w.clinician = make_user(Role.CLINICIAN, w.provider, "behandler")
    w.leader = make_user(Role.LEADER, w.muni, "leder")
    w.coordinator = make_user(Role.COORDINATOR, w.cluster, "koordinator")
    w.region_coordinator = make_user(Role.COORDINATOR, w.region, "regionskoordinator")
    w.admin = make_user(Role.ADMINISTRATOR, w.muni, "administrator")
    # In the caseworker's scope, referred to the clinician's provider:
    w.citizen = CitizenFactory(residence_municipality=w.muni, first_name="Karen",
                               last_name="Jensen")
    w.referral = ReferralFactory(citizen=w.citizen, provider=w.provider,
                                 referred_on=dt.date(2026, 3, 1))
    # Another municipality's citizen, referred elsewhere, and one whose referral has ended:
    w.outsider = CitizenFactory(residence_municipality=w.muni3, first_name="Ole",
                                last_name="Udenfor")
    w.ended = CitizenFactory(residence_municipality=w.muni2, first_name="Erik",
                             last_name="Afsluttet")
    ReferralFactory(citizen=w.ended, provider=w.provider, referred_on=dt.date(2026, 1, 1),
                    ended_on=dt.date(2026, 5, 31))
    return w


def verify_second_factor(client, user):
    """Log in as if the user had passed TOTP: a confirmed device, marked in the session."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, confirmed=True, name="test")
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def login(client):
    """Log a user in with both factors (the test settings require two-factor)."""

    def _login(user, client=client):
        client.force_login(user)
        verify_second_factor(client, user)
        return client

    return _login
