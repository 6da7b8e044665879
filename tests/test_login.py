"""Login (issue 2, item 8 and "Bad input"): password, lockout, TOTP for personal-data roles,
tampered and expired sessions, logout by POST only."""

import datetime as dt
import logging

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from forlob.accounts.models import Role

from .factories import make_user

PASSWORD = "korrekt-hest-batteri"  # the factories' password
LOGIN = reverse("accounts:login")
HOME = reverse("portal:home")


@pytest.fixture(autouse=True)
def _axes_clean(db):
    reset()
    yield
    reset()


def _token(device) -> str:
    """The TOTP code an authenticator app would show right now."""
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift)
    return f"{code:0{device.digits}d}"


def _login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _templates(response):
    return [t.name for t in response.templates]


def test_login_page_renders(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "accounts/login.html" in _templates(response)
    body = response.content.decode()
    assert 'name="username"' in body and 'name="password"' in body
    assert 'for="id_username"' in body and 'for="id_password"' in body


def test_wrong_password_shows_error_and_never_logs_the_password(client, world, caplog):
    secret = "Forkert-Hemmelig-Kode-991"
    caplog.set_level(logging.DEBUG)
    response = _login(client, world.leader.username, secret)
    assert response.status_code == 200
    assert "Forkert brugernavn eller adgangskode" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    # The security log names the username and address, never the password:
    security = [r for r in caplog.records if r.name == "forlob.security"]
    assert security, "a failed login must be logged"
    assert world.leader.username in security[0].getMessage()
    assert "127.0.0.1" in security[0].getMessage()
    assert secret not in caplog.text
    for record in caplog.records:
        assert secret not in record.getMessage()
        assert secret not in repr(record.args)
    # The form does not echo the password back either:
    assert secret not in response.content.decode()


def test_lockout_after_five_failures(client, world):
    for _attempt in range(5):
        response = _login(client, world.leader.username, "forkert-kode-123456")
        assert not response.wsgi_request.user.is_authenticated
    assert AccessAttempt.objects.filter(username=world.leader.username).exists()
    # Even the right password is now refused, and the lockout page is shown:
    response = _login(client, world.leader.username, PASSWORD)
    assert response.status_code in (403, 429)
    assert "accounts/locked_out.html" in _templates(response)
    assert "Login midlertidigt spærret" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(HOME).status_code == 302  # still not logged in


def test_four_failures_do_not_lock_out(client, world):
    for _attempt in range(4):
        _login(client, world.leader.username, "forkert-kode-123456")
    response = _login(client, world.leader.username, PASSWORD)
    assert response.status_code == 302
    assert client.get(HOME).status_code == 200


def test_lockout_is_reset_by_axes_reset(client, world):
    for _attempt in range(5):
        _login(client, world.leader.username, "forkert-kode-123456")
    assert _login(client, world.leader.username, PASSWORD).status_code in (403, 429)
    reset()
    assert _login(client, world.leader.username, PASSWORD).status_code == 302


def test_leader_is_not_asked_for_second_factor(client, world, settings):
    settings.FORLOB_REQUIRE_2FA = True
    response = _login(client, world.leader.username, PASSWORD)
    assert response.status_code == 302
    response = client.get(HOME)
    assert response.status_code == 200
    assert "portal/home.html" in _templates(response)
    assert not TOTPDevice.objects.filter(user=world.leader).exists()


@pytest.mark.parametrize("role_user", ["caseworker", "clinician", "admin"])
def test_personal_data_role_must_set_up_totp(client, world, settings, role_user):
    settings.FORLOB_REQUIRE_2FA = True
    user = getattr(world, role_user)
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 302
    # Password alone reaches no page with data: home goes to verify, verify to set-up.
    response = client.get(HOME, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:otp_setup")
    assert "accounts/otp_setup.html" in _templates(response)
    assert client.get(reverse("citizens:list")).status_code == 302
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    # A wrong code is refused:
    response = client.post(reverse("accounts:otp_setup"), {"otp_token": "000000"
                           if _token(device) != "000000" else "111111"})
    assert response.status_code == 200
    assert "Koden passer ikke" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()
    # The right code confirms the device and opens the home page:
    response = client.post(reverse("accounts:otp_setup"), {"otp_token": _token(device)})
    assert response.status_code == 302 and response.url == HOME
    device.refresh_from_db()
    assert device.confirmed
    response = client.get(HOME)
    assert response.status_code == 200
    assert "portal/home.html" in _templates(response)


def test_confirmed_device_is_asked_for_code_after_password(client, world, settings):
    settings.FORLOB_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=world.caseworker, name="app", confirmed=True)
    _login(client, world.caseworker.username, PASSWORD)
    response = client.get(reverse("citizens:list"))
    assert response.status_code == 302 and response.url == reverse("accounts:otp_verify")
    response = client.post(reverse("accounts:otp_verify"), {"otp_token": "12345"})
    assert "Koden skal være seks cifre" in response.content.decode()
    response = client.post(reverse("accounts:otp_verify"), {"otp_token": _token(device)})
    assert response.status_code == 302 and response.url == HOME
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("citizens:list")).status_code == 200


