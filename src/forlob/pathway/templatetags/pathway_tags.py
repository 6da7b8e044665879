"""Template tags for the citizen page's "Forløb" section (issue 3): the citizen's courses the
user may see, through the scoping layer."""

from django import template
from django.db.models import Min

from forlob.access import scope_for, scoped

from ..models import Course

register = template.Library()


@register.simple_tag
def citizen_courses(user, citizen):
    return list(scoped(user, Course).filter(citizen=citizen)
                .annotate(first_contact=Min("contacts__received_on"))
                .prefetch_related("tracks").order_by("-created_at"))


@register.simple_tag
def may_open_course(user) -> bool:
    """Caseworkers open courses (in one of their municipalities)."""
    return bool(scope_for(user).caseworker_municipalities)
