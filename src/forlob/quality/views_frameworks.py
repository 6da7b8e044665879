"""The frameworks' pages (issue 6 item 1): the loaded frameworks and their versions, and one
version with its sections and items, greyed recommendations marked "besvares ikke" and the
national guidelines' anvisninger with their skal/bør type and a filter on it.

The framework text is public knowledge and holds no personal data (nothing audited); the pages
are for those who take part in the self-assessment: quality coordinators, and municipalities'
leaders and administrators. Anyone else gets 404, like every page outside a user's scope."""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from forlob.access.scope import scope_for

from .models import Framework, Item, ItemKind, Obligation, Section
from .rules_frameworks import matches, obligation_counts

#: DKFDS badge variant per skal/bør type; the label is always shown (WCAG 1.4.1).
BADGES = {Obligation.SKAL: "badge-info", Obligation.BOR: "", Obligation.MIXED: "badge-info"}


def may_read(user) -> bool:
    """Coordinators of a cluster or region, and leaders and administrators of a municipality."""
    scope = scope_for(user)
    return bool(scope.coordinator_clusters or scope.coordinator_regions
                or scope.leader_municipalities or scope.admin_municipalities)


def _readable(request):
    if not may_read(request.user):
        raise Http404


class ObligationFilter(forms.Form):
    type = forms.ChoiceField(
        label=_("Vis anvisninger"), required=False,
        choices=[("", _("Alle")),
                 (Obligation.SKAL, _("Skal (forpligtelser)")),
                 (Obligation.BOR, _("Bør (anbefalinger)")),
                 (Obligation.MIXED, _("Både skal og bør"))],
        help_text=_("»Skal« er en forpligtelse efter lovgivningen, »bør« en anbefaling "
                    "(retningslinjerne, »Hvordan kan retningslinjerne anvendes?«). Anvisninger "
                    "med både skal og bør vises under begge."))


@login_required
@require_safe
def framework_list(request):
    _readable(request)
    answerable = Q(sections__items__kind=ItemKind.INDICATOR, sections__greyed=False)
    frameworks = Framework.objects.annotate(
        n_sections=Count("sections", distinct=True),
        n_greyed=Count("sections", filter=Q(sections__greyed=True), distinct=True),
        n_indicators=Count("sections__items", filter=answerable, distinct=True),
    ).order_by("code", "-version", "pk")
    page = Paginator(frameworks, 25).get_page(request.GET.get("side"))
    return render(request, "quality/framework_list.html", {"page": page})


@dataclass
class SectionRows:
    section: Section
    items: list


def _item_row(item):
    return {"item": item, "badge": BADGES.get(item.obligation, ""),
            "is_indicator": item.kind == ItemKind.INDICATOR}


@login_required
@require_safe
def framework_detail(request, pk):
    _readable(request)
    framework = get_object_or_404(Framework, pk=pk)
    sections = list(framework.sections.prefetch_related(
        Prefetch("items", queryset=Item.objects.order_by("order", "pk"))).order_by("order"))
    indicators = [i for s in sections for i in s.items.all() if i.kind == ItemKind.INDICATOR]
    counts = obligation_counts(i.obligation for i in indicators)
    has_obligations = any(counts.values())
    form = ObligationFilter(request.GET or None) if has_obligations else None
    wanted = form.cleaned_data["type"] if form is not None and form.is_valid() else ""
    shown = []
    for s in sections:
        if wanted:
            rows = [_item_row(i) for i in s.items.all()
                    if i.kind == ItemKind.INDICATOR and matches(i.obligation, wanted)]
            if not rows:
                continue
        else:
            rows = [_item_row(i) for i in s.items.all()]
        shown.append(SectionRows(s, rows))
    return render(request, "quality/framework_detail.html", {
        "framework": framework, "sections": shown, "form": form, "wanted": wanted,
        "counts": {"skal": counts[Obligation.SKAL], "bor": counts[Obligation.BOR],
                   "mixed": counts[Obligation.MIXED]},
        "has_obligations": has_obligations,
        "n_indicators": len(indicators),
        "n_shown": sum(1 for s in shown for r in s.items if r["is_indicator"]),
        "n_answered_sections": sum(1 for s in sections if not s.greyed),
        "n_greyed": sum(1 for s in sections if s.greyed),
        "other_versions": Framework.objects.filter(code=framework.code).exclude(
            pk=framework.pk).order_by("-version"),
    })
