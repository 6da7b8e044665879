"""User administration for a municipality's administrator (issue 2, roles: administrator).

Every user and membership is fetched through the scoping layer (accounts/scoping.py): users
outside the administrator's municipality, and every page for non-administrators, answer 404.
Changes run in one transaction each and are written to the audit trail.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_http_methods

from forlob.access import get_scoped_or_404, scope_for, scoped
from forlob.audit.recorder import Action, record
from forlob.locking import refuse_stale

from .forms_admin import MembershipAddForm, UserCreateForm, UserEditForm, UserSearchForm
from .models import Membership, Role, User

PAGE_SIZE = 25
SORTS = {
    "brugernavn": ("username",),
    "-brugernavn": ("-username",),
    "navn": ("last_name", "first_name", "username"),
    "-navn": ("-last_name", "-first_name", "-username"),
    "email": ("email", "username"),
    "-email": ("-email", "-username"),
    "login": ("last_login", "username"),
    "-login": ("-last_login", "username"),
    "aktiv": ("-is_active", "username"),
    "-aktiv": ("is_active", "username"),
}
DEFAULT_SORT = "navn"

# Purposes are stored in Danish whatever the interface language (gettext_noop marks them).
PURPOSE_CREATED = gettext_noop("brugeradministration: bruger oprettet")
PURPOSE_UPDATED = gettext_noop("brugeradministration: bruger ændret")
PURPOSE_DEACTIVATED = gettext_noop("brugeradministration: bruger deaktiveret")
PURPOSE_ROLE_ADDED = gettext_noop("brugeradministration: rolle tilføjet")
PURPOSE_ROLE_REMOVED = gettext_noop("brugeradministration: rolle fjernet")


def _require_admin(request):
    if not scope_for(request.user).admin_municipalities:
        raise Http404


def _managed_user(request, user_id) -> User:
    return get_scoped_or_404(request.user, User, pk=user_id)


def _memberships(request, user):
    """The target's memberships the administrator manages, and the number held elsewhere."""
    mine = list(
        scoped(request.user, Membership).filter(user=user)
        .select_related("municipality", "provider").order_by("role", "pk")
    )
    elsewhere = user.memberships.exclude(pk__in=[m.pk for m in mine]).count()
    return mine, elsewhere


def _form_errors_from(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def user_list(request):
    _require_admin(request)
    form = UserSearchForm(request.GET or None)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    qs = scoped(request.user, User).order_by(*SORTS[sort]).prefetch_related(
        Prefetch(
            "memberships",
            queryset=scoped(request.user, Membership).select_related("municipality", "provider"),
            to_attr="managed_memberships",
        )
    )
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        for word in query.split():
            qs = qs.filter(
                Q(username__icontains=word) | Q(first_name__icontains=word)
                | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("side"))
    return render(request, "accounts/user_list.html", {
        "form": form, "page": page, "users": page.object_list, "sort": sort, "query": query,
        "columns": [
            ("brugernavn", _("Brugernavn")), ("navn", _("Navn")), ("email", _("E-mail")),
            (None, _("Roller")), ("aktiv", _("Status")), ("login", _("Sidste login")),
        ],
    })


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_admin(request)
    form = UserCreateForm(request.POST or None, admin=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                record(request, Action.CREATE, obj=user, purpose=PURPOSE_CREATED)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Brugeren %(username)s er oprettet.")
                             % {"username": user.username})
            return redirect("accounts:user_detail", user_id=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def user_detail(request, user_id):
    """The user's details (editable) and their roles in the administrator's organisations."""
    _require_admin(request)
    target = _managed_user(request, user_id)
    form = UserEditForm(request.POST or None, instance=target, admin=request.user)

    def save():
        record(request, Action.UPDATE, obj=form.save(), purpose=PURPOSE_UPDATED)

    if request.method == "POST" and form.is_valid() and refuse_stale(form, save):
        messages.success(request, _("Ændringerne er gemt."))
        return redirect("accounts:user_detail", user_id=target.pk)
    memberships, elsewhere = _memberships(request, target)
    return render(request, "accounts/user_detail.html", {
        "target": target, "form": form, "memberships": memberships, "elsewhere": elsewhere,
        "is_self": target.pk == request.user.pk,
    })


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request, user_id):
    _require_admin(request)
    target = _managed_user(request, user_id)
    error = None
    if target.pk == request.user.pk:
        error = _("Du kan ikke deaktivere dig selv.")
    elif not target.is_active:
        error = _("Brugeren er allerede deaktiveret.")
    if request.method == "POST" and error is None:
        with transaction.atomic():
            User.objects.filter(pk=target.pk).update(is_active=False)
            record(request, Action.UPDATE, obj=target, purpose=PURPOSE_DEACTIVATED)
        messages.success(request, _("Brugeren %(username)s er deaktiveret og kan ikke længere "
                                    "logge ind.") % {"username": target.username})
        return redirect("accounts:user_detail", user_id=target.pk)
    return render(request, "accounts/user_deactivate.html", {"target": target, "error": error},
                  status=422 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request, user_id):
    _require_admin(request)
    target = _managed_user(request, user_id)
    form = MembershipAddForm(request.POST or None, admin=request.user, user=target)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                membership = form.save()
                record(request, Action.CREATE, obj=membership, purpose=PURPOSE_ROLE_ADDED)
        except ValidationError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("Rollen %(membership)s er tilføjet.")
                             % {"membership": membership})
            return redirect("accounts:user_detail", user_id=target.pk)
    return render(request, "accounts/membership_add.html", {"target": target, "form": form})


def _removal_error(request, target, membership):
    if target.pk == request.user.pk and membership.role == Role.ADMINISTRATOR:
        return _("Du kan ikke fjerne din egen administratorrolle. Bed en anden administrator "
                 "om det.")
    if target.memberships.count() <= 1:
        return _("Det er brugerens eneste rolle. Deaktivér brugeren i stedet.")
    return None


@login_required
@require_http_methods(["GET", "POST"])
def membership_remove(request, user_id, membership_id):
    _require_admin(request)
    target = _managed_user(request, user_id)
    membership = get_scoped_or_404(
        request.user,
        Membership.objects.filter(user=target).select_related("municipality", "provider"),
        pk=membership_id,
    )
    error = _removal_error(request, target, membership)
    if request.method == "POST" and error is None:
        label = str(membership)
        with transaction.atomic():
            record(request, Action.DELETE, obj=membership, purpose=PURPOSE_ROLE_REMOVED)
            membership.delete()
        messages.success(request, _("Rollen %(membership)s er fjernet.") % {"membership": label})
        if scoped(request.user, User).filter(pk=target.pk).exists():
            return redirect("accounts:user_detail", user_id=target.pk)
        return redirect("accounts:user_list")
    return render(request, "accounts/membership_remove.html", {
        "target": target, "membership": membership, "error": error,
    }, status=422 if request.method == "POST" else 200)
