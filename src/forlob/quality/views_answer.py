"""A municipality's answer page (issue 6 item 2 and "Bad input"): background, the framework's
items with a ja/delvis/nej per area, texts, plans and tick-lists, the measured evidence beside
each indicator, saving a draft, submitting; the coordinator's return with comments and
approval; the history.

Who: the municipality's leaders and administrators answer (access.answerable_participants); the
round's coordinators read and decide. A participation the user may not see answers 404; one
they may only read answers 403 to a change.

Bad input never half-saves: saving a draft first checks every posted answer on its own
(rules_submission.answer_problems, greyed recommendations included); if any is refused, nothing
of the post is written and the page comes back (400) with everything as typed and each message
at its item, so nothing typed is lost, nothing wrong is stored and the stored draft stays as it
was. Otherwise all answers are written in one transaction. Submitting first saves the same
way, then runs rules_submission over the whole draft; any problem leaves the status unchanged
with each message at its item. Changing an indicator's answer deletes the coordinator's
resolution on it (services_rounds.drop_resolutions). The answers hold no personal data; nothing
here is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forlob import clock
from forlob.locking import StaleRecord
from forlob.organisations.models import PurchaseAgreement
from forlob.pathway.forms import add_service_errors

from . import evidence, rules
from . import services_rounds as services
from .access import answering_municipalities, may_coordinate, visible_participants
from .answer_layout import describe_changes, error_summary, layout
from .forms_answer import AnswerForm, BackgroundForm
from .forms_rounds import ApproveForm, ReturnForm
from .models import ItemKind, Status
from .rules_submission import area_label


def _data(request):
    """The POST data, also when empty (an empty POST is a bound form with errors)."""
    return request.POST if request.method == "POST" else None


def visible_participant(request, participant_id):
    return get_object_or_404(visible_participants(request.user).select_related(
        "round__framework", "round__cluster", "round__region", "municipality"),
        pk=participant_id)


def answering(request, participant):
    return participant.municipality_id in answering_municipalities(request.user)


def answerable_participant(request, participant_id):
    """A participation the user answers for: 404 if not visible, 403 if only read."""
    participant = visible_participant(request, participant_id)
    if not answering(request, participant):
        raise PermissionDenied
    return participant


def coordinated_participant(request, participant_id):
    participant = visible_participant(request, participant_id)
    if not may_coordinate(request.user, participant.round):
        raise PermissionDenied
    return participant


def may_edit(participant) -> bool:
    return rules.editable(participant.status) and not participant.round.closed


def purchases(participant):
    """The municipality's purchase agreements in force at some time in the round's period."""
    rnd = participant.round
    return (PurchaseAgreement.objects.filter(municipality=participant.municipality,
                                             valid_from__lte=rnd.period_end)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=rnd.period_start))
            .select_related("provider__owner_municipality"))


def _evidence(participant, items, stored):
    """evidence.evidence_for with each indicator's common answer over the areas."""
    answers = {}
    areas = participant.answer_areas()
    for item in items:
        if item.kind == ItemKind.INDICATOR and not item.section.greyed:
            choices = {a: stored[(item.pk, a)].choice for a in areas if (item.pk, a) in stored}
            if len(choices) == len(areas):
                answers[item.number] = rules.combine_areas(choices)
    return evidence.evidence_for(participant.round, participant.municipality, answers)


def _comments(participant):
    return participant.events.exclude(comment="").filter(
        to_status__in=[Status.RETURNED, Status.APPROVED]).select_related("user").order_by(
        "-at", "-pk")


