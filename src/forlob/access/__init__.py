"""The one scoping layer: every queryset that can return personal data goes through here.

Use `scoped(user, Model)` for lists and `get_scoped_or_404(user, Model, **lookup)` for one
object. Contexts register how their personal-data models are scoped with `register`; a model
that holds personal data and has no registered rule returns nothing.
"""

from .registry import get_scoped_or_404, register, scoped, scoped_citizens
from .scope import Scope, scope_for

__all__ = ["Scope", "get_scoped_or_404", "register", "scope_for", "scoped", "scoped_citizens"]