def test_otp_verify_ignores_foreign_next(client, world, settings):
    settings.FORLOB_REQUIRE_2FA = True
    device = TOTPDevice.objects.create(user=world.caseworker, name="app", confirmed=True)
    _login(client, world.caseworker.username, PASSWORD)
    response = client.post(reverse("accounts:otp_verify") + "?next=https://evil.example/x",
                           {"otp_token": _token(device)})
    assert response.status_code == 302
    assert response.url == HOME


def test_password_only_admin_cannot_reach_user_administration(client, world, settings):
    """/konto/ holds the login pages, which are open before the second factor; the user
    administration under /konto/brugere/ must not be."""
    settings.FORLOB_REQUIRE_2FA = True
    _login(client, world.admin.username, PASSWORD)
    for url in (reverse("accounts:user_list"), reverse("accounts:user_create"),
                reverse("accounts:user_detail", args=[world.caseworker.pk])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == reverse("accounts:otp_verify"), url


def test_two_factor_off_lets_personal_data_role_in(client, world, settings):
    settings.FORLOB_REQUIRE_2FA = False
    _login(client, world.caseworker.username, PASSWORD)
    assert client.get(HOME).status_code == 200


def test_inactive_user_cannot_log_in(client, world):
    world.leader.is_active = False
    world.leader.save()
    response = _login(client, world.leader.username, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_tampered_session_cookie_goes_back_to_login(client, world, login):
    login(world.caseworker)
    assert client.get(HOME).status_code == 200
    client.cookies["sessionid"] = "garbage"
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    response = client.get(response.url)
    assert "accounts/login.html" in _templates(response)
    assert "Din session er udløbet" in response.content.decode()


def test_tampered_long_session_cookie_goes_back_to_login(client, world, login):
    login(world.caseworker)
    client.cookies["sessionid"] = "x" * 32
    response = client.get(reverse("citizens:list"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_expired_session_goes_back_to_login(client, world, login):
    login(world.caseworker)
    assert client.get(HOME).status_code == 200
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    response = client.get(response.url)
    assert "Din session er udløbet" in response.content.decode()


def test_fresh_visitor_is_not_told_session_expired(client, db):
    response = client.get(HOME, follow=True)
    assert "accounts/login.html" in _templates(response)
    assert "Din session er udløbet" not in response.content.decode()


def test_logout_requires_post(client, world, login):
    login(world.leader)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert client.get(HOME).status_code == 200  # still logged in
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response.url == LOGIN
    assert client.get(HOME).status_code == 302


def test_logout_needs_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.leader)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 403
    assert client.get(HOME).status_code == 200


def test_password_login_creates_session_with_timeout(client, world, settings):
    response = _login(client, world.leader.username, PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    session = Session.objects.get(session_key=cookie.value)
    remaining = session.expire_date - timezone.now()
    assert remaining <= dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_second_membership_with_personal_data_requires_2fa(client, world, settings):
    """A leader who is also a caseworker sees personal data, so needs the second factor."""
    settings.FORLOB_REQUIRE_2FA = True
    user = make_user(Role.LEADER, world.muni, "leder-og-sagsbehandler")
    user.memberships.create(role=Role.CASEWORKER, municipality=world.muni)
    _login(client, user.username, PASSWORD)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("accounts:otp_verify")