def _page(request, participant, *, form=None, status=200):
    items = services.items_of(participant.round.framework)
    stored = services.stored_answers(participant)
    coordinator = may_coordinate(request.user, participant.round)
    context = {
        "participant": participant, "round": participant.round,
        "sections": layout(participant.round.framework.sections.order_by("order"), items,
                           stored, participant.answer_areas(), form=form,
                           evidence=_evidence(participant, items, stored)),
        "form": form, "errors": error_summary(form), "purchases": purchases(participant),
        "comments": _comments(participant), "coordinator": coordinator,
        "answering": answering(request, participant), "editable": may_edit(participant),
        "overdue": rules.overdue(participant.round.deadline, clock.today(),
                                 done=participant.status in services.DONE),
        "area_labels": [area_label(a) for a in participant.areas],
    }
    if coordinator and participant.status == Status.SUBMITTED and not participant.round.closed:
        context["approve_form"] = ApproveForm(participant=participant)
    return render(request, "quality/answer_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request, participant_id):
    """The answer form for the municipality while its answers are a draft or returned;
    read-only otherwise and for the coordinator."""
    participant = visible_participant(request, participant_id)
    editing = answering(request, participant) and may_edit(participant)
    if request.method == "GET":
        form = None
        if editing:
            form = AnswerForm(participant=participant,
                              items=services.items_of(participant.round.framework),
                              stored=services.stored_answers(participant))
        return _page(request, participant, form=form)
    if not answering(request, participant):
        raise PermissionDenied
    if not editing:
        messages.error(request, _("Svarene er %(status)s og kan ikke ændres.")
                       % {"status": participant.get_status_display().lower()})
        return redirect("quality:answer_edit", participant.pk)
    return _save(request, participant, submit=request.POST.get("handling") == "indsend")


def _save(request, participant, *, submit):
    items = services.items_of(participant.round.framework)
    form = AnswerForm(request.POST, participant=participant, items=items,
                      stored=services.stored_answers(participant))
    form.is_valid()
    for problem in form.greyed_problems():
        form.add_error(None, problem.message)
    if form.errors:  # nothing of the post is written; the typed values are shown again
        messages.error(request, _("Intet er gemt; ret svarene ved de markerede punkter, og gem "
                                  "igen.")
                       + (" " + _("Svarene er ikke indsendt.") if submit else ""))
        return _page(request, participant, form=form, status=400)
    version = form.cleaned_data.get("loaded_version")
    try:
        services.save_answers(request.user, participant, version, form.valid_values())
    except StaleRecord as exc:
        form.add_error(None, str(exc))
        return _page(request, participant, form=form, status=409)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, participant, form=form, status=400)
    participant.refresh_from_db()
    data = form.data.copy()
    data["loaded_version"] = str(participant.version)
    form.data = data
    if not submit:
        messages.success(request, _("Kladden er gemt."))
        return redirect("quality:answer_edit", participant.pk)
    try:
        services.submit(request.user, participant, participant.version)
    except services.AnswersRefused as exc:
        for problem in exc.problems:
            name = form.field_for(problem)
            form.add_error(name if name else None, problem.message)
        messages.error(request, _("Svarene er ikke indsendt; se beskederne ved punkterne. "
                                  "Kladden er gemt."))
        return _page(request, participant, form=form, status=400)
    except (StaleRecord, ValidationError) as exc:
        messages.error(request, str(exc.message if isinstance(exc, StaleRecord)
                                    else " ".join(exc.messages)))
        return redirect("quality:answer_edit", participant.pk)
    messages.success(request, _("Svarene er indsendt til koordinatoren."))
    return redirect("quality:answer_edit", participant.pk)


@login_required
@require_http_methods(["GET", "POST"])
def answer_background(request, participant_id):
    """Baggrundsinformation: the køberkommune flag and whole or split by areas; the purchase
    relations are read from organisations, not typed."""
    participant = answerable_participant(request, participant_id)
    if not may_edit(participant):
        messages.error(request, _("Svarene er %(status)s og kan ikke ændres.")
                       % {"status": participant.get_status_display().lower()})
        return redirect("quality:answer_edit", participant.pk)
    form = BackgroundForm(_data(request), participant=participant)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.set_background(request.user, participant, d["loaded_version"],
                                    buyer=d["buyer"], areas=d["areas"])
        except StaleRecord as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Baggrundsoplysningerne er gemt."))
            return redirect("quality:answer_edit", participant.pk)
    return render(request, "quality/answer_background.html", {
        "participant": participant, "round": participant.round, "form": form,
        "purchases": purchases(participant)}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def answer_return(request, participant_id):
    """The coordinator sends submitted answers back with comments (required)."""
    participant = coordinated_participant(request, participant_id)
    if participant.round.closed:
        messages.error(request, _("Runden er afsluttet. Svarene kan ikke sendes retur."))
        return redirect("quality:answer_edit", participant.pk)
    if participant.status != Status.SUBMITTED:
        messages.error(request, _("Kun indsendte svar kan sendes retur."))
        return redirect("quality:answer_edit", participant.pk)
    form = ReturnForm(_data(request), participant=participant)
    if request.method == "POST" and form.is_valid():
        try:
            services.return_answers(request.user, participant,
                                    form.cleaned_data["loaded_version"],
                                    form.cleaned_data["comment"])
        except StaleRecord as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Svarene er sendt retur til kommunen."))
            return redirect("quality:round_detail", participant.round_id)
    return render(request, "quality/answer_return.html", {
        "participant": participant, "round": participant.round, "form": form},
        status=400 if form.errors else 200)


@login_required
@require_POST
def answer_approve(request, participant_id):
    participant = coordinated_participant(request, participant_id)
    form = ApproveForm(request.POST, participant=participant)
    if form.is_valid():
        try:
            services.approve(request.user, participant, form.cleaned_data["loaded_version"],
                             form.cleaned_data["comment"])
        except StaleRecord as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Svarene fra %(name)s er godkendt.")
                             % {"name": participant.municipality.name})
            return redirect("quality:round_detail", participant.round_id)
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("quality:answer_edit", participant.pk)


@login_required
@require_safe
def answer_history(request, participant_id):
    """Every event: who, when, status from → to, comment, and the answers changed (old → new)."""
    participant = visible_participant(request, participant_id)
    items = {i.number: i for i in services.items_of(participant.round.framework)}
    events = participant.events.select_related("user").order_by("-at", "-pk")
    page = Paginator(events, 25).get_page(request.GET.get("side"))
    labels = dict(Status.choices)
    rows = [(e, labels.get(e.from_status, e.from_status), labels.get(e.to_status, e.to_status),
             describe_changes(e.changes, items)) for e in page.object_list]
    return render(request, "quality/answer_history.html", {
        "participant": participant, "round": participant.round, "rows": rows, "page": page})
