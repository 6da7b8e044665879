"""Session integrity and the two-factor requirement."""

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from forlob.access import scope_for

#: Paths reachable while logged in but before the second factor. Only the login pages under
#: /konto/: the user administration (/konto/brugere/) needs both factors.
EXEMPT_PREFIXES = ("/konto/login/", "/konto/logout/", "/konto/2fa/", "/static/", "/i18n/",
                   "/om/", "/tilgaengelighed/", "/kvalitetsstandard/")


def requires_second_factor(user) -> bool:
    """Every role that sees personal data logs in with TOTP (issue 2, login)."""
    return bool(settings.FORLOB_REQUIRE_2FA) and scope_for(user).sees_personal_data


class SessionIntegrityMiddleware:
    """A session cookie that does not match a live session (tampered or expired) is dropped,
    and the user is told why on the login page instead of silently seeing it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if cookie:
            # Loading drops the key of a session that is unknown, tampered or expired
            # (`exists()` alone would miss expiry: the row outlives its expire_date).
            request.session.keys()
            if request.session.session_key is None:
                request.session.flush()
                request.forlob_session_expired = True
        return self.get_response(request)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(EXEMPT_PREFIXES)
            and requires_second_factor(user)
            and not user.is_verified()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": _("To-faktor-login kræves.")}, status=403
                )
            messages.info(request, _("Bekræft dit login med koden fra din godkendelses-app."))
            return redirect("accounts:otp_verify")
        if getattr(request, "forlob_session_expired", False) and not (
            user is not None and user.is_authenticated
        ):
            if not request.path.startswith(EXEMPT_PREFIXES) and not request.path.startswith(
                "/api/"
            ):
                messages.info(request, _("Din session er udløbet. Log ind igen."))
        return self.get_response(request)
