"""{% survey_offer course %}: on a discharged course, for users who may write on it, buttons to
hand out the anonymous satisfaction survey as a link (htmx) or a printed questionnaire."""

from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("survey/_offer.html", takes_context=True)
def survey_offer(context, course):
    from ..services import may_offer

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not may_offer(user, course):
        return {"show": False}
    return {"show": True, "url": reverse("survey:offer", args=[course.pk]),
            "request": request, "csrf_token": context.get("csrf_token")}
