"""Login with lockout, TOTP second factor (set-up and verification) and logout."""

import base64
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .forms import LoginForm, TokenForm
from .middleware import requires_second_factor


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["POST"])
def logout_view(request):
    from django.contrib.auth import logout

    logout(request)
    messages.success(request, _("Du er logget af."))
    return redirect("accounts:login")


def _qr_svg(device, user) -> tuple[str, str]:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"Forløb:{user.get_username()}")
    uri = f"otpauth://totp/{label}?secret={secret}&issuer=Forl%C3%B8b&digits={device.digits}"
    svg = segno.make(uri, error="m").svg_inline(scale=5, title=_("QR-kode til godkendelses-app"))
    return svg, secret


def _safe_next(request) -> str:
    """The `next` address if it stays on this site, else the home page (no open redirect)."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "portal:home"


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request):
    if not requires_second_factor(request.user) or request.user.is_verified():
        return redirect("portal:home")
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return redirect("accounts:otp_setup")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["otp_token"]):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("otp_token", _("Koden er forkert eller udløbet. Prøv den næste kode."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request):
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "app"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("To-faktor-login er slået til."))
            return redirect("portal:home")
        form.add_error("otp_token", _("Koden passer ikke. Tjek at telefonens ur er korrekt."))
    qr, secret = _qr_svg(device, request.user)
    return render(request, "accounts/otp_setup.html", {"form": form, "qr": qr, "secret": secret})
