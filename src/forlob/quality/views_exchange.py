"""Import and export of answers (issue 6 item 8): a municipality's answers (its leader or
administrator, or the round's coordinator) and a whole round's (the coordinator), as XLSX or
JSON in one documented format (docs/quality.md). An import is all or nothing: a refused file
is answered with the report of every problem line and nothing is written.

Objects come through the access querysets: out of scope answers 404. The answers hold no
personal data, so nothing here is audited."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from forlob.locking import MAX_VERSION, StaleRecord

from . import exchange, rules
from .access import coordinated_rounds, visible_participants
from .models import Participant
from .rules_exchange import FORMAT, FORMAT_VERSION, MAX_BYTES, ImportRefused, Problem

#: Problem lines shown on the page; a longer report is cut with a count of the rest.
SHOWN_PROBLEMS = 200

CONTENT_TYPES = {"json": exchange.JSON_TYPE, "xlsx": exchange.XLSX_TYPE}
STALE = gettext_lazy("Siden er forældet. Genindlæs den, og vælg filen igen.")


class ImportForm(forms.Form):
    """The file to import, and (for one municipality) the participation's version as loaded."""

    file = forms.FileField(
        label=gettext_lazy("Fil med svar (XLSX eller JSON)"),
        help_text=gettext_lazy("Brug en eksporteret fil som skabelon. Højst 2 MB."),
        error_messages={"required": gettext_lazy("Vælg en fil."),
                        "empty": gettext_lazy("Filen er tom."),
                        "invalid": gettext_lazy("Vælg en fil.")},
        widget=forms.ClearableFileInput(attrs={
            "accept": ".xlsx,.json,application/json," + exchange.XLSX_TYPE}))
    loaded_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_VERSION - 1,
        error_messages={"invalid": STALE, "min_value": STALE, "max_value": STALE})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Filen er for stor (højst %(mb)s MB).")
                                        % {"mb": MAX_BYTES // (1024 * 1024)})
        return upload


def _download(content: bytes, fmt: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _export(rnd, participants, fmt, participant=None) -> HttpResponse:
    writer = exchange.export_xlsx if fmt == "xlsx" else exchange.export_json
    return _download(writer(rnd, participants), fmt,
                     exchange.filename(rnd, participant, ext=fmt))


def _run_import(request, form, rnd, participant=None):
    """(the Imported result or None, the problem lines or None)."""
    upload = form.cleaned_data["file"]
    try:
        data = upload.read(MAX_BYTES + 1)
        return exchange.import_file(
            request.user, rnd, data, participant=participant,
            expected_version=form.cleaned_data.get("loaded_version"),
            name=upload.name or ""), None
    except ImportRefused as exc:
        return None, exc.problems
    except StaleRecord:
        return None, [Problem("", "", str(STALE))]


def _page(request, template, context, problems, form):
    shown = problems[:SHOWN_PROBLEMS] if problems else []
    failed = bool(problems) or bool(form.errors)
    return render(request, template, {
        **context, "form": form, "problems": shown,
        "more_problems": len(problems) - len(shown) if problems else 0,
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "max_mb": MAX_BYTES // (1024 * 1024)}, status=400 if failed else 200)


def _participant(request, participant_id) -> Participant:
    return get_object_or_404(
        visible_participants(request.user).select_related("round__framework", "municipality"),
        pk=participant_id)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_participant(request, participant_id):
    """One municipality's answers: export, and import into its draft."""
    participant = _participant(request, participant_id)
    rnd = participant.round
    can_import = rules.editable(participant.status) and not rnd.closed
    form = ImportForm(request.POST or None, request.FILES or None,
                      initial={"loaded_version": participant.version})
    problems = None
    if request.method == "POST" and not can_import:
        problems = [Problem("", "", _("Svarene kan ikke ændres ved import, fordi de er "
                                      "indsendt eller godkendt, eller runden er afsluttet."))]
    elif request.method == "POST" and form.is_valid():
        result, problems = _run_import(request, form, rnd, participant)
        if result is not None:
            messages.success(request, _(
                "Filen er importeret. %(n)s svar er ændret; ændringerne står i historikken.")
                % {"n": result.total})
            return redirect("quality:exchange_participant", participant.pk)
    return _page(request, "quality/exchange_participant.html", {
        "participant": participant, "round": rnd, "can_import": can_import}, problems, form)


@login_required
@require_safe
def exchange_participant_export(request, participant_id, fmt):
    participant = _participant(request, participant_id)
    return _export(participant.round, [participant], fmt, participant)


def _round(request, round_id):
    return get_object_or_404(coordinated_rounds(request.user).select_related("framework"),
                             pk=round_id)


@login_required
@require_http_methods(["GET", "POST"])
def exchange_round(request, round_id):
    """The whole round (coordinator): export, and import one file holding any number of its
    municipalities (the municipality code on every line)."""
    rnd = _round(request, round_id)
    participants = list(Participant.objects.filter(round=rnd).select_related("municipality"))
    form = ImportForm(request.POST or None, request.FILES or None)
    problems = None
    if request.method == "POST" and form.is_valid():
        result, problems = _run_import(request, form, rnd)
        if result is not None:
            messages.success(request, _(
                "Filen er importeret for %(m)s kommuner. %(n)s svar er ændret; ændringerne står "
                "i kommunernes historik.") % {"m": len(result.changed), "n": result.total})
            return redirect("quality:exchange_round", rnd.pk)
    return _page(request, "quality/exchange_round.html", {
        "round": rnd, "participants": participants,
        "editable": [p for p in participants if rules.editable(p.status)]}, problems, form)


@login_required
@require_safe
def exchange_round_export(request, round_id, fmt):
    rnd = _round(request, round_id)
    participants = Participant.objects.filter(round=rnd).select_related("municipality")
    return _export(rnd, participants, fmt)
