"""The measures of a course over time, for the chart on the case page (issue 4 item 2): AUDIT
and DUDIT totals (from the assessment and from reviews; pathway ScreeningResult) and days of use
in the last 30 days (Review.days_of_use_30). Point extraction and the chart's geometry live
here, so the template only draws what it is given (inline SVG, no script; CSP 'self')."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

#: Highest possible value of each measure: AUDIT 10 items 0-4, DUDIT 11 items 0-4, 30 days.
MEASURES = {
    "audit": (_("AUDIT-score"), 40),
    "dudit": (_("DUDIT-score"), 44),
    "days": (_("Dage med brug de seneste 30 dage"), 30),
}
SOURCES = {"assessment": _("Afdækning"), "review": _("Opfølgning"),
           "screening": _("Screening")}

WIDTH, HEIGHT = 560, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 20, 14, 34


@dataclass(frozen=True)
class Point:
    on: dt.date
    value: int
    source: str  # a key of SOURCES

    @property
    def source_label(self):
        return SOURCES[self.source]


@dataclass(frozen=True)
class Plotted:
    point: Point
    x: int
    y: int


@dataclass
class Chart:
    key: str
    points: list = field(default_factory=list)

    @property
    def title(self):
        return MEASURES[self.key][0]

    @property
    def maximum(self) -> int:
        return MEASURES[self.key][1]

    @property
    def width(self):
        return WIDTH

    @property
    def height(self):
        return HEIGHT

    @property
    def plotted(self) -> list[Plotted]:
        if not self.points:
            return []
        first, last = self.points[0].on, self.points[-1].on
        span = (last - first).days
        inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
        out = []
        for p in self.points:
            x = LEFT + (inner_w * (p.on - first).days // span if span else inner_w // 2)
            y = TOP + inner_h - inner_h * min(p.value, self.maximum) // self.maximum
            out.append(Plotted(p, x, y))
        return out

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.plotted)

    @property
    def y_ticks(self) -> list[tuple[int, int]]:
        """(value, y) at 0, half and the maximum."""
        inner_h = HEIGHT - TOP - BOTTOM
        return [(v, TOP + inner_h - inner_h * v // self.maximum)
                for v in (0, self.maximum // 2, self.maximum)]

    @property
    def axis(self) -> dict:
        return {"left": LEFT, "right": WIDTH - RIGHT, "top": TOP, "bottom": HEIGHT - BOTTOM,
                "label_y": HEIGHT - 12, "tick_x": LEFT - 6}

    @property
    def first(self):
        return self.points[0] if self.points else None

    @property
    def last(self):
        return self.points[-1] if self.points else None


def measure_points(course) -> dict[str, list[Point]]:
    """{measure: [Point, ...]} in date order: screenings from the assessment or from reviews
    (a screening recorded on a review's date belongs to that review) and days of use."""
    reviews = list(course.reviews.order_by("held_on", "pk").values_list("held_on",
                                                                         "days_of_use_30"))
    review_days = {held_on for held_on, _days in reviews}
    points = {"audit": [], "dudit": [], "days": []}
    for instrument, on, total, assessment_id in course.screenings.order_by(
            "administered_on", "pk").values_list("instrument", "administered_on", "total",
                                                 "assessment_id"):
        if instrument not in points:
            continue
        source = ("assessment" if assessment_id else
                  "review" if on in review_days else "screening")
        points[instrument].append(Point(on, total, source))
    points["days"] = [Point(on, days, "review") for on, days in reviews if days is not None]
    return points


def measure_charts(course) -> list[Chart]:
    """One chart per measure that has at least one point."""
    return [Chart(key, pts) for key, pts in measure_points(course).items() if pts]
