"""The coordinator's round pages (issue 6 item 2): the list of rounds (the app's landing page),
opening a round, its participants, the progress across the municipalities, and closing the
round (read-only everywhere after) or reopening it. Whether a deadline is overdue is
rules.overdue's; the templates get booleans.

Rounds are fetched through quality.access: a round the user neither runs nor takes part in
answers 404. The answers hold no personal data, so nothing here is audited."""

from collections import defaultdict
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from forlob import clock
from forlob.locking import StaleRecord
from forlob.pathway.forms import add_service_errors

from . import rules
from . import services_rounds as services
from .access import answerable_participants, coordinated_rounds, visible_rounds
from .forms_rounds import CloseRoundForm, ParticipantsForm, ReopenRoundForm, RoundForm
from .models import Answer, Participant, Round, Status
from .rules_submission import progress

DONE = services.DONE


@dataclass
class RoundRow:
    round: Round
    coordinates: bool
    mine: list  # the user's own participations in the round
    overdue: bool  # the deadline has passed and not every municipality has submitted


def _data(request):
    """The POST data, also when empty (an empty POST is a bound form with errors)."""
    return request.POST if request.method == "POST" else None


@login_required
@require_safe
def round_list(request):
    """Rounds the user runs (with progress counts) and rounds their municipality takes part
    in (with a link to its answers)."""
    user = request.user
    qs = (Round.objects.filter(pk__in=visible_rounds(user).values("pk"))
          .select_related("framework", "cluster", "region")
          .annotate(total=Count("participants", distinct=True),
                    done=Count("participants", distinct=True,
                               filter=Q(participants__status__in=DONE)),
                    approved=Count("participants", distinct=True,
                                   filter=Q(participants__status=Status.APPROVED)))
          .order_by("-period_end", "name", "pk"))
    page = Paginator(qs, 25).get_page(request.GET.get("side"))
    ids = [r.pk for r in page.object_list]
    coordinated = set(coordinated_rounds(user).filter(pk__in=ids).values_list("pk", flat=True))
    mine = defaultdict(list)
    for p in answerable_participants(user).filter(round_id__in=ids).select_related(
            "municipality"):
        mine[p.round_id].append(p)
    today = clock.today()
    rows = [RoundRow(r, r.pk in coordinated, mine[r.pk],
                     rules.overdue(r.deadline, today, done=r.done >= r.total))
            for r in page.object_list]
    return render(request, "quality/round_list.html", {
        "rows": rows, "page": page,
        "can_open": bool(services.organisations(user)),
    })


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request):
    """A coordinator opens a round for their cluster or region."""
    if not services.organisations(request.user):
        raise Http404
    form = RoundForm(_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            rnd = services.open_round(
                request.user, framework=d["framework"], name=d["name"],
                period_start=d["period_start"], period_end=d["period_end"],
                deadline=d["deadline"], organisation=d["organisation"],
                municipalities=d["municipalities"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Runden er åbnet."))
            return redirect("quality:round_detail", rnd.pk)
    return render(request, "quality/round_form.html", {"form": form},
                  status=400 if form.errors else 200)


def coordinated_round(request, round_id) -> Round:
    return get_object_or_404(coordinated_rounds(request.user).select_related(
        "framework", "cluster", "region"), pk=round_id)


@dataclass
class ProgressRow:
    participant: Participant
    answered: int
    total: int
    done: bool
    late: bool


def progress_rows(rnd, today) -> list[ProgressRow]:
    """Every participant with its mandatory items answered out of the total (over its areas),
    and whether it is still missing after the deadline."""
    items = [services.item_facts(i) for i in services.items_of(rnd.framework)]
    by_participant = defaultdict(list)
    for a in Answer.objects.filter(participant__round=rnd).select_related("item"):
        by_participant[a.participant_id].append(services.answer_facts(a))
    rows = []
    for p in rnd.participants.select_related("municipality").order_by("municipality__name"):
        answered, total = progress(items, by_participant[p.pk], p.answer_areas())
        done = p.status in DONE
        rows.append(ProgressRow(p, answered, total, done,
                                rules.overdue(rnd.deadline, today, done=done)))
    return rows


#: The round page's actions, by the posted "handling".
CLOSE, REOPEN = "afslut", "genaabn"


@login_required
@require_http_methods(["GET", "POST"])
def round_detail(request, round_id):
    """The coordinator's view: progress across the municipalities, who has not answered, the
    deadline, and links to each municipality's answers; and the actions "Afslut runden"
    (confirmed) and "Genåbn runden", each a POST here with the version the page was loaded
    with. A stale page, a missing confirmation or a refused action writes nothing."""
    rnd = coordinated_round(request, round_id)
    close_form = CloseRoundForm(rnd=rnd) if not rnd.closed else None
    reopen_form = ReopenRoundForm(rnd=rnd) if rnd.closed else None
    status = 200
    if request.method == "POST":
        status = 400
        action = request.POST.get("handling")
        if action == CLOSE and not rnd.closed:
            close_form = form = CloseRoundForm(request.POST, rnd=rnd)
            service, done = services.close_round, _("Runden er afsluttet. Den kan nu kun læses.")
        elif action == REOPEN and rnd.closed:
            reopen_form = form = ReopenRoundForm(request.POST, rnd=rnd)
            service, done = services.reopen_round, _("Runden er genåbnet.")
        else:
            messages.error(request, _("Runden er allerede afsluttet.") if rnd.closed
                           else _("Runden er ikke afsluttet."))
            return redirect("quality:round_detail", rnd.pk)
        if form.is_valid():
            try:
                service(request.user, rnd, form.cleaned_data["loaded_version"])
            except StaleRecord as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect("quality:round_detail", rnd.pk)
    today = clock.today()
    rows = progress_rows(rnd, today)
    missing = [r for r in rows if not r.done]
    return render(request, "quality/round_detail.html", {
        "round": rnd, "rows": rows,
        "overdue": rules.overdue(rnd.deadline, today, done=not missing),
        "missing": missing,
        "counts": [(label, sum(1 for r in rows if r.participant.status == value))
                   for value, label in Status.choices],
        "close_form": close_form, "reopen_form": reopen_form,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def round_participants(request, round_id):
    """Add or remove participating municipalities while the round is open."""
    rnd = coordinated_round(request, round_id)
    if rnd.closed:
        messages.error(request, _("Runden er afsluttet. Deltagerne kan ikke ændres."))
        return redirect("quality:round_detail", rnd.pk)
    form = ParticipantsForm(_data(request), rnd=rnd, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                added, removed = services.set_participants(
                    request.user, rnd, form.cleaned_data["loaded_version"],
                    form.cleaned_data["municipalities"])
        except StaleRecord as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if added or removed:
                messages.success(request, _("Deltagerne er gemt."))
            return redirect("quality:round_detail", rnd.pk)
    return render(request, "quality/round_participants.html", {"round": rnd, "form": form},
                  status=400 if form.errors else 200)
