"""The region report's charts (issue 6 item 5): per indicator, bars of the ja, delvis and nej
answers in each cluster (rules_reports.tally). Vega-Lite specs rendered to SVG on the server
with vl-convert, as the indicator dashboard's charts are (indicators/charts.py), so the page and
the PDF embed the same SVG and no chart code runs in the browser. The table beside each chart
gives every number.

The bars count answers, not categories: a category the coordinator set by judgement does not
move them (rules_reports.tally). The chart says so under its title, so a chart read on its own
is not mistaken for the categories of the cluster reports."""

import hashlib
import json
import textwrap

from django.core.cache import cache
from django.utils.translation import gettext as _

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
CONFIG = {"font": "DejaVu Sans", "axis": {"labelLimit": 200},
          "title": {"anchor": "start", "fontSize": 13, "subtitleFontSize": 11,
                    "subtitleColor": "#454545"}}
#: The category colours of the cluster reports (status 2014: grøn, gul, rød), dark enough for
#: 3:1 contrast against white (WCAG 1.4.11); the legend and the table name every bar.
COLOURS = ("#358000", "#b38600", "#c1002b")
TITLE_WIDTH = 70
CACHE_SECONDS = 24 * 3600


def title_lines(number: str, text: str) -> list[str]:
    """The chart's title: the indicator's number and text, wrapped, at most three lines."""
    lines = textwrap.wrap(f"{number} {text}", TITLE_WIDTH) or [number]
    if len(lines) > 3:
        lines = [*lines[:2], textwrap.shorten(" ".join(lines[2:]), TITLE_WIDTH, placeholder=" …")]
    return lines


def whole_ticks(top: int) -> list[int]:
    """Axis ticks at whole municipalities only, at most about ten of them."""
    step = max(1, -(-top // 10))
    return list(range(0, top + 1, step))


def note() -> str:
    """The line under every chart's title: what the bars count (rules_reports.tally)."""
    return _("Søjlerne viser de afgjorte svar. En kategori sat ved skøn flytter dem ikke.")


def tally_spec(title: list[str], tallies) -> dict:
    """Grouped horizontal bars: per cluster (in the given order), one bar each for ja, delvis
    and nej. `tallies` is [(cluster name, rules_reports.Tally)]."""
    answers = [_("Ja"), _("Delvis"), _("Nej")]
    clusters = [name for name, _t in tallies]
    rows = []
    for name, t in tallies:
        for answer, n in zip(answers, (t.yes, t.partly, t.no), strict=True):
            rows.append({"cluster": name, "answer": answer, "count": n})
    top = max([1, *(r["count"] for r in rows)])
    return {
        "$schema": SCHEMA, "title": {"text": title, "subtitle": note()}, "width": 420,
        "height": {"step": 14},
        "data": {"values": rows},
        "mark": {"type": "bar", "tooltip": False},
        "encoding": {
            "y": {"field": "cluster", "type": "nominal", "sort": clusters, "title": None,
                  "scale": {"domain": clusters}},
            "yOffset": {"field": "answer", "type": "nominal", "sort": answers,
                        "scale": {"domain": answers}},
            "x": {"field": "count", "type": "quantitative", "title": _("Antal kommuner"),
                  "scale": {"domain": [0, top]},
                  "axis": {"values": whole_ticks(top), "format": "d"}},
            "color": {"field": "answer", "type": "nominal", "title": _("Svar"),
                      "sort": answers,
                      "scale": {"domain": answers, "range": list(COLOURS)},
                      "legend": {"orient": "bottom"}},
        },
        "config": CONFIG,
    }


def to_svg(spec: dict) -> str:
    """The chart as SVG, cached by its spec (a report renders one chart per indicator, and the
    page and the PDF render the same ones). Lazy translations become their text first."""
    import vl_convert

    text = json.dumps(spec, default=str, sort_keys=True, ensure_ascii=False)
    key = "quality:chart:" + hashlib.sha256(text.encode()).hexdigest()
    svg = cache.get(key)
    if svg is None:
        svg = vl_convert.vegalite_to_svg(json.loads(text))
        cache.set(key, svg, CACHE_SECONDS)
    return svg
