"""Browser-test helpers: axe-core, console watching, login through the real forms, and the walk
over every GET-able page built from Django's URL patterns."""

import http.client
import itertools
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
AXE_JS = Path(settings.NODE_MODULES) / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("serious", "critical")
PASSWORD = "korrekt-hest-batteri"  # tests/factories.py UserFactory

#: Not pages for people: the API, Django's admin, the language switch endpoint, static files.
SKIP_PREFIXES = ("/api/", "/admin/", "/i18n/", "/static/", "/media/")

#: Reports Content Security Policy violations to the console, whatever the browser's wording.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', function (e) {
  console.error('Content Security Policy violation: ' + e.violatedDirective + ' blocked '
    + e.blockedURI + ' at ' + e.sourceFile + ':' + e.lineNumber);
});
"""

_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), impact: n.impact})),
  }));
}"""

_axe_source: str | None = None


def slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower() or "root"


def run_axe(page) -> list[dict]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page as it is now.

    axe is evaluated over the DevTools protocol rather than added as a <script> tag: the
    site's CSP (script-src 'self') rightly blocks inline scripts, so a tag would not run."""
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source)
    violations = page.evaluate(_AXE_RUN, AXE_TAGS)
    return [v for v in violations if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}:"]
    for v in violations:
        targets = ", ".join(n["target"] for n in v["nodes"][:6])
        more = f" (+{len(v['nodes']) - 6} more)" if len(v["nodes"]) > 6 else ""
        lines.append(f"  - {v['id']} [{v['impact']}] {v['help']}: {targets}{more}")
    return "\n".join(lines)


@dataclass
class Findings:
    """Everything the browser tests object to, collected so one run reports all of it."""

    axe: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    wrong_language: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # one line per page checked with axe
    skipped: list[str] = field(default_factory=list)  # URLs walked but not checked, and why

    def watch(self, page):
        """Listen to a page for CSP violations, JavaScript errors and failing sub-resources."""

        def on_console(msg):
            text = msg.text
            if "Content Security Policy" in text:
                self.csp.append(f"{page.url}: {text}")
            elif msg.type == "error" and not text.startswith("Failed to load resource"):
                self.js_errors.append(f"{page.url}: console error: {text}")

        def on_response(response):
            if response.request.resource_type != "document" and response.status >= 400:
                self.bad_responses.append(f"{page.url}: {response.status} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.js_errors.append(f"{page.url}: {exc}"))
        page.on("response", on_response)
        return page

    def check(self, page, where: str, screenshot: bool = True):
        """Run axe on the page; remember the page, and any blocking violation."""
        violations = run_axe(page)
        title = page.title()
        self.pages.append(f"{where}\t{urlsplit(page.url).path}\t{title}\t{len(violations)}")
        if violations:
            self.axe.append(describe_violations(f"{where} ({page.url})", violations))
            if screenshot:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=SCREENSHOTS / f"axe-{slug(where)}.png", full_page=True)
        return violations

    def problems(self) -> str:
        parts = []
        for name, items in (
            ("axe-core serious/critical violations", self.axe),
            ("Content Security Policy violations", self.csp),
            ("JavaScript errors", self.js_errors),
            ("failed sub-resources", self.bad_responses),
            ("pages in the wrong language", self.wrong_language),
        ):
            if items:
                parts.append(f"{len(items)} {name}:\n" + "\n".join(dict.fromkeys(items)))
        return "\n\n".join(parts)

    def write_report(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.txt"
        text = "where\tpath\ttitle\tviolations\n" + "\n".join(self.pages)
        if self.skipped:
            text += "\n\nwalked, not checked:\n" + "\n".join(dict.fromkeys(self.skipped))
        problems = self.problems()
        if problems:
            text += "\n\n" + problems
        path.write_text(text + "\n", encoding="utf-8")
        return path


# --- Logging in through the real forms --------------------------------------------------------


def totp_token(device) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                drift=device.drift)
    return f"{totp.token():0{device.digits}d}"


def submit(page, locator):
    with page.expect_navigation():
        locator.click()


