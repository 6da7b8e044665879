"""The indicators in the API (issue 5 item 5): the catalogue, each KPI's figures as the user is
shown them, and the DST statistic. Suppression is the dashboard's: a KPI's figures go through
presentation.figure (which applies presentation.shown_value and rules.suppress_row), and a
number counts as hidden exactly where the dashboard hides it; the DST statistic is suppressed
with rules.suppress_row and rules.shown_rate. Nothing here computes an indicator."""

from django.utils import translation
from rest_framework import serializers

from . import presentation, rules
from .catalogue import Kpi, Value

# --- Catalogue -------------------------------------------------------------------------------


class IndicatorKpiSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_da = serializers.CharField()
    name_en = serializers.CharField()
    definition_da = serializers.CharField()
    definition_en = serializers.CharField()
    numerator = serializers.CharField(help_text="Tælleren (på engelsk, som i docs/indicators.md).")
    denominator = serializers.CharField(help_text="Nævneren (på engelsk).")
    source = serializers.CharField(help_text="Paragraf, retningslinje eller anbefaling.")
    better = serializers.ChoiceField(choices=["higher", "lower", "none"])
    period_date = serializers.CharField(help_text="Hvilken dato placerer et forløb i perioden.")
    group = serializers.CharField()
    drill_down = serializers.BooleanField(
        help_text="Om forløbene bag tallet kan vises (sagsbehandlere i kommunen).")


def kpi_data(kpi: Kpi) -> dict:
    with translation.override("da"):
        name_da, definition_da = str(kpi.name_da), str(kpi.definition_da)
    return {"code": kpi.code, "name_da": name_da, "name_en": str(kpi.name_en),
            "definition_da": definition_da, "definition_en": str(kpi.definition_en),
            "numerator": kpi.numerator, "denominator": kpi.denominator, "source": kpi.source,
            "better": kpi.better, "period_date": kpi.period_date, "group": kpi.group,
            "drill_down": kpi.cases is not None}


# --- Values as shown -------------------------------------------------------------------------


class IndicatorCellSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField(allow_null=True,
                                   help_text="Antal eller statistik; null: skjult eller intet tal.")
    suppressed = serializers.BooleanField(help_text="Skjult af hensyn til diskretionen.")


class IndicatorValueSerializer(serializers.Serializer):
    code = serializers.CharField()
    unit = serializers.ChoiceField(choices=["share", "days", "score", "count", "ratio"])
    value = serializers.FloatField(allow_null=True, help_text="Andel som 0-1, dage, score, "
                                   "antal eller forhold; null: skjult eller ingen data.")
    suppressed = serializers.BooleanField()
    numerator = serializers.IntegerField(allow_null=True)
    numerator_suppressed = serializers.BooleanField()
    denominator = serializers.IntegerField(allow_null=True)
    denominator_suppressed = serializers.BooleanField()
    cells = IndicatorCellSerializer(many=True)


class IndicatorSelectionSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    municipalities = serializers.ListField(child=serializers.IntegerField())
    suppressed = serializers.BooleanField(
        help_text="true: tallene krydser dit ansvarsområde og vises med diskretion: tal under "
        "5 og tal, der kunne afsløre dem, er null.")
    threshold = serializers.IntegerField()


class IndicatorValuesSerializer(IndicatorSelectionSerializer):
    indicators = IndicatorValueSerializer(many=True)


def _key(key) -> str:
    return ":".join(str(k) for k in key) if isinstance(key, tuple) else str(key)


def _number(raw, shown_text: str, plain_text: str, present: bool):
    """(number, suppressed): `raw` where the dashboard shows it, None where it hides it (the
    suppressed text differs from the plain one) or shows nothing."""
    if not present or raw is None:
        return None, False
    if shown_text != plain_text:
        return None, True
    return raw, False


def value_data(kpi: Kpi, v: Value, suppress: bool) -> dict:
    """One KPI's figures exactly as the dashboard shows them to a user with `suppress`."""
    shown = presentation.figure(kpi, v, suppress)
    plain = presentation.figure(kpi, v, False)
    value = presentation.shown_value(v, suppress)
    numerator, numerator_hidden = _number(v.numerator, shown.numerator, plain.numerator,
                                          plain.numerator != "")
    denominator, denominator_hidden = _number(v.denominator, shown.denominator,
                                              plain.denominator, plain.denominator != "")
    cells = []
    for (key, label, raw), (_l, text), (_p, plain_text) in zip(v.cells, shown.cells,
                                                                plain.cells, strict=True):
        number, hidden = _number(raw, text, plain_text, True)
        cells.append({"key": _key(key), "label": str(label), "value": number,
                      "suppressed": hidden})
    return {"code": kpi.code, "unit": v.unit, "value": value,
            "suppressed": value is None and v.value is not None,
            "numerator": numerator, "numerator_suppressed": numerator_hidden,
            "denominator": denominator, "denominator_suppressed": denominator_hidden,
            "cells": cells}


# --- The DST statistic -----------------------------------------------------------------------

_COUNT = {"allow_null": True, "help_text": "null: skjult (diskretion)."}


class DstCourseCountsSerializer(serializers.Serializer):
    begun = serializers.IntegerField(**_COUNT)
    ended = serializers.IntegerField(**_COUNT)
    active = serializers.IntegerField(**_COUNT)


class DstRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(**_COUNT)
    suppressed = serializers.BooleanField()


class DstGuaranteeSerializer(serializers.Serializer):
    kept = serializers.IntegerField(**_COUNT)
    broken = serializers.IntegerField(**_COUNT)
    waived = serializers.IntegerField(**_COUNT)
    kept_law = serializers.IntegerField(**_COUNT)
    share = serializers.FloatField(allow_null=True, help_text="Overholdt efter standarden.")
    share_law = serializers.FloatField(allow_null=True, help_text="Overholdt efter lovens 14 dage.")


class DstMonthSerializer(serializers.Serializer):
    first = serializers.DateField()
    last = serializers.DateField()
    requests = serializers.IntegerField(**_COUNT)
    starts = serializers.IntegerField(**_COUNT)
    enrolments = serializers.IntegerField(**_COUNT)
    ends = serializers.IntegerField(**_COUNT)
    contact = DstCourseCountsSerializer()
    treatment = DstCourseCountsSerializer()


class DstSerializer(IndicatorSelectionSerializer):
    requests = serializers.IntegerField(**_COUNT)
    starts = serializers.IntegerField(**_COUNT)
    enrolments = serializers.IntegerField(**_COUNT)
    ends = serializers.IntegerField(**_COUNT)
    contact = DstCourseCountsSerializer()
    treatment = DstCourseCountsSerializer()
    persons_in_treatment = serializers.IntegerField(**_COUNT)
    end_reasons = DstRowSerializer(many=True)
    end_status = DstRowSerializer(many=True)
    guarantee = DstGuaranteeSerializer()
    months = DstMonthSerializer(many=True)


class _Shown:
    """Counts as shown: as they are, or suppressed (rules.suppress_row for a row adding up to
    a shown total, the threshold alone for a single count)."""

    def __init__(self, suppress: bool):
        self.suppress = suppress

    def one(self, n: int) -> int | None:
        return None if self.suppress and 0 < n < rules.SUPPRESS_BELOW else n

    def row(self, counts) -> list[int | None]:
        counts = list(counts)
        if not self.suppress:
            return counts
        return [c.value for c in rules.suppress_row(counts)]

    def rate(self, numerator: int, denominator: int, *parts) -> float | None:
        """A share; when suppressing, not where a part it is built from is hidden, and only
        as rules.shown_rate allows."""
        if not self.suppress:
            return rules.share(numerator, denominator)
        if any(p is None for p in parts):
            return None
        return rules.shown_rate(numerator, denominator)


def _rows(shown: _Shown, rows) -> list[dict]:
    counts = shown.row(n for _k, _l, n in rows)
    return [{"key": k, "label": str(label), "count": c, "suppressed": c is None}
            for (k, label, _n), c in zip(rows, counts, strict=True)]


def dst_data(stat, suppress: bool) -> dict:
    """The DST statistic (dst.Statistic) as shown. Series that add up over the months to a
    shown period total (requests, starts, enrolments, ends, begun and ended courses) are
    suppressed as a row across the months; the end reasons and end statuses as rows adding up
    to the ends; the guarantee's kept, broken and waived as a row; active courses and persons
    by the threshold alone."""
    shown = _Shown(suppress)
    months = stat.months
    series = {}
    for name in ("requests", "starts", "enrolments", "ends"):
        series[name] = shown.row(getattr(m, name) for m in months)
    for kind in ("contact", "treatment"):
        for part in ("begun", "ended"):
            series[kind, part] = shown.row(getattr(getattr(m, kind), part) for m in months)

    def counts(c, kind=None, i=None):
        return {"begun": series[kind, "begun"][i] if kind else shown.one(c.begun),
                "ended": series[kind, "ended"][i] if kind else shown.one(c.ended),
                # monthly active counts would reveal hidden starts and ends (active(m) =
                # active(m-1) - ends(m-1) + starts(m)): only the period's under suppression
                "active": None if kind and suppress else shown.one(c.active)}

    g = stat.guarantee
    kept, broken, waived = shown.row([g.kept, g.broken, g.waived])
    kept_law = shown.row([g.kept_law, g.kept + g.broken - g.kept_law])[0]
    return {
        "requests": shown.one(stat.requests), "starts": shown.one(stat.starts),
        "enrolments": shown.one(stat.enrolments), "ends": shown.one(stat.ends),
        "contact": counts(stat.contact), "treatment": counts(stat.treatment),
        "persons_in_treatment": shown.one(stat.persons_in_treatment),
        "end_reasons": _rows(shown, stat.end_reasons),
        "end_status": _rows(shown, stat.end_status),
        "guarantee": {
            "kept": kept, "broken": broken, "waived": waived, "kept_law": kept_law,
            "share": shown.rate(g.kept, g.kept + g.broken, kept, broken),
            "share_law": shown.rate(g.kept_law, g.kept + g.broken, kept_law, kept, broken)},
        "months": [{
            "first": m.first, "last": m.last,
            **{name: series[name][i] for name in ("requests", "starts", "enrolments", "ends")},
            "contact": counts(m.contact, "contact", i),
            "treatment": counts(m.treatment, "treatment", i)}
            for i, m in enumerate(months)],
    }
