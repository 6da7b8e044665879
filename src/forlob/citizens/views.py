"""Citizen register pages. Every object comes through the scoping layer; every read of
personal data is audited (issue 2, items 5-7)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forlob import clock
from forlob.access import get_scoped_or_404, scope_for, scoped
from forlob.audit.recorder import Action, record, record_many
from forlob.locking import StaleRecord

from . import crypto, services
from .forms import (
    AnonymousCitizenForm,
    CitizenForm,
    EndReferralForm,
    ReferralForm,
    RevealForm,
    SearchForm,
)
from .models import Citizen, Referral
from .rules import InvalidCpr, looks_like_cpr, parse_cpr

SORTS = {
    "navn": ("last_name", "first_name", "pseudonym"),
    "-navn": ("-last_name", "-first_name", "-pseudonym"),
    "oprettet": ("created_at",),
    "-oprettet": ("-created_at",),
}


def _require_personal_role(user):
    if not scope_for(user).sees_personal_data:
        raise Http404


def _search(user, text):
    qs = scoped(user, Citizen).select_related("acting_municipality")
    if looks_like_cpr(text):
        try:
            number = parse_cpr(text).number
        except InvalidCpr:
            return qs.none()
        return qs.filter(cpr_index=crypto.blind_index(number))
    words = text.split()
    for w in words:
        qs = qs.filter(Q(first_name__icontains=w) | Q(last_name__icontains=w)
                       | Q(pseudonym__icontains=w))
    return qs[:50]


@login_required
@require_http_methods(["GET", "POST"])
def citizen_list(request):
    """Scoped list; searching is a POST so names and CPR numbers stay out of URLs and logs."""
    _require_personal_role(request.user)
    form = SearchForm(request.POST or None)
    searched = False
    if request.method == "POST" and form.is_valid():
        searched = True
        citizens = list(_search(request.user, form.cleaned_data["q"]))
        record(request, Action.SEARCH, purpose=_("søgning i borgerregistret"))
        page = None
    else:
        sort = request.GET.get("sort", "navn")
        order = SORTS.get(sort, SORTS["navn"])
        qs = scoped(request.user, Citizen).select_related("acting_municipality").order_by(*order)
        page = Paginator(qs, 25).get_page(request.GET.get("side"))
        citizens = list(page.object_list)
    record_many(request, Action.VIEW, citizens, purpose=_("borgerliste"))
    return render(request, "citizens/list.html", {
        "form": form, "citizens": citizens, "page": page, "searched": searched,
        "sort": request.GET.get("sort", "navn"),
        "can_create": bool(scope_for(request.user).caseworker_municipalities),
    })


def _citizen(request, citizen_id):
    return get_scoped_or_404(
        request.user,
        Citizen.objects.select_related("acting_municipality", "residence_municipality"),
        public_id=citizen_id,
    )


@login_required
@require_safe
def citizen_detail(request, citizen_id):
    citizen = _citizen(request, citizen_id)
    record(request, Action.VIEW, citizen=citizen)
    referrals = scoped(request.user, Referral).filter(citizen=citizen).select_related("provider")
    can_edit = services.can_edit(request.user, citizen)
    return render(request, "citizens/detail.html", {
        "citizen": citizen,
        "referrals": referrals,
        "today": clock.today(),
        "can_edit": can_edit,
        "reveal_form": RevealForm(),
        "referral_form": ReferralForm(initial={"referred_on": clock.today()}) if can_edit else None,
    })


@login_required
@require_safe
def citizen_print(request, citizen_id):
    citizen = _citizen(request, citizen_id)
    record(request, Action.PRINT, citizen=citizen)
    referrals = scoped(request.user, Referral).filter(citizen=citizen).select_related("provider")
    return render(request, "citizens/print.html", {
        "citizen": citizen, "referrals": referrals, "printed_at": clock.now(),
    })


@login_required
@require_POST
def citizen_reveal_cpr(request, citizen_id):
    citizen = _citizen(request, citizen_id)
    form = RevealForm(request.POST)
    template = "citizens/_cpr.html" if request.htmx else "citizens/reveal.html"
    if citizen.is_anonymous or not form.is_valid():
        if citizen.is_anonymous:
            raise Http404
        # htmx swaps only 2xx answers, so the form with its error comes back as 200 there.
        status = 200 if request.htmx else 400
        return render(request, template, {"citizen": citizen, "reveal_form": form}, status=status)
    number = services.reveal_cpr(request, citizen, form.cleaned_data["purpose"])
    return render(request, template, {
        "citizen": citizen, "cpr": f"{number[:6]}-{number[6:]}", "reveal_form": form,
    })


def _save_form(request, form, citizen=None):
    """Run the service for a valid form; turn domain errors into form errors."""
    try:
        if citizen is None:
            return services.register_citizen(request, form.save())
        expected = form.cleaned_data.get("version") or 0
        return services.update_citizen(request, form.save(), expected)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.messages)
    except StaleRecord as exc:
        form.add_error(None, str(exc))
    except PermissionDenied:
        form.add_error("acting_municipality",
                       _("Du kan kun registrere borgere i din egen kommune."))
    return None


@login_required
@require_http_methods(["GET", "POST"])
def citizen_create(request, anonymous=False):
    if not scope_for(request.user).caseworker_municipalities:
        raise Http404
    form_class = AnonymousCitizenForm if anonymous else CitizenForm
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        citizen = _save_form(request, form)
        if citizen is not None:
            messages.success(request, _("Borgeren er oprettet."))
            return redirect("citizens:detail", citizen_id=citizen.public_id)
    return render(request, "citizens/form.html", {"form": form, "anonymous": anonymous})


@login_required
@require_http_methods(["GET", "POST"])
def citizen_edit(request, citizen_id):
    citizen = _citizen(request, citizen_id)
    if not services.can_edit(request.user, citizen):
        raise Http404
    form_class = AnonymousCitizenForm if citizen.is_anonymous else CitizenForm
    form = form_class(request.POST or None, instance=citizen, user=request.user)
    if request.method == "GET":
        record(request, Action.VIEW, citizen=citizen, purpose=_("redigering"))
    if request.method == "POST" and form.is_valid():
        if _save_form(request, form, citizen=citizen) is not None:
            messages.success(request, _("Ændringerne er gemt."))
            return redirect("citizens:detail", citizen_id=citizen.public_id)
    return render(request, "citizens/form.html", {
        "form": form, "anonymous": citizen.is_anonymous, "citizen": citizen,
    })


@login_required
@require_POST
def referral_add(request, citizen_id):
    citizen = _citizen(request, citizen_id)
    if not services.can_edit(request.user, citizen):
        raise Http404
    form = ReferralForm(request.POST)
    if form.is_valid():
        try:
            services.add_referral(request, citizen, form.cleaned_data["provider"],
                                  form.cleaned_data["referred_on"])
            messages.success(request, _("Henvisningen er registreret."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("citizens:detail", citizen_id=citizen.public_id)


@login_required
@require_POST
def referral_end(request, citizen_id, referral_id):
    citizen = _citizen(request, citizen_id)
    referral = get_scoped_or_404(request.user, Referral.objects.filter(citizen=citizen),
                                 pk=referral_id)
    if not services.can_edit(request.user, citizen):
        raise Http404
    form = EndReferralForm(request.POST)
    if form.is_valid():
        try:
            services.end_referral(request, referral, form.cleaned_data["ended_on"])
            messages.success(request, _("Henvisningen er afsluttet."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("citizens:detail", citizen_id=citizen.public_id)
