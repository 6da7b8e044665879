"""Charts as Vega-Lite specs (issue 5 item 3): one spec per chart, rendered to SVG on the
server (vl-convert) for the page and for PDF, so no chart code runs in the browser. Values
that suppression hides are left out of the spec (a gap in the line), never drawn."""

import vl_convert

from .presentation import shown_value

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def trend_spec(title: str, points, unit: str, suppress: bool) -> dict:
    """A line per month: `points` is [(first day of month, Value)]."""
    rows = []
    for month, value in points:
        shown = shown_value(value, suppress)
        if shown is not None:
            rows.append({"month": month.isoformat(),
                         "value": round(100 * shown, 1) if unit == "share" else shown})
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
        "config": {"font": "DejaVu Sans"},
    }


def to_svg(spec: dict) -> str:
    return vl_convert.vegalite_to_svg(spec)
