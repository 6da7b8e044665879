"""axe-core on every page that exists, for every role, in Danish and in English.

The pages come from Django's URL patterns (so views added later are walked automatically),
with parameters filled from objects in the user's scope, plus every same-site page linked
from a checked page. The API and Django's admin are not pages for people and are skipped.
Every page is also watched for CSP violations, JavaScript errors and failing static files."""

import time

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse
from django.urls.converters import UUIDConverter
from django_otp.plugins.otp_totp.models import TOTPDevice

from forlob.access import scoped
from forlob.citizens.models import Citizen, Referral
from forlob.organisations.models import TreatmentKind
from forlob.portal import views as portal_views

from ..factories import ProviderFactory, PurchaseAgreementFactory
from .helpers import (
    build_paths,
    log_in,
    page_routes,
    route_key,
    submit,
    switch_language,
    walk_pages,
)

pytestmark = pytest.mark.browser

NOT_FOUND = "/findes-ikke-forlob-test/"
LANGUAGES = (("da", None), ("en", "English"))  # (lang, header button that switches to it)


def _model_for(name, route):
    """The model a URL parameter points at: `<model>_id`, or for `pk`/`id` the first word of
    the URL name (organisations:provider_edit -> Provider, agreement_edit -> PurchaseAgreement)."""
    if name.endswith("_id"):
        word = name[: -len("_id")].replace("_", "")
    elif name in ("pk", "id") and route.name:
        word = route.name.rsplit(":", 1)[-1].split("_")[0]
    else:
        return None
    models = [m for m in apps.get_models() if m._meta.model_name == word]
    models = models or [m for m in apps.get_models() if m._meta.model_name.endswith(word)]
    return models[0] if models else None


def _filler(user, world):
    """Candidate values for URL parameters: citizen_id is an in-scope, named citizen (or the
    world's citizen, which then answers 404); referral_id one of that citizen's referrals; any
    other parameter naming a model a few of its objects, in scope first when the model is
    scoped. The walk tries candidates until one is a page. Unknown parameters get nothing and
    the route is listed as skipped in the report."""
    in_scope = None
    if user is not None:
        in_scope = scoped(user, Citizen).filter(is_anonymous=False).order_by("pk").first()
    citizen = in_scope or world.citizen

    def fill(name, converter, route):
        if name == "citizen_id":
            return [citizen.public_id]
        if name == "referral_id":
            return list(Referral.objects.filter(citizen=citizen).order_by("pk")
                        .values_list("pk", flat=True)[:5])
        model = _model_for(name, route)
        if model is None:
            return []
        objects = list(model._default_manager.order_by("pk")[:5])
        if user is not None:
            try:
                objects = list(scoped(user, model).order_by("pk")[:5]) + objects
            except ImproperlyConfigured:  # not a scoped (personal-data) model
                pass
        if isinstance(converter, UUIDConverter):
            return [o.public_id for o in objects if hasattr(o, "public_id")]
        return [o.pk for o in objects]

    return fill


def _roots(user, world, skipped):
    routes, regex = page_routes()
    skipped.extend(f"regex route, not walked\t/{r}" for r in regex)
    fill = _filler(user, world)
    roots = []
    for route in routes:
        paths = build_paths(route, fill)
        if not paths:
            skipped.append(f"no value for a parameter\t/{route.route}")
        roots.extend(paths)
    return roots + [NOT_FOUND]


def _error_page_html(view, status):
    """Error pages Django renders itself (400, 403, 500), through the same middleware for
    CSP, as an anonymous request would get them."""
    from csp.middleware import CSPMiddleware

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = CSPMiddleware(lambda r: view(r))(request)
    assert response.status_code == status
    return response.content, dict(response.items())


def _fulfil(status, body, headers):
    return lambda route: route.fulfill(status=status, body=body, headers=headers)


