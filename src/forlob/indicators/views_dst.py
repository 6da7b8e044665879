"""Danmarks Statistik's "Stofmisbrugsbehandling – Social" on the municipality's own data
(issue 5 item 2), as a page: the period's totals, a row per month with a chart, the end status
and the guarantee, each with a short explanation. dst.statistic computes every figure; this
module only lays them out and suppresses them.

Suppression (issue 5 item 4) applies unless the user may see every case behind the figures
(access.sees_cases). A total stands alone: counts 1–4 are hidden. The month table is
suppressed column by column against the period's total shown beneath it (the begun and ended
counts add up to it; the active counts do not, a course running over several months, so
there only counts 1–4 are hidden). The end status and the end reasons each add up to the ends,
and the guarantee's kept, broken and waived to the starts; each is suppressed as a row against
that total. A guarantee share is shown only by rules.shown_rate and only while the kept and
broken counts it is computed from are visible."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import charts, dst, rules, rules_dst
from .presentation import against_total, format_value, primary
from .views import _selection

TEMPLATE = "indicators/dst.html"


def _plain(values) -> list[rules.Cell]:
    return [rules.Cell(v) for v in values]


def _parts(values, total: int, suppress: bool) -> tuple[list[rules.Cell], rules.Cell]:
    """Counts adding up to a shown total, and the total, as shown."""
    if not suppress:
        return _plain(values), rules.Cell(total)
    return against_total(values, total)


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    additive: bool  # the months add up to the period's figure


def _columns():
    return (Column("requests", _("Anmodninger"), True),
            Column("starts", _("Iværksættelser"), True),
            Column("enrolments", _("Tilbudstilknytninger"), True),
            Column("ends", _("Afslutninger"), True),
            Column("contact_begun", _("Kontaktforløb påbegyndt"), True),
            Column("contact_ended", _("Kontaktforløb afsluttet"), True),
            Column("contact_active", _("Kontaktforløb aktive"), False),
            Column("treatment_active", _("Behandlingsforløb aktive"), False))


def _month_values(m) -> dict:
    return {"requests": m.requests, "starts": m.starts, "enrolments": m.enrolments,
            "ends": m.ends, "contact_begun": m.contact.begun, "contact_ended": m.contact.ended,
            "contact_active": m.contact.active, "treatment_active": m.treatment.active}


@dataclass(frozen=True)
class Shown:
    """The statistic as shown: rules.Cell everywhere a count stands."""

    totals: tuple  # (label, Cell)
    columns: tuple  # Column
    months: tuple  # (first day, [Cell per column])
    period: tuple  # Cell per column: the period's figures
    end_status: tuple  # (label, Cell)
    end_reasons: tuple  # (label, Cell)
    guarantee: tuple  # (label, Cell): kept, broken, waived
    guarantee_share: str
    guarantee_share_law: str


def shown(stat: dst.Statistic, suppress: bool) -> Shown:
    def alone(n):
        return primary(n) if suppress else rules.Cell(n)

    columns = _columns()
    period_values = {"requests": stat.requests, "starts": stat.starts,
                     "enrolments": stat.enrolments, "ends": stat.ends,
                     "contact_begun": stat.contact.begun, "contact_ended": stat.contact.ended,
                     "contact_active": stat.contact.active,
                     "treatment_active": stat.treatment.active}
    period, by_column = [], []
    for c in columns:
        values = [_month_values(m)[c.key] for m in stat.months]
        if c.additive:
            cells, total = _parts(values, period_values[c.key], suppress)
        else:
            # Active courses do not add up over the months, but month to month they follow
            # active(m) = active(m-1) - ends(m-1) + starts(m), which would reveal a hidden start
            # or end: under suppression only the period's figure is shown.
            cells = ([rules.Cell(None, secondary=True) for _n in values] if suppress
                     else [rules.Cell(n) for n in values])
            total = alone(period_values[c.key])
        by_column.append(cells)
        period.append(total)
    months = tuple((m.first, [col[i] for col in by_column]) for i, m in enumerate(stat.months))
    by_key = {c.key: cell for c, cell in zip(columns, period, strict=True)}

    totals = (
        (_("Anmodninger om behandling"), by_key["requests"]),
        (_("Iværksættelser af behandling"), by_key["starts"]),
        (_("Tilknytninger til et behandlingstilbud"), by_key["enrolments"]),
        (_("Afslutninger af behandling"), by_key["ends"]),
        (_("Kontaktforløb påbegyndt"), by_key["contact_begun"]),
        (_("Kontaktforløb afsluttet"), by_key["contact_ended"]),
        (_("Kontaktforløb aktive i perioden"), by_key["contact_active"]),
        (_("Behandlingsforløb påbegyndt"), by_key["starts"]),
        (_("Behandlingsforløb afsluttet"), by_key["ends"]),
        (_("Behandlingsforløb aktive i perioden"), by_key["treatment_active"]),
        (_("Personer i behandling i perioden"), alone(stat.persons_in_treatment)))

    def breakdown(rows):
        """End status or end reasons: they add up to the ends. Where the ends are hidden
        already, the parts stand alone."""
        values = [n for _k, _label, n in rows]
        if by_key["ends"].suppressed:
            cells = [alone(n) for n in values]
        else:
            cells = _parts(values, stat.ends, suppress)[0]
        return tuple((str(label), cell) for (_k, label, _n), cell in zip(rows, cells,
                                                                       strict=True))

    g = stat.guarantee
    values = [g.kept, g.broken, g.waived]
    if by_key["starts"].suppressed:
        kept, broken, waived = [alone(n) for n in values]
    else:
        kept, broken, waived = _parts(values, sum(values), suppress)[0]
    share, share_law = g.share, g.share_law
    if suppress:
        visible = not (kept.suppressed or broken.suppressed)
        share = rules.shown_rate(g.kept, g.kept + g.broken) if visible else None
        share_law = rules.shown_rate(g.kept_law, g.kept + g.broken) if visible else None
    return Shown(
        totals=totals, columns=columns, months=months, period=tuple(period),
        end_status=breakdown(stat.end_status), end_reasons=breakdown(stat.end_reasons),
        guarantee=((_("Startet inden for garantien"), kept),
                   (_("Startet efter garantien"), broken),
                   (_("Frit valg: ingen garanti"), waived)),
        guarantee_share=format_value(share, "share"),
        guarantee_share_law=format_value(share_law, "share"))


@login_required
@require_safe
def statistic(request):
    form, filters, suppress = _selection(request)
    context = {"form": form, "suppress": suppress, "threshold": rules.SUPPRESS_BELOW,
               "query": request.GET.urlencode(), "merge_gap": rules_dst.MERGE_GAP_DAYS}
    if filters is None:
        return render(request, TEMPLATE, context, status=400)
    context["shown"] = shown(dst.statistic(filters), suppress)
    context["filters"] = filters
    return render(request, TEMPLATE, context)


@login_required
@require_safe
def statistic_chart(request):
    """Requests, starts and ends per month, suppressed as in the month table."""
    form, filters, suppress = _selection(request)
    if filters is None:
        return HttpResponse(status=400)
    s = shown(dst.statistic(filters), suppress)
    wanted = [(i, c.heading) for i, c in enumerate(s.columns)
              if c.key in ("requests", "starts", "ends")]
    rows = [(first, heading, cells[i].value) for first, cells in s.months
            for i, heading in wanted]
    spec = charts.series_spec(_("Anmodninger, iværksættelser og afslutninger pr. måned"), rows)
    return HttpResponse(charts.to_svg(spec), content_type="image/svg+xml")


patterns = [
    path("dst/", statistic, name="dst"),
    path("dst/graf.svg", statistic_chart, name="dst_chart"),
]
