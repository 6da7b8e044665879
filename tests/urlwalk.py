"""Walk every URL pattern the project serves, at run time, and turn each into a real URL.

The walking tests (scoping, audit, coordinator) use this so that a view or API endpoint added
later is covered without anyone remembering to list it. Keyword arguments are filled from the
database: `citizen_id` with the citizen's public id, `<model>_id` / `pk` / `object_id` with a real
row of that model (one belonging to the citizen when the model leads to Citizen), so the request
reaches the view's own logic rather than a trivial 404. A course (`course_id`) is created for the
citizen when it has none.

A pattern whose arguments cannot be filled is returned as skipped, with the reason, and the tests
assert the skipped set explicitly: nothing is left out silently.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import uuid
from collections import deque
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

from forlob.citizens.models import Citizen
from forlob.pathway.choices import DOMAINS
from forlob.pathway.models import Assessment, Course, CourseTrack, Decision, TreatmentRequest

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
_REGEX_LEFTOVER = re.compile(r"[\\()\[\]*+?|{}^$]")
#: A value for a kwarg no model explains, by name.
LITERALS = {"format": "json", "url": "ikke-fundet/", "token": "ukendt-token",
            "code": "269"}
NONEXISTENT_PK = 987654321


@dataclass(frozen=True)
class Endpoint:
    """One URL pattern with the patterns of the resolvers that include it."""

    parts: tuple
    name: str
    callback: object

    @property
    def route(self) -> str:
        return "".join(str(p) for p in self.parts)

    @property
    def kwargs(self) -> tuple[str, ...]:
        names: list[str] = []
        for p in self.parts:
            if isinstance(p, RoutePattern | RegexPattern):
                names += [n for n in p.regex.groupindex if n not in names]
        return tuple(names)

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")

    def converter(self, kwarg: str):
        for p in self.parts:
            if isinstance(p, RoutePattern) and kwarg in p.converters:
                return p.converters[kwarg]
        return None

    def group_body(self, kwarg: str) -> str:
        for p in self.parts:
            if isinstance(p, RegexPattern):
                span = _group_span(p._regex, kwarg)
                if span:
                    return p._regex[span[1]:span[2]]
        return ""

    def build(self, values: dict) -> str | None:
        """The concrete path for `values`, or None when the pattern cannot be written out."""
        out = []
        for p in self.parts:
            if isinstance(p, RoutePattern):
                def sub(m, p=p):
                    name = m["name"]
                    return str(p.converters[name].to_url(values[name]))

                out.append(_ROUTE_PARAM.sub(sub, str(p._route)))
            elif isinstance(p, RegexPattern):
                text = _fill_regex(p._regex, values)
                if text is None:
                    return None
                out.append(text)
            elif isinstance(p, LocalePrefixPattern):
                out.append(p.language_prefix)
            else:
                return None
        path = "/" + "".join(out)
        try:
            match = resolve(path)
        except Resolver404:
            return None
        if match.func is not self.callback:
            return None  # another pattern shadows this one at these values
        return path


def _group_span(regex: str, name: str):
    """(start of '(?P<name>', start of body, end of body, end after ')') for a named group."""
    marker = f"(?P<{name}>"
    start = regex.find(marker)
    if start < 0:
        return None
    depth, i = 1, start + len(marker)
    while i < len(regex):
        c = regex[i]
        if c == "\\":
            i += 2
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return start, start + len(marker), i, i + 1
        i += 1
    return None


def _fill_regex(regex: str, values: dict) -> str | None:
    """Write out a regex pattern: named groups become their values, escapes become literals;
    anything else regex-like left over means it cannot be written out (None)."""
    pieces: list[tuple[bool, str]] = []  # (is_value, text)
    rest = regex
    groups = re.compile(regex).groupindex
    for name in sorted(groups, key=groups.get):
        span = _group_span(rest, name)
        if span is None:
            return None
        pieces.append((False, rest[: span[0]]))
        pieces.append((True, str(values[name])))
        rest = rest[span[3]:]
    pieces.append((False, rest))
    out = []
    for i, (is_value, text) in enumerate(pieces):
        if is_value:
            out.append(text)
            continue
        if i == 0:
            text = text.removeprefix("^")
        if i == len(pieces) - 1:
            text = text.removesuffix(r"\Z").removesuffix("$")
        text = text.replace("/?", "/")
        literal = re.sub(r"\\(.)", r"\1", text)
        unescaped = re.sub(r"\\.", "", text)
        if _REGEX_LEFTOVER.search(unescaped):
            return None
        out.append(literal)
    return "".join(out)


def endpoints() -> list[Endpoint]:
    """Every URL pattern served right now, resolvers flattened."""
    found: list[Endpoint] = []

    def visit(patterns, parts, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                visit(p.url_patterns, (*parts, p.pattern), ns)
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
                found.append(Endpoint((*parts, p.pattern), name, p.callback))

    visit(get_resolver().url_patterns, (), "")
    return found


# --- Filling keyword arguments from the database ---------------------------------------------

@functools.cache
def _models_by_name() -> dict[str, type[models.Model]]:
    table = {}
    for model in apps.get_models():
        for key in (model._meta.model_name, model.__name__.lower()):
            table.setdefault(key, model)
    return table


@functools.cache
def path_to_citizen(model, depth: int = 3) -> str | None:
    """The ORM lookup path from `model` to Citizen along foreign keys ("" for Citizen itself)."""
    if model is Citizen:
        return ""
    queue = deque([(model, "")])
    seen = {model}
    while queue:
        current, prefix = queue.popleft()
        if prefix.count("__") >= depth:
            continue
        for f in current._meta.get_fields():
            if isinstance(f, models.ForeignKey | models.OneToOneField) and f.concrete:
                target = f.related_model
                lookup = f"{prefix}__{f.name}" if prefix else f.name
                if target is Citizen:
                    return lookup
                if target not in seen:
                    seen.add(target)
                    queue.append((target, lookup))
    return None


def _model_for_kwarg(endpoint: Endpoint, kwarg: str):
    table = _models_by_name()
    base = re.sub(r"_(id|pk|uuid)$", "", kwarg)
    if base != kwarg:
        model = table.get(base) or table.get(base.replace("_", ""))
        if model:
            return model
    if kwarg not in ("pk", "id", "object_id"):
        return None
    # Admin-style routes: the model is named by the literal segments "<app_label>/<model>/".
    literal = "".join(str(p) for p in endpoint.parts).split("<")[0]
    segments = [s for s in literal.split("/") if s]
    for a, b in zip(segments, segments[1:], strict=False):
        try:
            return apps.get_model(a, b)
        except (LookupError, ValueError):
            continue
    view = getattr(endpoint.callback, "view_class", None) or getattr(endpoint.callback, "cls", None)
    if view is not None:
        if getattr(view, "model", None) is not None:
            return view.model
        queryset = getattr(view, "queryset", None)
        if queryset is not None:
            return queryset.model
    name = endpoint.name.split(":")[-1]
    for model in apps.get_models():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if name.startswith(prefix):
            return model
    # Function views named "<thing>_<action>", e.g. "provider_edit" or "agreement_end".
    token = name.split("_")[0].replace("-", "")
    if token:
        if token in table:
            return table[token]
        candidates = [m for key, m in table.items() if key.endswith(token)]
        if len(set(candidates)) == 1:
            return candidates[0]
    return None


def object_for(model, citizen):
    """A row of `model` belonging to `citizen` when the model leads to one, else any row."""
    lookup = path_to_citizen(model)
    qs = model._base_manager.order_by("pk")
    if lookup == "":
        return citizen
    if lookup is not None:
        mine = qs.filter(**{lookup: citizen}).first()
        if mine is not None:
            return mine
        return None
    return qs.first()


def _value(endpoint, kwarg, obj):
    conv = endpoint.converter(kwarg)
    wants_uuid = type(conv).__name__ == "UUIDConverter" or "[0-9a-f]{8}" in endpoint.group_body(
        kwarg
    )
    if wants_uuid:
        return getattr(obj, "public_id", None) if obj is not None else uuid.uuid4()
    return obj.pk if obj is not None else NONEXISTENT_PK


def fill(endpoint: Endpoint, citizen, overrides: dict | None = None):
    """Values for every kwarg of `endpoint`, or a string saying why it cannot be filled.

    `overrides` maps a kwarg to the citizen whose rows fill it (for mixing a citizen in scope
    with another citizen's objects)."""
    overrides = overrides or {}
    values = {}
    kwargs = endpoint.kwargs
    for kwarg in kwargs:
        owner = overrides.get(kwarg, citizen)
        if kwarg == "citizen_id":
            conv = endpoint.converter(kwarg)
            values[kwarg] = owner.pk if type(conv).__name__ == "IntConverter" else owner.public_id
        elif kwarg == "content_type_id":
            values[kwarg] = ContentType.objects.get_for_model(Citizen).pk
        elif kwarg == "object_id" and "content_type_id" in kwargs:
            values[kwarg] = owner.pk
        elif kwarg == "app_label":
            body = endpoint.group_body(kwarg)
            labels = body.split("|") if body else []
            values[kwarg] = (
                "citizens" if "citizens" in labels or not labels else labels[0]
            )
        elif kwarg in LITERALS:
            values[kwarg] = LITERALS[kwarg]
        else:
            model = _model_for_kwarg(endpoint, kwarg)
            if model is None:
                return f"no value for <{kwarg}>"
            obj = course_for(owner) if model is Course else object_for(model, owner)
            values[kwarg] = _value(endpoint, kwarg, obj)
    return values


def course_for(citizen):
    """A course of `citizen` (issue 3), created with a request and a track when the citizen has
    none, so course pages are reached with real facts and clocks rather than a trivial 404."""
    course = object_for(Course, citizen)
    if course is None:
        from forlob import clock

        course = Course.objects.create(citizen=citizen,
                                       acting_municipality=citizen.acting_municipality)
        track = "sul141" if citizen.is_anonymous else "sel101"
        CourseTrack.objects.create(course=course, track=track)
        TreatmentRequest.objects.create(course=course, channel="phone",
                                        requested_on=clock.today() - dt.timedelta(days=3))
        if not citizen.is_anonymous:
            # A decision on an assessment, so the letter pages (decision_id) are walked too.
            day = clock.today() - dt.timedelta(days=1)
            assessment = Assessment.objects.create(
                course=course, done_on=day, instrument="europasi", instrument_on=day,
                domains={key: {"findings": "x"} for key, _label in DOMAINS},
                children_at_home=False, pregnancy=False)
            Decision.objects.create(
                course=course, assessment=assessment, track="sel101", outcome="afslag",
                decided_on=day, proposal_focus="x", proposal_goals="x", reasons="x")
    return course


def citizen_related_kwargs(endpoint: Endpoint) -> list[str]:
    """The kwargs other than citizen_id whose model leads to Citizen (e.g. referral_id)."""
    related = []
    for kwarg in endpoint.kwargs:
        if kwarg == "citizen_id":
            continue
        model = _model_for_kwarg(endpoint, kwarg)
        if model is not None and path_to_citizen(model) not in (None, ""):
            related.append(kwarg)
    return related


def has_rows(endpoint: Endpoint, kwarg: str, citizen) -> bool:
    """True when `citizen` owns a row of the model behind `kwarg`."""
    model = _model_for_kwarg(endpoint, kwarg)
    return model is not None and object_for(model, citizen) is not None


# --- Requests and personal data in answers ---------------------------------------------------

def body(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    return raw.decode("utf-8", errors="replace")


def send(client, method: str, path: str, api: bool):
    method = method.lower()
    if method in ("post", "put", "patch") and api:
        return getattr(client, method)(path, data="{}", content_type="application/json")
    if method == "post":
        return client.post(path, {})
    return getattr(client, method)(path)


def mark(citizen) -> Citizen:
    """Give a citizen unmistakable name and address tokens, so finding them in a page is
    certain and not confused with ordinary Danish words ("Afsluttet", "Udenfor")."""
    tag = f"zq{citizen.pk}x"
    if citizen.is_anonymous:
        Citizen.objects.filter(pk=citizen.pk).update(pseudonym=f"Pseudonym{tag}")
    else:
        Citizen.objects.filter(pk=citizen.pk).update(
            first_name=f"Fornavn{tag}", last_name=f"Efternavn{tag}", address=f"Testvej {tag}"
        )
    citizen.refresh_from_db()
    return citizen


def personal_data_patterns(citizen) -> list[tuple[str, re.Pattern]]:
    """What would give the citizen away: names, pseudonym, address, CPR in any form."""
    found = []

    def word(label, text):
        if text:
            found.append((label, re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")))

    if citizen.is_anonymous:
        word("pseudonym", citizen.pseudonym)
        return found
    word("first_name", citizen.first_name)
    word("last_name", citizen.last_name)
    word("address", citizen.address)
    number = citizen.reveal_cpr()
    found.append(("cpr", re.compile(rf"(?<!\d){number}(?!\d)")))
    found.append(("cpr/birth-date part", re.compile(rf"(?<!\d){number[:6]}(?!\d)")))
    found.append(("cpr/serial", re.compile(rf"(?<!\d){number[:6]}[-\s]{number[6:]}(?!\d)")))
    return found


def shows(text: str, citizen) -> list[str]:
    """The kinds of the citizen's personal data present in `text`."""
    return [label for label, rx in personal_data_patterns(citizen) if rx.search(text)]


class PersonalData:
    """Finds any of several citizens' personal data in a text (patterns built once)."""

    def __init__(self, citizens):
        self.patterns = {c.pk: personal_data_patterns(c) for c in citizens}

    def find(self, text: str) -> dict[int, list[str]]:
        found = {}
        for pk, patterns in self.patterns.items():
            kinds = [label for label, rx in patterns if rx.search(text)]
            if kinds:
                found[pk] = kinds
        return found