def test_axe_on_every_page_for_every_role(world, live_server, new_page, findings):
    started = time.monotonic()
    base = live_server.url
    TOTPDevice.objects.create(user=world.caseworker, name="telefon", confirmed=True)
    # Something for the administrator to edit, so those pages exist for them.
    own = ProviderFactory(name="Solrød Ungeindsats", owner_municipality=world.muni,
                          kinds=[TreatmentKind.YOUTH])
    PurchaseAgreementFactory(municipality=world.muni, provider=own,
                             kinds=[TreatmentKind.YOUTH])
    PurchaseAgreementFactory(municipality=world.muni, provider=world.provider,
                             kinds=[TreatmentKind.MEDICAL_DRUG])
    users = {
        "caseworker": world.caseworker,  # verify page (has a device)
        "clinician": world.clinician,  # set-up page (no device yet)
        "leader": world.leader,
        "coordinator": world.coordinator,
        "region-coordinator": world.region_coordinator,
        "administrator": world.admin,  # set-up page
    }
    # Danish (the default) is checked for every pattern per role, since menus and contents
    # differ by role; English once per pattern over all roles, and every role's home page.
    english_done: set[str] = set()
    home = reverse("portal:home")

    def walk(page, user, role, lang):
        done = None
        if lang == "en":
            english_done.discard(route_key(home))
            done = english_done
        return walk_pages(page, base, _roots(user, world, findings.skipped), f"{role} {lang}",
                          findings, (NOT_FOUND,), done, lang)

    # Not logged in: the walk ends on the login page and the public pages.
    page = new_page()
    for lang, button in LANGUAGES:
        page.goto(base + reverse("accounts:login"))
        if button:
            switch_language(page, button, lang)
        walk(page, None, "anonymous", lang)
        # A failed login shows the form's errors.
        page.goto(base + reverse("accounts:login"))
        page.locator("#id_username").fill(world.leader.username)
        page.locator("#id_password").fill("forkert-adgangskode")
        submit(page, page.locator("main form button[type=submit]"))
        assert page.locator(".form-error-message, .alert-error").count() > 0
        findings.check(page, f"anonymous {lang} login failed")

    # Locked out after repeated failures (django-axes' lockout page).
    page = new_page()
    page.goto(base + reverse("accounts:login"))
    for _ in range(5):
        page.locator("#id_username").fill("ukendt-bruger")
        page.locator("#id_password").fill("forkert-adgangskode")
        submit(page, page.locator("main form button[type=submit]"))
        if page.locator("#id_password").count() == 0:
            break
    assert page.locator("#id_password").count() == 0, "no lockout after 5 failures"
    findings.check(page, "anonymous da locked out")

    # Error pages Django renders without a URL of their own.
    for status, view in ((400, portal_views.error_400), (403, portal_views.error_403),
                         (500, portal_views.error_500)):
        body, headers = _error_page_html(view, status)
        url = f"{base}/__fejlside-{status}/"
        page.route(url, _fulfil(status, body, headers))
        page.goto(url)
        findings.check(page, f"anonymous da error {status}")

    # Each role: log in through the forms (2FA pages checked on the way), walk in both languages.
    for role, user in users.items():
        page = new_page()
        log_in(page, base, user, findings, f"{role} da")
        for lang, button in LANGUAGES:
            if button:
                page.goto(base + home)
                switch_language(page, button, lang)
            n = walk(page, user, role, lang)
            assert n >= 1, f"{role} {lang}: no page checked"

    report = findings.write_report("browser-pages")
    elapsed = time.monotonic() - started
    print(f"\naxe checked {len(findings.pages)} pages in {elapsed:.1f}s; list in {report}")
    checked = {tuple(line.split("\t")[:2]) for line in findings.pages}
    for role in users:
        for lang, _button in LANGUAGES:
            assert (f"{role} {lang} {home}", home) in checked, f"{role} home ({lang}) not checked"
    for name in ("citizens:list", "organisations:overview", "accounts:user_list", "audit:log"):
        path = reverse(name)
        assert any(p == path for _w, p in checked), f"{path} never checked"
    assert not findings.problems(), findings.problems()


def test_the_checks_can_fail(live_server, new_page, findings):
    """The watchers and axe notice what they are there to notice: an inline script and an
    inline style blocked by CSP, an uncaught JavaScript error, a missing static file, and
    an image without alternative text."""
    base = live_server.url
    html = (
        '<!DOCTYPE html><html lang="da"><head><title>Prøve</title></head><body><main>'
        '<h1>Prøve</h1><script>document.title = "inline";</script>'
        '<p style="color: red">rød</p><script src="/__proeve/boom.js"></script>'
        '<script src="/static/forlob/findes-ikke.js"></script>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        "</main></body></html>"
    )
    body, headers = _error_page_html(portal_views.error_403, 403)
    headers["Content-Type"] = "text/html; charset=utf-8"
    page = new_page()
    page.route(f"{base}/__proeve/", _fulfil(200, html, headers))
    page.route(f"{base}/__proeve/boom.js", _fulfil(
        200, 'throw new Error("bum");', {"Content-Type": "text/javascript"}))
    page.goto(f"{base}/__proeve/")
    page.wait_for_timeout(200)
    violations = findings.check(page, "self-test", screenshot=False)
    assert "image-alt" in {v["id"] for v in violations}
    assert any("script-src" in m for m in findings.csp), findings.csp
    assert any("style-src" in m for m in findings.csp), findings.csp
    assert any("bum" in m for m in findings.js_errors), findings.js_errors
    assert any("findes-ikke.js" in m for m in findings.bad_responses), findings.bad_responses
    assert "image-alt" in findings.problems()
