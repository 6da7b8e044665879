"""The journal section of the case page (issue 4), rendered from journal.views."""

from django import template

register = template.Library()


@register.inclusion_tag("journal/_section.html", takes_context=True)
def journal_section(context, course):
    from ..views import section_context

    section = section_context(context["request"].user, course, context.get("journal_bound"))
    return {**section, "request": context["request"], "csrf_token": context.get("csrf_token")}
