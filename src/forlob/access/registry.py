"""Grant registry: each context says, per model, which rows a scope may see.

A grant is a function (scope, today) -> Q | None. The grants for a model are OR-ed; a model with
no grant registered is a programming error and raises, so a new model cannot leak by default.
"""

from collections import defaultdict
from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.shortcuts import get_object_or_404

from forlob import clock

from .scope import Scope, scope_for

Grant = Callable[[Scope, object], Q | None]
_grants: dict[type[Model], list[Grant]] = defaultdict(list)


def register(model: type[Model]):
    """Decorator: register a grant for `model`."""

    def decorate(fn: Grant) -> Grant:
        if fn not in _grants[model]:
            _grants[model].append(fn)
        return fn

    return decorate


def scoped(user, model_or_queryset) -> QuerySet:
    """The rows of a personal-data model that `user` may see today."""
    if isinstance(model_or_queryset, QuerySet):
        qs, model = model_or_queryset, model_or_queryset.model
    else:
        model = model_or_queryset
        qs = model._default_manager.all()
    grants = _grants.get(model)
    if not grants:
        raise ImproperlyConfigured(f"No access grant registered for {model.__name__}.")
    scope = scope_for(user)
    today = clock.today()
    condition = None
    for grant in grants:
        q = grant(scope, today)
        if q is not None:
            condition = q if condition is None else condition | q
    if condition is None:
        return qs.none()
    return qs.filter(condition)


def get_scoped_or_404(user, model_or_queryset, **lookup):
    """One object within scope, or Http404: out of scope looks exactly like non-existent."""
    return get_object_or_404(scoped(user, model_or_queryset), **lookup)


def scoped_citizens(user) -> QuerySet:
    from forlob.citizens.models import Citizen

    return scoped(user, Citizen)
