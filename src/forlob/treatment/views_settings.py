"""A municipality's aftercare settings (issue 4 items 2, 8, 9): review interval per track,
supervision interval, and who follows up after discharge. For the municipality's administrators
and leaders; any other municipality answers 404. No personal data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from forlob.locking import StaleRecord
from forlob.organisations.models import Municipality
from forlob.pathway.choices import TRACK_CHOICES

from .clocks import settings_for
from .forms_aftercare import SettingsForm, settings_initial
from .services_aftercare import configurable_municipalities, intervals


def _municipalities(user):
    ids = configurable_municipalities(user)
    if not ids:
        raise Http404
    return Municipality.objects.filter(pk__in=ids).order_by("name")


@login_required
@require_safe
def settings_list(request):
    rows = []
    for m in _municipalities(request.user):
        configured = intervals(m)
        rows.append((m, settings_for(m.pk), [(label, configured[track])
                                             for track, label in TRACK_CHOICES
                                             if track in configured]))
    return render(request, "treatment/settings_list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request, municipality_id):
    municipality = get_object_or_404(_municipalities(request.user), pk=municipality_id)
    current = settings_for(municipality.pk)
    form = SettingsForm(request.POST or None, municipality=municipality,
                        initial=settings_initial(current, intervals(municipality)))
    if request.method == "POST" and form.is_valid():
        try:
            form.save(request.user)
        except StaleRecord as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            messages.success(request, _("Indstillingerne for %(name)s er gemt.")
                             % {"name": municipality.name})
            return redirect("treatment:settings")
    return render(request, "treatment/settings_form.html",
                  {"form": form, "municipality": municipality},
                  status=400 if form.errors else 200)
