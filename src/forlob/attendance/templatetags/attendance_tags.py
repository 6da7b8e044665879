"""The attendance section of the case page (issue 4), rendered from attendance.views."""

from django import template

register = template.Library()


@register.inclusion_tag("attendance/_section.html", takes_context=True)
def attendance_section(context, course):
    from ..views import section_context

    bound_key, bound_form = context.get("attendance_bound") or (None, None)
    section = section_context(context["request"].user, course, bound_key, bound_form)
    return {**section, "request": context["request"], "csrf_token": context.get("csrf_token")}
