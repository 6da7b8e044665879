"""The "Netværk og samtykke" section of the case page (issue 4), rendered from network.views."""

from django import template

register = template.Library()


@register.inclusion_tag("network/_section.html", takes_context=True)
def network_section(context, course):
    from ..views import section_context

    bound_key, bound_form = context.get("network_bound") or (None, None)
    section = section_context(context["request"].user, course, bound_key, bound_form)
    return {**section, "request": context["request"], "csrf_token": context.get("csrf_token")}
