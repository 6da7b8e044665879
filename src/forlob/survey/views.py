"""Survey pages (issue 4 item 12).

- `answer`: the public, login-free questionnaire at /tilfredshed/<token>/; an unknown or used
  token gets a clear page (404 / 410), never a server error.
- `offer`: POST from the case page (template tag survey_offer) to hand out a link or a printed
  questionnaire on a discharged course; the course comes through the scoping layer (404).
- `results`: the provider's aggregated answers for a period, with small-cell suppression.
- `paper`: the provider's staff key in a paper questionnaire with the code printed on it.
No page here shows personal data; the hand-out is audited on the course (services.issue).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forlob import clock
from forlob.organisations.models import Provider
from forlob.pathway.views_steps import load_course

from . import questionnaire, rules, services
from .forms import PaperForm, QuestionnaireForm
from .models import Channel


def _no_store(response):
    response["Cache-Control"] = "no-store"
    return response


def _closed(request, state):
    status = 410 if state == services.InvitationState.USED else 404
    return _no_store(render(request, "survey/closed.html", {"state": state}, status=status))


@require_http_methods(["GET", "POST"])
def answer(request, token):
    state, invitation = services.find_invitation(token)
    if state != services.InvitationState.OPEN:
        return _closed(request, state)
    form = QuestionnaireForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(token, form.answers())
        except ValidationError as exc:
            if "token" in getattr(exc, "error_dict", {}):
                return _closed(request, services.find_invitation(token)[0])
            form.add_error(None, exc)
        else:
            return redirect("survey:thanks")
    return _no_store(render(request, "survey/answer.html", {
        "form": form, "provider": invitation.provider,
    }, status=400 if form.errors else 200))


@require_safe
def thanks(request):
    return render(request, "survey/thanks.html")


@login_required
@require_POST
def offer(request, course_id):
    course = load_course(request, course_id)
    if not services.may_offer(request.user, course):
        raise Http404
    channel = request.POST.get("kanal", "")
    try:
        token = services.issue(request, course, channel)
    except (ValidationError, PermissionDenied):
        messages.error(request, _("Vælg, om undersøgelsen udleveres som link eller på papir."))
        return redirect("pathway:case", course_id=course.pk)
    context = {
        "course": course, "code": rules.grouped(token),
        "url": request.build_absolute_uri(reverse("survey:answer", args=[token])),
        "provider": services.survey_provider(course),
    }
    if channel == Channel.PAPER:
        context["form"] = QuestionnaireForm()
        return _no_store(render(request, "survey/paper.html", context))
    template = "survey/_issued.html" if request.htmx else "survey/issued.html"
    return _no_store(render(request, template, context))


@login_required
@require_safe
def index(request):
    return render(request, "survey/index.html", {
        "providers": services.visible_providers(request.user)})


def _provider(request, provider_id, allowed):
    provider = get_object_or_404(Provider, pk=provider_id)
    if not allowed(request.user, provider):
        raise Http404
    return provider


@login_required
@require_safe
def results(request, provider_id):
    provider = _provider(request, provider_id, services.sees_results)
    first, last = rules.period(clock.today(), request.GET.get("fra"), request.GET.get("til"))
    figures = services.aggregate(provider, first, last,
                                 with_comments=services.reads_comments(request.user, provider))
    return render(request, "survey/results.html", {
        **figures, "fra": f"{first:%Y-%m}", "til": f"{last:%Y-%m}",
        "may_enter_paper": services.enters_paper(request.user, provider),
        "reads_comments": services.reads_comments(request.user, provider),
    })


@login_required
@require_http_methods(["GET", "POST"])
def paper(request, provider_id):
    provider = _provider(request, provider_id, services.enters_paper)
    form = PaperForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(form.cleaned_data["code"], form.answers(), channel=Channel.PAPER,
                            provider=provider)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
            for field, texts in errors.items():
                form.add_error("code" if field == "token" else None, texts)
        else:
            messages.success(request, _("Papirskemaet er registreret. Tak."))
            return redirect("survey:paper", provider_id=provider.pk)
    return render(request, "survey/paper_entry.html", {
        "form": form, "provider": provider, "questionnaire": questionnaire.CURRENT,
    }, status=400 if form.errors else 200)
