"""Charts as Vega-Lite specs (issue 5 item 3): one spec per chart, rendered to SVG on the
server (vl-convert) for the page and for PDF, so no chart code runs in the browser. Values
that suppression hides are null in a line (Vega-Lite breaks the line there: a gap) and left
out of bars, never drawn; the table beside each chart gives every number, hidden ones marked."""

import json

import vl_convert

from .presentation import against_total, shown_value

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CONFIG = {"font": "DejaVu Sans", "axis": {"labelLimit": 260}}


def _scaled(x, unit: str):
    return round(100 * x, 1) if unit == "share" else x


def trend_spec(title: str, points, unit: str, suppress: bool) -> dict:
    """A line per month: `points` is [(first day of month, Value)]. Each point is hidden where
    its month's figure would be (presentation.shown_value); monthly counts are suppressed
    together, as counts adding up to the period's total shown beside the chart."""
    hidden = set()
    if suppress and unit == "count":
        counts = [int(v.value or 0) for _m, v in points]
        cells = against_total(counts, sum(counts))[0]
        hidden = {i for i, cell in enumerate(cells) if cell.suppressed}
    rows = []
    for i, (month, value) in enumerate(points):
        shown = None if i in hidden else shown_value(value, suppress)
        rows.append({"month": month.isoformat(),
                     "value": None if shown is None else _scaled(shown, unit)})
    return {
        "$schema": SCHEMA, "title": title, "width": 560, "height": 220,
        "data": {"values": rows},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth",
                  "title": None},
            "y": {"field": "value", "type": "quantitative",
                  "title": "%" if unit == "share" else None},
        },
        "config": CONFIG,
    }


def bar_spec(title: str, bars, axis_title: str | None = None) -> dict:
    """Horizontal bars, one per (label, number) in the given order; a None number (hidden by
    suppression) is left out. Used for a KPI's distribution and for a comparison."""
    order = [label for label, _n in bars]
    rows = [{"label": label, "value": n} for label, n in bars if n is not None]
    return {
        "$schema": SCHEMA, "title": title, "width": 360,
        "height": {"step": 22},
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": False},
        "encoding": {
            "y": {"field": "label", "type": "nominal", "sort": order, "title": None,
                  "scale": {"domain": order}},
            "x": {"field": "value", "type": "quantitative", "title": axis_title},
        },
        "config": CONFIG,
    }


def distribution_spec(title: str, bars) -> dict:
    """A KPI's distribution (Value.cells counts, as presentation.Figure.bars)."""
    return bar_spec(title, bars)


def comparison_spec(title: str, bars, unit: str) -> dict:
    """One KPI across municipalities: (municipality, shown value or None)."""
    return bar_spec(title, [(label, None if n is None else _scaled(n, unit))
                            for label, n in bars], "%" if unit == "share" else None)


def series_spec(title: str, rows) -> dict:
    """Several counts per month as lines: rows are (first day of month, series label, count or
    None where suppressed: a gap)."""
    values = [{"month": m.isoformat(), "series": s, "value": n} for m, s, n in rows]
    return {
        "$schema": SCHEMA, "title": title, "width": 560, "height": 220,
        "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {"field": "month", "type": "temporal", "timeUnit": "yearmonth",
                  "title": None},
            "y": {"field": "value", "type": "quantitative", "title": None},
            "color": {"field": "series", "type": "nominal", "title": None,
                      "sort": list(dict.fromkeys(s for _m, s, _n in rows))},
        },
        "config": CONFIG,
    }


def to_svg(spec: dict) -> str:
    """The chart as SVG; lazy translations in titles and labels become their text first."""
    return vl_convert.vegalite_to_svg(json.loads(json.dumps(spec, default=str)))