def log_in(page, base_url: str, user, findings: Findings | None = None, where: str = ""):
    """Log in with username and password, then the TOTP step the user's role requires:
    the verify page for a confirmed device, otherwise the set-up page. Each step's page is
    checked with axe when `findings` is given."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page.goto(base_url + reverse("accounts:login"))
    page.get_by_label("Brugernavn").fill(user.get_username())
    page.get_by_label("Adgangskode").fill(PASSWORD)
    submit(page, page.get_by_role("button", name="Log ind", exact=True))
    path = urlsplit(page.url).path
    if path == reverse("accounts:otp_verify"):
        device = TOTPDevice.objects.get(user=user, confirmed=True)
    elif path == reverse("accounts:otp_setup"):
        device = TOTPDevice.objects.get(user=user, confirmed=False)
    else:
        assert path == reverse("portal:home"), f"{user}: login ended on {page.url}"
        return
    if findings is not None:
        findings.check(page, f"{where} {path}")
    page.get_by_label("Kode fra godkendelses-app").fill(totp_token(device))
    submit(page, page.locator("main form button[type=submit]"))
    assert urlsplit(page.url).path == reverse("portal:home"), f"{user}: 2FA ended on {page.url}"


def switch_language(page, button_name: str, lang: str):
    """Use the language button in the header; the page comes back in that language."""
    submit(page, page.locator("header").get_by_role("button", name=button_name, exact=True))
    actual = page.locator("html").get_attribute("lang")
    assert actual == lang, f"language switch to {lang} gave lang={actual!r} on {page.url}"


# --- The URL walk -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    route: str  # e.g. "borgere/<uuid:citizen_id>/"
    converters: tuple  # ((name, converter), ...)
    name: str


def page_routes() -> tuple[list[Route], list[str]]:
    """Every URL pattern outside the skipped prefixes, with the converters of its parameters;
    and the regex patterns that cannot be built from their text."""
    routes, regex = [], []

    def walk(patterns, prefix, converters, namespace):
        for p in patterns:
            if not isinstance(p.pattern, RoutePattern):
                if not ("/" + prefix).startswith(SKIP_PREFIXES):
                    regex.append(prefix + str(p.pattern))
                continue
            text = prefix + str(p.pattern)
            convs = {**converters, **p.pattern.converters}
            if ("/" + text).startswith(SKIP_PREFIXES):
                continue
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace]))
                walk(p.url_patterns, text, convs, ns)
            elif isinstance(p, URLPattern):
                name = ":".join(filter(None, [namespace, p.name or ""])) if p.name else ""
                routes.append(Route(text, tuple(convs.items()), name))

    walk(get_resolver().url_patterns, "", {}, "")
    return routes, regex


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def build_paths(route: Route, fill, limit: int = 5) -> list[str]:
    """Candidate paths for a route: its parameters filled from `fill(name, converter, route)`,
    which gives a list of values (tried in order). Empty when a parameter has no value."""
    converters = dict(route.converters)
    names = [m.group("name") for m in _PARAM.finditer(route.route)]
    choices = []
    for name in names:
        values = list(fill(name, converters.get(name), route))[:limit]
        if not values:
            return []
        choices.append(values)
    paths = []
    for combination in itertools.islice(itertools.product(*choices), limit):
        values = dict(zip(names, combination, strict=True))

        def repl(match, values=values):
            converter = converters.get(match.group("name"))
            value = values[match.group("name")]
            return converter.to_url(value) if converter else str(value)

        paths.append("/" + _PARAM.sub(repl, route.route))
    return paths


def route_key(path: str) -> str:
    """The URL pattern a path belongs to (pages are distinct per pattern, not per object)."""
    try:
        match = resolve(path)
    except Resolver404:
        return path
    return match.route or "/"


def same_site_links(page, base_url: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != base_url.rstrip("/"):
            continue
        if parts.path.startswith(SKIP_PREFIXES):
            continue
        out.append(href.split("#", 1)[0])
    return out


def _classify(context, url: str) -> tuple[int, dict]:
    """GET `url` with the browser context's cookies, without following redirects: the status
    and lower-cased headers. Plain http.client rather than Playwright's request API, which
    waits ~40 ms per request on the test server's keep-alive connections."""
    parts = urlsplit(url)
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in context.cookies(url))
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", target, headers={"Cookie": cookies, "Accept": "text/html"})
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


def walk_pages(page, base_url: str, roots: list[str], where: str, findings: Findings,
               error_pages: tuple[str, ...] = (), done: set | None = None,
               lang: str | None = None, max_pages: int = 80) -> int:
    """Visit the roots and every same-site page linked from a checked page; run axe once per
    URL pattern (`done` holds the patterns already checked; share it to check each pattern
    once across walks). A plain GET first classifies each URL, so POST-only views, downloads
    and redirects are recognised without navigating to them. Error responses are checked only
    for the paths in `error_pages`. With `lang`, each page must declare that language.
    Returns the number of pages checked."""
    queue = deque(base_url.rstrip("/") + r if r.startswith("/") else r for r in roots)
    seen: set[str] = set()
    done = set() if done is None else done
    checked = 0
    while queue and checked < max_pages:
        url = queue.popleft()
        path = urlsplit(url).path
        key = route_key(path)
        if path in seen or key in done or path.startswith(SKIP_PREFIXES):
            continue
        seen.add(path)
        status, headers = _classify(page.context, url)
        ctype = headers.get("content-type", "")
        if 300 <= status < 400:
            queue.append(urljoin(url, headers["location"]))
            continue
        if status >= 500:
            findings.bad_responses.append(f"{where}: server error {status} on GET {path}")
            continue
        if "text/html" not in ctype or (status >= 400 and path not in error_pages):
            findings.skipped.append(f"{where}\t{path}\t{status} {ctype.split(';')[0]}")
            continue
        page.goto(url)
        findings.check(page, f"{where} {path}")
        actual = page.locator("html").get_attribute("lang")
        if lang and actual != lang:
            findings.wrong_language.append(f"{where} {path}: lang={actual!r}")
        done.add(key)
        checked += 1
        queue.extend(same_site_links(page, base_url))
    if queue:
        findings.skipped.append(f"{where}\tstopped after {max_pages} pages, {len(queue)} queued")
    return checked
