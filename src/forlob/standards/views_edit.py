"""Staff pages that write a draft of the quality standard (issue 7 items 1 and 3): the service
levels and texts, the contact points, the complaint routes, adoption and deletion. Only the
municipality's leaders and administrators (access.editable_municipalities); a coordinator gets
403, anyone else 404. An adopted version is never changed. Every change runs in one
transaction with the version the page was loaded with; nothing is saved on an error."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from forlob.locking import StaleRecord
from forlob.pathway.choices import TrackChoice
from forlob.pathway.forms import add_service_errors

from . import diff, services
from .forms import (
    AdoptForm,
    ComplaintRouteForm,
    ContactPointFormSet,
    DraftForm,
    LockForm,
)
from .models import ComplaintRoute
from .views import editable_standard, not_a_draft


def staff_get_post(view):
    return login_required(require_http_methods(["GET", "POST"])(view))


def _data(request):
    return request.POST if request.method == "POST" else None


def _run(form, save) -> bool:
    """Call `save()` in one transaction; on StaleRecord or a service's ValidationError put
    the messages on `form` and answer False (the transaction is rolled back)."""
    try:
        with transaction.atomic():
            save()
    except StaleRecord as exc:
        form.add_error(None, str(exc))
    except ValidationError as exc:
        add_service_errors(form, exc)
    else:
        return True
    try:
        form.standard.refresh_from_db()  # the service may have set fields before refusing
    except ObjectDoesNotExist:
        pass  # deleted by someone else meanwhile; the page says so through StaleRecord
    return False


def _saved(request, standard, message):
    messages.success(request, message)
    return redirect("standards:standard_detail", standard.pk)


@staff_get_post
def standard_edit(request, pk):
    """The service levels, the follow-up reasons, the providers and the section texts."""
    standard = editable_standard(request, pk)
    if not standard.is_draft:
        return not_a_draft(request, standard)
    form = DraftForm(_data(request), standard=standard)
    if request.method == "POST" and form.is_valid():
        data, providers = form.service_data()
        if _run(form, lambda: services.save_draft(
                request.user, standard, data, form.cleaned_data["loaded_version"],
                providers=providers)):
            return _saved(request, standard, _("Udkastet er gemt."))
    return render(request, "standards/edit.html",
                  {"standard": standard, "form": form,
                   "legal_reasons": diff.legal_reason_labels()},
                  status=400 if form.errors else 200)


@staff_get_post
def standard_contacts(request, pk):
    """Add, change and delete the draft's contact points."""
    standard = editable_standard(request, pk)
    if not standard.is_draft:
        return not_a_draft(request, standard)
    data = _data(request)
    form = LockForm(data, standard=standard, prefix="lock")
    formset = ContactPointFormSet(data, queryset=standard.contact_points.all(),
                                  prefix="contacts")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        def save():
            services.touch(request.user, standard, form.cleaned_data["loaded_version"])
            for point in formset.save(commit=False):
                point.standard = standard
                point.save()
            for point in formset.deleted_objects:
                point.delete()

        if _run(form, save):
            return _saved(request, standard, _("Kontaktpunkterne er gemt."))
    failed = bool(form.errors) or (request.method == "POST" and not formset.is_valid())
    return render(request, "standards/contacts.html",
                  {"standard": standard, "form": form, "formset": formset},
                  status=400 if failed else 200)


@staff_get_post
def standard_routes(request, pk):
    """The complaint route of every track (one each)."""
    standard = editable_standard(request, pk)
    if not standard.is_draft:
        return not_a_draft(request, standard)
    data = _data(request)
    form = LockForm(data, standard=standard, prefix="lock")
    existing = {r.track: r for r in standard.complaint_routes.all()}
    route_forms = [
        (label, ComplaintRouteForm(data, prefix=track, instance=existing.get(track)
                                   or ComplaintRoute(standard=standard, track=track)))
        for track, label in TrackChoice.choices]
    if request.method == "POST" and form.is_valid() and all(f.is_valid()
                                                            for _l, f in route_forms):
        def save():
            services.touch(request.user, standard, form.cleaned_data["loaded_version"])
            for _label, route_form in route_forms:
                route_form.save()

        if _run(form, save):
            return _saved(request, standard, _("Klageadgangen er gemt."))
    failed = any(f.errors for _l, f in route_forms) or bool(form.errors)
    return render(request, "standards/routes.html",
                  {"standard": standard, "form": form, "route_forms": route_forms},
                  status=400 if failed else 200)


@staff_get_post
def standard_adopt(request, pk):
    """The council's adoption: the involvement of user organisations is saved and the draft
    adopted in one transaction (services.save_draft, services.adopt), or nothing is."""
    standard = editable_standard(request, pk)
    if not standard.is_draft:
        return not_a_draft(request, standard)
    form = AdoptForm(_data(request), standard=standard)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def save():
            services.save_draft(request.user, standard,
                                {"involvement": d["involvement"].strip(),
                                 "involved_on": d["involved_on"]}, d["loaded_version"])
            services.adopt(request.user, standard, d["adopted_on"], d["valid_from"],
                           standard.version)

        if _run(form, save):
            return _saved(request, standard,
                          _("Version %(number)s er vedtaget og gælder fra %(day)s.")
                          % {"number": standard.number,
                             "day": date_format(standard.valid_from, "j. F Y")})
    return render(request, "standards/adopt.html", {"standard": standard, "form": form},
                  status=400 if form.errors else 200)


@staff_get_post
def standard_delete(request, pk):
    """Delete a draft, after a confirmation page."""
    standard = editable_standard(request, pk)
    if not standard.is_draft:
        return not_a_draft(request, standard)
    form = LockForm(_data(request), standard=standard)
    if request.method == "POST" and form.is_valid():
        municipality_id, number = standard.municipality_id, standard.number
        if _run(form, lambda: services.delete_draft(request.user, standard,
                                                    form.cleaned_data["loaded_version"])):
            messages.success(request, _("Udkastet til version %(number)s er slettet.")
                             % {"number": number})
            return redirect("standards:municipality", municipality_id)
    return render(request, "standards/delete.html", {"standard": standard, "form": form},
                  status=400 if form.errors else 200)
